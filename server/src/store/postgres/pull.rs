//! PostgreSQL scoped pull: the same positions as SQLite's (`store/sqlite/pull.rs`): an event's
//! seq, except a complaint's history from before a department got it, which sits at that
//! moment (`since_seq`). Seqs commit in order (the ingest lock), so no cursor passes an event
//! that commits later. With a device window, the events of complaints finished before it are
//! left out (`siteline_model::window`).

use crate::store::error::Result;
use crate::store::rows::{pull_page, PullItem};
use crate::store::{RawEvent, ReadScope};
use siteline_model::time::Timestamp;
use sqlx::{FromRow, PgPool};

#[derive(FromRow)]
struct Row {
    seq: i64,
    received_at: i64,
    body: String,
}

#[derive(FromRow)]
struct Grant {
    complaint_id: String,
    since_seq: i64,
}

fn items(rows: Vec<Row>, pos: Option<i64>) -> impl Iterator<Item = PullItem> {
    rows.into_iter().map(move |r| PullItem {
        pos: pos.unwrap_or(r.seq),
        seq: r.seq,
        received_at: r.received_at,
        body: r.body,
    })
}

/// The events after `after` that `scope` may read, at most `limit` (more to finish a
/// complaint's history), without those of complaints finished before `window`; whether more
/// follow; the cursor to pass next.
pub(super) async fn pull(
    pool: &PgPool,
    after: u64,
    limit: u32,
    scope: &ReadScope,
    window: Option<Timestamp>,
) -> Result<(Vec<RawEvent>, bool, u64)> {
    let after_i = i64::try_from(after).unwrap_or(i64::MAX);
    // Without a window, a bound no finishing time is below.
    let since = window.map_or(i64::MIN, Timestamp::millis);
    let held = crate::store::shared::window_clause;
    let fetch = i64::from(limit) + 1;
    let mut all: Vec<PullItem> = Vec::new();
    let mut capped = false;
    let sites: Vec<String> = match scope {
        ReadScope::All => Vec::new(),
        ReadScope::Sites(s) | ReadScope::Department { sites: s, .. } => s.clone(),
    };
    match scope {
        ReadScope::All => {
            let sql = format!(
                "SELECT e.seq, e.received_at, e.body FROM events e
                 WHERE e.seq > $1 AND {} ORDER BY e.seq LIMIT $3",
                held("e.complaint_id", "$2")
            );
            let rows: Vec<Row> = sqlx::query_as(&sql)
                .bind(after_i)
                .bind(since)
                .bind(fetch)
                .fetch_all(pool)
                .await?;
            capped |= rows.len() as i64 >= fetch;
            all.extend(items(rows, None));
        }
        ReadScope::Sites(_) => {
            let sql = format!(
                "SELECT e.seq, e.received_at, e.body FROM events e
                 WHERE e.site_code = ANY($1) AND e.seq > $2 AND {} ORDER BY e.seq LIMIT $4",
                held("e.complaint_id", "$3")
            );
            let rows: Vec<Row> = sqlx::query_as(&sql)
                .bind(&sites)
                .bind(after_i)
                .bind(since)
                .bind(fetch)
                .fetch_all(pool)
                .await?;
            capped |= rows.len() as i64 >= fetch;
            all.extend(items(rows, None));
        }
        ReadScope::Department { department, .. } => {
            // Complaints that became the department's after the cursor: their history so far.
            let sql = format!(
                "SELECT d.complaint_id, d.since_seq FROM complaint_departments d
                 WHERE d.department = $1 AND d.site_code = ANY($2) AND d.since_seq > $3 AND {}
                 ORDER BY d.since_seq LIMIT $5",
                held("d.complaint_id", "$4")
            );
            let grants: Vec<Grant> = sqlx::query_as(&sql)
                .bind(department)
                .bind(&sites)
                .bind(after_i)
                .bind(since)
                .bind(fetch)
                .fetch_all(pool)
                .await?;
            capped |= grants.len() as i64 >= fetch;
            for g in grants {
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT seq, received_at, body FROM events
                     WHERE complaint_id = $1 AND seq <= $2 ORDER BY seq",
                )
                .bind(&g.complaint_id)
                .bind(g.since_seq)
                .fetch_all(pool)
                .await?;
                all.extend(items(rows, Some(g.since_seq)));
            }
            // Later events of complaints the department has.
            let sql = format!(
                "SELECT e.seq, e.received_at, e.body FROM events e
                 JOIN complaint_departments d
                   ON d.complaint_id = e.complaint_id AND d.department = $1
                 WHERE e.site_code = ANY($2) AND e.seq > $3 AND e.seq > d.since_seq AND {}
                 ORDER BY e.seq LIMIT $5",
                held("e.complaint_id", "$4")
            );
            let rows: Vec<Row> = sqlx::query_as(&sql)
                .bind(department)
                .bind(&sites)
                .bind(after_i)
                .bind(since)
                .bind(fetch)
                .fetch_all(pool)
                .await?;
            capped |= rows.len() as i64 >= fetch;
            all.extend(items(rows, None));
        }
    }
    pull_page(all, after, limit, capped)
}
