//! Sync: `POST /api/v1/sync/push` (idempotent by event id) and `GET /api/v1/sync/pull` (by seq cursor).

use super::auth::AuthUser;
use super::pull_wire::{PageEvents, PullAnswer};
use super::ApiJson;
use crate::error::{Error, Result};
use crate::rules::{AuthorRules, PushRules};
use crate::store::{ImportInfo, PushGate};
use crate::{visibility, AppState};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use siteline_model::sync::{
    capture_in_range, PushOutcome, PushRequest, PushResponse, PushResult, SyncedEvent,
    DEFAULT_PULL, MAX_PULL, MAX_PUSH, MIN_SCHEMA_VERSION, SCHEMA_VERSION,
};
use siteline_model::validation::validate_event;
use siteline_model::window::WindowDays;
use siteline_model::{access, Complaint, ComplaintId, DeviceId, Event, Role, Timestamp};
use std::collections::{HashMap, HashSet};

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

/// Checks the event schema a client speaks (`siteline_model::sync`). The server reads
/// `MIN_SCHEMA_VERSION..=SCHEMA_VERSION`; outside that range it answers 426 `update_required`
/// naming the side to update:
/// - below `MIN_SCHEMA_VERSION` the app is older than anything this server still accepts
///   (0 was never a version): update the app;
/// - above `SCHEMA_VERSION` the app writes events this server cannot read: update the server.
///
/// Push and import carry it in the body (required); pull as `?schema_version=N`, optional
/// because apps older than this check do not send it (they speak a version the server knows).
pub fn check_schema_version(version: u32) -> Result<()> {
    if version < MIN_SCHEMA_VERSION {
        return Err(Error::UpdateRequired(format!(
            "the app speaks sync schema version {version}, older than the oldest this server \
             accepts ({MIN_SCHEMA_VERSION}); update the app"
        )));
    }
    if version > SCHEMA_VERSION {
        return Err(Error::UpdateRequired(format!(
            "the app speaks sync schema version {version}, newer than this server's \
             ({SCHEMA_VERSION}); update the server"
        )));
    }
    Ok(())
}

/// Where pushed events come from.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// A device's push: only the signed-in user's own events (admins may relay others').
    Push,
    /// An import of an export by a supervisor or admin: any author, each event checked by the
    /// rules of its author (it keeps its author) and recorded as imported.
    Import(&'a ImportInfo),
}

/// Checks one pushed event against the caller, statelessly (payload, device, author); `None` if
/// it may go on to the store, which applies the state-dependent [`PushRules`].
pub fn check_event(
    ev: &Event,
    user: &AuthUser,
    source: Source<'_>,
    now: Timestamp,
    max_age_ms: i64,
) -> Option<PushResult> {
    if let Err(errs) = validate_event(&ev.kind) {
        return Some(rejected("validation", errs.to_string()));
    }
    if !capture_in_range(ev.captured_at, now, max_age_ms) {
        return Some(rejected(
            "clock_out_of_range",
            format!(
                "captured_at {} is more than 5 minutes ahead of the server or older than {} days: \
                 check the tablet's clock",
                ev.captured_at.millis(),
                max_age_ms / 86_400_000
            ),
        ));
    }
    if ev.device_id == DeviceId::SERVER {
        return Some(rejected("validation", "device_id: reserved for the server"));
    }
    if ev.id.as_uuid().is_nil()
        || ev.complaint_id.as_uuid().is_nil()
        || ev.device_id.as_uuid().is_nil()
    {
        return Some(rejected("validation", "ids must not be the nil UUID"));
    }
    // Everyone pushes only their own events; admins may relay others' (e.g. a recovered device),
    // and imports carry others' events by design.
    let relays = user.role() == Role::Admin || matches!(source, Source::Import(_));
    if ev.author != user.username() && !relays {
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
    check_schema_version(req.schema_version)?;
    if req.events.len() > MAX_PUSH {
        return Err(Error::TooLarge(format!(
            "at most {MAX_PUSH} events per push, got {}",
            req.events.len()
        )));
    }
    let results = push_events(&st, &user, &req.events, Source::Push).await?;
    Ok(Json(PushResponse { results }))
}

/// The one way events get stored (pushes and imports): stateless checks, then the store's
/// idempotent transaction with the state-dependent rules. One outcome per event, in order.
pub async fn push_events(
    st: &AppState,
    user: &AuthUser,
    events: &[Event],
    source: Source<'_>,
) -> Result<Vec<PushOutcome>> {
    let now = st.clock.now();
    let max_age_ms = i64::try_from(st.config.max_capture_age_days.saturating_mul(86_400_000))
        .unwrap_or(i64::MAX);
    let checks: Vec<Option<PushResult>> = events
        .iter()
        .map(|e| check_event(e, user, source, now, max_age_ms))
        .collect();
    let valid: Vec<Event> = events
        .iter()
        .zip(&checks)
        .filter(|(_, c)| c.is_none())
        .map(|(e, _)| e.clone())
        .collect();
    let stored = if valid.is_empty() {
        Vec::new()
    } else {
        let sites = st.store.list_sites().await?;
        let gate: Box<dyn PushGate> = match source {
            Source::Push => Box::new(PushRules::new(user.info.clone(), &sites, &st.site_code)),
            Source::Import(_) => {
                let mut authors = Vec::new();
                let mut seen = HashSet::new();
                for name in valid.iter().map(|e| e.author.as_str()) {
                    if seen.insert(name) {
                        if let Some(u) = st.store.find_user(name).await? {
                            authors.push(u.info);
                        }
                    }
                }
                let importer = Some(user.info.clone());
                Box::new(AuthorRules::new(authors, importer, &sites, &st.site_code))
            }
        };
        let import = match source {
            Source::Push => None,
            Source::Import(info) => Some(info),
        };
        st.store
            .push(&valid, &sites, &st.site_code, gate.as_ref(), import, now)
            .await?
    };
    if stored.len() != valid.len() {
        return Err(Error::Internal(
            "store answered a different number of results".into(),
        ));
    }
    let mut stored = stored.into_iter();
    let mut results = Vec::with_capacity(events.len());
    for (ev, check) in events.iter().zip(checks) {
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
    let imported = matches!(source, Source::Import(_));
    tracing::info!(user = %user.username(), events = results.len(), accepted, imported, "push");
    Ok(results)
}

#[derive(Debug, Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    pub after: u64,
    pub limit: Option<u32>,
    /// The schema the app speaks; optional (apps before schema checks on pull do not send it).
    pub schema_version: Option<u32>,
    /// The device window in days (`siteline_model::window`): complaints finished longer ago are
    /// left out. Without it, everything the caller may read.
    pub window_days: Option<u32>,
}

async fn pull(
    State(st): State<AppState>,
    user: AuthUser,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Response> {
    let Query(q) = query?;
    if let Some(v) = q.schema_version {
        check_schema_version(v)?;
    }
    let limit = q.limit.unwrap_or(DEFAULT_PULL);
    if limit == 0 {
        return Err(Error::BadRequest(format!("limit must be 1 to {MAX_PULL}")));
    }
    let limit = limit.min(MAX_PULL);
    let window = match q.window_days {
        None => None,
        Some(d) => Some(WindowDays::new(d).ok_or_else(|| {
            Error::BadRequest(format!("window_days must be 1 to {}", WindowDays::MAX))
        })?),
    };
    let since = window.map(|w| w.since(st.clock.now()));
    let scope = visibility::scope_of(&user.info);
    let (raw, has_more, next_cursor) = st.store.pull_raw(q.after, limit, &scope, since).await?;
    let events = if visibility::sees_everything(&user.info) {
        PageEvents::Stored(raw)
    } else {
        PageEvents::Decoded(redacted(&st, &user, PageEvents::decode(raw)?).await?)
    };
    let sites = match user.role() {
        Role::Admin => st
            .store
            .list_sites()
            .await?
            .into_iter()
            .map(|s| s.code)
            .collect(),
        _ => user.info.sites.clone(),
    };
    let answer = PullAnswer {
        events,
        next_cursor,
        has_more,
        sites,
        scope: access::scope_key(&user.info),
        window_since: since,
    };
    let body =
        serde_json::to_vec(&answer).map_err(|e| Error::Internal(format!("pull answer: {e}")))?;
    Ok(([(CONTENT_TYPE, "application/json")], body).into_response())
}

/// The events of a page with what `user` may not see of them taken out (a handler or staff
/// member: personal details of complaints they did not take, anonymous complainants').
async fn redacted(
    st: &AppState,
    user: &AuthUser,
    mut events: Vec<SyncedEvent>,
) -> Result<Vec<SyncedEvent>> {
    if !visibility::has_personal(&events) {
        return Ok(events);
    }
    let mut ids: Vec<ComplaintId> = events.iter().map(|e| e.event.complaint_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let states: HashMap<ComplaintId, Complaint> = st
        .store
        .complaint_rows(&ids)
        .await?
        .into_iter()
        .map(|r| (r.state.id, r.state))
        .collect();
    visibility::redact_events(&user.info, &states, &mut events);
    Ok(events)
}
