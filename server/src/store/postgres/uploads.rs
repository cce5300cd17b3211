//! PostgreSQL resumable uploads: the uploads under way and their staged chunks (any process
//! may take the next chunk: the offset is compared and moved under the upload's row lock).

use super::PgStore;
use crate::store::error::{Result, StoreError};
use crate::store::rows::{to_i64, to_u64, UploadRow, UploadTotals, UPLOAD_COLUMNS};
use crate::store::{Appended, UploadRecord, UploadStore};
use async_trait::async_trait;
use siteline_model::Timestamp;

#[async_trait]
impl UploadStore for PgStore {
    async fn find_upload(&self, user_id: i64, sha256: &str) -> Result<Option<UploadRecord>> {
        let row: Option<UploadRow> = sqlx::query_as(&format!(
            "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE user_id = $1 AND sha256 = $2"
        ))
        .bind(user_id)
        .bind(sha256)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Into::into))
    }

    async fn get_upload(&self, id: &str) -> Result<Option<UploadRecord>> {
        let row: Option<UploadRow> = sqlx::query_as(&format!(
            "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Into::into))
    }

    async fn uploads_of(&self, user_id: i64) -> Result<(u64, u64)> {
        let t: UploadTotals = sqlx::query_as(
            "SELECT COUNT(*) AS n, coalesce(SUM(size), 0)::bigint AS bytes FROM uploads WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((to_u64(t.n), to_u64(t.bytes)))
    }

    async fn create_upload(&self, u: &UploadRecord) -> Result<()> {
        let res = sqlx::query(
            "INSERT INTO uploads (id, user_id, sha256, size, received, created_at)
             VALUES ($1, $2, $3, $4, 0, $5)",
        )
        .bind(&u.id)
        .bind(u.user_id)
        .bind(&u.sha256)
        .bind(to_i64(u.size))
        .bind(u.created_at.millis())
        .execute(&self.pool)
        .await;
        match res {
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Conflict(
                "an upload of this file is already under way".into(),
            )),
            Err(e) => Err(e.into()),
        }
    }

    async fn append_upload(&self, id: &str, offset: u64, bytes: &[u8]) -> Result<Appended> {
        let mut tx = self.pool.begin().await?;
        let res = append_in(&mut tx, id, offset, bytes).await?;
        if matches!(res, Appended::To(_)) {
            tx.commit().await?;
        }
        Ok(res)
    }

    async fn upload_bytes(&self, id: &str) -> Result<Vec<u8>> {
        let chunks: Vec<(Vec<u8>,)> =
            sqlx::query_as("SELECT bytes FROM upload_chunks WHERE upload_id = $1 ORDER BY at_byte")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        Ok(chunks.into_iter().flat_map(|(b,)| b).collect())
    }

    async fn delete_upload(&self, id: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM upload_chunks WHERE upload_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM uploads WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn uploads_created_before(&self, before: Timestamp) -> Result<Vec<UploadRecord>> {
        let rows: Vec<UploadRow> = sqlx::query_as(&format!(
            "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE created_at < $1 ORDER BY created_at"
        ))
        .bind(before.millis())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

/// The compare-and-append inside the caller's transaction.
async fn append_in(
    conn: &mut sqlx::PgConnection,
    id: &str,
    offset: u64,
    bytes: &[u8],
) -> Result<Appended> {
    let len = to_i64(bytes.len() as u64);
    let moved: Option<i64> = sqlx::query_scalar(
        "UPDATE uploads SET received = received + $1
         WHERE id = $2 AND received = $3 AND received + $1 <= size RETURNING received",
    )
    .bind(len)
    .bind(id)
    .bind(to_i64(offset))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(received) = moved else {
        let now: Option<i64> = sqlx::query_scalar("SELECT received FROM uploads WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        return Ok(match now {
            Some(r) => Appended::Mismatch {
                received: to_u64(r),
            },
            None => Appended::Gone,
        });
    };
    sqlx::query("INSERT INTO upload_chunks (upload_id, at_byte, bytes) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(to_i64(offset))
        .bind(bytes)
        .execute(&mut *conn)
        .await?;
    Ok(Appended::To(to_u64(received)))
}
