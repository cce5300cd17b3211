//! PostgreSQL: upserting complaints' projection rows (as the ingest core built them), their
//! attachment references and the departments they ever had, a few statements per push.

use crate::ingest::ProjectionRow;
use crate::store::error::Result;
use siteline_model::Timestamp;
use sqlx::query_builder::Separated;
use sqlx::{PgConnection, Postgres, QueryBuilder};

fn minutes(m: Option<u64>) -> Option<i64> {
    m.map(|m| i64::try_from(m).unwrap_or(i64::MAX))
}

/// The columns of a projection row, in the order [`push_row`] binds them.
const COLUMNS: &str = "id, site_code, number, provisional_number, status, severity,
    category, channel, location, description, created_by, captured_at, received_at,
    updated_at, state_json, department, nature, phone, location_key, fold_version,
    category_top, month, replied_at, closed_at, satisfaction, late, open_due_at, is_repeat,
    reply_work_min, close_work_min";

const ON_CONFLICT: &str = " ON CONFLICT (id) DO UPDATE SET
    site_code = EXCLUDED.site_code,
    number = EXCLUDED.number, provisional_number = EXCLUDED.provisional_number,
    status = EXCLUDED.status, severity = EXCLUDED.severity, category = EXCLUDED.category,
    channel = EXCLUDED.channel, location = EXCLUDED.location,
    description = EXCLUDED.description, created_by = EXCLUDED.created_by,
    captured_at = EXCLUDED.captured_at, received_at = EXCLUDED.received_at,
    updated_at = EXCLUDED.updated_at, state_json = EXCLUDED.state_json,
    department = EXCLUDED.department, nature = EXCLUDED.nature, phone = EXCLUDED.phone,
    location_key = EXCLUDED.location_key, fold_version = EXCLUDED.fold_version,
    category_top = EXCLUDED.category_top, month = EXCLUDED.month,
    replied_at = EXCLUDED.replied_at, closed_at = EXCLUDED.closed_at,
    satisfaction = EXCLUDED.satisfaction, late = EXCLUDED.late,
    open_due_at = EXCLUDED.open_due_at,
    is_repeat = complaints.is_repeat OR EXCLUDED.is_repeat,
    reply_work_min = EXCLUDED.reply_work_min, close_work_min = EXCLUDED.close_work_min";

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
        let mut q = QueryBuilder::<Postgres>::new(format!("INSERT INTO complaints ({COLUMNS}) "));
        q.push_values(part, |b, (row, _)| push_row(b, row));
        q.push(ON_CONFLICT);
        q.build().execute(&mut *conn).await?;
    }
    let replaced: Vec<String> = rows
        .iter()
        .filter(|(row, had_rows)| *had_rows || !row.state.attachments.is_empty())
        .map(|(row, _)| row.state.id.to_string())
        .collect();
    if !replaced.is_empty() {
        sqlx::query("DELETE FROM complaint_attachments WHERE complaint_id = ANY($1)")
            .bind(&replaced)
            .execute(&mut *conn)
            .await?;
        let (ids, hashes): (Vec<String>, Vec<String>) = rows
            .iter()
            .flat_map(|(row, _)| {
                let id = row.state.id.to_string();
                row.state
                    .attachments
                    .iter()
                    .map(move |a| (id.clone(), a.sha256.clone()))
            })
            .unzip();
        sqlx::query(
            "INSERT INTO complaint_attachments (complaint_id, sha256)
             SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
        )
        .bind(ids)
        .bind(hashes)
        .execute(&mut *conn)
        .await?;
    }
    // A department reads the complaint from the moment it first had it: its history up to now
    // reaches that department's handlers at the complaint's last seq.
    let mut ids = Vec::new();
    let mut departments = Vec::new();
    let mut sites = Vec::new();
    for (row, _) in rows {
        for department in &row.state.departments {
            ids.push(row.state.id.to_string());
            departments.push(department.clone());
            sites.push(row.site.to_string());
        }
    }
    if !ids.is_empty() {
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
