//! SQLite sync: stored events, the projection row of a complaint, pull; the push is in sqlite_push.rs.

use super::shared::{resolve_site, FOLD_VERSION};
use super::{sqlite_attach, sqlite_sites};
use crate::error::{Error, Result};
use siteline_model::report::ReportFacts;
use siteline_model::sync::SyncedEvent;
use siteline_model::timelimit::Clock;
use siteline_model::{fold_in_order, Complaint, ComplaintId, Event, EventKind, Timestamp};
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

pub(super) fn internal(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("{what}: {e}"))
}

pub(super) fn parse_event(body: &str) -> Result<Event> {
    serde_json::from_str(body).map_err(|e| internal("stored event does not parse", e))
}

pub(super) fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Inserts one server event of a projected complaint (it takes the complaint's site) unless its
/// id is stored; returns the new seq, or `None` if it was there.
pub(super) async fn insert_event(
    conn: &mut SqliteConnection,
    ev: &Event,
    now: Timestamp,
) -> Result<Option<i64>> {
    let body = serde_json::to_string(ev).map_err(|e| internal("event does not serialize", e))?;
    Ok(sqlx::query_scalar(
        "INSERT INTO events
           (id, complaint_id, kind, author, device_id, lamport, captured_at, received_at, body,
            site_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
                 (SELECT site_code FROM complaints WHERE id = ?2))
         ON CONFLICT (id) DO NOTHING
         RETURNING seq",
    )
    .bind(ev.id.to_string())
    .bind(ev.complaint_id.to_string())
    .bind(ev.kind.code())
    .bind(&ev.author)
    .bind(ev.device_id.to_string())
    .bind(i64::try_from(ev.lamport).unwrap_or(i64::MAX))
    .bind(ev.captured_at.millis())
    .bind(now.millis())
    .bind(body)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The stored events of one complaint in seq order.
pub(super) async fn complaint_events(
    conn: &mut SqliteConnection,
    id: ComplaintId,
) -> Result<Vec<SyncedEvent>> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT seq, received_at, body FROM events WHERE complaint_id = ? ORDER BY seq",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(seq, received_at, body)| {
            Ok(SyncedEvent {
                seq: to_u64(seq),
                received_at: Timestamp(received_at),
                event: parse_event(&body)?,
            })
        })
        .collect()
}

/// Re-folds one complaint from all its stored events and upserts its projection row.
pub(super) async fn refresh_projection(
    conn: &mut SqliteConnection,
    id: ComplaintId,
    sites: &[String],
    default_site: &str,
    clocks: &HashMap<String, Clock>,
) -> Result<Option<Complaint>> {
    let events = complaint_events(conn, id).await?;
    let Some(state) = fold_in_order(events.iter().map(|e| &e.event)) else {
        return Ok(None); // Its `Created` has not arrived yet.
    };
    let received_at = events
        .iter()
        .find(|e| matches!(e.event.kind, EventKind::Created(_)))
        .map_or(Timestamp(0), |e| e.received_at);
    let p = Projection {
        sites,
        default_site,
        clocks,
    };
    write_projection(conn, &state, received_at, true, &p).await?;
    Ok(Some(state))
}

/// What a projection row needs besides the complaint: sites and their clocks.
pub(super) struct Projection<'a> {
    pub sites: &'a [String],
    pub default_site: &'a str,
    pub clocks: &'a HashMap<String, Clock>,
}

/// Upserts the projection row of a folded complaint (`received_at`: receipt of its `Created`)
/// and its attachment references; `had_rows` false = nothing was stored of it before this push.
pub(super) async fn write_projection(
    conn: &mut SqliteConnection,
    state: &Complaint,
    received_at: Timestamp,
    had_rows: bool,
    p: &Projection<'_>,
) -> Result<()> {
    let id = state.id;
    let (sites, default_site, clocks) = (p.sites, p.default_site, p.clocks);
    let state_json =
        serde_json::to_string(&state).map_err(|e| internal("state does not serialize", e))?;
    let phone = state.complainant.phone.as_deref().filter(|p| !p.is_empty());
    let site = resolve_site(&state.site, sites, default_site);
    let facts = match clocks.get(site) {
        Some(clock) => ReportFacts::of(state, clock),
        None => ReportFacts::of(state, &Clock::china()),
    };
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
    .bind(received_at.millis())
    .bind(state.updated_at.millis())
    .bind(state_json)
    .bind(&state.department)
    .bind(state.nature.code())
    .bind(phone)
    .bind(state.location.trim())
    .bind(FOLD_VERSION)
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
        sqlite_attach::set_complaint_attachments(conn, id, state).await?;
    }
    // A department reads the complaint from the moment it first had it: its history up to now
    // reaches that department's handlers at the complaint's last seq (see sqlite_pull).
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
        let sites = sqlite_sites::known_sites(&mut tx).await?;
        let clocks = sqlite_sites::clocks(&mut tx).await?;
        let default_site: String = sqlx::query_scalar(
            "SELECT code FROM sites ORDER BY is_default DESC, created_at, code LIMIT 1",
        )
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or_default();
        for id in &ids {
            let cid: ComplaintId = id.parse().map_err(|e| internal("stored complaint id", e))?;
            refresh_projection(&mut tx, cid, &sites, &default_site, &clocks).await?;
        }
    }
    sqlx::query("UPDATE projection_meta SET fold_version = ? WHERE id = 1")
        .bind(FOLD_VERSION)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ids.len() as u64)
}
