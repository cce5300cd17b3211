//! PostgreSQL: upserting complaints' projection rows (as the ingest core built them), their
//! attachment references and the departments they ever had, a few statements per push.

use crate::ingest::{ProjectionRow, References};
use crate::store::error::Result;
use siteline_model::Timestamp;
use sqlx::query_builder::Separated;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use std::sync::LazyLock;

fn minutes(m: Option<u64>) -> Option<i64> {
    m.map(|m| i64::try_from(m).unwrap_or(i64::MAX))
}

/// The upsert's head and `ON CONFLICT` clause (columns in the order [`push_row`] binds them).
static UPSERT: LazyLock<(String, String)> =
    LazyLock::new(|| crate::ingest::upsert_sql("complaints.is_repeat OR excluded.is_repeat"));

/// Rows per upsert statement (30 parameters each, under PostgreSQL's 65,535).
const ROWS_PER_STATEMENT: usize = 500;

fn push_row(mut b: Separated<'_, '_, Postgres, &'static str>, row: &ProjectionRow<'_>) {
    let state = row.state;
    let facts = &row.facts;
    b.push_bind(state.id.to_string())
        .push_bind(row.site.to_string())
        .push_bind(state.number.clone())
        .push_bind(state.provisional_number.clone())
        .push_bind(state.status.code())
        .push_bind(state.severity.code())
        .push_bind(state.category.clone())
        .push_bind(state.channel.code())
        .push_bind(state.location.clone())
        .push_bind(state.description.clone())
        .push_bind(state.created_by.clone())
        .push_bind(state.captured_at.millis())
        .push_bind(row.received_at.millis())
        .push_bind(state.updated_at.millis())
        .push_bind(row.state_json.clone())
        .push_bind(state.department.clone())
        .push_bind(state.nature.code())
        .push_bind(row.phone.map(str::to_string))
        .push_bind(row.location_key.to_string())
        .push_bind(row.fold_version)
        .push_bind(facts.category_top.clone())
        .push_bind(i32::try_from(facts.month).unwrap_or(0))
        .push_bind(state.replied_at.map(Timestamp::millis))
        .push_bind(state.closed_at.map(Timestamp::millis))
        .push_bind(state.satisfaction.map(|s| s.code()))
        .push_bind(facts.late)
        .push_bind(facts.open_due_at.map(Timestamp::millis))
        .push_bind(facts.repeat)
        .push_bind(minutes(facts.reply_work_minutes))
        .push_bind(minutes(facts.close_work_minutes));
}

/// Upserts the projections of some complaints (each id once), in a few statements: the rows,
/// the attachment references of those that had rows before this push (`had_rows`) or have
/// attachments, and each department they ever had.
pub(super) async fn write(
    conn: &mut PgConnection,
    rows: &[(ProjectionRow<'_>, bool)],
) -> Result<()> {
    for part in rows.chunks(ROWS_PER_STATEMENT) {
        let mut q = QueryBuilder::<Postgres>::new(UPSERT.0.as_str());
        q.push_values(part, |b, (row, _)| push_row(b, row));
        q.push(UPSERT.1.as_str());
        q.build().execute(&mut *conn).await?;
    }
    let refs = References::of(rows);
    if !refs.replaced.is_empty() {
        sqlx::query("DELETE FROM complaint_attachments WHERE complaint_id = ANY($1)")
            .bind(&refs.replaced)
            .execute(&mut *conn)
            .await?;
        let (ids, hashes): (Vec<String>, Vec<String>) = refs.attachments.into_iter().unzip();
        sqlx::query(
            "INSERT INTO complaint_attachments (complaint_id, sha256)
             SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
        )
        .bind(ids)
        .bind(hashes)
        .execute(&mut *conn)
        .await?;
    }
    if !refs.grants.is_empty() {
        let mut ids = Vec::new();
        let mut departments = Vec::new();
        let mut sites = Vec::new();
        for (id, department, site) in refs.grants {
            ids.push(id);
            departments.push(department);
            sites.push(site);
        }
        sqlx::query(
            "INSERT INTO complaint_departments (complaint_id, department, site_code, since_seq)
             SELECT d.id, d.department, d.site,
                    (SELECT coalesce(max(seq), 0) FROM events WHERE complaint_id = d.id)
             FROM unnest($1::text[], $2::text[], $3::text[]) AS d (id, department, site)
             ON CONFLICT DO NOTHING",
        )
        .bind(ids)
        .bind(departments)
        .bind(sites)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
