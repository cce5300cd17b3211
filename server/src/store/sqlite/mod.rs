//! The SQLite backend of [`Store`] (the embedded default): WAL, foreign keys on, busy timeout,
//! its own migrations (`migrations/sqlite`); SQL only — the rules are the ingest core's.

mod attach;
mod fleet;
#[cfg(test)]
mod plans;
mod projection;
mod pull;
mod query;
mod report;
mod shares;
mod sites;
mod steps;
mod sync;
#[cfg(test)]
mod tests;
mod uploads;
mod users;

use crate::ingest;
use crate::store::error::Result;
use crate::store::RawEvent;
use crate::store::{
    AttachmentStore, ComplaintFilter, ComplaintRow, ComplaintStore, FleetRow, FleetStore,
    ImportInfo, LocationNode, NewShare, NewUser, PushGate, ReadScope, ReportQuery, Session,
    ShareRecord, ShareStore, SiteStore, Store, StoredComplaint, SyncStore, UserRecord, UserStore,
    UserUpdate,
};
use async_trait::async_trait;
use siteline_model::api::{CustomCategory, SiteDay, SiteInfo, UserInfo};
use siteline_model::calendar::WorkingHours;
use siteline_model::sync::PushResult;
use siteline_model::timelimit::Policy;
use siteline_model::{AttachmentRef, ComplaintId, DeviceId, Event, Timestamp};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::path::Path;
use std::time::Duration;
use steps::SqliteTx;

/// The SQLite store. Write transactions start with `BEGIN IMMEDIATE`, so writers serialize.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database file and runs the migrations.
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(15));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        let refolded = sync::refresh_stale_projections(&pool).await?;
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
impl SyncStore for SqliteStore {
    async fn push(
        &self,
        events: &[Event],
        sites: &[SiteInfo],
        default_site: &str,
        gate: &dyn PushGate,
        import: Option<&ImportInfo>,
        now: Timestamp,
    ) -> Result<Vec<PushResult>> {
        // IMMEDIATE takes the write lock up front: concurrent pushes serialize (busy_timeout
        // waits) instead of failing to upgrade a read transaction, and seqs commit in order.
        // The gate sees the state as of this lock.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let results = ingest::push(
            &mut SqliteTx(&mut tx),
            events,
            sites,
            default_site,
            gate,
            import,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(results)
    }

    async fn pull_raw(
        &self,
        after: u64,
        limit: u32,
        scope: &ReadScope,
        window: Option<Timestamp>,
    ) -> Result<(Vec<RawEvent>, bool, u64)> {
        pull::pull(&self.pool, after, limit, scope, window).await
    }

    async fn escalate_unresolved(&self, sites: &[SiteInfo], now: Timestamp) -> Result<u64> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let n = ingest::escalate_unresolved(&mut SqliteTx(&mut tx), sites, now).await?;
        tx.commit().await?;
        Ok(n)
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

#[async_trait]
impl UserStore for SqliteStore {
    async fn count_users(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(n.max(0) as u64)
    }

    async fn create_user(&self, user: NewUser, now: Timestamp) -> Result<UserRecord> {
        users::create_user(&self.pool, user, now).await
    }

    async fn list_users(&self) -> Result<Vec<UserInfo>> {
        users::list_users(&self.pool).await
    }

    async fn find_user(&self, username: &str) -> Result<Option<UserRecord>> {
        users::find_user(&self.pool, username).await
    }

    async fn update_user(
        &self,
        username: &str,
        update: &UserUpdate,
        keep_session: Option<&str>,
    ) -> Result<Option<UserRecord>> {
        users::update_user(&self.pool, username, update, keep_session).await
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

    async fn create_device_key(
        &self,
        key_hash: &str,
        user_id: i64,
        device_id: DeviceId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        users::create_device_key(&self.pool, key_hash, user_id, device_id, now, expires_at).await
    }

    async fn find_device_key(
        &self,
        key_hash: &str,
        device_id: DeviceId,
        now: Timestamp,
    ) -> Result<Option<UserRecord>> {
        users::find_device_key(&self.pool, key_hash, device_id, now).await
    }

    async fn find_session(&self, token_hash: &str) -> Result<Option<Session>> {
        users::find_session(&self.pool, token_hash).await
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
}

#[async_trait]
impl SiteStore for SqliteStore {
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
        sites::create_site(&self.pool, code, name, is_default, locations, now).await
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
        sites::list_sites(&mut conn, None).await
    }

    async fn get_site(&self, code: &str) -> Result<Option<SiteInfo>> {
        let mut conn = self.pool.acquire().await?;
        Ok(sites::list_sites(&mut conn, Some(code))
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
        sites::set_policy(&self.pool, code, policy, hours).await
    }

    async fn set_site_day(&self, code: &str, day: &SiteDay) -> Result<()> {
        sites::set_day(&self.pool, code, day).await
    }

    async fn delete_site_day(&self, code: &str, date: &str) -> Result<()> {
        sites::delete_day(&self.pool, code, date).await
    }

    async fn add_site_category(&self, code: &str, category: &CustomCategory) -> Result<()> {
        sites::add_category(&self.pool, code, category).await
    }

    async fn update_site(
        &self,
        code: &str,
        name: Option<&str>,
        add: &[LocationNode],
    ) -> Result<()> {
        sites::update_site(&self.pool, code, name, add).await
    }

    async fn edit_site_replies(
        &self,
        code: &str,
        edit: &siteline_model::replies::ReplyEdit,
    ) -> Result<Vec<siteline_model::replies::ReplyTemplate>> {
        sites::edit_replies(&self.pool, code, edit).await
    }
}

#[async_trait]
impl ComplaintStore for SqliteStore {
    async fn list_complaints(&self, filter: &ComplaintFilter) -> Result<Vec<ComplaintRow>> {
        query::list_complaints(&self.pool, filter).await
    }

    async fn get_complaint(&self, id: ComplaintId) -> Result<Option<StoredComplaint>> {
        query::get_complaint(&self.pool, id).await
    }

    async fn complaint_rows(&self, ids: &[ComplaintId]) -> Result<Vec<ComplaintRow>> {
        query::complaint_rows(&self.pool, ids).await
    }

    async fn report(&self, query: &ReportQuery) -> Result<siteline_model::report::Report> {
        report::report(&self.pool, query).await
    }
}

#[async_trait]
impl FleetStore for SqliteStore {
    async fn record_device_report(
        &self,
        user_id: i64,
        report: &siteline_model::fleet::DeviceReport,
        now: Timestamp,
    ) -> Result<()> {
        fleet::record(&self.pool, user_id, report, now).await
    }

    async fn fleet(&self, sites: Option<&[String]>, limit: u32) -> Result<Vec<FleetRow>> {
        fleet::list(&self.pool, sites, limit).await
    }
}

#[async_trait]
impl ShareStore for SqliteStore {
    async fn create_share(&self, share: &NewShare) -> Result<()> {
        shares::create(&self.pool, share).await
    }

    async fn list_shares(&self, created_by: Option<i64>, limit: u32) -> Result<Vec<ShareRecord>> {
        shares::list(&self.pool, created_by, limit).await
    }

    async fn get_share(&self, id: &str) -> Result<Option<ShareRecord>> {
        shares::get(&self.pool, "s.id", id).await
    }

    async fn find_share_by_token(&self, token_hash: &str) -> Result<Option<ShareRecord>> {
        shares::get(&self.pool, "s.token_hash", token_hash).await
    }

    async fn revoke_share(&self, id: &str, now: Timestamp) -> Result<bool> {
        shares::revoke(&self.pool, id, now).await
    }

    async fn record_share_open(&self, id: &str, now: Timestamp) -> Result<()> {
        shares::opened(&self.pool, id, now).await
    }

    async fn count_live_shares(&self, created_by: i64, now: Timestamp) -> Result<u64> {
        shares::count_live(&self.pool, created_by, now).await
    }
}

#[async_trait]
impl AttachmentStore for SqliteStore {
    async fn stored_attachments(&self, hashes: &[String]) -> Result<Vec<AttachmentRef>> {
        attach::stored_attachments(&self.pool, hashes).await
    }

    async fn record_attachment(
        &self,
        attachment: &AttachmentRef,
        stored_by: &str,
        now: Timestamp,
    ) -> Result<bool> {
        attach::record_attachment(&self.pool, attachment, stored_by, now).await
    }

    async fn complaints_with_attachment(&self, sha256: &str) -> Result<Vec<ComplaintRow>> {
        attach::complaints_with_attachment(&self.pool, sha256).await
    }
}
