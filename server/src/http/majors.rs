//! The weekly 重大 report (重大投诉周报) for supervisors and admins: every open major complaint
//! of their sites with its age, deadlines and last action, as JSON, CSV or XLSX.

use super::auth::AuthUser;
use super::complaints::{clocks_of, deadlines_of};
use super::export;
use crate::error::{Error, Result};
use crate::store::ComplaintFilter;
use crate::{visibility, AppState};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use siteline_model::majors::{self, MajorReport, MAJORS_LIMIT};
use siteline_model::{access, Role, Severity, Status};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports/majors", get(json))
        .route("/api/v1/reports/majors.csv", get(csv))
        .route("/api/v1/reports/majors.xlsx", get(xlsx))
}

async fn json(st: State<AppState>, user: AuthUser, raw: RawQuery) -> Result<Json<MajorReport>> {
    Ok(Json(report_for(&st, &user, raw.0.as_deref()).await?))
}

async fn csv(st: State<AppState>, user: AuthUser, raw: RawQuery) -> Result<Response> {
    let r = report_for(&st, &user, raw.0.as_deref()).await?;
    Ok(export::csv_response("majors", export::majors::csv(&r)))
}

async fn xlsx(st: State<AppState>, user: AuthUser, raw: RawQuery) -> Result<Response> {
    let r = report_for(&st, &user, raw.0.as_deref()).await?;
    Ok(export::xlsx_response("majors", export::majors::xlsx(&r)?))
}

/// `?site=` (optional: else every site the reader may see).
fn parse_site(raw: Option<&str>) -> Option<String> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .filter(|(k, _)| k == "site")
        .map(|(_, v)| v.trim().to_string())
        .find(|v| !v.is_empty())
}

/// The report a supervisor or admin asked for, within their sites.
async fn report_for(st: &AppState, user: &AuthUser, raw: Option<&str>) -> Result<MajorReport> {
    if !matches!(user.role(), Role::Supervisor | Role::Admin) {
        return Err(Error::Forbidden);
    }
    let site = parse_site(raw);
    if let Some(code) = &site {
        // Another site's report is not found, like a site that does not exist.
        if !access::belongs_to(&user.info, code) || st.store.get_site(code).await?.is_none() {
            return Err(Error::NotFound(format!("no site {code}")));
        }
    }
    let now = st.clock.now();
    let clocks = clocks_of(&st.store.list_sites().await?);
    let filter = ComplaintFilter {
        scope: visibility::scope_of(&user.info),
        site: site.clone(),
        statuses: Status::ALL.into_iter().filter(|s| s.is_open()).collect(),
        severity: Some(Severity::Major),
        limit: Some(MAJORS_LIMIT + 1),
        ..ComplaintFilter::default()
    };
    let mut found = st.store.list_complaints(&filter).await?;
    let truncated = found.len() > MAJORS_LIMIT as usize;
    found.truncate(MAJORS_LIMIT as usize);
    let mut rows = Vec::with_capacity(found.len());
    for row in found {
        if !visibility::may_see(&user.info, &row) || !majors::is_open_major(&row.state) {
            continue;
        }
        let events = match st.store.get_complaint(row.state.id).await? {
            Some(stored) => stored.events,
            None => continue,
        };
        let deadlines = deadlines_of(&row, &clocks, now);
        rows.push(majors::row(
            &row.state,
            events.iter().map(|e| &e.event),
            &deadlines,
            now,
        ));
    }
    majors::sort(&mut rows);
    Ok(MajorReport {
        generated_at: now,
        site,
        rows: rows.into_iter().map(Into::into).collect(),
        truncated,
    })
}
