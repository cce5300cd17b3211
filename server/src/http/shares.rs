//! Shared read-only report links: supervisors create, list and revoke them
//! (`/api/v1/shares`); anyone with the token reads that one report, aggregates only
//! (`GET /api/v1/shared/{token}`, `.csv`, `.xlsx`; the page `/r/{token}` is `shared_page`).

use super::auth::AuthUser;
use super::reports::{month_start, month_text, parse_month_code, RECURRING_LIMIT};
use super::{export, ApiJson};
use crate::error::{Error, Result};
use crate::secrets;
use crate::store::{NewShare, ReportQuery, ShareRecord};
use crate::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use siteline_model::access;
use siteline_model::api::{CreateShareRequest, ShareCreated, ShareInfo, SharedReport};
use siteline_model::{Role, Timestamp};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/shares", get(list).post(create))
        .route("/api/v1/shares/{id}", delete(revoke))
        .route("/api/v1/shared/{token}", get(shared))
}

pub const DEFAULT_EXPIRY_DAYS: u32 = 30;
pub const MAX_EXPIRY_DAYS: u32 = 365;
pub const MAX_LABEL: usize = 100;
/// Links a user may have live at once, and the most a list shows.
pub const MAX_LIVE_SHARES: u64 = 200;
pub const MAX_LISTED: u32 = 500;
/// The longest range a link covers (months).
pub const MAX_MONTHS: u32 = 120;
const DAY_MS: i64 = 86_400_000;

fn require_supervisor(user: &AuthUser) -> Result<()> {
    match user.role() {
        Role::Supervisor | Role::Admin => Ok(()),
        _ => Err(Error::Forbidden),
    }
}

fn months_between(from: u32, to: u32) -> u32 {
    (to / 100 * 12 + to % 100).saturating_sub(from / 100 * 12 + from % 100)
}

/// Where the public page is, from the request's host (behind a proxy: `X-Forwarded-*`).
fn public_base(headers: &HeaderMap) -> String {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let host = get("x-forwarded-host")
        .or_else(|| get("host"))
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = match get("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

fn info(s: &ShareRecord) -> ShareInfo {
    ShareInfo {
        id: s.id.clone(),
        created_by: s.created_by_name.clone(),
        site: s.site.clone(),
        from: month_text(s.from_month),
        to: month_text(s.to_month),
        period: s.period,
        label: s.label.clone(),
        created_at: s.created_at,
        expires_at: s.expires_at,
        revoked_at: s.revoked_at,
        open_count: s.open_count,
        last_opened_at: s.last_opened_at,
    }
}

/// `POST /api/v1/shares` → 201 `{id, token, url, expires_at}`.
async fn create(
    State(st): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateShareRequest>,
) -> Result<(StatusCode, Json<ShareCreated>)> {
    require_supervisor(&user)?;
    let from = parse_month_code("from", &req.from)?;
    let to = parse_month_code("to", &req.to)?;
    if to <= from {
        return Err(Error::BadRequest("to must be after from".into()));
    }
    if months_between(from, to) > MAX_MONTHS {
        return Err(Error::Validation(format!(
            "a link covers at most {MAX_MONTHS} months"
        )));
    }
    let days = req.expires_in_days.unwrap_or(DEFAULT_EXPIRY_DAYS);
    if !(1..=MAX_EXPIRY_DAYS).contains(&days) {
        return Err(Error::Validation(format!(
            "expires_in_days must be 1 to {MAX_EXPIRY_DAYS}"
        )));
    }
    let label = req.label.as_deref().unwrap_or("").trim().to_string();
    if label.chars().count() > MAX_LABEL {
        return Err(Error::Validation(format!(
            "label has at most {MAX_LABEL} characters"
        )));
    }
    let site = req.site.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(code) = site {
        // Another site is not found, like a site that does not exist.
        if !access::belongs_to(&user.info, code) || st.store.get_site(code).await?.is_none() {
            return Err(Error::NotFound(format!("no site {code}")));
        }
    }
    let now = st.clock.now();
    if st.store.count_live_shares(user.id, now).await? >= MAX_LIVE_SHARES {
        return Err(Error::QuotaExceeded(format!(
            "at most {MAX_LIVE_SHARES} live links; revoke some first"
        )));
    }
    let token = secrets::new_token();
    let id = secrets::new_token()[..20].to_string();
    let expires_at = Timestamp(now.millis() + i64::from(days) * DAY_MS);
    let record = ShareRecord {
        id: id.clone(),
        created_by: user.id,
        created_by_name: user.username().to_string(),
        site: site.map(str::to_string),
        scope_sites: (user.role() != Role::Admin).then(|| user.info.sites.clone()),
        from_month: from,
        to_month: to,
        period: req.period,
        label,
        created_at: now,
        expires_at,
        revoked_at: None,
        open_count: 0,
        last_opened_at: None,
    };
    let share = NewShare {
        record,
        token_hash: secrets::token_hash(&token),
    };
    st.store.create_share(&share).await?;
    tracing::info!(by = %user.username(), share = %id, "report link created");
    let url = format!("{}/r/{token}", public_base(&headers));
    Ok((
        StatusCode::CREATED,
        Json(ShareCreated {
            id,
            token,
            url,
            expires_at,
        }),
    ))
}

/// `GET /api/v1/shares`: my links (an admin: everyone's), newest first.
async fn list(State(st): State<AppState>, user: AuthUser) -> Result<Json<Vec<ShareInfo>>> {
    require_supervisor(&user)?;
    let mine = (user.role() != Role::Admin).then_some(user.id);
    let shares = st.store.list_shares(mine, MAX_LISTED).await?;
    Ok(Json(shares.iter().map(info).collect()))
}

/// `DELETE /api/v1/shares/{id}` → 204; someone else's link is not found (admins: any).
async fn revoke(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<String>, PathRejection>,
) -> Result<StatusCode> {
    require_supervisor(&user)?;
    let Path(id) = path?;
    let share = st.store.get_share(&id).await?;
    let Some(share) = share.filter(|s| user.role() == Role::Admin || s.created_by == user.id)
    else {
        return Err(Error::NotFound(format!("no link {id}")));
    };
    st.store.revoke_share(&share.id, st.clock.now()).await?;
    tracing::info!(by = %user.username(), share = %share.id, "report link revoked");
    Ok(StatusCode::NO_CONTENT)
}

/// The format a shared report is asked in (`{token}`, `{token}.csv`, `{token}.xlsx`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
}

/// Splits `abc.csv` into the token and its format.
pub fn split_format(raw: &str) -> (&str, Format) {
    if let Some(t) = raw.strip_suffix(".csv") {
        (t, Format::Csv)
    } else if let Some(t) = raw.strip_suffix(".xlsx") {
        (t, Format::Xlsx)
    } else {
        (raw, Format::Json)
    }
}

/// The report a token reaches, counted as opened: 404 if unknown, 410 if expired, revoked,
/// or its creator may no longer read reports. Nothing of the request widens it.
pub async fn open(st: &AppState, token: &str) -> Result<SharedReport> {
    let well_formed = token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit());
    if !well_formed {
        return Err(Error::NotFound("no such link".into()));
    }
    let Some(share) = st
        .store
        .find_share_by_token(&secrets::token_hash(token))
        .await?
    else {
        return Err(Error::NotFound("no such link".into()));
    };
    let now = st.clock.now();
    if share.revoked_at.is_some() {
        return Err(Error::Gone("this link was revoked".into()));
    }
    if now >= share.expires_at {
        return Err(Error::Gone("this link has expired".into()));
    }
    let creator = st.store.find_user(&share.created_by_name).await?;
    let Some(creator) = creator
        .filter(|c| !c.info.disabled && matches!(c.info.role, Role::Supervisor | Role::Admin))
    else {
        return Err(Error::Gone(
            "this link's creator no longer shares reports".into(),
        ));
    };
    // The sites it was made over, and that its creator may still read.
    let scope_sites = match (&share.scope_sites, creator.info.role) {
        (_, Role::Admin) => share.scope_sites.clone(),
        (Some(frozen), _) => Some(
            frozen
                .iter()
                .filter(|s| creator.info.sites.contains(s))
                .cloned()
                .collect(),
        ),
        (None, _) => Some(creator.info.sites.clone()),
    };
    let site_name = match &share.site {
        Some(code) => {
            let readable = scope_sites.as_ref().is_none_or(|s| s.contains(code));
            let site = st.store.get_site(code).await?.filter(|_| readable);
            let Some(site) = site else {
                return Err(Error::Gone("this link's site is no longer shared".into()));
            };
            Some(site.name)
        }
        None => None,
    };
    let query = ReportQuery {
        from: month_start(share.from_month),
        to: month_start(share.to_month),
        from_month: share.from_month,
        to_month: share.to_month,
        site: share.site.clone(),
        scope_sites,
        period: share.period,
        now,
        recurring_limit: RECURRING_LIMIT,
    };
    let report = st.store.report(&query).await?;
    st.store.record_share_open(&share.id, now).await?;
    Ok(SharedReport {
        label: share.label,
        site_name,
        expires_at: share.expires_at,
        report,
    })
}

/// `GET /api/v1/shared/{token}` (no login), `.csv`, `.xlsx`.
async fn shared(
    State(st): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response> {
    let Path(raw) = path?;
    let (token, format) = split_format(&raw);
    let shared = open(&st, token).await?;
    Ok(match format {
        Format::Json => Json(shared).into_response(),
        Format::Csv => export::csv_response("report", export::report_csv(&shared.report)),
        Format::Xlsx => export::xlsx_response("report", export::report_xlsx(&shared.report)?),
    })
}
