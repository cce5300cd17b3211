//! SQLite attachments: which bytes are stored, which complaints reference them, uploads, imports.

use super::sqlite_query::row_from;
use super::sqlite_sync::to_u64;
use super::{ComplaintRow, ImportInfo, UploadRecord};
use crate::error::{Error, Result};
use siteline_model::{AttachmentRef, Complaint, ComplaintId, EventId, Timestamp};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

/// Most hashes asked about in one query (SQLite's bound-parameter limit is far above).
const HASHES_PER_QUERY: usize = 500;

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

pub(super) async fn stored_attachments(
    pool: &SqlitePool,
    hashes: &[String],
) -> Result<Vec<AttachmentRef>> {
    let mut out = Vec::new();
    for part in hashes.chunks(HASHES_PER_QUERY) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT sha256, size, content_type FROM attachments WHERE sha256 IN (",
        );
        let mut list = q.separated(", ");
        for h in part {
            list.push_bind(h.clone());
        }
        q.push(")");
        let rows: Vec<(String, i64, String)> = q.build_query_as().fetch_all(pool).await?;
        out.extend(
            rows.into_iter()
                .map(|(sha256, size, content_type)| AttachmentRef {
                    sha256,
                    size: to_u64(size),
                    content_type,
                }),
        );
    }
    Ok(out)
}

pub(super) async fn record_attachment(
    pool: &SqlitePool,
    a: &AttachmentRef,
    stored_by: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO attachments (sha256, size, content_type, stored_at, stored_by)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&a.sha256)
    .bind(to_i64(a.size))
    .bind(&a.content_type)
    .bind(now.millis())
    .bind(stored_by)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn complaints_with_attachment(
    pool: &SqlitePool,
    sha256: &str,
) -> Result<Vec<ComplaintRow>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT c.site_code, c.state_json, c.received_at
         FROM complaint_attachments a JOIN complaints c ON c.id = a.complaint_id
         WHERE a.sha256 = ? ORDER BY c.captured_at DESC, c.id",
    )
    .bind(sha256)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(site, json, received_at)| row_from(site, &json, received_at))
        .collect()
}

/// Replaces a complaint's attachment references with those of its folded state.
pub(super) async fn set_complaint_attachments(
    conn: &mut SqliteConnection,
    id: ComplaintId,
    state: &Complaint,
) -> Result<()> {
    let id = id.to_string();
    sqlx::query("DELETE FROM complaint_attachments WHERE complaint_id = ?")
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    for a in &state.attachments {
        sqlx::query(
            "INSERT INTO complaint_attachments (complaint_id, sha256) VALUES (?, ?)
             ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(&a.sha256)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Records that a newly stored event came from an import.
pub(super) async fn record_import(
    conn: &mut SqliteConnection,
    event: EventId,
    import: &ImportInfo,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO event_imports (event_id, imported_by, device_id, exported_at, imported_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(event.to_string())
    .bind(&import.imported_by)
    .bind(import.device_id.to_string())
    .bind(import.exported_at.millis())
    .bind(now.millis())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

type UploadRow = (String, i64, String, i64, i64);

const UPLOAD_COLUMNS: &str = "id, user_id, sha256, size, created_at";

fn upload_from((id, user_id, sha256, size, created_at): UploadRow) -> UploadRecord {
    UploadRecord {
        id,
        user_id,
        sha256,
        size: to_u64(size),
        created_at: Timestamp(created_at),
    }
}

pub(super) async fn find_upload(
    pool: &SqlitePool,
    user_id: i64,
    sha256: &str,
) -> Result<Option<UploadRecord>> {
    let row: Option<UploadRow> = sqlx::query_as(&format!(
        "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE user_id = ? AND sha256 = ?"
    ))
    .bind(user_id)
    .bind(sha256)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(upload_from))
}

pub(super) async fn uploads_of(pool: &SqlitePool, user_id: i64) -> Result<(u64, u64)> {
    let (n, bytes): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), coalesce(SUM(size), 0) FROM uploads WHERE user_id = ?")
            .bind(user_id)
            .fetch_one(pool)
            .await?;
    Ok((n.max(0) as u64, bytes.max(0) as u64))
}

pub(super) async fn get_upload(pool: &SqlitePool, id: &str) -> Result<Option<UploadRecord>> {
    let row: Option<UploadRow> = sqlx::query_as(&format!(
        "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(upload_from))
}

pub(super) async fn create_upload(pool: &SqlitePool, u: &UploadRecord) -> Result<()> {
    let res = sqlx::query(
        "INSERT INTO uploads (id, user_id, sha256, size, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&u.id)
    .bind(u.user_id)
    .bind(&u.sha256)
    .bind(to_i64(u.size))
    .bind(u.created_at.millis())
    .execute(pool)
    .await;
    match res {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(Error::Conflict(
            "an upload of this file is already under way".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn delete_upload(pool: &SqlitePool, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM uploads WHERE id = ?")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub(super) async fn uploads_created_before(
    pool: &SqlitePool,
    before: Timestamp,
) -> Result<Vec<UploadRecord>> {
    let rows: Vec<UploadRow> = sqlx::query_as(&format!(
        "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE created_at < ? ORDER BY created_at"
    ))
    .bind(before.millis())
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(upload_from).collect())
}
