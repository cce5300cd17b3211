//! SQLite: upserting complaints' projection rows (as the ingest core built them), their
//! attachment references and the departments they ever had, a few statements per push (each
//! statement is a hop to the connection's thread, so one per complaint was most of a push).

use crate::ingest::{ProjectionRow, References};
use crate::store::error::Result;
use crate::store::rows::internal;
use siteline_model::Timestamp;
use sqlx::query_builder::Separated;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::sync::LazyLock;

/// The upsert's head and `ON CONFLICT` clause (columns in the order [`push_row`] binds them).
static UPSERT: LazyLock<(String, String)> =
    LazyLock::new(|| crate::ingest::upsert_sql("max(complaints.is_repeat, excluded.is_repeat)"));

/// Rows per upsert statement (30 parameters each, far under SQLite's 32,766).
const ROWS_PER_STATEMENT: usize = 100;

fn minutes(m: Option<u64>) -> Option<i64> {
    m.map(|m| i64::try_from(m).unwrap_or(i64::MAX))
}

fn push_row<'a>(mut b: Separated<'_, 'a, Sqlite, &'static str>, row: &'a ProjectionRow<'a>) {
    let state = row.state;
    let facts = &row.facts;
    b.push_bind(state.id.to_string())
        .push_bind(row.site)
        .push_bind(state.number.as_deref())
        .push_bind(state.provisional_number.as_str())
        .push_bind(state.status.code())
        .push_bind(state.severity.code())
        .push_bind(state.category.as_str())
        .push_bind(state.channel.code())
        .push_bind(state.location.as_str())
        .push_bind(state.description.as_str())
        .push_bind(state.created_by.as_str())
        .push_bind(state.captured_at.millis())
        .push_bind(row.received_at.millis())
        .push_bind(state.updated_at.millis())
        .push_bind(row.state_json.as_str())
        .push_bind(state.department.as_deref())
        .push_bind(state.nature.code())
        .push_bind(row.phone)
        .push_bind(row.location_key)
        .push_bind(row.fold_version)
        .push_bind(facts.category_top.as_str())
        .push_bind(i64::from(facts.month))
        .push_bind(state.replied_at.map(Timestamp::millis))
        .push_bind(state.closed_at.map(Timestamp::millis))
        .push_bind(state.satisfaction.map(|s| s.code()))
        .push_bind(facts.late)
        .push_bind(facts.open_due_at.map(Timestamp::millis))
        .push_bind(facts.repeat)
        .push_bind(minutes(facts.reply_work_minutes))
        .push_bind(minutes(facts.close_work_minutes));
}

/// Upserts the projections of some complaints (each id once): the rows, the attachment
/// references of those that had rows before this push (`had_rows`) or have attachments, and
/// each department they ever had (from the complaint's last seq, see pull.rs).
pub(super) async fn write(
    conn: &mut SqliteConnection,
    rows: &[(ProjectionRow<'_>, bool)],
) -> Result<()> {
    for part in rows.chunks(ROWS_PER_STATEMENT) {
        let mut q = QueryBuilder::<Sqlite>::new(UPSERT.0.as_str());
        q.push_values(part, |b, (row, _)| push_row(b, row));
        q.push(UPSERT.1.as_str());
        q.build().execute(&mut *conn).await?;
    }
    let refs = References::of(rows);
    if !refs.replaced.is_empty() {
        sqlx::query(
            "DELETE FROM complaint_attachments
             WHERE complaint_id IN (SELECT value FROM json_each(?))",
        )
        .bind(json(&refs.replaced)?)
        .execute(&mut *conn)
        .await?;
        if !refs.attachments.is_empty() {
            sqlx::query(
                "INSERT INTO complaint_attachments (complaint_id, sha256)
                 SELECT value ->> 0, value ->> 1 FROM json_each(?) WHERE true
                 ON CONFLICT DO NOTHING",
            )
            .bind(json(&refs.attachments)?)
            .execute(&mut *conn)
            .await?;
        }
    }
    if !refs.grants.is_empty() {
        sqlx::query(
            "INSERT OR IGNORE INTO complaint_departments
               (complaint_id, department, site_code, since_seq)
             SELECT value ->> 0, value ->> 1, value ->> 2,
                    (SELECT coalesce(max(seq), 0) FROM events WHERE complaint_id = value ->> 0)
             FROM json_each(?)",
        )
        .bind(json(&refs.grants)?)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

fn json(v: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(v).map_err(|e| internal("a list does not serialize", e))
}
