//! Analysis reports (半年/年度分析) for supervisors: counts by dimension and period, rates, recurring problems.

use super::auth::AuthUser;
use super::export;
use crate::error::{Error, Result};
use crate::store::ReportQuery;
use crate::AppState;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use siteline_model::access;
use siteline_model::report::{Period, Report};
use siteline_model::time::{days_from_civil, CHINA_OFFSET_MINUTES};
use siteline_model::{Role, Timestamp};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports/summary", get(summary))
        .route("/api/v1/reports/summary.csv", get(summary_csv))
        .route("/api/v1/reports/summary.xlsx", get(summary_xlsx))
}

/// Most recurring problems a report lists.
pub const RECURRING_LIMIT: u32 = 20;

/// `yyyy-mm` or `yyyy-mm-01`: the month and the time it starts in China.
fn parse_month(what: &str, v: &str) -> Result<(u32, Timestamp)> {
    let bad = || {
        Error::BadRequest(format!(
            "{what} must be a month yyyy-mm (reports cover whole months): {v}"
        ))
    };
    let mut parts = v.splitn(3, '-');
    let mut next = || parts.next().map(|p| p.parse::<u32>().map_err(|_| bad()));
    let y = next().ok_or_else(bad)??;
    let m = next().ok_or_else(bad)??;
    if let Some(day) = next() {
        if day? != 1 {
            return Err(bad());
        }
    }
    if !(1..=12).contains(&m) || !(1970..=9999).contains(&y) {
        return Err(bad());
    }
    Ok((y * 100 + m, month_start(y * 100 + m)))
}

/// When month `yyyymm` starts in China.
pub fn month_start(month: u32) -> Timestamp {
    let (y, m) = (i32::try_from(month / 100).unwrap_or(1970), month % 100);
    let days = days_from_civil(y, m, 1);
    Timestamp((days * 24 * 60 - i64::from(CHINA_OFFSET_MINUTES)) * 60_000)
}

/// `yyyymm` as `yyyy-mm`.
pub fn month_text(month: u32) -> String {
    format!("{}-{:02}", month / 100, month % 100)
}

/// Parses a month `yyyy-mm` (or `yyyy-mm-01`) as `yyyymm`.
pub fn parse_month_code(what: &str, v: &str) -> Result<u32> {
    parse_month(what, v).map(|(m, _)| m)
}

/// Parses `from`, `to` (required months `yyyy-mm`, China time, `to` exclusive),
/// `site` and `period` (`month` | `half` | `year`).
pub fn parse_query(raw: Option<&str>, now: Timestamp) -> Result<ReportQuery> {
    let (mut from, mut to, mut site, mut period) = (None, None, None, Period::Month);
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let v = value.trim();
        if v.is_empty() {
            continue;
        }
        match key.as_ref() {
            "from" => from = Some(parse_month("from", v)?),
            "to" => to = Some(parse_month("to", v)?),
            "site" => site = Some(v.to_string()),
            "period" => {
                period = Period::parse(v).ok_or_else(|| {
                    Error::BadRequest(format!("period must be month, quarter, half or year: {v}"))
                })?
            }
            _ => {}
        }
    }
    let (Some((from_month, from)), Some((to_month, to))) = (from, to) else {
        return Err(Error::BadRequest("from and to are required".into()));
    };
    if to <= from {
        return Err(Error::BadRequest("to must be after from".into()));
    }
    Ok(ReportQuery {
        from,
        to,
        from_month,
        to_month,
        site,
        scope_sites: None,
        period,
        now,
        recurring_limit: RECURRING_LIMIT,
    })
}

async fn summary(
    State(st): State<AppState>,
    user: AuthUser,
    RawQuery(raw): RawQuery,
) -> Result<Json<Report>> {
    Ok(Json(report_for(&st, &user, raw.as_deref()).await?))
}

async fn summary_csv(
    State(st): State<AppState>,
    user: AuthUser,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let report = report_for(&st, &user, raw.as_deref()).await?;
    Ok(export::csv_response("report", export::report_csv(&report)))
}

async fn summary_xlsx(
    State(st): State<AppState>,
    user: AuthUser,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let report = report_for(&st, &user, raw.as_deref()).await?;
    Ok(export::xlsx_response(
        "report",
        export::report_xlsx(&report)?,
    ))
}

/// The report a supervisor or admin asked for, within their sites.
async fn report_for(st: &AppState, user: &AuthUser, raw: Option<&str>) -> Result<Report> {
    if !matches!(user.role(), Role::Supervisor | Role::Admin) {
        return Err(Error::Forbidden);
    }
    let mut query = parse_query(raw, st.clock.now())?;
    if let Some(code) = &query.site {
        // Another site's report is not found, like a site that does not exist.
        if !access::belongs_to(&user.info, code) || st.store.get_site(code).await?.is_none() {
            return Err(Error::NotFound(format!("no site {code}")));
        }
    }
    if user.role() != Role::Admin {
        query.scope_sites = Some(user.info.sites.clone());
    }
    Ok(st.store.report(&query).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_china_midnight_and_bad_ones_are_refused() {
        let q = parse_query(
            Some("from=2026-01-01&to=2026-07-01&period=half"),
            Timestamp(0),
        )
        .expect("valid");
        // 2026-01-01 00:00 in China is 2025-12-31 16:00 UTC.
        assert_eq!(q.from, Timestamp(1_767_196_800_000));
        assert_eq!(q.period, Period::Half);
        assert!(parse_query(Some("from=2026-13-01&to=2027-01-01"), Timestamp(0)).is_err());
        assert!(parse_query(Some("from=2026-02-01&to=2026-01-01"), Timestamp(0)).is_err());
        assert!(parse_query(Some("from=2026-01-01"), Timestamp(0)).is_err());
        assert!(parse_query(Some("from=x&to=y"), Timestamp(0)).is_err());
        assert!(parse_query(Some("from=2026-01-15&to=2026-03"), Timestamp(0)).is_err());
        let q = parse_query(Some("from=2026-01&to=2026-03&period=year"), Timestamp(0)).expect("ok");
        assert_eq!((q.from_month, q.to_month), (202601, 202603));
        assert!(parse_query(Some("from=2026-01&to=2026-02&period=week"), Timestamp(0)).is_err());
    }
}
