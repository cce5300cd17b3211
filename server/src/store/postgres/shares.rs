//! PostgreSQL: shared report links (rows mapped by name; the token only as its hash).

use super::PgStore;
use crate::store::error::{Result, StoreError};
use crate::store::rows::ShareRow;
use crate::store::{NewShare, ShareRecord, ShareStore};
use async_trait::async_trait;
use siteline_model::Timestamp;

const COLUMNS: &str = "s.id, s.created_by, u.username AS created_by_name, s.site_code, \
     s.scope_sites, s.from_month::bigint AS from_month, s.to_month::bigint AS to_month, s.period, s.label, s.created_at, s.expires_at, \
     s.revoked_at, s.open_count, s.last_opened_at";

impl PgStore {
    /// The link whose `column` (`s.id` or `s.token_hash`, never user input) is `value`.
    async fn share_where(&self, column: &'static str, value: &str) -> Result<Option<ShareRecord>> {
        let row: Option<ShareRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM shares s JOIN users u ON u.id = s.created_by
             WHERE {column} = $1"
        ))
        .bind(value)
        .fetch_optional(&self.pool)
        .await?;
        row.map(ShareRecord::try_from).transpose()
    }
}

#[async_trait]
impl ShareStore for PgStore {
    async fn create_share(&self, share: &NewShare) -> Result<()> {
        let s = &share.record;
        let scope = s
            .scope_sites
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError::Internal(e.to_string()))?;
        let month = |m: u32| i32::try_from(m).unwrap_or(i32::MAX);
        sqlx::query(
            "INSERT INTO shares (id, token_hash, created_by, site_code, scope_sites, from_month,
                 to_month, period, label, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&s.id)
        .bind(&share.token_hash)
        .bind(s.created_by)
        .bind(&s.site)
        .bind(scope)
        .bind(month(s.from_month))
        .bind(month(s.to_month))
        .bind(s.period.code())
        .bind(&s.label)
        .bind(s.created_at.millis())
        .bind(s.expires_at.millis())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn list_shares(&self, created_by: Option<i64>, limit: u32) -> Result<Vec<ShareRecord>> {
        let rows: Vec<ShareRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM shares s JOIN users u ON u.id = s.created_by
             WHERE ($1::bigint IS NULL OR s.created_by = $1)
             ORDER BY s.created_at DESC, s.id DESC LIMIT $2"
        ))
        .bind(created_by)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ShareRecord::try_from).collect()
    }

    async fn get_share(&self, id: &str) -> Result<Option<ShareRecord>> {
        self.share_where("s.id", id).await
    }

    async fn find_share_by_token(&self, token_hash: &str) -> Result<Option<ShareRecord>> {
        self.share_where("s.token_hash", token_hash).await
    }

    async fn revoke_share(&self, id: &str, now: Timestamp) -> Result<bool> {
        let done =
            sqlx::query("UPDATE shares SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
                .bind(now.millis())
                .bind(id)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn record_share_open(&self, id: &str, now: Timestamp) -> Result<()> {
        sqlx::query(
            "UPDATE shares SET open_count = open_count + 1, last_opened_at = $1 WHERE id = $2",
        )
        .bind(now.millis())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn count_live_shares(&self, created_by: i64, now: Timestamp) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM shares
             WHERE created_by = $1 AND revoked_at IS NULL AND expires_at > $2",
        )
        .bind(created_by)
        .bind(now.millis())
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
