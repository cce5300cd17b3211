//! App-wide reactive context: language, session, the local replica, connection state, and the
//! site data kept for offline use (the deadline clock, location labels, the site's own categories).

use crate::i18n::{Lang, K};
use crate::store::prefs::{self, Session};
use crate::store::{LocalStore, StoreError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::api::{CustomCategory, SiteInfo, UserInfo};
use siteline_model::replica::{Change, Replica, ReplicaMeta};
use siteline_model::timelimit::Clock;
use siteline_model::{ComplaintId, DeviceId, EventKind, Role, Timestamp};

/// What the header shows about the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conn {
    Online,
    Offline,
    Syncing,
}

#[derive(Clone, Copy)]
pub struct AppCtx {
    pub lang: RwSignal<Lang>,
    pub session: RwSignal<Option<Session>>,
    /// The local replica; `None` until IndexedDB has been read.
    pub replica: RwSignal<Option<Replica>>,
    pub store: StoredValue<Option<LocalStore>, LocalStorage>,
    pub store_error: RwSignal<Option<String>>,
    pub conn: RwSignal<Conn>,
    pub session_expired: RwSignal<bool>,
    /// Bumped to ask the sync loop to run now.
    pub sync_poke: RwSignal<u64>,
    /// Sites as last fetched (cached in localStorage); the first is the default site.
    pub sites: RwSignal<Vec<SiteInfo>>,
    /// When the sites were fetched (device clock); zero asks for a fetch on the next sync.
    pub sites_fetched_at: StoredValue<Timestamp>,
    /// The default site's time limits and working calendar (national calendar if none is known).
    pub clock: Memo<Clock>,
    /// Code of the default site (empty if none is known yet).
    pub site_code: Memo<String>,
    /// The default site's location labels (`1栋 › 3F › 电梯厅`).
    pub locations: Memo<Vec<String>>,
    /// Categories the default site added.
    pub custom_categories: Memo<Vec<CustomCategory>>,
}

pub fn use_ctx() -> AppCtx {
    expect_context::<AppCtx>()
}

impl AppCtx {
    pub fn provide() -> Self {
        let cache = prefs::load_sites();
        let sites = RwSignal::new(cache.sites);
        let ctx = AppCtx {
            lang: RwSignal::new(prefs::load_lang()),
            session: RwSignal::new(prefs::load_session()),
            replica: RwSignal::new(None),
            store: StoredValue::new_local(None),
            store_error: RwSignal::new(None),
            conn: RwSignal::new(if navigator_online() {
                Conn::Online
            } else {
                Conn::Offline
            }),
            session_expired: RwSignal::new(false),
            sync_poke: RwSignal::new(0),
            sites,
            sites_fetched_at: StoredValue::new(cache.fetched_at),
            clock: Memo::new_with_compare(
                move |_| sites.with(|s| s.first().map_or_else(Clock::china, Clock::for_site)),
                |a, b| match (a, b) {
                    (Some(a), Some(b)) => {
                        a.policy != b.policy || a.calendar != b.calendar || a.hours != b.hours
                    }
                    _ => true,
                },
            ),
            site_code: Memo::new(move |_| {
                sites.with(|s| s.first().map(|s| s.code.clone()).unwrap_or_default())
            }),
            locations: Memo::new(move |_| {
                sites.with(|s| s.first().map(|s| s.locations.clone()).unwrap_or_default())
            }),
            custom_categories: Memo::new(move |_| {
                sites.with(|s| s.first().map(|s| s.categories.clone()).unwrap_or_default())
            }),
        };
        provide_context(ctx);
        ctx
    }

    /// Translates a key in the current language (reactive).
    pub fn t(&self, k: K) -> &'static str {
        k.get(self.lang.get())
    }

    pub fn set_lang(&self, l: Lang) {
        prefs::save_lang(l);
        self.lang.set(l);
    }

    pub fn username(&self) -> Option<String> {
        self.session
            .with(|s| s.as_ref().map(|s| s.user.username.clone()))
    }

    pub fn user(&self) -> Option<UserInfo> {
        self.session.with(|s| s.as_ref().map(|s| s.user.clone()))
    }

    /// The logged-in user's role (reactive); `None` when logged out.
    pub fn role(&self) -> Option<Role> {
        self.session.with(|s| s.as_ref().map(|s| s.user.role))
    }

    pub fn poke_sync(&self) {
        self.sync_poke.update(|n| *n += 1);
    }

    /// Opens IndexedDB and loads the replica in the background.
    pub fn open_local_store(self) {
        spawn_local(async move {
            match load().await {
                Ok((store, meta, events)) => {
                    self.store.set_value(Some(store));
                    self.replica.set(Some(Replica::load(meta, events)));
                    self.poke_sync();
                }
                Err(e) => self.store_error.set(Some(e.to_string())),
            }
        });
    }

    /// Commits a change to IndexedDB, then applies it to the in-memory replica.
    pub async fn commit(&self, change: Change) -> Result<(), StoreError> {
        let store = self
            .store
            .get_value()
            .ok_or_else(|| StoreError::Unavailable("not open yet".into()))?;
        store.write(&change).await?;
        self.replica.update(|r| {
            if let Some(r) = r {
                r.apply(change)
            }
        });
        Ok(())
    }
}

impl AppCtx {
    /// Records one event on a complaint as the logged-in user: stored first, then shown, then synced.
    pub async fn record(&self, id: ComplaintId, kind: EventKind) -> Result<(), StoreError> {
        let author = self.username().unwrap_or_default();
        let change = self.replica.with_untracked(|r| {
            r.as_ref()
                .map(|r| r.prepare(id, kind, &author, now(), random10()))
        });
        let change = change.ok_or_else(|| StoreError::Unavailable("not open yet".into()))?;
        self.commit(change).await?;
        self.poke_sync();
        Ok(())
    }

    /// Keeps freshly fetched sites, in memory and in localStorage.
    pub fn set_sites(&self, sites: Vec<SiteInfo>) {
        let at = now();
        prefs::save_sites(&prefs::SiteCache {
            fetched_at: at,
            sites: sites.clone(),
        });
        self.sites_fetched_at.set_value(at);
        if self.sites.with_untracked(|s| *s != sites) {
            self.sites.set(sites);
        }
    }
}

async fn load() -> Result<
    (
        LocalStore,
        ReplicaMeta,
        Vec<siteline_model::replica::StoredEvent>,
    ),
    StoreError,
> {
    let store = LocalStore::open().await?;
    let (meta, events) = store.load(|| DeviceId::new_v7(now().0, random10())).await?;
    Ok((store, meta, events))
}

pub fn navigator_online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

/// Device clock now (capture time is data; never used for ordering).
pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

/// Ten random bytes for UUIDv7 ids, from the browser's CSPRNG.
pub fn random10() -> [u8; 10] {
    let mut b = [0u8; 10];
    if getrandom::fill(&mut b).is_err() {
        // Never expected in a browser; fall back to Math.random rather than fail a save.
        for x in b.iter_mut() {
            *x = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    b
}
