//! SQLite reports: tallies from the trigger-kept `report_cells` roll-up, plus what depends on "now".

use crate::store::error::Result;
use crate::store::rows::sorted_buckets;
use crate::store::ReportQuery;
use siteline_model::report::{roll_up, Durations, Recurring, Report, Tally, DURATIONS_LIMIT};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};
use std::collections::HashMap;

/// Sums of the cell counters, in `Tally` field order.
const SUMS: &str =
    "SUM(count), SUM(effective), SUM(closed), SUM(withdrawn_or_merged), SUM(on_time),
    SUM(late), SUM(followed_up), SUM(satisfied), SUM(repeat), SUM(major), SUM(reply_minutes),
    SUM(replied), SUM(close_minutes)";

fn u(row: &SqliteRow, i: usize) -> Result<u64> {
    let v: Option<i64> = row.try_get(i)?;
    Ok(u64::try_from(v.unwrap_or(0)).unwrap_or(0))
}

/// Reads a tally from columns `at..at + 13`.
fn tally(row: &SqliteRow, at: usize) -> Result<Tally> {
    Ok(Tally {
        count: u(row, at)?,
        effective: u(row, at + 1)?,
        closed: u(row, at + 2)?,
        withdrawn_or_merged: u(row, at + 3)?,
        on_time: u(row, at + 4)?,
        late: u(row, at + 5)?,
        followed_up: u(row, at + 6)?,
        satisfied: u(row, at + 7)?,
        repeat: u(row, at + 8)?,
        major: u(row, at + 9)?,
        reply_minutes: u(row, at + 10)?,
        replied: u(row, at + 11)?,
        close_minutes: u(row, at + 12)?,
    })
}

/// `WHERE` of the month range and the site, if one.
fn push_range<'a>(q: &mut QueryBuilder<'a, Sqlite>, rq: &'a ReportQuery) {
    q.push(" WHERE month >= ")
        .push_bind(i64::from(rq.from_month))
        .push(" AND month < ")
        .push_bind(i64::from(rq.to_month));
    if let Some(site) = &rq.site {
        q.push(" AND site_code = ").push_bind(site.as_str());
    }
    if let Some(sites) = &rq.scope_sites {
        super::query::push_sites(q, sites);
    }
}

/// Cells of breakdown `dim` grouped by `group` (a column of `report_cells`): (dim, key, tally).
async fn cells(
    pool: &SqlitePool,
    rq: &ReportQuery,
    dims: &str,
    group: &str,
) -> Result<Vec<(String, String, Tally)>> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
        "SELECT dim, CAST({group} AS TEXT), {SUMS} FROM report_cells"
    ));
    push_range(&mut q, rq);
    q.push(format!(" AND {dims} GROUP BY dim, {group}"));
    q.build()
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, tally(row, 2)?)))
        .collect()
}

/// Open complaints whose running limit passed `now`: one more late in each of their buckets.
async fn overdue_now(pool: &SqlitePool, rq: &ReportQuery) -> Result<Vec<[String; 7]>> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT site_code, CAST(month AS TEXT), category_top, coalesce(department, ''), severity,
           channel, status FROM complaints",
    );
    push_range(&mut q, rq);
    q.push(" AND open_due_at IS NOT NULL AND late = 0 AND open_due_at < ")
        .push_bind(rq.now.millis());
    q.build()
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok([
                r.try_get(0)?,
                r.try_get(1)?,
                r.try_get(2)?,
                r.try_get(3)?,
                r.try_get(4)?,
                r.try_get(5)?,
                r.try_get(6)?,
            ])
        })
        .collect()
}

/// Places with a category that came back at least twice in the range (one site's index range).
async fn recurring(pool: &SqlitePool, rq: &ReportQuery, site: &str) -> Result<Vec<Recurring>> {
    let rows = sqlx::query(
        "SELECT location_key, category, COUNT(*) AS n FROM complaints
         WHERE site_code = ? AND location_key <> '' AND month >= ? AND month < ?
         GROUP BY location_key, category HAVING n >= 2
         ORDER BY n DESC, location_key, category LIMIT ?",
    )
    .bind(site)
    .bind(i64::from(rq.from_month))
    .bind(i64::from(rq.to_month))
    .bind(i64::from(rq.recurring_limit))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Recurring {
                site: site.to_string(),
                location: row.try_get(0)?,
                category: row.try_get(1)?,
                count: u(row, 2)?,
            })
        })
        .collect()
}

pub(super) async fn report(pool: &SqlitePool, rq: &ReportQuery) -> Result<Report> {
    let mut by: HashMap<String, HashMap<String, Tally>> = HashMap::new();
    for (dim, key, t) in cells(pool, rq, "dim <> 'all'", "key").await? {
        by.entry(dim).or_default().insert(key, t);
    }
    let mut sites: HashMap<String, Tally> = HashMap::new();
    for (_, site, t) in cells(pool, rq, "dim = 'all'", "site_code").await? {
        sites.insert(site, t);
    }
    let mut months: HashMap<String, Tally> = HashMap::new();
    for (_, month, t) in cells(pool, rq, "dim = 'all'", "month").await? {
        months.insert(month, t);
    }
    for [site, month, category, department, severity, channel, status] in
        overdue_now(pool, rq).await?
    {
        let bump = |map: &mut HashMap<String, Tally>, key: String| {
            map.entry(key).or_default().late += 1;
        };
        bump(&mut sites, site);
        bump(&mut months, month);
        bump(by.entry("category".into()).or_default(), category);
        bump(by.entry("department".into()).or_default(), department);
        bump(by.entry("severity".into()).or_default(), severity);
        bump(by.entry("channel".into()).or_default(), channel);
        bump(by.entry("status".into()).or_default(), status);
    }
    let mut total = Tally::default();
    for t in sites.values() {
        total.merge(t);
    }
    let months: Vec<(u32, Tally)> = months
        .into_iter()
        .map(|(m, t)| (m.parse().unwrap_or(0), t))
        .collect();
    let recurring = match &rq.site {
        Some(site) => recurring(pool, rq, site).await?,
        None => Vec::new(),
    };
    let durations = if total.count <= DURATIONS_LIMIT {
        Some(durations(pool, rq).await?)
    } else {
        None
    };
    let mut take = |dim: &str| sorted_buckets(by.remove(dim).unwrap_or_default());
    Ok(Report {
        from: rq.from,
        to: rq.to,
        site: rq.site.clone(),
        period: rq.period,
        generated_at: rq.now,
        total,
        by_category: take("category"),
        by_department: take("department"),
        by_severity: take("severity"),
        by_channel: take("channel"),
        by_status: take("status"),
        by_site: sorted_buckets(sites),
        by_period: roll_up(&months, rq.period),
        recurring,
        durations,
    })
}

/// One complaint's minutes to reply (clock, working) and to close (clock, working).
#[derive(sqlx::FromRow)]
struct DurationRow(Option<i64>, Option<i64>, Option<i64>, Option<i64>);

/// Times to reply and to close of the range's complaints, in clock and working minutes (two
/// integer columns a row, read in one pass; medians need the values, not only their sums).
async fn durations(pool: &SqlitePool, rq: &ReportQuery) -> Result<Durations> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT CASE WHEN replied_at IS NULL THEN NULL ELSE MAX(replied_at - captured_at, 0) / 60000 END,
                reply_work_min,
                CASE WHEN status = 'closed' AND closed_at IS NOT NULL
                     THEN MAX(closed_at - captured_at, 0) / 60000 END,
                close_work_min
         FROM complaints",
    );
    push_range(&mut q, rq);
    let rows: Vec<DurationRow> = q.build_query_as().fetch_all(pool).await?;
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    let (mut reply, mut close) = (Vec::new(), Vec::new());
    for DurationRow(rc, rw, cc, cw) in rows {
        if let Some(rc) = rc {
            reply.push((n(rc), rw.map_or(0, n)));
        }
        if let Some(cc) = cc {
            close.push((n(cc), cw.map_or(0, n)));
        }
    }
    Ok(Durations::of(&reply, &close))
}
