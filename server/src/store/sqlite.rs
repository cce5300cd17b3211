//! SQLite implementation of [`Store`]: WAL, foreign keys on, busy timeout, embedded migrations.

use super::sqlite_sync;
use super::{
    ComplaintDetail, ComplaintFilter, LocationNode, NewUser, Session, SiteInfo, Store, UserRecord,
    LOCATION_SEPARATOR,
};
use crate::error::{Error, Result};
use async_trait::async_trait;
use siteline_model::api::{ComplaintSummary, UserInfo};
use siteline_model::sync::{PushResult, SyncedEvent};
use siteline_model::{ComplaintId, Event, Role, Timestamp};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

/// The SQLite store. Write transactions start with `BEGIN IMMEDIATE`, so writers serialize.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
}

type UserRow = (i64, String, String, String, String);

fn user_from_row((id, username, display_name, role, password_hash): UserRow) -> Result<UserRecord> {
    let role = super::parse_code("role", &role, Role::parse)?;
    Ok(UserRecord {
        id,
        info: UserInfo {
            username,
            display_name,
            role,
            department: None,
        },
        password_hash,
    })
}

impl SqliteStore {
    /// Opens (creating if missing) the database file and runs the migrations.
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(15));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        Ok(SqliteStore { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn count_users(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(n.max(0) as u64)
    }

    async fn create_user(&self, user: NewUser, now: Timestamp) -> Result<UserRecord> {
        let res = sqlx::query_scalar::<_, i64>(
            "INSERT INTO users (username, display_name, role, password_hash, created_at)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.role.code())
        .bind(&user.password_hash)
        .bind(now.millis())
        .fetch_one(&self.pool)
        .await;
        match res {
            Ok(id) => Ok(UserRecord {
                id,
                info: UserInfo {
                    username: user.username,
                    display_name: user.display_name,
                    role: user.role,
                    department: None,
                },
                password_hash: user.password_hash,
            }),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(Error::Conflict(
                format!("user {:?} already exists", user.username),
            )),
            Err(e) => Err(e.into()),
        }
    }

    async fn list_users(&self) -> Result<Vec<UserInfo>> {
        let rows: Vec<UserRow> = sqlx::query_as(
            "SELECT id, username, display_name, role, password_hash FROM users ORDER BY username",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| user_from_row(r).map(|u| u.info))
            .collect()
    }

    async fn find_user(&self, username: &str) -> Result<Option<UserRecord>> {
        let row: Option<UserRow> = sqlx::query_as(
            "SELECT id, username, display_name, role, password_hash FROM users WHERE username = ?",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.map(user_from_row).transpose()
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now.millis())
        .bind(expires_at.millis())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn find_session(&self, token_hash: &str) -> Result<Option<Session>> {
        let row: Option<(i64, String, String, String, String, i64)> = sqlx::query_as(
            "SELECT u.id, u.username, u.display_name, u.role, u.password_hash, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(id, un, dn, role, ph, exp)| {
            Ok(Session {
                user: user_from_row((id, un, dn, role, ph))?,
                expires_at: Timestamp(exp),
            })
        })
        .transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn purge_sessions(&self, before: Timestamp) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at < ?")
            .bind(before.millis())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn count_sites(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sites")
            .fetch_one(&self.pool)
            .await?;
        Ok(n.max(0) as u64)
    }

    async fn create_site(
        &self,
        code: &str,
        name: &str,
        is_default: bool,
        locations: &[LocationNode],
        now: Timestamp,
    ) -> Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("INSERT INTO sites (code, name, is_default, created_at) VALUES (?, ?, ?, ?)")
            .bind(code)
            .bind(name)
            .bind(i64::from(is_default))
            .bind(now.millis())
            .execute(&mut *tx)
            .await?;
        // Depth-first, keeping sibling order in `sort`.
        let mut stack: Vec<(Option<i64>, i64, &LocationNode)> = locations
            .iter()
            .enumerate()
            .rev()
            .map(|(i, n)| (None, i as i64, n))
            .collect();
        while let Some((parent, sort, node)) = stack.pop() {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO locations (site_code, parent_id, name, sort) VALUES (?, ?, ?, ?) RETURNING id",
            )
            .bind(code)
            .bind(parent)
            .bind(&node.name)
            .bind(sort)
            .fetch_one(&mut *tx)
            .await?;
            for (i, child) in node.children.iter().enumerate().rev() {
                stack.push((Some(id), i as i64, child));
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn default_site_code(&self) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT code FROM sites ORDER BY is_default DESC, created_at, code LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn list_sites(&self) -> Result<Vec<SiteInfo>> {
        let sites: Vec<(String, String)> =
            sqlx::query_as("SELECT code, name FROM sites ORDER BY is_default DESC, code")
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(sites.len());
        for (code, name) in sites {
            let rows: Vec<(i64, Option<i64>, String)> = sqlx::query_as(
                "SELECT id, parent_id, name FROM locations WHERE site_code = ? ORDER BY sort, id",
            )
            .bind(&code)
            .fetch_all(&self.pool)
            .await?;
            out.push(SiteInfo {
                code,
                name,
                locations: location_labels(&rows),
            });
        }
        Ok(out)
    }

    async fn push(
        &self,
        events: &[Event],
        site_code: &str,
        now: Timestamp,
    ) -> Result<Vec<PushResult>> {
        sqlite_sync::push(&self.pool, events, site_code, now).await
    }

    async fn pull(&self, after: u64, limit: u32) -> Result<(Vec<SyncedEvent>, bool)> {
        sqlite_sync::pull(&self.pool, after, limit).await
    }

    async fn list_complaints(&self, filter: &ComplaintFilter) -> Result<Vec<ComplaintSummary>> {
        sqlite_sync::list_complaints(&self.pool, filter).await
    }

    async fn get_complaint(&self, id: ComplaintId) -> Result<Option<ComplaintDetail>> {
        sqlite_sync::get_complaint(&self.pool, id).await
    }
}

/// Full labels of every node of a location tree, depth-first in sibling order.
fn location_labels(rows: &[(i64, Option<i64>, String)]) -> Vec<String> {
    let mut children: HashMap<Option<i64>, Vec<(i64, &str)>> = HashMap::new();
    for (id, parent, name) in rows {
        children.entry(*parent).or_default().push((*id, name));
    }
    let mut out = Vec::with_capacity(rows.len());
    let mut stack: Vec<(i64, String)> = children
        .get(&None)
        .map(|v| v.iter().rev().map(|(id, n)| (*id, n.to_string())).collect())
        .unwrap_or_default();
    while let Some((id, label)) = stack.pop() {
        if let Some(kids) = children.get(&Some(id)) {
            for (kid, name) in kids.iter().rev() {
                stack.push((*kid, format!("{label}{LOCATION_SEPARATOR}{name}")));
            }
        }
        out.push(label);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::location_labels;

    #[test]
    fn labels_follow_the_tree() {
        let rows = vec![
            (1, None, "1栋".to_string()),
            (2, Some(1), "1F 大堂".to_string()),
            (3, Some(1), "3F 电梯厅".to_string()),
            (4, None, "B2 停车场".to_string()),
        ];
        assert_eq!(
            location_labels(&rows),
            vec!["1栋", "1栋 › 1F 大堂", "1栋 › 3F 电梯厅", "B2 停车场"]
        );
    }
}
