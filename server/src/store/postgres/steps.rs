//! PostgreSQL's steps of an ingest transaction (`ingest::IngestTx`): SQL only, rows by name.
//! The transaction holds the ingest advisory lock from its first statement to its commit, so
//! event seqs are assigned and committed in one order across every server process.

use crate::ingest::{IngestTx, NumberRow, ProjectionRow, RepeatQuery, StoredEvent};
use crate::store::error::Result;
use crate::store::rows::{candidates_by_query, internal, parse_event, parse_state, to_i64, to_u64};
use crate::store::{ImportInfo, FOLD_VERSION};
use async_trait::async_trait;
use siteline_model::sync::SyncedEvent;
use siteline_model::{Complaint, ComplaintId, Event, EventId, Severity, Status, Timestamp};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};
use std::collections::HashMap;

/// The advisory lock every ingest transaction takes (`pg_advisory_xact_lock`): writers of
/// events serialise, which is what makes `seq > cursor` a gap-free pull.
pub(super) const INGEST_LOCK: i64 = 0x5117_e11e;

/// An ingest transaction on one PostgreSQL connection.
pub(super) struct PgTx<'c>(pub &'c mut PgConnection);

impl PgTx<'_> {
    /// Takes the ingest lock (held until the transaction ends) and plans this transaction's
    /// statements for their parameters. A connection's cached generic plan may have been made
    /// when the tables were small (a scan, not an index): on a fast-growing new database it
    /// stays a scan and a push costs 20-70 ms per query. `SET LOCAL` keeps it to this
    /// transaction (safe behind a transaction-mode pooler); planning costs well under 1 ms.
    pub(super) async fn lock(&mut self) -> Result<()> {
        sqlx::query("SET LOCAL plan_cache_mode = force_custom_plan")
            .execute(&mut *self.0)
            .await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(INGEST_LOCK)
            .execute(&mut *self.0)
            .await?;
        Ok(())
    }
}

/// Rows per multi-row INSERT.
const ROWS_PER_INSERT: usize = 500;

fn texts<T: ToString>(ids: &[T]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
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

/// The 二次投诉 candidates of several new complaints at once (one row of parameters each).
/// `captured_at + 0`: the window is a filter, never an index bound, so the planner cannot
/// take (site_code, captured_at) — a whole site's window — over the phone or place index
/// while the table has no statistics yet (a new database filling fast).
pub(super) const REPEAT_CANDIDATES: &str = "SELECT q.i, c.state_json
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                 $7::bigint[], $8::text[])
          AS q (i, site, phone, place, category, since, until, exclude)
     CROSS JOIN LATERAL (
         SELECT id, state_json FROM complaints
         WHERE site_code = q.site AND phone = q.phone
           AND captured_at + 0 BETWEEN q.since AND q.until AND id <> q.exclude
         UNION
         SELECT id, state_json FROM complaints
         WHERE q.place <> '' AND site_code = q.site AND location_key = q.place
           AND category = q.category AND captured_at + 0 BETWEEN q.since AND q.until
           AND id <> q.exclude
     ) AS c
     ORDER BY q.i, c.id";

#[async_trait]
impl IngestTx for PgTx<'_> {
    async fn stored_events(&mut self, ids: &[EventId]) -> Result<HashMap<EventId, StoredEvent>> {
        let rows: Vec<EventRow> =
            sqlx::query_as("SELECT id, seq, received_at, body FROM events WHERE id = ANY($1)")
                .bind(texts(ids))
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
             WHERE id = ANY($1) AND fold_version = $2",
        )
        .bind(texts(complaints))
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
             WHERE complaint_id = ANY($1) ORDER BY complaint_id, seq",
        )
        .bind(texts(complaints))
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
            let mut q = QueryBuilder::<Postgres>::new(
                "INSERT INTO events
                   (id, complaint_id, kind, author, device_id, lamport, captured_at, received_at,
                    body, site_code) ",
            );
            q.push_values(part.iter().zip(bodies), |mut b, (ev, body)| {
                b.push_bind(ev.id.to_string())
                    .push_bind(ev.complaint_id.to_string())
                    .push_bind(ev.kind.code())
                    .push_bind(ev.author.clone())
                    .push_bind(ev.device_id.to_string())
                    .push_bind(to_i64(ev.lamport))
                    .push_bind(ev.captured_at.millis())
                    .push_bind(received_at.millis())
                    .push_bind(body)
                    .push_bind(site_of.get(&ev.complaint_id).cloned());
            });
            // Seqs ascend in the order of the rows (one statement, one lock holder).
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
        sqlx::query(
            "INSERT INTO event_imports (event_id, imported_by, device_id, exported_at, imported_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING",
        )
        .bind(event.to_string())
        .bind(&import.imported_by)
        .bind(import.device_id.to_string())
        .bind(import.exported_at.millis())
        .bind(now.millis())
        .execute(&mut *self.0)
        .await?;
        Ok(())
    }

    async fn number_of(&mut self, complaint: ComplaintId) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT number FROM complaint_numbers WHERE complaint_id = $1")
                .bind(complaint.to_string())
                .fetch_optional(&mut *self.0)
                .await?,
        )
    }

    async fn take_numbers(&mut self, site: &str, year: i32, n: u64) -> Result<u64> {
        let n = to_i64(n);
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO number_counters (site_code, year, last_seq) VALUES ($1, $2, $3)
             ON CONFLICT (site_code, year)
             DO UPDATE SET last_seq = number_counters.last_seq + EXCLUDED.last_seq
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
            let mut q = QueryBuilder::<Postgres>::new(
                "INSERT INTO complaint_numbers (complaint_id, site_code, year, seq, number) ",
            );
            q.push_values(part, |mut b, r| {
                b.push_bind(r.complaint.to_string())
                    .push_bind(r.site.clone())
                    .push_bind(r.year)
                    .push_bind(to_i64(r.seq))
                    .push_bind(r.number.clone());
            });
            q.build().execute(&mut *self.0).await?;
        }
        Ok(())
    }

    async fn write_projections(&mut self, rows: &[(ProjectionRow<'_>, bool)]) -> Result<()> {
        super::projection::write(self.0, rows).await
    }

    async fn repeat_candidates(&mut self, q: &RepeatQuery<'_>) -> Result<Vec<Complaint>> {
        let found: Vec<StateRow> = sqlx::query_as(
            "SELECT id, state_json FROM complaints
             WHERE site_code = $1 AND phone = $2 AND captured_at BETWEEN $3 AND $4 AND id <> $5
             UNION
             SELECT id, state_json FROM complaints
             WHERE $6 <> '' AND site_code = $1 AND location_key = $6 AND category = $7
               AND captured_at BETWEEN $3 AND $4 AND id <> $5
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
            i: i32,
            state_json: String,
        }
        if qs.is_empty() {
            return Ok(Vec::new());
        }
        let text = |f: &dyn Fn(&RepeatQuery<'_>) -> String| qs.iter().map(f).collect::<Vec<_>>();
        let index: Vec<i32> = (0..qs.len())
            .map(|i| i32::try_from(i).unwrap_or(i32::MAX))
            .collect();
        let phones: Vec<Option<String>> = qs.iter().map(|q| q.phone.map(str::to_string)).collect();
        let found: Vec<Found> = sqlx::query_as(REPEAT_CANDIDATES)
            .bind(index)
            .bind(text(&|q| q.site.to_string()))
            .bind(phones)
            .bind(text(&|q| q.place.to_string()))
            .bind(text(&|q| q.category.to_string()))
            .bind(qs.iter().map(|q| q.since.millis()).collect::<Vec<_>>())
            .bind(qs.iter().map(|q| q.until.millis()).collect::<Vec<_>>())
            .bind(text(&|q| q.exclude.to_string()))
            .fetch_all(&mut *self.0)
            .await?;
        candidates_by_query(
            qs.len(),
            found.into_iter().map(|f| (i64::from(f.i), f.state_json)),
        )
    }

    async fn mark_repeat(&mut self, complaint: ComplaintId) -> Result<()> {
        sqlx::query("UPDATE complaints SET is_repeat = TRUE WHERE id = $1")
            .bind(complaint.to_string())
            .execute(&mut *self.0)
            .await?;
        Ok(())
    }

    async fn max_lamport(&mut self, complaint: ComplaintId) -> Result<u64> {
        let max: Option<i64> =
            sqlx::query_scalar("SELECT MAX(lamport) FROM events WHERE complaint_id = $1")
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
        let claimed: Option<i32> = sqlx::query_scalar(
            "INSERT INTO complaint_escalations (complaint_id, rule, event_id, created_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (complaint_id, rule) DO NOTHING RETURNING 1",
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
        let closed: Vec<String> = Status::ALL
            .into_iter()
            .filter(|s| !s.is_open())
            .map(|s| s.code().to_string())
            .collect();
        let rows: Vec<SiteStateRow> = sqlx::query_as(
            "SELECT site_code, state_json FROM complaints
             WHERE nature = 'effective' AND severity <> $1 AND captured_at <= $2
               AND NOT (status = ANY($3))",
        )
        .bind(Severity::Major.code())
        .bind(cutoff.millis())
        .bind(closed)
        .fetch_all(&mut *self.0)
        .await?;
        rows.into_iter()
            .map(|r| Ok((r.site_code, parse_state(&r.state_json)?)))
            .collect()
    }
}
