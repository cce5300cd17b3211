//! PostgreSQL reports: tallies from the trigger-kept `report_cells` roll-up (migration 0004)
//! plus what depends on "now", as on SQLite. `report_by_rows` counts every complaint of the
//! range with the model's own `Tally::add` instead: the reference the conformance suite holds
//! both backends' roll-ups to.

use super::query::push_sites;
use super::PgStore;
use crate::store::cells::{self, DurationRow, Overdue, OVERDUE_COLUMNS, SUMS};
use crate::store::error::Result;
use crate::store::ReportQuery;
use siteline_model::report::{Durations, Recurring, Report, Tally, DURATIONS_LIMIT};
use sqlx::postgres::PgRow;
use sqlx::{FromRow, Postgres, QueryBuilder, Row};

#[derive(FromRow)]
struct RecurringRow {
    location_key: String,
    category: String,
    n: i64,
}

pub(super) fn range<'a>(q: &mut QueryBuilder<'a, Postgres>, rq: &'a ReportQuery) {
    q.push(" WHERE month >= ")
        .push_bind(i32::try_from(rq.from_month).unwrap_or(i32::MAX))
        .push(" AND month < ")
        .push_bind(i32::try_from(rq.to_month).unwrap_or(i32::MAX));
    if let Some(site) = &rq.site {
        q.push(" AND site_code = ").push_bind(site.as_str());
    }
    if let Some(sites) = &rq.scope_sites {
        push_sites(q, sites);
    }
}

/// Reads a tally from columns `at..at + 13` (sums of BIGINT are NUMERIC: cast back).
fn tally(row: &PgRow, at: usize) -> Result<Tally> {
    let mut sums = [None; 13];
    for (i, s) in sums.iter_mut().enumerate() {
        *s = row.try_get(at + i)?;
    }
    Ok(cells::tally(sums))
}

/// `SUM(x)` as BIGINT.
fn sums_as_bigint() -> String {
    SUMS.split(',')
        .map(|s| format!("{}::bigint", s.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl PgStore {
    /// Cells grouped by `group` (a column of `report_cells`) where `dims`: (dim, key, tally).
    async fn cells(
        &self,
        rq: &ReportQuery,
        dims: &str,
        group: &str,
    ) -> Result<Vec<(String, String, Tally)>> {
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!(
            "SELECT dim, {group}::text, {} FROM report_cells",
            sums_as_bigint()
        ));
        range(&mut q, rq);
        q.push(format!(" AND {dims} GROUP BY dim, {group}"));
        q.build()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, tally(row, 2)?)))
            .collect()
    }

    /// Open complaints whose running limit passed `now`.
    async fn overdue_now(&self, rq: &ReportQuery) -> Result<Vec<Overdue>> {
        let mut q: QueryBuilder<Postgres> =
            QueryBuilder::new(format!("SELECT {OVERDUE_COLUMNS} FROM complaints"));
        range(&mut q, rq);
        q.push(" AND open_due_at IS NOT NULL AND NOT late AND open_due_at < ")
            .push_bind(rq.now.millis());
        Ok(q.build_query_as().fetch_all(&self.pool).await?)
    }

    /// Times to reply and to close of the range's complaints (clock and working minutes).
    async fn durations(&self, rq: &ReportQuery) -> Result<Durations> {
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
            "SELECT CASE WHEN replied_at IS NULL THEN NULL
                         ELSE GREATEST(replied_at - captured_at, 0) / 60000 END,
                    reply_work_min,
                    CASE WHEN status = 'closed' AND closed_at IS NOT NULL
                         THEN GREATEST(closed_at - captured_at, 0) / 60000 END,
                    close_work_min
             FROM complaints",
        );
        range(&mut q, rq);
        let rows: Vec<DurationRow> = q.build_query_as().fetch_all(&self.pool).await?;
        Ok(cells::durations(rows))
    }

    pub(super) async fn report_of(&self, rq: &ReportQuery) -> Result<Report> {
        let by_dim = self.cells(rq, "dim <> 'all'", "key").await?;
        let by_site = self.cells(rq, "dim = 'all'", "site_code").await?;
        let by_month = self.cells(rq, "dim = 'all'", "month").await?;
        let t = cells::tallies(
            by_dim,
            by_site.into_iter().map(|(_, site, t)| (site, t)).collect(),
            by_month
                .into_iter()
                .map(|(_, m, t)| (m.parse().unwrap_or(0), t))
                .collect(),
            self.overdue_now(rq).await?,
        );
        let recurring = match &rq.site {
            Some(site) => self.recurring(rq, site).await?,
            None => Vec::new(),
        };
        let durations = if t.total.count <= DURATIONS_LIMIT {
            Some(self.durations(rq).await?)
        } else {
            None
        };
        Ok(cells::report(rq, t, recurring, durations))
    }

    /// Places with a category that came back at least twice in the range.
    pub(super) async fn recurring(&self, rq: &ReportQuery, site: &str) -> Result<Vec<Recurring>> {
        let rows: Vec<RecurringRow> = sqlx::query_as(
            "SELECT location_key, category, COUNT(*) AS n FROM complaints
             WHERE site_code = $1 AND location_key <> '' AND month >= $2 AND month < $3
             GROUP BY location_key, category HAVING COUNT(*) >= 2
             ORDER BY n DESC, location_key, category LIMIT $4",
        )
        .bind(site)
        .bind(i32::try_from(rq.from_month).unwrap_or(i32::MAX))
        .bind(i32::try_from(rq.to_month).unwrap_or(i32::MAX))
        .bind(i64::from(rq.recurring_limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Recurring {
                site: site.to_string(),
                location: r.location_key,
                category: r.category,
                count: u64::try_from(r.n).unwrap_or(0),
            })
            .collect())
    }
}
