//! Analysis reports (半年/年度分析) for supervisors: counts by dimension and period, rates, recurring problems.

use super::auth::AuthUser;
use crate::error::{Error, Result};
use crate::store::ReportQuery;
use crate::AppState;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use siteline_model::report::{Period, Report};
use siteline_model::time::{days_from_civil, CHINA_OFFSET_MINUTES};
use siteline_model::{Role, Timestamp};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/reports/summary", get(summary))
}

/// Most recurring problems a report lists.
pub const RECURRING_LIMIT: u32 = 20;

/// Midnight (China time) starting `yyyy-mm-dd`.
fn parse_day(what: &str, v: &str) -> Result<Timestamp> {
    let bad = || Error::BadRequest(format!("{what} must be a date yyyy-mm-dd or unix ms: {v}"));
    if let Ok(ms) = v.parse::<i64>() {
        return Ok(Timestamp(ms));
    }
    let mut parts = v.splitn(3, '-');
    let mut next = || {
        parts
            .next()
            .and_then(|p| p.parse::<u32>().ok())
            .ok_or_else(bad)
    };
    let (y, m, d) = (next()?, next()?, next()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1970..=9999).contains(&y) {
        return Err(bad());
    }
    let y = i32::try_from(y).map_err(|_| bad())?;
    let days = days_from_civil(y, m, d);
    Ok(Timestamp(
        (days * 24 * 60 - i64::from(CHINA_OFFSET_MINUTES)) * 60_000,
    ))
}

/// Parses `from`, `to` (required: `yyyy-mm-dd` China time, `to` exclusive, or unix ms),
/// `site` and `period` (`month` | `half` | `year`).
pub fn parse_query(raw: Option<&str>, now: Timestamp) -> Result<ReportQuery> {
    let (mut from, mut to, mut site, mut period) = (None, None, None, Period::Month);
    for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        let v = value.trim();
        if v.is_empty() {
            continue;
        }
        match key.as_ref() {
            "from" => from = Some(parse_day("from", v)?),
            "to" => to = Some(parse_day("to", v)?),
            "site" => site = Some(v.to_string()),
            "period" => {
                period = Period::parse(v).ok_or_else(|| {
                    Error::BadRequest(format!("period must be month, half or year: {v}"))
                })?
            }
            _ => {}
        }
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(Error::BadRequest("from and to are required".into()));
    };
    if to <= from {
        return Err(Error::BadRequest("to must be after from".into()));
    }
    Ok(ReportQuery {
        from,
        to,
        site,
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
    if !matches!(user.role(), Role::Supervisor | Role::Admin) {
        return Err(Error::Forbidden);
    }
    let query = parse_query(raw.as_deref(), st.clock.now())?;
    if let Some(code) = &query.site {
        if st.store.get_site(code).await?.is_none() {
            return Err(Error::NotFound(format!("no site {code}")));
        }
    }
    Ok(Json(st.store.report(&query).await?))
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
        assert!(parse_query(Some("from=1&to=2&period=week"), Timestamp(0)).is_err());
    }
}
