//! SQLite aggregates for reports: one grouped scan of the covering report index per breakdown.

use super::ReportQuery;
use crate::error::Result;
use siteline_model::report::{roll_up, Bucket, Recurring, Report, Tally};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};

/// The columns of a `Tally`, in field order; `?1` is the report's "now" (see `Tally::add`).
const TALLY: &str = "COUNT(*),
    SUM(nature = 'effective'),
    SUM(status = 'closed'),
    SUM(status IN ('withdrawn', 'merged')),
    SUM(late = 0 AND open_due_at IS NULL),
    SUM(late = 1 OR (open_due_at IS NOT NULL AND open_due_at < ?1)),
    SUM(satisfaction IS NOT NULL),
    SUM(satisfaction IN ('satisfied', 'basic')),
    SUM(is_repeat),
    SUM(severity = 'major'),
    SUM(CASE WHEN replied_at IS NULL THEN 0 ELSE MAX(replied_at - captured_at, 0) / 60000 END),
    SUM(replied_at IS NOT NULL),
    SUM(CASE WHEN status = 'closed' AND closed_at IS NOT NULL
        THEN MAX(closed_at - captured_at, 0) / 60000 ELSE 0 END)";

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

/// `WHERE` of every report query: the capture range and the site, if one.
fn push_range<'a>(q: &mut QueryBuilder<'a, Sqlite>, rq: &'a ReportQuery) {
    q.push(" FROM complaints WHERE captured_at >= ")
        .push_bind(rq.from.millis())
        .push(" AND captured_at < ")
        .push_bind(rq.to.millis());
    if let Some(site) = &rq.site {
        q.push(" AND site_code = ").push_bind(site.as_str());
    }
}

/// Tallies grouped by one key expression, most complaints first.
async fn grouped(pool: &SqlitePool, rq: &ReportQuery, key: &str) -> Result<Vec<Bucket>> {
    // TALLY's one placeholder (`?1`, the report's "now") comes before the range's binds.
    let (head, tail) = TALLY.split_once("?1").unwrap_or((TALLY, ""));
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!("SELECT {key}, "));
    q.push(head).push_bind(rq.now.millis()).push(tail);
    push_range(&mut q, rq);
    q.push(" GROUP BY 1");
    let rows = q.build().fetch_all(pool).await?;
    let mut out = rows
        .iter()
        .map(|row| {
            let key: Option<String> = row.try_get(0)?;
            Ok(Bucket {
                key: key.unwrap_or_default(),
                tally: tally(row, 1)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort_by(|a, b| b.tally.count.cmp(&a.tally.count).then(a.key.cmp(&b.key)));
    Ok(out)
}

pub(super) async fn report(pool: &SqlitePool, rq: &ReportQuery) -> Result<Report> {
    let by_category = grouped(pool, rq, "category_top").await?;
    let by_department = grouped(pool, rq, "coalesce(department, '')").await?;
    let by_site = grouped(pool, rq, "site_code").await?;
    let by_severity = grouped(pool, rq, "severity").await?;
    let by_channel = grouped(pool, rq, "channel").await?;
    let months = grouped(pool, rq, "CAST(month AS TEXT)").await?;
    let months: Vec<(u32, Tally)> = months
        .into_iter()
        .map(|b| (b.key.parse().unwrap_or(0), b.tally))
        .collect();
    let mut total = Tally::default();
    for b in &by_site {
        total.merge(&b.tally);
    }
    let mut q: QueryBuilder<Sqlite> =
        QueryBuilder::new("SELECT site_code, location_key, category, COUNT(*) AS n");
    push_range(&mut q, rq);
    q.push(" AND location_key <> '' GROUP BY site_code, location_key, category HAVING n >= 2")
        .push(" ORDER BY n DESC, site_code, location_key, category LIMIT ")
        .push_bind(i64::from(rq.recurring_limit));
    let recurring = q
        .build()
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok(Recurring {
                site: row.try_get(0)?,
                location: row.try_get(1)?,
                category: row.try_get(2)?,
                count: u(row, 3)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Report {
        from: rq.from,
        to: rq.to,
        site: rq.site.clone(),
        period: rq.period,
        generated_at: rq.now,
        total,
        by_category,
        by_department,
        by_site,
        by_severity,
        by_channel,
        by_period: roll_up(&months, rq.period),
        recurring,
    })
}
