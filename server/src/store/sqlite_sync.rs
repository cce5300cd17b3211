//! SQLite sync: gated idempotent push with numbering, escalation and projection in one transaction.

use super::shared::{number_event, resolve_site, BatchStates, FOLD_VERSION};
use super::{sqlite_attach, sqlite_escalate, sqlite_sites, ImportInfo, PushGate};
use crate::error::{Error, Result};
use siteline_model::numbering::canonical;
use siteline_model::report::ReportFacts;
use siteline_model::sync::{PushResult, SyncedEvent};
use siteline_model::time::CHINA_OFFSET_MINUTES;
use siteline_model::timelimit::Clock;
use siteline_model::{fold_one, Complaint, ComplaintId, Event, EventKind, Timestamp};
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::{HashMap, HashSet};

pub(super) fn internal(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("{what}: {e}"))
}

pub(super) fn parse_event(body: &str) -> Result<Event> {
    serde_json::from_str(body).map_err(|e| internal("stored event does not parse", e))
}

pub(super) fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Inserts one event unless its id is stored; returns the new seq, or `None` if it was there.
pub(super) async fn insert_event(
    conn: &mut SqliteConnection,
    ev: &Event,
    now: Timestamp,
) -> Result<Option<i64>> {
    let body = serde_json::to_string(ev).map_err(|e| internal("event does not serialize", e))?;
    Ok(sqlx::query_scalar(
        "INSERT INTO events
           (id, complaint_id, kind, author, device_id, lamport, captured_at, received_at, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
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

/// The answer for an event whose id is already stored: as the first time, or `id_conflict`.
async fn answer_stored(conn: &mut SqliteConnection, ev: &Event) -> Result<Option<PushResult>> {
    let row: Option<(i64, i64, String)> =
        sqlx::query_as("SELECT seq, received_at, body FROM events WHERE id = ?")
            .bind(ev.id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    let Some((seq, received_at, body)) = row else {
        return Ok(None);
    };
    Ok(Some(if parse_event(&body)? == *ev {
        PushResult::Accepted {
            seq: to_u64(seq),
            received_at: Timestamp(received_at),
        }
    } else {
        PushResult::Rejected {
            code: "id_conflict".into(),
            message: "another event with this id and different content is already stored".into(),
        }
    }))
}

pub(super) async fn push(
    pool: &SqlitePool,
    events: &[Event],
    default_site: &str,
    gate: &dyn PushGate,
    import: Option<&ImportInfo>,
    now: Timestamp,
) -> Result<Vec<PushResult>> {
    // IMMEDIATE takes the write lock up front: concurrent pushes serialize (busy_timeout waits)
    // instead of failing to upgrade a read transaction. The gate sees the state as of this lock.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let sites = sqlite_sites::known_sites(&mut tx).await?;
    let clocks = sqlite_sites::clocks(&mut tx).await?;
    let mut states = BatchStates::default();
    let mut results = Vec::with_capacity(events.len());
    let mut touched: Vec<ComplaintId> = Vec::new();
    let mut seen: HashSet<ComplaintId> = HashSet::new();
    let mut created: Vec<&Event> = Vec::new();
    for ev in events {
        if let Some(answer) = answer_stored(&mut tx, ev).await? {
            results.push(answer);
            continue;
        }
        let cid = ev.complaint_id;
        if !states.is_loaded(cid) {
            let stored = complaint_events(&mut tx, cid).await?;
            states.load(cid, stored.into_iter().map(|e| e.event).collect());
        }
        if let Some(rejected) = gate.check(ev, states.state(cid)) {
            results.push(rejected);
            continue;
        }
        let seq = insert_event(&mut tx, ev, now)
            .await?
            .ok_or_else(|| Error::Internal("event appeared during the push".into()))?;
        if let Some(import) = import {
            sqlite_attach::record_import(&mut tx, ev.id, import, now).await?;
        }
        states.accept(ev);
        results.push(PushResult::Accepted {
            seq: to_u64(seq),
            received_at: now,
        });
        if seen.insert(cid) {
            touched.push(cid);
        }
        if matches!(ev.kind, EventKind::Created(_)) {
            created.push(ev);
        }
    }
    for ev in &created {
        let named = match &ev.kind {
            EventKind::Created(new) => new.site.as_str(),
            _ => "",
        };
        assign_number(&mut tx, ev, resolve_site(named, &sites, default_site), now).await?;
    }
    for id in &touched {
        refresh_projection(&mut tx, *id, &sites, default_site, &clocks).await?;
    }
    for ev in &created {
        let cid = ev.complaint_id;
        if sqlite_escalate::escalate_repeat(&mut tx, cid, &clocks, now).await? {
            refresh_projection(&mut tx, cid, &sites, default_site, &clocks).await?;
        }
    }
    tx.commit().await?;
    Ok(results)
}

/// Gives a newly created complaint its canonical number, once, and appends the server event.
async fn assign_number(
    conn: &mut SqliteConnection,
    created: &Event,
    site_code: &str,
    now: Timestamp,
) -> Result<()> {
    let cid = created.complaint_id.to_string();
    let has: Option<String> =
        sqlx::query_scalar("SELECT number FROM complaint_numbers WHERE complaint_id = ?")
            .bind(&cid)
            .fetch_optional(&mut *conn)
            .await?;
    if has.is_some() {
        return Ok(());
    }
    let year = created.captured_at.year(CHINA_OFFSET_MINUTES);
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO number_counters (site_code, year, last_seq) VALUES (?, ?, 1)
         ON CONFLICT (site_code, year) DO UPDATE SET last_seq = last_seq + 1
         RETURNING last_seq",
    )
    .bind(site_code)
    .bind(year)
    .fetch_one(&mut *conn)
    .await?;
    let number = canonical(site_code, year, to_u64(seq));
    sqlx::query(
        "INSERT INTO complaint_numbers (complaint_id, site_code, year, seq, number) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&cid)
    .bind(site_code)
    .bind(year)
    .bind(seq)
    .bind(&number)
    .execute(&mut *conn)
    .await?;
    let ev = number_event(created, number, now);
    if insert_event(conn, &ev, now).await?.is_none() {
        return Err(Error::Internal("server event id collided".into()));
    }
    Ok(())
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
    let Some(state) = fold_one(events.iter().map(|e| &e.event)) else {
        return Ok(None); // Its `Created` has not arrived yet.
    };
    let received_at = events
        .iter()
        .find(|e| matches!(e.event.kind, EventKind::Created(_)))
        .map_or(Timestamp(0), |e| e.received_at);
    let state_json =
        serde_json::to_string(&state).map_err(|e| internal("state does not serialize", e))?;
    let phone = state.complainant.phone.as_deref().filter(|p| !p.is_empty());
    let site = resolve_site(&state.site, sites, default_site);
    let facts = match clocks.get(site) {
        Some(clock) => ReportFacts::of(&state, clock),
        None => ReportFacts::of(&state, &Clock::china()),
    };
    sqlx::query(
        "INSERT INTO complaints (id, site_code, number, provisional_number, status, severity, category,
           channel, location, description, created_by, captured_at, received_at, updated_at, state_json,
           department, nature, phone, location_key, fold_version, category_top, month, replied_at,
           closed_at, satisfaction, late, open_due_at, is_repeat)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
           is_repeat = max(complaints.is_repeat, excluded.is_repeat)",
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
    .execute(&mut *conn)
    .await?;
    sqlite_attach::set_complaint_attachments(conn, id, &state).await?;
    Ok(Some(state))
}

/// Re-folds every projection row written by an older server (run once when the store opens).
pub(super) async fn refresh_stale_projections(pool: &SqlitePool) -> Result<u64> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM complaints WHERE fold_version < ?")
        .bind(FOLD_VERSION)
        .fetch_all(&mut *tx)
        .await?;
    if ids.is_empty() {
        return Ok(0);
    }
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
    tx.commit().await?;
    Ok(ids.len() as u64)
}

pub(super) async fn pull(
    pool: &SqlitePool,
    after: u64,
    limit: u32,
) -> Result<(Vec<SyncedEvent>, bool)> {
    let after = i64::try_from(after).unwrap_or(i64::MAX);
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT seq, received_at, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
    )
    .bind(after)
    .bind(i64::from(limit) + 1)
    .fetch_all(pool)
    .await?;
    let has_more = rows.len() > limit as usize;
    let events = rows
        .into_iter()
        .take(limit as usize)
        .map(|(seq, received_at, body)| {
            Ok(SyncedEvent {
                seq: to_u64(seq),
                received_at: Timestamp(received_at),
                event: parse_event(&body)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((events, has_more))
}
