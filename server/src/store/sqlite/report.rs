//! SQLite reports: tallies from the trigger-kept `report_cells` roll-up, plus what depends on "now".

use crate::store::cells::{self, DurationRow, Overdue, OVERDUE_COLUMNS, SUMS};
use crate::store::error::Result;
use crate::store::ReportQuery;
use siteline_model::report::{Durations, Recurring, Report, Tally, DURATIONS_LIMIT};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};

fn u(row: &SqliteRow, i: usize) -> Result<u64> {
    let v: Option<i64> = row.try_get(i)?;
    Ok(u64::try_from(v.unwrap_or(0)).unwrap_or(0))
}

/// Reads a tally from columns `at..at + 13`.
fn tally(row: &SqliteRow, at: usize) -> Result<Tally> {
    let mut sums = [None; 13];
    for (i, s) in sums.iter_mut().enumerate() {
        *s = row.try_get(at + i)?;
    }
    Ok(cells::tally(sums))
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
async fn overdue_now(pool: &SqlitePool, rq: &ReportQuery) -> Result<Vec<Overdue>> {
    let mut q: QueryBuilder<Sqlite> =
        QueryBuilder::new(format!("SELECT {OVERDUE_COLUMNS} FROM complaints"));
    push_range(&mut q, rq);
    q.push(" AND open_due_at IS NOT NULL AND late = 0 AND open_due_at < ")
        .push_bind(rq.now.millis());
    Ok(q.build_query_as().fetch_all(pool).await?)
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
    let by_dim = cells(pool, rq, "dim <> 'all'", "key").await?;
    let by_site = cells(pool, rq, "dim = 'all'", "site_code").await?;
    let by_month = cells(pool, rq, "dim = 'all'", "month").await?;
    let t = cells::tallies(
        by_dim,
        by_site.into_iter().map(|(_, site, t)| (site, t)).collect(),
        by_month
            .into_iter()
            .map(|(_, m, t)| (m.parse().unwrap_or(0), t))
            .collect(),
        overdue_now(pool, rq).await?,
    );
    let recurring = match &rq.site {
        Some(site) => recurring(pool, rq, site).await?,
        None => Vec::new(),
    };
    let durations = if t.total.count <= DURATIONS_LIMIT {
        Some(durations(pool, rq).await?)
    } else {
        None
    };
    Ok(cells::report(rq, t, recurring, durations))
}

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
    Ok(cells::durations(rows))
}
