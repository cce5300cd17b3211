//! App-wide reactive context: language, session, the local replica and connection state.

use crate::i18n::{Lang, K};
use crate::store::prefs::{self, Session};
use crate::store::{LocalStore, StoreError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::replica::{Change, Replica, ReplicaMeta};
use siteline_model::{DeviceId, Timestamp};

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
}

pub fn use_ctx() -> AppCtx {
    expect_context::<AppCtx>()
}

impl AppCtx {
    pub fn provide() -> Self {
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
