//! PostgreSQL reads of the projection: the filtered register and one complaint with its
//! events (one snapshot).

use super::PgStore;
use crate::store::error::{Result, StoreError};
use crate::store::rows::ComplaintRecord;
use crate::store::{ComplaintFilter, ComplaintRow, ReadScope, StoredComplaint};
use siteline_model::sync::SyncedEvent;
use siteline_model::{ComplaintId, Timestamp};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

#[derive(FromRow)]
struct EventRow {
    seq: i64,
    received_at: i64,
    body: String,
}

/// ` AND site_code = ANY(...)` (no site: nothing matches).
pub(super) fn push_sites(q: &mut QueryBuilder<'_, Postgres>, sites: &[String]) {
    q.push(" AND site_code = ANY(")
        .push_bind(sites.to_vec())
        .push(")");
}

async fn events_of(conn: &mut PgConnection, id: ComplaintId) -> Result<Vec<SyncedEvent>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT seq, received_at, body FROM events WHERE complaint_id = $1 ORDER BY seq",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(SyncedEvent {
                seq: u64::try_from(r.seq).unwrap_or(0),
                received_at: Timestamp(r.received_at),
                event: serde_json::from_str(&r.body).map_err(|e| {
                    StoreError::Internal(format!("stored event does not parse: {e}"))
                })?,
            })
        })
        .collect()
}

impl PgStore {
    pub(super) async fn list(&self, f: &ComplaintFilter) -> Result<Vec<ComplaintRow>> {
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
            "SELECT site_code, state_json, received_at FROM complaints WHERE TRUE",
        );
        match &f.scope {
            ReadScope::All => {}
            ReadScope::Sites(sites) => push_sites(&mut q, sites),
            ReadScope::Department { sites, department } => {
                push_sites(&mut q, sites);
                q.push(
                    " AND EXISTS (SELECT 1 FROM complaint_departments d
                       WHERE d.complaint_id = complaints.id AND d.department = ",
                )
                .push_bind(department.clone())
                .push(")");
            }
        }
        if let Some(site) = &f.site {
            q.push(" AND site_code = ").push_bind(site.clone());
        }
        if !f.statuses.is_empty() {
            let codes: Vec<String> = f.statuses.iter().map(|s| s.code().to_string()).collect();
            q.push(" AND status = ANY(").push_bind(codes).push(")");
        }
        if let Some(s) = f.severity {
            q.push(" AND severity = ").push_bind(s.code());
        }
        if let Some(c) = &f.category {
            // The code itself and its sub-categories (`facility` ⊃ `facility.lift`).
            let mut codes = vec![c.clone()];
            codes.extend(f.category_children.iter().cloned());
            q.push(" AND (category = ANY(")
                .push_bind(codes)
                .push(") OR starts_with(category, ")
                .push_bind(format!("{c}."))
                .push("))");
        }
        if let Some(d) = &f.department {
            q.push(" AND department = ").push_bind(d.clone());
        }
        if let Some(text) = &f.q {
            let needle = text.to_lowercase();
            q.push(" AND (strpos(lower(description), ")
                .push_bind(needle.clone())
                .push(") > 0 OR strpos(lower(location), ")
                .push_bind(needle.clone())
                .push(") > 0 OR strpos(lower(coalesce(number, '')), ")
                .push_bind(needle.clone())
                .push(") > 0 OR strpos(lower(provisional_number), ")
                .push_bind(needle)
                .push(") > 0)");
        }
        if let Some(from) = f.from {
            q.push(" AND captured_at >= ").push_bind(from.millis());
        }
        if let Some(to) = f.to {
            q.push(" AND captured_at < ").push_bind(to.millis());
        }
        if let Some(at) = f.overdue_at {
            q.push(" AND open_due_at IS NOT NULL AND open_due_at < ")
                .push_bind(at.millis());
        }
        if let Some((at, id)) = f.before {
            // Keyset paging in the list's order.
            q.push(" AND (captured_at, id) < (")
                .push_bind(at.millis())
                .push(", ")
                .push_bind(id.to_string())
                .push(")");
        }
        q.push(" ORDER BY captured_at DESC, id DESC");
        if let Some(limit) = f.limit {
            q.push(" LIMIT ").push_bind(i64::from(limit));
        }
        q.push(" OFFSET ").push_bind(i64::from(f.offset));
        let rows: Vec<ComplaintRecord> = q.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(ComplaintRecord::complaint_row)
            .collect()
    }

    pub(super) async fn one(&self, id: ComplaintId) -> Result<Option<StoredComplaint>> {
        // One snapshot: the state and the events agree.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await?;
        let row: Option<ComplaintRecord> = sqlx::query_as(
            "SELECT site_code, state_json, received_at FROM complaints WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let row = row.complaint_row()?;
        let events = events_of(&mut tx, id).await?;
        tx.commit().await?;
        Ok(Some(StoredComplaint { row, events }))
    }

    pub(super) async fn rows(&self, ids: &[ComplaintId]) -> Result<Vec<ComplaintRow>> {
        let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let rows: Vec<ComplaintRecord> = sqlx::query_as(
            "SELECT site_code, state_json, received_at FROM complaints WHERE id = ANY($1)",
        )
        .bind(ids)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(ComplaintRecord::complaint_row)
            .collect()
    }
}
