//! Complaint register read API: list (newest capture first, filters) and one complaint with its events.

use super::auth::AuthUser;
use crate::error::{Error, Result};
use crate::store::ComplaintFilter;
use crate::AppState;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use siteline_model::api::ComplaintSummary;
use siteline_model::sync::SyncedEvent;
use siteline_model::{Complaint, ComplaintId, Severity, Status};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/complaints", get(list))
        .route("/api/v1/complaints/{id}", get(detail))
}

pub const DEFAULT_LIST: u32 = 1000;
pub const MAX_LIST: u32 = 10_000;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    pub status: Option<String>,
    pub severity: Option<String>,
    /// A category code; a top-level code also matches its sub-categories.
    pub category: Option<String>,
    pub limit: Option<u32>,
}

/// `GET /api/v1/complaints/{id}`: the summary fields, the folded state and the stored events.
#[derive(Debug, Serialize)]
pub struct ComplaintDetailResponse {
    #[serde(flatten)]
    pub summary: ComplaintSummary,
    pub state: Complaint,
    pub events: Vec<SyncedEvent>,
}

fn parse_filter<T>(
    what: &str,
    v: Option<String>,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse(s)
            .map(Some)
            .ok_or_else(|| Error::BadRequest(format!("unknown {what}: {s}"))),
    }
}

// Every signed-in role sees every complaint of the site for now; role-scoped visibility
// (staff see their own and their department's) comes with the workflow.
async fn list(
    State(st): State<AppState>,
    _user: AuthUser,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Vec<ComplaintSummary>>> {
    let Query(q) = query?;
    let limit = q.limit.unwrap_or(DEFAULT_LIST);
    if limit == 0 {
        return Err(Error::BadRequest(format!("limit must be 1 to {MAX_LIST}")));
    }
    let filter = ComplaintFilter {
        status: parse_filter("status", q.status, Status::parse)?,
        severity: parse_filter("severity", q.severity, Severity::parse)?,
        category: q
            .category
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
        limit: limit.min(MAX_LIST),
    };
    Ok(Json(st.store.list_complaints(&filter).await?))
}

async fn detail(
    State(st): State<AppState>,
    _user: AuthUser,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<ComplaintDetailResponse>> {
    let Path(id) = path?;
    let id: ComplaintId = id
        .parse()
        .map_err(|_| Error::BadRequest(format!("not a complaint id: {id}")))?;
    let d = st
        .store
        .get_complaint(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("no complaint {id}")))?;
    Ok(Json(ComplaintDetailResponse {
        summary: d.summary,
        state: d.state,
        events: d.events,
    }))
}
