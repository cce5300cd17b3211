//! PostgreSQL: failed sign-ins counted in the database, so the limit holds across every server
//! (the rule itself is `ratelimit::wait_secs`).

use super::PgStore;
use crate::ratelimit::{wait_secs, LoginLimits, WINDOW_MS};
use crate::store::error::Result;
use async_trait::async_trait;
use sqlx::FromRow;

#[derive(FromRow)]
struct KeyFailures {
    key: String,
    n: i64,
    oldest: i64,
}

#[async_trait]
impl LoginLimits for PgStore {
    async fn blocked(&self, keys: &[String], now_ms: i64) -> Result<Option<u64>> {
        let rows: Vec<KeyFailures> = sqlx::query_as(
            "SELECT key, COUNT(*) AS n, MIN(at) AS oldest FROM login_failures
             WHERE key = ANY($1) AND at > $2 GROUP BY key",
        )
        .bind(keys.to_vec())
        .bind(now_ms - WINDOW_MS)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| wait_secs(&r.key, usize::try_from(r.n).unwrap_or(0), r.oldest, now_ms))
            .max())
    }

    async fn failed(&self, keys: &[String], now_ms: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM login_failures WHERE key = ANY($1) AND at <= $2")
            .bind(keys.to_vec())
            .bind(now_ms - WINDOW_MS)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO login_failures (key, at) SELECT k, $2 FROM unnest($1::text[]) AS k",
        )
        .bind(keys.to_vec())
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn succeeded(&self, user_key: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(user_key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
