//! SQLite scoped pull: the events a reader may see, in a commit order that never skips any.
//!
//! Every event has a pull position: its seq, except for the events of a complaint from before
//! a handler's department got it, which sit at the moment it did (`since_seq`, the complaint's
//! last seq then). Positions only grow, so a cursor handed out never passes an event that
//! commits later. Events at one position (one complaint's history) are never split by a page.

use crate::store::error::Result;
use crate::store::rows::{pull_page, EventRow as Row, PullItem};
use crate::store::{RawEvent, ReadScope};
use siteline_model::time::Timestamp;
use sqlx::SqlitePool;

/// A complaint's grant to a department: from `since_seq` on, its history is the department's.
#[derive(sqlx::FromRow)]
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
    pool: &SqlitePool,
    after: u64,
    limit: u32,
    scope: &ReadScope,
    window: Option<Timestamp>,
) -> Result<(Vec<RawEvent>, bool, u64)> {
    let after_i = i64::try_from(after).unwrap_or(i64::MAX);
    // Without a window, a bound no finishing time is below.
    let since = window.map_or(i64::MIN, Timestamp::millis);
    let held = |complaint: &str| crate::store::shared::window_clause(complaint, "?");
    let fetch = i64::from(limit) + 1;
    let mut all: Vec<PullItem> = Vec::new();
    // Whether some query may have left rows out.
    let mut capped = false;
    match scope {
        ReadScope::All => {
            let sql = format!(
                "SELECT e.seq, e.received_at, e.body FROM events e
                 WHERE e.seq > ? AND {} ORDER BY e.seq LIMIT ?",
                held("e.complaint_id")
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
        ReadScope::Sites(sites) => {
            let sql = format!(
                "SELECT e.seq, e.received_at, e.body FROM events e
                 WHERE e.site_code = ? AND e.seq > ? AND {} ORDER BY e.seq LIMIT ?",
                held("e.complaint_id")
            );
            for site in sites {
                let rows: Vec<Row> = sqlx::query_as(&sql)
                    .bind(site)
                    .bind(after_i)
                    .bind(since)
                    .bind(fetch)
                    .fetch_all(pool)
                    .await?;
                capped |= rows.len() as i64 >= fetch;
                all.extend(items(rows, None));
            }
        }
        ReadScope::Department { sites, department } => {
            let grants_sql = format!(
                "SELECT d.complaint_id, d.since_seq FROM complaint_departments d
                 WHERE d.department = ? AND d.site_code = ? AND d.since_seq > ? AND {}
                 ORDER BY d.since_seq LIMIT ?",
                held("d.complaint_id")
            );
            let later_sql = format!(
                "SELECT e.seq, e.received_at, e.body FROM events e
                 JOIN complaint_departments d
                   ON d.complaint_id = e.complaint_id AND d.department = ?
                 WHERE e.site_code = ? AND e.seq > ? AND e.seq > d.since_seq AND {}
                 ORDER BY e.seq LIMIT ?",
                held("e.complaint_id")
            );
            for site in sites {
                // Complaints that became the department's after the cursor: their history so far.
                let grants: Vec<Grant> = sqlx::query_as(&grants_sql)
                    .bind(department)
                    .bind(site)
                    .bind(after_i)
                    .bind(since)
                    .bind(fetch)
                    .fetch_all(pool)
                    .await?;
                capped |= grants.len() as i64 >= fetch;
                for Grant {
                    complaint_id: complaint,
                    since_seq: since,
                } in grants
                {
                    let rows: Vec<Row> = sqlx::query_as(
                        "SELECT seq, received_at, body FROM events
                         WHERE complaint_id = ? AND seq <= ? ORDER BY seq",
                    )
                    .bind(&complaint)
                    .bind(since)
                    .fetch_all(pool)
                    .await?;
                    all.extend(items(rows, Some(since)));
                }
                // Later events of complaints the department has.
                let rows: Vec<Row> = sqlx::query_as(&later_sql)
                    .bind(department)
                    .bind(site)
                    .bind(after_i)
                    .bind(since)
                    .bind(fetch)
                    .fetch_all(pool)
                    .await?;
                capped |= rows.len() as i64 >= fetch;
                all.extend(items(rows, None));
            }
        }
    }
    pull_page(all, after, limit, capped)
}
