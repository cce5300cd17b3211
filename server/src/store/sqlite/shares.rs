//! SQLite: shared report links (rows mapped by name; the token only as its hash).

use crate::store::error::{Result, StoreError};
use crate::store::rows::ShareRow;
use crate::store::{NewShare, ShareRecord};
use siteline_model::Timestamp;
use sqlx::SqlitePool;

const COLUMNS: &str = "s.id, s.created_by, u.username AS created_by_name, s.site_code, \
     s.scope_sites, s.from_month, s.to_month, s.period, s.label, s.created_at, s.expires_at, \
     s.revoked_at, s.open_count, s.last_opened_at";

pub(super) async fn create(pool: &SqlitePool, share: &NewShare) -> Result<()> {
    let s = &share.record;
    let scope = s
        .scope_sites
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Internal(e.to_string()))?;
    sqlx::query(
        "INSERT INTO shares (id, token_hash, created_by, site_code, scope_sites, from_month,
             to_month, period, label, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&s.id)
    .bind(&share.token_hash)
    .bind(s.created_by)
    .bind(&s.site)
    .bind(scope)
    .bind(i64::from(s.from_month))
    .bind(i64::from(s.to_month))
    .bind(s.period.code())
    .bind(&s.label)
    .bind(s.created_at.millis())
    .bind(s.expires_at.millis())
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn list(
    pool: &SqlitePool,
    created_by: Option<i64>,
    limit: u32,
) -> Result<Vec<ShareRecord>> {
    let rows: Vec<ShareRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM shares s JOIN users u ON u.id = s.created_by
         WHERE (?1 IS NULL OR s.created_by = ?1)
         ORDER BY s.created_at DESC, s.id DESC LIMIT ?2"
    ))
    .bind(created_by)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(ShareRecord::try_from).collect()
}

/// The link whose `column` (`s.id` or `s.token_hash`, never user input) is `value`.
pub(super) async fn get(
    pool: &SqlitePool,
    column: &'static str,
    value: &str,
) -> Result<Option<ShareRecord>> {
    let row: Option<ShareRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM shares s JOIN users u ON u.id = s.created_by WHERE {column} = ?"
    ))
    .bind(value)
    .fetch_optional(pool)
    .await?;
    row.map(ShareRecord::try_from).transpose()
}

pub(super) async fn revoke(pool: &SqlitePool, id: &str, now: Timestamp) -> Result<bool> {
    let done = sqlx::query("UPDATE shares SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")
        .bind(now.millis())
        .bind(id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub(super) async fn opened(pool: &SqlitePool, id: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE shares SET open_count = open_count + 1, last_opened_at = ? WHERE id = ?")
        .bind(now.millis())
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub(super) async fn count_live(pool: &SqlitePool, created_by: i64, now: Timestamp) -> Result<u64> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM shares WHERE created_by = ? AND revoked_at IS NULL AND expires_at > ?",
    )
    .bind(created_by)
    .bind(now.millis())
    .fetch_one(pool)
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}
