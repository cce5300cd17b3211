//! Sync: `POST /api/v1/sync/push` (idempotent by event id) and `GET /api/v1/sync/pull` (by seq cursor).

use super::auth::AuthUser;
use super::ApiJson;
use crate::error::{Error, Result};
use crate::rules::PushRules;
use crate::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use siteline_model::sync::{
    PullResponse, PushOutcome, PushRequest, PushResponse, PushResult, DEFAULT_PULL, MAX_PULL,
    MAX_PUSH, SCHEMA_VERSION,
};
use siteline_model::validation::validate_event;
use siteline_model::{DeviceId, Event, Role};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sync/push", post(push))
        .route("/api/v1/sync/pull", get(pull))
}

fn rejected(code: &str, message: impl Into<String>) -> PushResult {
    PushResult::Rejected {
        code: code.into(),
        message: message.into(),
    }
}

/// Checks one pushed event against the caller, statelessly (payload, device, author); `None` if
/// it may go on to the store, which applies the state-dependent [`PushRules`].
pub fn check_event(ev: &Event, user: &AuthUser) -> Option<PushResult> {
    if let Err(errs) = validate_event(&ev.kind) {
        return Some(rejected("validation", errs.to_string()));
    }
    if ev.device_id == DeviceId::SERVER {
        return Some(rejected("validation", "device_id: reserved for the server"));
    }
    // Everyone pushes only their own events; admins may relay others' (e.g. a recovered device).
    if ev.author != user.username() && user.role() != Role::Admin {
        return Some(rejected(
            "author_mismatch",
            format!("event author {:?} is not the signed-in user", ev.author),
        ));
    }
    None
}

async fn push(
    State(st): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>> {
    if req.schema_version == 0 {
        return Err(Error::BadRequest(
            "schema_version must be at least 1".into(),
        ));
    }
    if req.schema_version > SCHEMA_VERSION {
        return Err(Error::UpdateRequired(format!(
            "this server speaks schema version {SCHEMA_VERSION}, the app sent {}; update the server",
            req.schema_version
        )));
    }
    if req.events.len() > MAX_PUSH {
        return Err(Error::TooLarge(format!(
            "at most {MAX_PUSH} events per push, got {}",
            req.events.len()
        )));
    }
    let checks: Vec<Option<PushResult>> =
        req.events.iter().map(|e| check_event(e, &user)).collect();
    let valid: Vec<Event> = req
        .events
        .iter()
        .zip(&checks)
        .filter(|(_, c)| c.is_none())
        .map(|(e, _)| e.clone())
        .collect();
    let stored = if valid.is_empty() {
        Vec::new()
    } else {
        let sites = st.store.list_sites().await?;
        let rules = PushRules::new(user.info.clone(), &sites, &st.site_code);
        st.store
            .push(&valid, &st.site_code, &rules, st.clock.now())
            .await?
    };
    if stored.len() != valid.len() {
        return Err(Error::Internal(
            "store answered a different number of results".into(),
        ));
    }
    let mut stored = stored.into_iter();
    let mut results = Vec::with_capacity(req.events.len());
    for (ev, check) in req.events.iter().zip(checks) {
        let result = match check {
            Some(r) => r,
            None => stored
                .next()
                .ok_or_else(|| Error::Internal("missing store result".into()))?,
        };
        results.push(PushOutcome { id: ev.id, result });
    }
    let accepted = results
        .iter()
        .filter(|r| matches!(r.result, PushResult::Accepted { .. }))
        .count();
    tracing::info!(user = %user.username(), events = results.len(), accepted, "push");
    Ok(Json(PushResponse { results }))
}

#[derive(Debug, Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    pub after: u64,
    pub limit: Option<u32>,
}

async fn pull(
    State(st): State<AppState>,
    _user: AuthUser,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Json<PullResponse>> {
    let Query(q) = query?;
    let limit = q.limit.unwrap_or(DEFAULT_PULL);
    if limit == 0 {
        return Err(Error::BadRequest(format!("limit must be 1 to {MAX_PULL}")));
    }
    let limit = limit.min(MAX_PULL);
    let (events, has_more) = st.store.pull(q.after, limit).await?;
    let next_cursor = events.last().map_or(q.after, |e| e.seq);
    Ok(Json(PullResponse {
        events,
        next_cursor,
        has_more,
    }))
}
