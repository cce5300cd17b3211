//! SQLite sync: idempotent push with numbering and projection in one transaction, pull, queries.

use super::{number_event, summary_of, ComplaintDetail, ComplaintFilter};
use crate::error::{Error, Result};
use siteline_model::api::ComplaintSummary;
use siteline_model::numbering::canonical;
use siteline_model::sync::{PushResult, SyncedEvent};
use siteline_model::time::CHINA_OFFSET_MINUTES;
use siteline_model::{
    fold_one, Channel, Complaint, ComplaintId, Event, EventKind, Severity, Status, Timestamp,
};
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashSet;

fn internal(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("{what}: {e}"))
}

fn parse_event(body: &str) -> Result<Event> {
    serde_json::from_str(body).map_err(|e| internal("stored event does not parse", e))
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Inserts one event unless its id is stored; returns the new seq, or `None` if it was there.
async fn insert_event(
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

pub(super) async fn push(
    pool: &SqlitePool,
    events: &[Event],
    site_code: &str,
    now: Timestamp,
) -> Result<Vec<PushResult>> {
    // IMMEDIATE takes the write lock up front: concurrent pushes serialize (busy_timeout waits)
    // instead of failing to upgrade a read transaction.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let mut results = Vec::with_capacity(events.len());
    let mut touched: Vec<ComplaintId> = Vec::new();
    let mut seen: HashSet<ComplaintId> = HashSet::new();
    let mut created: Vec<&Event> = Vec::new();
    for ev in events {
        if let Some(seq) = insert_event(&mut tx, ev, now).await? {
            results.push(PushResult::Accepted {
                seq: to_u64(seq),
                received_at: now,
            });
            if seen.insert(ev.complaint_id) {
                touched.push(ev.complaint_id);
            }
            if matches!(ev.kind, EventKind::Created(_)) {
                created.push(ev);
            }
            continue;
        }
        let (seq, received_at, body): (i64, i64, String) =
            sqlx::query_as("SELECT seq, received_at, body FROM events WHERE id = ?")
                .bind(ev.id.to_string())
                .fetch_one(&mut *tx)
                .await?;
        if parse_event(&body)? == *ev {
            results.push(PushResult::Accepted {
                seq: to_u64(seq),
                received_at: Timestamp(received_at),
            });
        } else {
            results.push(PushResult::Rejected {
                code: "id_conflict".into(),
                message: "another event with this id and different content is already stored"
                    .into(),
            });
        }
    }
    for ev in created {
        assign_number(&mut tx, ev, site_code, now).await?;
    }
    for id in touched {
        refresh_projection(&mut tx, id, site_code).await?;
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
async fn complaint_events(
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
async fn refresh_projection(
    conn: &mut SqliteConnection,
    id: ComplaintId,
    site_code: &str,
) -> Result<()> {
    let events = complaint_events(conn, id).await?;
    let Some(state) = fold_one(events.iter().map(|e| &e.event)) else {
        return Ok(()); // Its `Created` has not arrived yet.
    };
    let received_at = events
        .iter()
        .find(|e| matches!(e.event.kind, EventKind::Created(_)))
        .map_or(Timestamp(0), |e| e.received_at);
    let state_json =
        serde_json::to_string(&state).map_err(|e| internal("state does not serialize", e))?;
    sqlx::query(
        "INSERT INTO complaints (id, site_code, number, provisional_number, status, severity, category,
           channel, location, description, created_by, captured_at, received_at, updated_at, state_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
           number = excluded.number, provisional_number = excluded.provisional_number,
           status = excluded.status, severity = excluded.severity, category = excluded.category,
           channel = excluded.channel, location = excluded.location,
           description = excluded.description, created_by = excluded.created_by,
           captured_at = excluded.captured_at, received_at = excluded.received_at,
           updated_at = excluded.updated_at, state_json = excluded.state_json",
    )
    .bind(id.to_string())
    .bind(site_code)
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
    .execute(&mut *conn)
    .await?;
    Ok(())
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

type SummaryRow = (
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
);

fn summary_from_row(r: SummaryRow) -> Result<ComplaintSummary> {
    let (
        id,
        number,
        provisional_number,
        status,
        severity,
        category,
        channel,
        location,
        description,
        created_by,
        captured_at,
        received_at,
    ) = r;
    Ok(ComplaintSummary {
        id: id.parse().map_err(|e| internal("stored complaint id", e))?,
        number: number.unwrap_or_else(|| provisional_number.clone()),
        provisional_number,
        status: super::parse_code("status", &status, Status::parse)?,
        severity: super::parse_code("severity", &severity, Severity::parse)?,
        category,
        channel: super::parse_code("channel", &channel, Channel::parse)?,
        location,
        description,
        created_by,
        created_at: Timestamp(captured_at),
        received_at: Timestamp(received_at),
    })
}

pub(super) async fn list_complaints(
    pool: &SqlitePool,
    f: &ComplaintFilter,
) -> Result<Vec<ComplaintSummary>> {
    // A category filter matches the code itself and its sub-categories (`facility` ⊃ `facility.lift`).
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT id, number, provisional_number, status, severity, category, channel, location,
                description, created_by, captured_at, received_at
         FROM complaints
         WHERE (?1 IS NULL OR status = ?1)
           AND (?2 IS NULL OR severity = ?2)
           AND (?3 IS NULL OR category = ?3 OR substr(category, 1, length(?3) + 1) = ?3 || '.')
         ORDER BY captured_at DESC, id DESC
         LIMIT ?4",
    )
    .bind(f.status.map(|s| s.code()))
    .bind(f.severity.map(|s| s.code()))
    .bind(f.category.as_deref())
    .bind(i64::from(f.limit))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(summary_from_row).collect()
}

pub(super) async fn get_complaint(
    pool: &SqlitePool,
    id: ComplaintId,
) -> Result<Option<ComplaintDetail>> {
    // One read transaction: the state and the events come from the same snapshot.
    let mut tx = pool.begin().await?;
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT state_json, received_at FROM complaints WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    let Some((state_json, received_at)) = row else {
        return Ok(None);
    };
    let state: Complaint = serde_json::from_str(&state_json)
        .map_err(|e| internal("stored state does not parse", e))?;
    let events = complaint_events(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Some(ComplaintDetail {
        summary: summary_of(&state, Timestamp(received_at)),
        state,
        events,
    }))
}
