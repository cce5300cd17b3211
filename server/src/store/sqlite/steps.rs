//! SQLite's steps of an ingest transaction (`ingest::IngestTx`): SQL only, rows by name.

use super::attach;
use crate::ingest::{IngestTx, NumberRow, ProjectionRow, RepeatQuery, StoredEvent};
use crate::store::error::Result;
use crate::store::rows::{candidates_by_query, internal, parse_event, parse_state, to_u64};
use crate::store::{ImportInfo, FOLD_VERSION};
use async_trait::async_trait;
use siteline_model::sync::SyncedEvent;
use siteline_model::{Complaint, ComplaintId, Event, EventId, Severity, Status, Timestamp};
use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashMap;

/// An ingest transaction on one SQLite connection (inside `BEGIN IMMEDIATE`).
pub(super) struct SqliteTx<'c>(pub &'c mut SqliteConnection);

/// Rows per multi-row INSERT (10 parameters an event: far below SQLite's limit).
const ROWS_PER_INSERT: usize = 100;

/// A JSON array of ids, bound as one parameter and read back with `json_each`: one statement
/// (and one cached prepared statement) whatever the batch size.
fn id_list<T: ToString>(ids: impl IntoIterator<Item = T>) -> Result<String> {
    let ids: Vec<String> = ids.into_iter().map(|i| i.to_string()).collect();
    serde_json::to_string(&ids).map_err(|e| internal("ids do not serialize", e))
}

#[derive(FromRow)]
struct EventRow {
    id: String,
    seq: i64,
    received_at: i64,
    body: String,
}

#[derive(FromRow)]
struct ComplaintEventRow {
    complaint_id: String,
    seq: i64,
    received_at: i64,
    body: String,
}

#[derive(FromRow)]
struct Inserted {
    id: String,
    seq: i64,
}

#[derive(FromRow)]
struct ProjectedRow {
    id: String,
    received_at: i64,
    state_json: String,
}

#[derive(FromRow)]
struct StateRow {
    state_json: String,
}

#[derive(FromRow)]
struct SiteStateRow {
    site_code: String,
    state_json: String,
}

/// The 二次投诉 candidates of several new complaints in one statement (`repeat_candidates`'
/// query once per element of the JSON array `?1`, numbered by its index): the queries are
/// the outer loop, so each one is a range of the phone or the place index (`plans` test).
pub(super) const REPEAT_CANDIDATES: &str = "SELECT q.key AS i, c.id, c.state_json
     FROM json_each(?1) AS q CROSS JOIN complaints AS c
     WHERE c.site_code = q.value ->> 0 AND c.phone = q.value ->> 1
       AND c.captured_at BETWEEN q.value ->> 4 AND q.value ->> 5 AND c.id <> q.value ->> 6
     UNION
     SELECT q.key, c.id, c.state_json
     FROM json_each(?1) AS q CROSS JOIN complaints AS c
     WHERE q.value ->> 2 <> '' AND c.site_code = q.value ->> 0
       AND c.location_key = q.value ->> 2 AND c.category = q.value ->> 3
       AND c.captured_at BETWEEN q.value ->> 4 AND q.value ->> 5 AND c.id <> q.value ->> 6
     ORDER BY 1, 2";

#[async_trait]
impl IngestTx for SqliteTx<'_> {
    async fn stored_events(&mut self, ids: &[EventId]) -> Result<HashMap<EventId, StoredEvent>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT id, seq, received_at, body FROM events
             WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(id_list(ids)?)
        .fetch_all(&mut *self.0)
        .await?;
        rows.into_iter()
            .map(|r| {
                let id: EventId = r.id.parse().map_err(|e| internal("stored event id", e))?;
                let stored = StoredEvent {
                    seq: to_u64(r.seq),
                    received_at: Timestamp(r.received_at),
                    event: parse_event(&r.body)?,
                };
                Ok((id, stored))
            })
            .collect()
    }

    async fn projections(
        &mut self,
        complaints: &[ComplaintId],
    ) -> Result<HashMap<ComplaintId, (Complaint, Timestamp)>> {
        if complaints.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<ProjectedRow> = sqlx::query_as(
            "SELECT id, received_at, state_json FROM complaints
             WHERE id IN (SELECT value FROM json_each(?)) AND fold_version = ?",
        )
        .bind(id_list(complaints)?)
        .bind(FOLD_VERSION)
        .fetch_all(&mut *self.0)
        .await?;
        rows.into_iter()
            .map(|r| {
                let id: ComplaintId =
                    r.id.parse()
                        .map_err(|e| internal("stored complaint id", e))?;
                Ok((id, (parse_state(&r.state_json)?, Timestamp(r.received_at))))
            })
            .collect()
    }

    async fn complaint_events(
        &mut self,
        complaints: &[ComplaintId],
    ) -> Result<HashMap<ComplaintId, Vec<SyncedEvent>>> {
        let mut out: HashMap<ComplaintId, Vec<SyncedEvent>> = HashMap::new();
        if complaints.is_empty() {
            return Ok(out);
        }
        let rows: Vec<ComplaintEventRow> = sqlx::query_as(
            "SELECT complaint_id, seq, received_at, body FROM events
             WHERE complaint_id IN (SELECT value FROM json_each(?)) ORDER BY complaint_id, seq",
        )
        .bind(id_list(complaints)?)
        .fetch_all(&mut *self.0)
        .await?;
        for r in rows {
            let cid: ComplaintId = r
                .complaint_id
                .parse()
                .map_err(|e| internal("stored complaint id", e))?;
            out.entry(cid).or_default().push(SyncedEvent {
                seq: to_u64(r.seq),
                received_at: Timestamp(r.received_at),
                event: parse_event(&r.body)?,
            });
        }
        Ok(out)
    }

    async fn insert_events(
        &mut self,
        events: &[&Event],
        received_at: Timestamp,
        site_of: &HashMap<ComplaintId, String>,
    ) -> Result<HashMap<EventId, u64>> {
        let mut seqs = HashMap::with_capacity(events.len());
        for part in events.chunks(ROWS_PER_INSERT) {
            let bodies = part
                .iter()
                .map(serde_json::to_string)
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| internal("event does not serialize", e))?;
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO events
                   (id, complaint_id, kind, author, device_id, lamport, captured_at, received_at,
                    body, site_code) ",
            );
            q.push_values(part.iter().zip(bodies), |mut b, (ev, body)| {
                b.push_bind(ev.id.to_string())
                    .push_bind(ev.complaint_id.to_string())
                    .push_bind(ev.kind.code())
                    .push_bind(ev.author.as_str())
                    .push_bind(ev.device_id.to_string())
                    .push_bind(i64::try_from(ev.lamport).unwrap_or(i64::MAX))
                    .push_bind(ev.captured_at.millis())
                    .push_bind(received_at.millis())
                    .push_bind(body)
                    .push_bind(site_of.get(&ev.complaint_id).map(String::as_str));
            });
            q.push(" ON CONFLICT (id) DO NOTHING RETURNING id, seq");
            let rows: Vec<Inserted> = q.build_query_as().fetch_all(&mut *self.0).await?;
            for r in rows {
                let id: EventId = r.id.parse().map_err(|e| internal("stored event id", e))?;
                seqs.insert(id, to_u64(r.seq));
            }
        }
        Ok(seqs)
    }

    async fn record_import(
        &mut self,
        event: EventId,
        import: &ImportInfo,
        now: Timestamp,
    ) -> Result<()> {
        attach::record_import(self.0, event, import, now).await
    }

    async fn number_of(&mut self, complaint: ComplaintId) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT number FROM complaint_numbers WHERE complaint_id = ?")
                .bind(complaint.to_string())
                .fetch_optional(&mut *self.0)
                .await?,
        )
    }

    async fn take_numbers(&mut self, site: &str, year: i32, n: u64) -> Result<u64> {
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO number_counters (site_code, year, last_seq) VALUES (?, ?, ?)
             ON CONFLICT (site_code, year) DO UPDATE SET last_seq = last_seq + excluded.last_seq
             RETURNING last_seq",
        )
        .bind(site)
        .bind(year)
        .bind(n)
        .fetch_one(&mut *self.0)
        .await?;
        Ok(to_u64(last - n + 1))
    }

    async fn insert_numbers(&mut self, rows: &[NumberRow]) -> Result<()> {
        for part in rows.chunks(ROWS_PER_INSERT) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO complaint_numbers (complaint_id, site_code, year, seq, number) ",
            );
            q.push_values(part, |mut b, r| {
                b.push_bind(r.complaint.to_string())
                    .push_bind(r.site.as_str())
                    .push_bind(r.year)
                    .push_bind(i64::try_from(r.seq).unwrap_or(i64::MAX))
                    .push_bind(r.number.as_str());
            });
            q.build().execute(&mut *self.0).await?;
        }
        Ok(())
    }

    async fn write_projections(&mut self, rows: &[(ProjectionRow<'_>, bool)]) -> Result<()> {
        super::projection::write(self.0, rows).await
    }

    async fn repeat_candidates(&mut self, q: &RepeatQuery<'_>) -> Result<Vec<Complaint>> {
        // An absent phone matches nothing (`phone = NULL`); an empty place is no match either.
        let found: Vec<StateRow> = sqlx::query_as(
            "SELECT id, state_json FROM complaints
             WHERE site_code = ?1 AND phone = ?2 AND captured_at BETWEEN ?3 AND ?4 AND id <> ?5
             UNION
             SELECT id, state_json FROM complaints
             WHERE ?6 <> '' AND site_code = ?1 AND location_key = ?6 AND category = ?7
               AND captured_at BETWEEN ?3 AND ?4 AND id <> ?5
             ORDER BY 1",
        )
        .bind(q.site)
        .bind(q.phone)
        .bind(q.since.millis())
        .bind(q.until.millis())
        .bind(q.exclude.to_string())
        .bind(q.place)
        .bind(q.category)
        .fetch_all(&mut *self.0)
        .await?;
        found.iter().map(|r| parse_state(&r.state_json)).collect()
    }

    async fn repeat_candidates_each(
        &mut self,
        qs: &[RepeatQuery<'_>],
    ) -> Result<Vec<Vec<Complaint>>> {
        #[derive(FromRow)]
        struct Found {
            i: i64,
            state_json: String,
        }
        if qs.is_empty() {
            return Ok(Vec::new());
        }
        // One JSON array of queries: [site, phone, place, category, since, until, exclude].
        let list: Vec<serde_json::Value> = qs
            .iter()
            .map(|q| {
                serde_json::json!([
                    q.site,
                    q.phone,
                    q.place,
                    q.category,
                    q.since.millis(),
                    q.until.millis(),
                    q.exclude.to_string()
                ])
            })
            .collect();
        let found: Vec<Found> = sqlx::query_as(REPEAT_CANDIDATES)
            .bind(serde_json::Value::Array(list).to_string())
            .fetch_all(&mut *self.0)
            .await?;
        candidates_by_query(qs.len(), found.into_iter().map(|f| (f.i, f.state_json)))
    }

    async fn mark_repeat(&mut self, complaint: ComplaintId) -> Result<()> {
        sqlx::query("UPDATE complaints SET is_repeat = 1 WHERE id = ?")
            .bind(complaint.to_string())
            .execute(&mut *self.0)
            .await?;
        Ok(())
    }

    async fn max_lamport(&mut self, complaint: ComplaintId) -> Result<u64> {
        let max: Option<i64> =
            sqlx::query_scalar("SELECT MAX(lamport) FROM events WHERE complaint_id = ?")
                .bind(complaint.to_string())
                .fetch_one(&mut *self.0)
                .await?;
        Ok(to_u64(max.unwrap_or(0)))
    }

    async fn claim_escalation(
        &mut self,
        complaint: ComplaintId,
        rule: &str,
        event: EventId,
        now: Timestamp,
    ) -> Result<bool> {
        let claimed: Option<i64> = sqlx::query_scalar(
            "INSERT INTO complaint_escalations (complaint_id, rule, event_id, created_at)
             VALUES (?, ?, ?, ?) ON CONFLICT (complaint_id, rule) DO NOTHING RETURNING 1",
        )
        .bind(complaint.to_string())
        .bind(rule)
        .bind(event.to_string())
        .bind(now.millis())
        .fetch_optional(&mut *self.0)
        .await?;
        Ok(claimed.is_some())
    }

    async fn unresolved_candidates(
        &mut self,
        cutoff: Timestamp,
    ) -> Result<Vec<(String, Complaint)>> {
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT site_code, state_json FROM complaints
             WHERE nature = 'effective' AND severity <> ",
        );
        q.push_bind(Severity::Major.code())
            .push(" AND captured_at <= ")
            .push_bind(cutoff.millis())
            .push(" AND status NOT IN (");
        let mut list = q.separated(", ");
        for s in Status::ALL.into_iter().filter(|s| !s.is_open()) {
            list.push_bind(s.code());
        }
        q.push(")");
        let rows: Vec<SiteStateRow> = q.build_query_as().fetch_all(&mut *self.0).await?;
        rows.into_iter()
            .map(|r| Ok((r.site_code, parse_state(&r.state_json)?)))
            .collect()
    }
}
