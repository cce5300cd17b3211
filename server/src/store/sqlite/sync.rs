//! SQLite sync: stored events, the projection row of a complaint, re-folding stale rows; the
//! push and escalation rules are the ingest core's (`crate::ingest`, steps in steps.rs).

use super::steps::SqliteTx;
use super::{attach, sites};
use crate::ingest::{self, ProjectionRow, Sites};
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

/// Upserts the projection row of a folded complaint and its attachment references;
/// `had_rows` false = nothing was stored of it before this push.
pub(super) async fn write_projection(
    conn: &mut SqliteConnection,
    row: &ProjectionRow<'_>,
    had_rows: bool,
) -> Result<()> {
    let state = row.state;
    let id = state.id;
    let (site, facts) = (row.site, &row.facts);
    sqlx::query(
        "INSERT INTO complaints (id, site_code, number, provisional_number, status, severity, category,
           channel, location, description, created_by, captured_at, received_at, updated_at, state_json,
           department, nature, phone, location_key, fold_version, category_top, month, replied_at,
           closed_at, satisfaction, late, open_due_at, is_repeat, reply_work_min, close_work_min)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
           site_code = excluded.site_code,
           number = excluded.number, provisional_number = excluded.provisional_number,
           status = excluded.status, severity = excluded.severity, category = excluded.category,
           channel = excluded.channel, location = excluded.location,
           description = excluded.description, created_by = excluded.created_by,
           captured_at = excluded.captured_at, received_at = excluded.received_at,
           updated_at = excluded.updated_at, state_json = excluded.state_json,
           department = excluded.department, nature = excluded.nature, phone = excluded.phone,
           location_key = excluded.location_key, fold_version = excluded.fold_version,
           category_top = excluded.category_top, month = excluded.month,
           replied_at = excluded.replied_at, closed_at = excluded.closed_at,
           satisfaction = excluded.satisfaction, late = excluded.late,
           open_due_at = excluded.open_due_at,
           is_repeat = max(complaints.is_repeat, excluded.is_repeat),
           reply_work_min = excluded.reply_work_min, close_work_min = excluded.close_work_min",
    )
    .bind(id.to_string())
    .bind(site)
    .bind(&state.number)
    .bind(&state.provisional_number)
    .bind(state.status.code())
    .bind(state.severity.code())
    .bind(&state.category)
    .bind(state.channel.code())
    .bind(&state.location)
    .bind(&state.description)
    .bind(&state.created_by)
    .bind(state.captured_at.millis())
    .bind(row.received_at.millis())
    .bind(state.updated_at.millis())
    .bind(&row.state_json)
    .bind(&state.department)
    .bind(state.nature.code())
    .bind(row.phone)
    .bind(row.location_key)
    .bind(row.fold_version)
    .bind(&facts.category_top)
    .bind(i64::from(facts.month))
    .bind(state.replied_at.map(Timestamp::millis))
    .bind(state.closed_at.map(Timestamp::millis))
    .bind(state.satisfaction.map(|s| s.code()))
    .bind(facts.late)
    .bind(facts.open_due_at.map(Timestamp::millis))
    .bind(facts.repeat)
    .bind(facts.reply_work_minutes.map(|m| i64::try_from(m).unwrap_or(i64::MAX)))
    .bind(facts.close_work_minutes.map(|m| i64::try_from(m).unwrap_or(i64::MAX)))
    .execute(&mut *conn)
    .await?;
    if had_rows || !state.attachments.is_empty() {
        attach::set_complaint_attachments(conn, id, state).await?;
    }
    // A department reads the complaint from the moment it first had it: its history up to now
    // reaches that department's handlers at the complaint's last seq (see pull.rs).
    for department in &state.departments {
        sqlx::query(
            "INSERT OR IGNORE INTO complaint_departments
               (complaint_id, department, site_code, since_seq)
             VALUES (?1, ?2, ?3, (SELECT coalesce(max(seq), 0) FROM events WHERE complaint_id = ?1))",
        )
        .bind(id.to_string())
        .bind(department)
        .bind(site)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
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
