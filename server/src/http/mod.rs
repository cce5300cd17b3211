//! Router assembly: the feature routers under `/api`, JSON errors for unknown API routes, the front end.

pub mod admin;
pub mod auth;
pub mod complaints;
pub mod health;
pub mod sites;
pub mod static_files;
pub mod sync;
pub mod users;

use crate::error::Error;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::routing::any;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Largest JSON request body the API reads.
pub const API_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Every route, fallback and layer, bound to `state`.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(health::router())
        .merge(auth::router())
        .merge(users::router())
        .merge(sites::router())
        .merge(sync::router())
        .merge(complaints::router())
        .merge(admin::router())
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT));
    Router::new()
        .merge(api)
        .fallback(static_files::serve)
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn api_not_found() -> Error {
    Error::NotFound("no such API endpoint".into())
}

async fn method_not_allowed() -> Error {
    Error::MethodNotAllowed
}

/// `axum::Json` whose rejections answer in the API's error shape (`bad_json`, 415, 413).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    axum::Json<T>: FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(value))
    }
}
