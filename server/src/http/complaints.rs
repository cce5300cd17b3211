//! Complaint register read API: filtered list with deadline states, one complaint with deadlines and events.

use super::auth::AuthUser;
use super::export::register;
use crate::error::{Error, Result};
use crate::store::{ComplaintFilter, ComplaintRow};
use crate::{visibility, AppState};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use siteline_model::api::{ComplaintDetail, ComplaintSummary, SiteInfo};
use siteline_model::overdue;
use siteline_model::timelimit::{Clock, Deadline, DeadlineState};
use siteline_model::{department, ComplaintId, Severity, Status, Timestamp};
use std::collections::{HashMap, HashSet};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/complaints", get(list))
        .route("/api/v1/complaints.csv", get(export_csv))
        .route("/api/v1/complaints.xlsx", get(export_xlsx))
        .route("/api/v1/complaints/{id}", get(detail))
}

pub const DEFAULT_LIST: u32 = 1000;
pub const MAX_LIST: u32 = 10_000;

/// The query of `GET /api/v1/complaints`, parsed. `status` may repeat or be a comma list.
#[derive(Debug, Default)]
pub struct ListParams {
    /// What storage filters (its `limit`/`offset` are set from the fields below when listing).
    pub filter: ComplaintFilter,
    /// Only complaints with at least one overdue deadline.
    pub overdue: bool,
    pub limit: u32,
    pub offset: u32,
}

/// One row of the list: the summary, the department holding it and its most pressing deadline.
#[derive(Debug, Serialize)]
pub struct ListItem {
    #[serde(flatten)]
    pub summary: ComplaintSummary,
    pub department: Option<String>,
    /// The worst state among its deadlines (overdue > due_soon > ok > met), if it has any.
    pub deadline_state: Option<DeadlineState>,
    /// How many photos it has, and the first one's hash (a thumbnail for the row).
    pub attachment_count: usize,
    pub thumbnail: Option<String>,
}

/// `GET /api/v1/complaints/{id}`: the detail, and which of its photos the server does not hold
/// yet (the device uploads them after the events; show a placeholder meanwhile).
#[derive(Debug, Serialize)]
pub struct DetailResponse {
    #[serde(flatten)]
    pub detail: ComplaintDetail,
    pub missing_attachments: Vec<String>,
}

fn bad(what: &str, v: &str) -> Error {
    Error::BadRequest(format!("{what}: {v}"))
}

fn parse_number<T: std::str::FromStr>(what: &str, v: &str) -> Result<T> {
    v.trim().parse().map_err(|_| bad(what, v))
}

/// Parses the raw query string (unknown keys are ignored; empty values mean "no filter").
pub fn parse_params(raw: Option<&str>) -> Result<ListParams> {
    let mut p = ListParams {
        limit: DEFAULT_LIST,
        ..ListParams::default()
    };
    let f = &mut p.filter;
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let v = value.trim();
        if v.is_empty() {
            continue;
        }
        match key.as_ref() {
            "status" => {
                for code in v.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                    let s = Status::parse(code).ok_or_else(|| bad("unknown status", code))?;
                    if !f.statuses.contains(&s) {
                        f.statuses.push(s);
                    }
                }
            }
            "severity" => {
                f.severity = Some(Severity::parse(v).ok_or_else(|| bad("unknown severity", v))?)
            }
            "site" => f.site = Some(v.to_string()),
            "category" => f.category = Some(v.to_string()),
            "department" => {
                department::find(v).ok_or_else(|| bad("unknown department", v))?;
                f.department = Some(v.to_string());
            }
            "q" => f.q = Some(v.to_string()),
            "from" => f.from = Some(Timestamp(parse_number("from (unix ms)", v)?)),
            "to" => f.to = Some(Timestamp(parse_number("to (unix ms)", v)?)),
            "overdue" => {
                p.overdue = match v {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => return Err(bad("overdue must be true or false", v)),
                }
            }
            "limit" => p.limit = parse_number("limit", v)?,
            "offset" => p.offset = parse_number("offset", v)?,
            _ => {}
        }
    }
    if p.limit == 0 {
        return Err(Error::BadRequest(format!("limit must be 1 to {MAX_LIST}")));
    }
    p.limit = p.limit.min(MAX_LIST);
    Ok(p)
}

pub fn deadlines_of(
    row: &ComplaintRow,
    clocks: &HashMap<String, Clock>,
    now: Timestamp,
) -> Vec<Deadline> {
    match clocks.get(&row.site_code) {
        Some(c) => c.deadlines(&row.state, now),
        None => Clock::china().deadlines(&row.state, now),
    }
}

// Who sees what: storage filters by the caller's scope (so paging stays exact), and every row
// is checked again against the model's rule.
async fn list(
    State(st): State<AppState>,
    user: AuthUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<ListItem>>> {
    let p = parse_params(raw.as_deref())?;
    let sites = st.store.list_sites().await?;
    let category_children = category_children(&sites, p.filter.category.as_deref());
    let clocks = clocks_of(&sites);
    let now = st.clock.now();
    let item = |row: ComplaintRow| {
        if !visibility::may_see(&user.info, &row) {
            return None;
        }
        let deadlines = deadlines_of(&row, &clocks, now);
        let summary = overdue::summarize(&row.state, &deadlines, now);
        (!p.overdue || summary.overdue_now).then(|| ListItem {
            deadline_state: summary.worst,
            attachment_count: row.state.attachments.len(),
            thumbnail: row.state.attachments.first().map(|a| a.sha256.clone()),
            department: row.state.department,
            summary: row.summary,
        })
    };
    let mut filter = ComplaintFilter {
        scope: visibility::scope_of(&user.info),
        category_children,
        limit: Some(p.limit),
        offset: p.offset,
        ..p.filter
    };
    if !p.overdue {
        let rows = st.store.list_complaints(&filter).await?;
        return Ok(Json(rows.into_iter().filter_map(item).collect()));
    }
    // `overdue` is "overdue now" (`model::overdue`): a limit still running is past due. Storage
    // answers it from each complaint's next due instant (indexed), read in bounded chunks; the
    // site clocks confirm each row.
    filter.overdue_at = Some(now);
    filter.offset = 0;
    filter.limit = Some(OVERDUE_CHUNK);
    let mut skip = p.offset as usize;
    let mut items = Vec::new();
    loop {
        let rows = st.store.list_complaints(&filter).await?;
        let got = rows.len();
        for it in rows.into_iter().filter_map(item) {
            if skip > 0 {
                skip -= 1;
            } else if items.len() < p.limit as usize {
                items.push(it);
            }
        }
        if items.len() >= p.limit as usize || got < OVERDUE_CHUNK as usize {
            return Ok(Json(items));
        }
        filter.offset += OVERDUE_CHUNK;
    }
}

/// A top-level category also matches the categories sites added under it.
pub fn category_children(sites: &[SiteInfo], top: Option<&str>) -> Vec<String> {
    let Some(top) = top else {
        return Vec::new();
    };
    sites
        .iter()
        .flat_map(|s| &s.categories)
        .filter(|c| c.parent == top)
        .map(|c| c.code.clone())
        .collect()
}

/// Each site's working clock, by code.
pub fn clocks_of(sites: &[SiteInfo]) -> HashMap<String, Clock> {
    sites
        .iter()
        .map(|s| (s.code.clone(), Clock::for_site(s)))
        .collect()
}

/// `GET /api/v1/complaints.csv`: the register with the list's filters, streamed.
async fn export_csv(st: State<AppState>, user: AuthUser, raw: RawQuery) -> Result<Response> {
    export(st, user, raw, register::FileType::Csv).await
}

/// `GET /api/v1/complaints.xlsx`: the register with the list's filters.
async fn export_xlsx(st: State<AppState>, user: AuthUser, raw: RawQuery) -> Result<Response> {
    export(st, user, raw, register::FileType::Xlsx).await
}

async fn export(
    State(st): State<AppState>,
    user: AuthUser,
    RawQuery(raw): RawQuery,
    format: register::FileType,
) -> Result<Response> {
    let reader =
        register::reader(st.store.clone(), &user.info, raw.as_deref(), st.clock.now()).await?;
    tracing::info!(by = %user.username(), ?format, "register exported");
    match format {
        register::FileType::Csv => Ok(register::csv(reader)),
        register::FileType::Xlsx => register::xlsx(reader).await,
    }
}

/// Rows storage reads at a time for `overdue=true`.
const OVERDUE_CHUNK: u32 = 1000;

async fn detail(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<DetailResponse>> {
    let Path(id) = path?;
    let id: ComplaintId = id
        .parse()
        .map_err(|_| Error::BadRequest(format!("not a complaint id: {id}")))?;
    let stored = st
        .store
        .get_complaint(id)
        .await?
        .filter(|c| visibility::may_see(&user.info, &c.row))
        .ok_or_else(|| Error::NotFound(format!("no complaint {id}")))?;
    let hashes: Vec<String> = stored
        .row
        .state
        .attachments
        .iter()
        .map(|a| a.sha256.clone())
        .collect();
    let have: HashSet<String> = if hashes.is_empty() {
        HashSet::new()
    } else {
        let found = st.store.stored_attachments(&hashes).await?;
        found.into_iter().map(|a| a.sha256).collect()
    };
    let missing_attachments = hashes.into_iter().filter(|h| !have.contains(h)).collect();
    let clock = match st.store.get_site(&stored.row.site_code).await? {
        Some(site) => Clock::for_site(&site),
        None => Clock::china(),
    };
    let mut row = stored.row;
    let mut events = stored.events;
    // The stored projection leaves the notes out; they come from the events.
    row.state = crate::ingest::with_notes(row.state, events.iter().map(|e| &e.event));
    let states = HashMap::from([(row.state.id, row.state.clone())]);
    visibility::redact_events(&user.info, &states, &mut events);
    let detail = ComplaintDetail {
        captured_at: row.state.captured_at,
        deadlines: clock.deadlines(&row.state, st.clock.now()),
        attachments: row.state.attachments.clone(),
        summary: row.summary,
        state: visibility::redacted(&user.info, row.state),
        events,
    };
    Ok(Json(DetailResponse {
        detail,
        missing_attachments,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_repeat_or_comma_and_errors_are_bad_requests() {
        let p = parse_params(Some(
            "status=received,dispatched&status=closed&status=received",
        ))
        .expect("parses");
        assert_eq!(
            p.filter.statuses,
            vec![Status::Received, Status::Dispatched, Status::Closed]
        );
        assert_eq!(p.limit, DEFAULT_LIST);
        let p = parse_params(Some(
            "q=%E7%94%B5%E6%A2%AF&overdue=true&limit=99999&offset=3",
        ))
        .expect("parses");
        assert_eq!(p.filter.q.as_deref(), Some("电梯"));
        assert!(p.overdue);
        assert_eq!((p.limit, p.offset), (MAX_LIST, 3));
        for bad in [
            "status=nope",
            "limit=0",
            "from=yesterday",
            "department=x",
            "overdue=y",
        ] {
            assert!(parse_params(Some(bad)).is_err(), "{bad}");
        }
        let none = parse_params(None).expect("empty");
        assert!(none.filter.statuses.is_empty() && !none.overdue && none.offset == 0);
    }
}
