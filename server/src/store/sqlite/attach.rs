//! SQLite attachments: which bytes are stored, which complaints reference them, imports.

use crate::store::error::Result;
use crate::store::rows::ComplaintRecord;
use crate::store::rows::{to_i64, to_u64};
use crate::store::{ComplaintRow, ImportInfo};
use siteline_model::{AttachmentRef, EventId, Timestamp};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

/// Most hashes asked about in one query (SQLite's bound-parameter limit is far above).
const HASHES_PER_QUERY: usize = 500;

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
    let rows: Vec<ComplaintRecord> = sqlx::query_as(
        "SELECT c.site_code, c.state_json, c.received_at
         FROM complaint_attachments a JOIN complaints c ON c.id = a.complaint_id
         WHERE a.sha256 = ? ORDER BY c.captured_at DESC, c.id",
    )
    .bind(sha256)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(ComplaintRecord::complaint_row)
        .collect()
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
