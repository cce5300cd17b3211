//! Admin operations: `POST /api/v1/admin/escalate` runs the unresolved-complaint escalation now.

use super::auth::AuthUser;
use crate::error::Result;
use crate::{escalation, AppState};
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Serialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/admin/escalate", post(escalate))
}

/// `{"escalated": N}`: how many complaints this pass escalated.
#[derive(Debug, Serialize)]
pub struct EscalateResponse {
    pub escalated: u64,
}

async fn escalate(State(st): State<AppState>, user: AuthUser) -> Result<Json<EscalateResponse>> {
    user.require_admin()?;
    let escalated = escalation::run_once(&st).await?;
    tracing::info!(by = %user.username(), escalated, "escalation run");
    Ok(Json(EscalateResponse { escalated }))
}
