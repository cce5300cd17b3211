//! `GET /api/health`: liveness and the sync schema version the server speaks.

use crate::error::{Error, Result};
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use siteline_model::sync::SCHEMA_VERSION;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/health", get(health))
}

async fn health(State(st): State<AppState>) -> Result<Json<Value>> {
    st.store.ping().await.map_err(|e| {
        tracing::error!(error = %e, "health check: database unavailable");
        Error::Unavailable("database unavailable".into())
    })?;
    Ok(Json(
        json!({ "status": "ok", "schema_version": SCHEMA_VERSION }),
    ))
}
