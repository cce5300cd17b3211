//! Scratch databases for tests (the storage conformance suite, the HTTP suite on PostgreSQL):
//! a new database per test on the server at `SITELINE_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`); databases left by earlier runs are dropped.

use crate::store::error::{Result, StoreError};
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT: AtomicU64 = AtomicU64::new(1);

/// The server tests use.
pub fn test_server_url() -> String {
    std::env::var("SITELINE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Creates an empty database named `<prefix>_<pid>_<n>` next to `base`'s and answers its URL.
/// Databases of the prefix made by other processes are dropped first (one still in use by a
/// concurrent run stays). An unreachable server is an error, never a skip.
pub async fn scratch_database(base: &str, prefix: &str) -> Result<String> {
    let admin = sqlx::PgPool::connect(base)
        .await
        .map_err(|e| StoreError::Internal(format!("PostgreSQL at {base}: {e}")))?;
    let mine = format!("{prefix}_{}_", std::process::id());
    let old: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE starts_with(datname, $1)
           AND NOT starts_with(datname, $2)",
    )
    .bind(format!("{prefix}_"))
    .bind(&mine)
    .fetch_all(&admin)
    .await?;
    for db in old {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db}"))
            .execute(&admin)
            .await;
    }
    let name = format!("{mine}{}", NEXT.fetch_add(1, Ordering::Relaxed));
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&admin)
        .await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await?;
    admin.close().await;
    let i = base
        .rfind('/')
        .ok_or_else(|| StoreError::Internal(format!("{base} must end in /<database>")))?;
    Ok(format!("{}/{name}", &base[..i]))
}
