//! PostgreSQL attachments: which bytes are stored, which complaints reference them.

use super::PgStore;
use crate::store::error::Result;
use crate::store::rows::ComplaintRecord;
use crate::store::rows::{to_i64, to_u64};
use crate::store::{AttachmentStore, ComplaintRow};
use async_trait::async_trait;
use siteline_model::{AttachmentRef, Timestamp};
use sqlx::FromRow;

#[derive(FromRow)]
struct AttachmentRow {
    sha256: String,
    size: i64,
    content_type: String,
}

#[async_trait]
impl AttachmentStore for PgStore {
    async fn stored_attachments(&self, hashes: &[String]) -> Result<Vec<AttachmentRef>> {
        let rows: Vec<AttachmentRow> = sqlx::query_as(
            "SELECT sha256, size, content_type FROM attachments WHERE sha256 = ANY($1)",
        )
        .bind(hashes.to_vec())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| AttachmentRef {
                sha256: r.sha256,
                size: to_u64(r.size),
                content_type: r.content_type,
            })
            .collect())
    }

    async fn record_attachment(
        &self,
        a: &AttachmentRef,
        stored_by: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO attachments (sha256, size, content_type, stored_at, stored_by)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&a.sha256)
        .bind(to_i64(a.size))
        .bind(&a.content_type)
        .bind(now.millis())
        .bind(stored_by)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn complaints_with_attachment(&self, sha256: &str) -> Result<Vec<ComplaintRow>> {
        let rows: Vec<ComplaintRecord> = sqlx::query_as(
            "SELECT c.site_code, c.state_json, c.received_at
             FROM complaint_attachments a JOIN complaints c ON c.id = a.complaint_id
             WHERE a.sha256 = $1 ORDER BY c.captured_at DESC, c.id",
        )
        .bind(sha256)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(ComplaintRecord::complaint_row)
            .collect()
    }
}
