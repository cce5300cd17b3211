//! App-wide reactive context: language, session and keyring, the local replica and photo upload
//! state, connection and sync state, storage facts, app updates, and the site data kept for
//! offline use (the deadline clock, location labels, the site's own categories).

use crate::i18n::{Lang, K};
use crate::logic::display::Display;
use crate::logic::keyring::Keyring;
use crate::logic::people::People;
use crate::logic::readiness::Estimate;
use crate::logic::record;
use crate::logic::upload::UploadRecord;
use crate::store::prefs::{self, Session};
use crate::store::{perf, LocalStore, StoreError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::api::{CustomCategory, SiteInfo, UserInfo};
use siteline_model::device_record::WritePlan;
use siteline_model::replica::{Change, Replica};
use siteline_model::timelimit::Clock;
use siteline_model::{ComplaintId, DeviceId, EventKind, Role, Timestamp};
use std::collections::{BTreeMap, BTreeSet};

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
    /// Theme and text size of this device.
    pub display: RwSignal<Display>,
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
    /// Display names of the people of the device's sites (and of its keyring).
    pub people: Memo<People>,
    /// Everyone who logged in on this device (tokens for syncing their records, offline login).
    pub keyring: RwSignal<Keyring>,
    /// Records waiting when the running sync started (its progress bar); none between syncs.
    pub sync_started_with: RwSignal<Option<usize>>,
    /// Records whose events are in the batch being pushed.
    pub in_flight: RwSignal<BTreeSet<ComplaintId>>,
    /// Upload state of the photos taken on this device, by hash.
    pub uploads: RwSignal<BTreeMap<String, UploadRecord>>,
    /// Bumped when photos arrive in local storage (thumbnails waiting for them retry).
    pub blob_epoch: RwSignal<u64>,
    /// The photo shown full screen (hash).
    pub photo_full: RwSignal<Option<String>>,
    /// The server refused this app's schema (426): update before syncing again.
    pub update_required: RwSignal<bool>,
    /// A new app version is installed and waiting.
    pub update_available: RwSignal<bool>,
    /// The user asked to update, to happen once the intake form is saved.
    pub update_after_save: RwSignal<bool>,
    /// How far this tablet's clock is off the server's (from the last answer's `Date`).
    pub clock_offset: RwSignal<Option<i64>>,
    /// End of the last successful sync (pushed and pulled).
    pub last_sync: RwSignal<Option<Timestamp>>,
    /// The last finished sync run: the `sync_poke` value it started with, and its success.
    pub sync_runs: RwSignal<(u64, bool)>,
    pub estimate: RwSignal<Option<Estimate>>,
    pub persisted: RwSignal<Option<bool>>,
    /// Forms on screen with unsaved typing (an update waits for them).
    pub typing: RwSignal<BTreeSet<&'static str>>,
    /// Complaints outside the device window fetched from the server this session: the window's
    /// eviction spares them until the app is opened again.
    pub fetched: RwSignal<BTreeSet<ComplaintId>>,
}

mod window;

pub fn use_ctx() -> AppCtx {
    expect_context::<AppCtx>()
}

impl AppCtx {
    pub fn provide() -> Self {
        let cache = prefs::load_sites();
        let sites = RwSignal::new(cache.sites);
        let keyring = RwSignal::new(prefs::load_keyring());
        let ctx = AppCtx {
            lang: RwSignal::new(prefs::load_lang()),
            display: RwSignal::new(prefs::load_display()),
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
            people: Memo::new(move |_| {
                sites.with(|s| {
                    keyring.with(|k| {
                        People::new(
                            s,
                            k.users
                                .iter()
                                .map(|u| (u.username.as_str(), u.display_name.as_str())),
                        )
                    })
                })
            }),
            keyring,
            sync_started_with: RwSignal::new(None),
            in_flight: RwSignal::new(BTreeSet::new()),
            uploads: RwSignal::new(BTreeMap::new()),
            blob_epoch: RwSignal::new(0),
            photo_full: RwSignal::new(None),
            update_required: RwSignal::new(false),
            clock_offset: RwSignal::new(None),
            update_available: RwSignal::new(false),
            update_after_save: RwSignal::new(false),
            last_sync: RwSignal::new(prefs::load_last_sync()),
            sync_runs: RwSignal::new((0, false)),
            estimate: RwSignal::new(None),
            persisted: RwSignal::new(None),
            typing: RwSignal::new(BTreeSet::new()),
            fetched: RwSignal::new(BTreeSet::new()),
        };
        provide_context(ctx);
        ctx
    }

    /// A person's display name (系统 for the server), in the current language (reactive).
    pub fn who(&self, username: &str) -> String {
        let lang = self.lang.get();
        self.people.with(|p| p.name(username, lang))
    }

    /// Translates a key in the current language (reactive).
    pub fn t(&self, k: K) -> &'static str {
        k.get(self.lang.get())
    }

    pub fn set_lang(&self, l: Lang) {
        prefs::save_lang(l);
        self.lang.set(l);
    }

    /// Keeps the device's display settings, in memory and in localStorage.
    pub fn set_display(&self, d: Display) {
        prefs::save_display(d);
        self.display.set(d);
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

    /// Opens IndexedDB and loads the replica (and photo upload states) in the background.
    pub fn open_local_store(self) {
        spawn_local(async move {
            match load().await {
                Ok((store, replica)) => {
                    self.store.set_value(Some(store.clone()));
                    let shown = perf::now();
                    self.replica.set(Some(replica));
                    perf::mark_interactive_after_render(shown);
                    // Photo upload states after the list is on screen (badges update then).
                    let uploads = store.uploads().await.unwrap_or_default();
                    self.set_uploads(uploads);
                    self.poke_sync();
                }
                Err(e) => self.store_error.set(Some(e.to_string())),
            }
        });
    }

    pub fn local_store(&self) -> Result<LocalStore, StoreError> {
        self.store
            .get_value()
            .ok_or_else(|| StoreError::Unavailable("not open yet".into()))
    }

    /// Commits a change to IndexedDB, then applies it to the in-memory replica.
    pub async fn commit(&self, change: Change) -> Result<(), StoreError> {
        self.commit_with(change, vec![], &[]).await
    }

    /// Commits a change with the upload records of its photos, removing `discard`ed events (of
    /// their complaints), in one transaction; then applies it (rebuilding the replica when
    /// events were removed).
    pub async fn commit_with(
        &self,
        change: Change,
        uploads: Vec<UploadRecord>,
        discard: &[(ComplaintId, siteline_model::EventId)],
    ) -> Result<(), StoreError> {
        let store = self.local_store()?;
        // Acknowledgements of what the device holds become one receipt record.
        let plan = self.replica.with_untracked(|r| match r {
            Some(r) => WritePlan::of(&change.events, |c, id| r.stored(c, id)),
            None => WritePlan::all(&change.events),
        });
        store
            .write_plan(&plan, &change.meta, &uploads, discard)
            .await?;
        if !uploads.is_empty() {
            self.uploads.update(|m| {
                for u in uploads {
                    m.insert(u.sha256.clone(), u);
                }
            });
        }
        if discard.is_empty() {
            let (started, n) = (perf::now(), change.events.len());
            self.replica.update(|r| {
                if let Some(r) = r {
                    r.apply(change)
                }
            });
            perf::measure(perf::REPLICA_APPLY, started, n);
        } else {
            // The replica has no removal: read back what storage now holds.
            let replica = store.load_replica(|| change.meta.device_id).await?;
            self.replica.set(Some(replica));
            self.forget_unused_photos().await;
        }
        Ok(())
    }

    pub fn set_uploads(&self, list: Vec<UploadRecord>) {
        self.uploads
            .set(list.into_iter().map(|u| (u.sha256.clone(), u)).collect());
    }

    /// Removes stored photos that no record and no draft refers to any more.
    pub async fn forget_unused_photos(&self) {
        let Ok(store) = self.local_store() else {
            return;
        };
        let mut keep = self.replica.with_untracked(|r| {
            r.as_ref()
                .map(record::referenced_photos)
                .unwrap_or_default()
        });
        keep.extend(prefs::draft_photos());
        let Ok(stored) = store.blob_keys().await else {
            return;
        };
        let mut gone: Vec<String> = stored.into_iter().filter(|h| !keep.contains(h)).collect();
        // Upload records without bytes too.
        self.uploads.with_untracked(|m| {
            gone.extend(m.keys().filter(|h| !keep.contains(*h)).cloned());
        });
        gone.sort();
        gone.dedup();
        if store.delete_photos(&gone).await.is_ok() {
            self.uploads.update(|m| m.retain(|h, _| !gone.contains(h)));
        }
    }

    /// Discards a rejected record on this device (after the user confirmed): all of it when the
    /// server refused its creation, else only the refused events.
    pub async fn discard_rejected(&self, id: ComplaintId) -> Result<(), StoreError> {
        let plan = self.replica.with_untracked(|r| {
            r.as_ref()
                .map(|r| (record::discard_plan(r, &id), r.meta().clone()))
        });
        let Some((ids, meta)) = plan else {
            return Err(StoreError::Unavailable("not open yet".into()));
        };
        if ids.is_empty() {
            return Ok(());
        }
        let change = Change {
            events: vec![],
            meta,
        };
        // A half-done correction of it goes too (its photos are then no longer kept for it).
        prefs::clear_draft_for(Some(id));
        self.commit_with(change, vec![], &ids).await
    }

    /// The logged-in user's token, if the keyring still holds a usable one.
    pub fn token(&self) -> Option<String> {
        let user = self.username()?;
        self.keyring.with_untracked(|k| match k.get(&user) {
            Some(_) => k.token_for(&user, now()),
            // A session from before the keyring existed.
            None => self
                .session
                .with_untracked(|s| s.as_ref().map(|s| s.token.clone()))
                .filter(|t| !t.is_empty()),
        })
    }

    /// What to tell the user when a save failed (a full device is said plainly).
    pub fn save_error_text(&self, e: &StoreError) -> String {
        if e.is_full() {
            self.t(K::DeviceFull).to_string()
        } else {
            format!("{}{e}", self.t(K::SaveFailed))
        }
    }

    pub fn update_keyring(&self, f: impl FnOnce(&mut Keyring)) {
        self.keyring.update(|k| {
            f(k);
            prefs::save_keyring(k);
        });
    }
}

impl AppCtx {
    /// Records one event on a complaint as the logged-in user: stored first, then shown, then synced.
    pub async fn record(&self, id: ComplaintId, kind: EventKind) -> Result<(), StoreError> {
        self.record_with(id, kind, vec![]).await
    }

    /// Like `record`, with the upload records of the photos the event adds (same transaction).
    pub async fn record_with(
        &self,
        id: ComplaintId,
        kind: EventKind,
        uploads: Vec<UploadRecord>,
    ) -> Result<(), StoreError> {
        let author = self.username().unwrap_or_default();
        let change = self.replica.with_untracked(|r| {
            r.as_ref()
                .map(|r| r.prepare(id, kind, &author, now(), random10()))
        });
        let change = change.ok_or_else(|| StoreError::Unavailable("not open yet".into()))?;
        self.commit_with(change, uploads, &[]).await?;
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

async fn load() -> Result<(LocalStore, Replica), StoreError> {
    let store = LocalStore::open().await?;
    let replica = store
        .load_replica(|| DeviceId::new_v7(now().0, random10()))
        .await?;
    Ok((store, replica))
}

pub fn navigator_online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

/// Device clock now (capture time is data; never used for ordering).
/// The server's time as this tablet best knows it (its clock less the last measured offset).
pub fn server_now(ctx: AppCtx) -> Timestamp {
    let t = now();
    Timestamp(t.0 - ctx.clock_offset.get_untracked().unwrap_or(0))
}

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
