//! `GET /api/v1/sites`: sites and their location labels (the app suggests locations from them).

use super::auth::AuthUser;
use crate::error::Result;
use crate::store::SiteInfo;
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/sites", get(list))
}

async fn list(State(st): State<AppState>, _user: AuthUser) -> Result<Json<Vec<SiteInfo>>> {
    Ok(Json(st.store.list_sites().await?))
}
