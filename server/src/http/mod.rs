//! Router assembly: the feature routers under `/api`, JSON errors for unknown API routes, the front end.

pub mod admin;
pub mod attachments;
pub mod auth;
pub mod complaints;
pub mod export;
pub mod fleet;
pub mod health;
pub mod import;
pub mod majors;
pub mod pull_wire;
pub mod replies;
pub mod reports;
pub mod security;
pub mod setup;
pub mod shared_page;
pub mod shares;
pub mod sites;
pub mod static_files;
pub mod sync;
pub mod uploads;
pub mod users;

use crate::error::{Error, Result};
use crate::AppState;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::header::CONTENT_LENGTH;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::routing::any;
use axum::Router;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use std::time::Duration;
use tower::limit::ConcurrencyLimitLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// A request (reading its body included) taking longer is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);
/// Requests served at once; more wait their turn.
pub const MAX_CONCURRENT_REQUESTS: usize = 256;

/// Largest JSON request body the API reads (raw bodies have their own limits).
pub const API_BODY_LIMIT: usize = 16 * 1024 * 1024;
/// Brotli/gzip quality of responses compressed as they are sent (API answers, pages).
const DYNAMIC_COMPRESSION: i32 = 4;

/// Every route, fallback and layer, bound to `state`.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(health::router())
        .merge(auth::router())
        .merge(users::router())
        .merge(sites::router())
        .merge(replies::router())
        .merge(setup::router())
        .merge(sync::router())
        .merge(complaints::router())
        .merge(admin::router())
        .merge(attachments::router())
        .merge(uploads::router())
        .merge(import::router())
        .merge(reports::router())
        .merge(majors::router())
        .merge(shares::router())
        .merge(fleet::router())
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT));
    Router::new()
        .merge(api)
        .merge(shared_page::router())
        .fallback(static_files::serve)
        // Quality 4 for what is compressed per response (brotli's own default, 11, costs seconds
        // per megabyte: a pull page would spend more time compressed than read). Built assets
        // come precompressed at 11 (`static_files`).
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(CompressionLevel::Precise(DYNAMIC_COMPRESSION)),
        )
        .layer(axum::middleware::from_fn(security::headers))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(ConcurrencyLimitLayer::new(MAX_CONCURRENT_REQUESTS))
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
        // Every API body is a JSON object: serde would also read a struct from an array
        // (`[]` as "no fields"), which no client means.
        let (parts, body) = req.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    Error::TooLarge("request body too large".into())
                } else {
                    Error::BadRequest(e.body_text())
                }
            })?;
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        let is_json = parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if is_json && first != Some(&b'{') {
            return Err(Error::BadJson("expected a JSON object".into()));
        }
        let req = Request::from_parts(parts, Body::from(bytes));
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(value))
    }
}

/// The declared `Content-Length`, if any.
pub fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// 413 `too_large` for a raw body over its limit.
pub fn body_too_large(what: &str, limit: u64) -> Error {
    Error::TooLarge(format!("{what} may have at most {limit} bytes"))
}

/// Reads a raw request body of at most `limit` bytes: refused before reading when
/// `Content-Length` already says more, and as soon as more arrives otherwise.
pub async fn read_body(headers: &HeaderMap, body: Body, limit: u64, what: &str) -> Result<Bytes> {
    if content_length(headers).is_some_and(|n| n > limit) {
        return Err(body_too_large(what, limit));
    }
    let mut buf = BytesMut::new();
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| Error::BadRequest(format!("reading the body: {e}")))?;
        if (buf.len() + chunk.len()) as u64 > limit {
            return Err(body_too_large(what, limit));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}
