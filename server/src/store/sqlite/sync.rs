//! SQLite sync: stored events of a complaint, re-folding stale projection rows; the push and
//! escalation rules are the ingest core's (`crate::ingest`, steps in steps.rs, projection rows
//! in projection.rs).

use super::sites;
use super::steps::SqliteTx;
use crate::ingest::{self, Sites};
use crate::store::error::Result;
use crate::store::rows::EventRow;
pub(super) use crate::store::rows::{internal, parse_event, to_u64};
use crate::store::shared::FOLD_VERSION;
use siteline_model::sync::SyncedEvent;
use siteline_model::{ComplaintId, Timestamp};
use sqlx::{SqliteConnection, SqlitePool};

/// The stored events of one complaint in seq order.
pub(super) async fn complaint_events(
    conn: &mut SqliteConnection,
    id: ComplaintId,
) -> Result<Vec<SyncedEvent>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT seq, received_at, body FROM events WHERE complaint_id = ? ORDER BY seq",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(SyncedEvent {
                seq: to_u64(r.seq),
                received_at: Timestamp(r.received_at),
                event: parse_event(&r.body)?,
            })
        })
        .collect()
}

/// Re-folds every projection row written by an older server (when the store opens). The scan
/// runs only while `projection_meta` says some row may be older than this server's fold.
pub(super) async fn refresh_stale_projections(pool: &SqlitePool) -> Result<u64> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let checked: i64 = sqlx::query_scalar("SELECT fold_version FROM projection_meta WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    if checked >= FOLD_VERSION {
        return Ok(0);
    }
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM complaints WHERE fold_version < ?")
        .bind(FOLD_VERSION)
        .fetch_all(&mut *tx)
        .await?;
    if !ids.is_empty() {
        let known = sites::known_sites(&mut tx).await?;
        let clocks = sites::clocks(&mut tx).await?;
        let default_site: String = sqlx::query_scalar(
            "SELECT code FROM sites ORDER BY is_default DESC, created_at, code LIMIT 1",
        )
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or_default();
        let sites = Sites {
            known: &known,
            default_site: &default_site,
            clocks: &clocks,
        };
        for id in &ids {
            let cid: ComplaintId = id.parse().map_err(|e| internal("stored complaint id", e))?;
            ingest::refresh(&mut SqliteTx(&mut tx), cid, &sites).await?;
        }
    }
    sqlx::query("UPDATE projection_meta SET fold_version = ? WHERE id = 1")
        .bind(FOLD_VERSION)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ids.len() as u64)
}
