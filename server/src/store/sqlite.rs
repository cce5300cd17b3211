//! SQLite implementation of [`Store`]: WAL, foreign keys on, busy timeout, embedded migrations.

use super::{
    sqlite_attach, sqlite_escalate, sqlite_query, sqlite_report, sqlite_sites, sqlite_sync,
};
use super::{
    ComplaintFilter, ComplaintRow, ImportInfo, LocationNode, NewUser, PushGate, ReportQuery,
    Session, Store, StoredComplaint, UploadRecord, UserRecord,
};
use crate::error::{Error, Result};
use async_trait::async_trait;
use siteline_model::api::{CustomCategory, SiteDay, SiteInfo, UserInfo};
use siteline_model::calendar::WorkingHours;
use siteline_model::sync::{PushResult, SyncedEvent};
use siteline_model::timelimit::Policy;
use siteline_model::{AttachmentRef, ComplaintId, Event, Role, Timestamp};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::path::Path;
use std::time::Duration;

/// The SQLite store. Write transactions start with `BEGIN IMMEDIATE`, so writers serialize.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
}

type UserRow = (i64, String, String, String, Option<String>, String);

const USER_COLUMNS: &str =
    "u.id, u.username, u.display_name, u.role, u.department, u.password_hash";

fn user_from_row(
    (id, username, display_name, role, department, password_hash): UserRow,
) -> Result<UserRecord> {
    let role = super::parse_code("role", &role, Role::parse)?;
    Ok(UserRecord {
        id,
        info: UserInfo {
            username,
            display_name,
            role,
            department,
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
        let refolded = sqlite_sync::refresh_stale_projections(&pool).await?;
        if refolded > 0 {
            tracing::info!(
                complaints = refolded,
                "projection re-folded for this server version"
            );
        }
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
            "INSERT INTO users (username, display_name, role, department, password_hash, created_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.role.code())
        .bind(&user.department)
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
                    department: user.department,
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
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.username"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| user_from_row(r).map(|u| u.info))
            .collect()
    }

    async fn find_user(&self, username: &str) -> Result<Option<UserRecord>> {
        let row: Option<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.username = ?"
        ))
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
        let row: Option<(i64, String, String, String, Option<String>, String, i64)> =
            sqlx::query_as(&format!(
                "SELECT {USER_COLUMNS}, s.expires_at
                 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?"
            ))
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|(id, un, dn, role, dept, ph, exp)| {
            Ok(Session {
                user: user_from_row((id, un, dn, role, dept, ph))?,
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
        sqlite_sites::create_site(&self.pool, code, name, is_default, locations, now).await
    }

    async fn default_site_code(&self) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT code FROM sites ORDER BY is_default DESC, created_at, code LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn list_sites(&self) -> Result<Vec<SiteInfo>> {
        let mut conn = self.pool.acquire().await?;
        sqlite_sites::list_sites(&mut conn, None).await
    }

    async fn get_site(&self, code: &str) -> Result<Option<SiteInfo>> {
        let mut conn = self.pool.acquire().await?;
        Ok(sqlite_sites::list_sites(&mut conn, Some(code))
            .await?
            .into_iter()
            .next())
    }

    async fn set_site_policy(
        &self,
        code: &str,
        policy: Option<&Policy>,
        hours: Option<&WorkingHours>,
    ) -> Result<()> {
        sqlite_sites::set_policy(&self.pool, code, policy, hours).await
    }

    async fn set_site_day(&self, code: &str, day: &SiteDay) -> Result<()> {
        sqlite_sites::set_day(&self.pool, code, day).await
    }

    async fn delete_site_day(&self, code: &str, date: &str) -> Result<()> {
        sqlite_sites::delete_day(&self.pool, code, date).await
    }

    async fn add_site_category(&self, code: &str, category: &CustomCategory) -> Result<()> {
        sqlite_sites::add_category(&self.pool, code, category).await
    }

    async fn push(
        &self,
        events: &[Event],
        sites: &[SiteInfo],
        default_site: &str,
        gate: &dyn PushGate,
        import: Option<&ImportInfo>,
        now: Timestamp,
    ) -> Result<Vec<PushResult>> {
        sqlite_sync::push(&self.pool, events, sites, default_site, gate, import, now).await
    }

    async fn pull(&self, after: u64, limit: u32) -> Result<(Vec<SyncedEvent>, bool)> {
        sqlite_sync::pull(&self.pool, after, limit).await
    }

    async fn escalate_unresolved(&self, now: Timestamp) -> Result<u64> {
        sqlite_escalate::escalate_unresolved(&self.pool, now).await
    }

    async fn list_complaints(&self, filter: &ComplaintFilter) -> Result<Vec<ComplaintRow>> {
        sqlite_query::list_complaints(&self.pool, filter).await
    }

    async fn get_complaint(&self, id: ComplaintId) -> Result<Option<StoredComplaint>> {
        sqlite_query::get_complaint(&self.pool, id).await
    }

    async fn report(&self, query: &ReportQuery) -> Result<siteline_model::report::Report> {
        sqlite_report::report(&self.pool, query).await
    }

    async fn stored_attachments(&self, hashes: &[String]) -> Result<Vec<AttachmentRef>> {
        sqlite_attach::stored_attachments(&self.pool, hashes).await
    }

    async fn record_attachment(
        &self,
        attachment: &AttachmentRef,
        stored_by: &str,
        now: Timestamp,
    ) -> Result<bool> {
        sqlite_attach::record_attachment(&self.pool, attachment, stored_by, now).await
    }

    async fn complaints_with_attachment(&self, sha256: &str) -> Result<Vec<ComplaintRow>> {
        sqlite_attach::complaints_with_attachment(&self.pool, sha256).await
    }

    async fn find_upload(&self, user_id: i64, sha256: &str) -> Result<Option<UploadRecord>> {
        sqlite_attach::find_upload(&self.pool, user_id, sha256).await
    }

    async fn get_upload(&self, id: &str) -> Result<Option<UploadRecord>> {
        sqlite_attach::get_upload(&self.pool, id).await
    }

    async fn create_upload(&self, upload: &UploadRecord) -> Result<()> {
        sqlite_attach::create_upload(&self.pool, upload).await
    }

    async fn delete_upload(&self, id: &str) -> Result<()> {
        sqlite_attach::delete_upload(&self.pool, id).await
    }

    async fn uploads_created_before(&self, before: Timestamp) -> Result<Vec<UploadRecord>> {
        sqlite_attach::uploads_created_before(&self.pool, before).await
    }
}

#[cfg(test)]
#[path = "sqlite_tests.rs"]
mod tests;
