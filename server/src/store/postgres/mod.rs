//! The PostgreSQL backend (scale-out: several servers on one database), with its own migrations
//! (`migrations/postgres`): the whole `Store`, the rules in the ingest core and the model.

mod attach;
mod fleet;
mod logins;
#[cfg(test)]
mod plans;
mod projection;
mod pull;
mod query;
#[cfg(test)]
mod recount;
mod report;
pub mod scratch;
mod shares;
mod sites;
mod steps;
mod uploads;
mod users;

use super::{
    ComplaintFilter, ComplaintRow, ComplaintStore, ImportInfo, PushGate, ReadScope, ReportQuery,
    Store, StoredComplaint, SyncStore,
};
use crate::ingest;
use crate::store::error::{Result, StoreError};
use crate::store::RawEvent;
use async_trait::async_trait;
use siteline_model::api::SiteInfo;
use siteline_model::sync::PushResult;
use siteline_model::{ComplaintId, Event, Timestamp};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::str::FromStr;
use std::time::Duration;
use steps::PgTx;

/// The PostgreSQL store.
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects (`postgres://…`) and runs the migrations. `max_connections`: this process's
    /// share of the database's connections.
    pub async fn open(url: &str, max_connections: u32) -> Result<PgStore> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(15))
            .connect_with(options)
            .await?;
        // Concurrent first starts of several servers: one runs the migrations at a time.
        let mut lock = pool.acquire().await?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *lock)
            .await?;
        let migrated = sqlx::migrate!("migrations/postgres").run(&pool).await;
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *lock)
            .await?;
        migrated?;
        Ok(PgStore { pool })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Holds the start lock while `f` runs (the first start's users and site): servers started
    /// together on an empty database bootstrap one after the other, so only one creates them.
    pub async fn while_starting<T, E, F>(&self, f: F) -> std::result::Result<T, E>
    where
        F: std::future::Future<Output = std::result::Result<T, E>>,
        E: From<StoreError>,
    {
        let mut conn = self.pool.acquire().await.map_err(StoreError::from)?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(START_LOCK)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from)?;
        let out = f.await;
        // A session lock: released explicitly, or the pooled connection would keep it.
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(START_LOCK)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from)?;
        out
    }
}

/// The advisory lock held while a server bootstraps an empty database.
const START_LOCK: i64 = 0x5117_e120;

/// The advisory lock held while migrations run.
const MIGRATION_LOCK: i64 = 0x5117_e11f;

#[async_trait]
impl SyncStore for PgStore {
    async fn push(
        &self,
        events: &[Event],
        sites: &[SiteInfo],
        default_site: &str,
        gate: &dyn PushGate,
        import: Option<&ImportInfo>,
        now: Timestamp,
    ) -> Result<Vec<PushResult>> {
        let mut tx = self.pool.begin().await?;
        let mut steps = PgTx(&mut tx);
        // Every writer of events holds the ingest lock until it commits: seqs commit in order,
        // and the gate sees the state every earlier push committed.
        steps.lock().await?;
        let results =
            ingest::push(&mut steps, events, sites, default_site, gate, import, now).await?;
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
        let mut tx = self.pool.begin().await?;
        let mut steps = PgTx(&mut tx);
        // One runner at a time across processes: the pass writes events, so it takes the
        // ingest lock like a push.
        steps.lock().await?;
        let n = ingest::escalate_unresolved(&mut steps, sites, now).await?;
        tx.commit().await?;
        Ok(n)
    }
}

#[async_trait]
impl ComplaintStore for PgStore {
    async fn list_complaints(&self, filter: &ComplaintFilter) -> Result<Vec<ComplaintRow>> {
        self.list(filter).await
    }

    async fn get_complaint(&self, id: ComplaintId) -> Result<Option<StoredComplaint>> {
        self.one(id).await
    }

    async fn complaint_rows(&self, ids: &[ComplaintId]) -> Result<Vec<ComplaintRow>> {
        self.rows(ids).await
    }

    async fn report(&self, query: &ReportQuery) -> Result<siteline_model::report::Report> {
        self.report_of(query).await
    }
}

#[async_trait]
impl Store for PgStore {
    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}
