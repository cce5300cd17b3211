//! Siteline server library: builds the app (store, bootstrap, router) so tests can run it in-process.

pub mod archive;
pub mod attachments;
pub mod blobs;
pub mod bootstrap;
pub mod cli;
pub mod clock;
pub mod config;
pub mod error;
pub mod escalation;
pub mod fuzz;
pub mod http;
pub mod ingest;
pub mod migrate;
pub mod ratelimit;
pub mod rules;
pub mod secrets;
pub mod staging;
pub mod store;
pub mod visibility;

use attachments::Attachments;
use axum::Router;
use siteline_model::Timestamp;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

pub use bootstrap::CreatedUser;
pub use clock::ServerClock;
pub use config::Config;
pub use error::{Error, Result};
use store::{PgStore, SqliteStore, Store};

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    /// Code of the default site: numbers complaints that name no known site.
    pub site_code: Arc<str>,
    /// The workflow clock (receipt times, deadlines, escalation); tests shift it.
    pub clock: Arc<ServerClock>,
    /// Attachment bytes, upload staging and limits.
    pub attachments: Arc<Attachments>,
    /// Failed sign-ins per username and client address.
    /// Failed sign-ins: in the process (SQLite), in the database (PostgreSQL, shared by every
    /// server).
    pub logins: Arc<dyn ratelimit::LoginLimits>,
}

/// A ready-to-serve app and what its first start created.
pub struct Built {
    pub router: Router,
    pub state: AppState,
    /// Users created by this start (print generated passwords once).
    pub created_users: Vec<CreatedUser>,
}

/// The router for a state (all routes, fallbacks and layers).
pub fn app(state: AppState) -> Router {
    http::router(state)
}

/// Creates the data directory, opens and migrates the database, seeds a new one, builds the router.
pub async fn build(config: Config) -> Result<Built> {
    config::validate_site_code(&config.site_code).map_err(Error::Internal)?;
    let io = |what: &str, e: std::io::Error| Error::Internal(format!("{what}: {e}"));
    tokio::fs::create_dir_all(&config.data_dir)
        .await
        .map_err(|e| io(&format!("creating {}", config.data_dir.display()), e))?;
    let attachments = Attachments::new(
        match &config.object_store_url {
            Some(url) => blobs::AttachmentStore::from_url(url, &config.object_store_options)?,
            None => blobs::AttachmentStore::local(&config.attachments_dir())?,
        },
        staging::Staging::open(&config.uploads_dir())?,
        config.max_attachment_bytes,
    );
    let (store, logins, created_users): (Arc<dyn Store>, Arc<dyn ratelimit::LoginLimits>, _) =
        match &config.database_url {
            Some(url) => {
                let pg = PgStore::open(url, config.database_pool).await?;
                let created = pg
                    .while_starting(bootstrap::bootstrap(&pg, &config, now()))
                    .await?;
                let pg = Arc::new(pg);
                (pg.clone(), pg, created)
            }
            None => {
                let lite = SqliteStore::open(&config.db_path()).await?;
                let created = bootstrap::bootstrap(&lite, &config, now()).await?;
                let limits = Arc::new(ratelimit::LoginLimiter::default());
                (Arc::new(lite), limits, created)
            }
        };
    let site_code = store
        .default_site_code()
        .await?
        .ok_or_else(|| Error::Internal("no site in the database".into()))?;
    let clock = ServerClock::new(config.now_offset_secs.saturating_mul(1000));
    let state = AppState {
        store,
        config: Arc::new(config),
        site_code: site_code.into(),
        clock: Arc::new(clock),
        attachments: Arc::new(attachments),
        logins,
    };
    Ok(Built {
        router: app(state.clone()),
        state,
        created_users,
    })
}

/// The real server clock as a model timestamp (sessions; the workflow uses `AppState::clock`).
pub fn now() -> Timestamp {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Timestamp(ms)
}
