//! PostgreSQL: upserting a complaint's projection row (as the ingest core built it), its
//! attachment references and the departments it ever had.

use crate::ingest::ProjectionRow;
use crate::store::error::Result;
use siteline_model::Timestamp;
use sqlx::PgConnection;

fn minutes(m: Option<u64>) -> Option<i64> {
    m.map(|m| i64::try_from(m).unwrap_or(i64::MAX))
}

/// Upserts the projection of one complaint; `had_rows` false = nothing was stored of it before
/// this push (so it has no attachment rows to replace).
pub(super) async fn write(
    conn: &mut PgConnection,
    row: &ProjectionRow<'_>,
    had_rows: bool,
) -> Result<()> {
    let state = row.state;
    let id = state.id.to_string();
    let facts = &row.facts;
    sqlx::query(
        "INSERT INTO complaints (id, site_code, number, provisional_number, status, severity,
           category, channel, location, description, created_by, captured_at, received_at,
           updated_at, state_json, department, nature, phone, location_key, fold_version,
           category_top, month, replied_at, closed_at, satisfaction, late, open_due_at, is_repeat,
           reply_work_min, close_work_min)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                 $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)
         ON CONFLICT (id) DO UPDATE SET
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
           reply_work_min = EXCLUDED.reply_work_min, close_work_min = EXCLUDED.close_work_min",
    )
    .bind(&id)
    .bind(row.site)
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
    .bind(i32::try_from(facts.month).unwrap_or(0))
    .bind(state.replied_at.map(Timestamp::millis))
    .bind(state.closed_at.map(Timestamp::millis))
    .bind(state.satisfaction.map(|s| s.code()))
    .bind(facts.late)
    .bind(facts.open_due_at.map(Timestamp::millis))
    .bind(facts.repeat)
    .bind(minutes(facts.reply_work_minutes))
    .bind(minutes(facts.close_work_minutes))
    .execute(&mut *conn)
    .await?;
    if had_rows || !state.attachments.is_empty() {
        sqlx::query("DELETE FROM complaint_attachments WHERE complaint_id = $1")
            .bind(&id)
            .execute(&mut *conn)
            .await?;
        let hashes: Vec<String> = state.attachments.iter().map(|a| a.sha256.clone()).collect();
        sqlx::query(
            "INSERT INTO complaint_attachments (complaint_id, sha256)
             SELECT $1, h FROM unnest($2::text[]) AS h ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(hashes)
        .execute(&mut *conn)
        .await?;
    }
    // A department reads the complaint from the moment it first had it: its history up to now
    // reaches that department's handlers at the complaint's last seq.
    for department in &state.departments {
        sqlx::query(
            "INSERT INTO complaint_departments (complaint_id, department, site_code, since_seq)
             VALUES ($1, $2, $3, (SELECT coalesce(max(seq), 0) FROM events WHERE complaint_id = $1))
             ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(department)
        .bind(row.site)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
