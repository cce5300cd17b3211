//! Local storage of the replica in IndexedDB (via `idb`): events with sync state, device meta,
//! and (since version 2) photos: blobs and thumbnails by hash with their upload state.
//! Every change is committed in ONE transaction before the in-memory replica applies it.

pub mod blobs;
pub mod perf;
pub mod prefs;

use crate::logic::upload::UploadRecord;
use idb::{Database, DatabaseEvent, Factory, TransactionMode};
use siteline_model::replica::{Change, ReplicaMeta, StoredEvent};
use siteline_model::{DeviceId, EventId};
use wasm_bindgen::JsValue;

const DB_NAME: &str = "siteline";
/// 1: events, meta. 2: + blobs, thumbs, uploads (photos). Upgrades only add stores.
pub const DB_VERSION: u32 = 2;
pub(crate) const EVENTS: &str = "events";
pub(crate) const META: &str = "meta";
/// Photo bytes (Blob) by SHA-256 hex.
pub(crate) const BLOBS: &str = "blobs";
/// Thumbnails (Blob, ≈240 px) by SHA-256 hex of the photo.
pub(crate) const THUMBS: &str = "thumbs";
/// Upload state (JSON `UploadRecord`) of photos taken on this device, by hash.
pub(crate) const UPLOADS: &str = "uploads";
pub(crate) const ALL_STORES: [&str; 5] = [EVENTS, META, BLOBS, THUMBS, UPLOADS];
const META_KEY: &str = "replica";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    #[error("IndexedDB is not available: {0}")]
    Unavailable(String),
    /// The device has no room left (QuotaExceededError, or the browser aborted the write).
    #[error("device storage is full: {0}")]
    Full(String),
    #[error("local storage failed: {0}")]
    Failed(String),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// A photo the record refers to is not stored (storage cleared meanwhile?).
    #[error("a photo is missing on the device: {0}")]
    MissingPhoto(String),
}

impl StoreError {
    pub fn is_full(&self) -> bool {
        matches!(self, StoreError::Full(_))
    }
}

impl From<idb::Error> for StoreError {
    fn from(e: idb::Error) -> Self {
        let text = e.to_string();
        if text.contains("QuotaExceeded") || text.contains("quota") {
            StoreError::Full(text)
        } else {
            StoreError::Failed(text)
        }
    }
}

/// The device's database.
#[derive(Clone)]
pub struct LocalStore {
    pub(crate) db: std::rc::Rc<Database>,
}

impl LocalStore {
    pub async fn open() -> Result<Self, StoreError> {
        Self::open_named(DB_NAME).await
    }

    /// Opens (creating or upgrading) a database by name; tests use their own names.
    pub async fn open_named(name: &str) -> Result<Self, StoreError> {
        let factory = Factory::new().map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let mut req = factory
            .open(name, Some(DB_VERSION))
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        req.on_upgrade_needed(|event| {
            // Only adds what is missing: events and meta of version 1 stay as they are.
            let Ok(db) = event.database() else { return };
            let names = db.store_names();
            for store in ALL_STORES {
                if !names.iter().any(|n| n == store) {
                    let _ = db.create_object_store(store, idb::ObjectStoreParams::new());
                }
            }
        });
        let db = req
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        // A newer version of the app in another tab wants to upgrade: let it (writes here then
        // fail visibly, keeping what was typed, until this tab is reloaded).
        let raw: web_sys::IdbDatabase = db.into();
        let close = raw.clone();
        let mut db = Database::from(raw);
        db.on_version_change(move |_| close.close());
        Ok(Self {
            db: std::rc::Rc::new(db),
        })
    }

    /// Loads meta (creating the device id on first open) and every stored event.
    pub async fn load(
        &self,
        new_device: impl FnOnce() -> DeviceId,
    ) -> Result<(ReplicaMeta, Vec<StoredEvent>), StoreError> {
        let started = perf::now();
        let tx = self
            .db
            .transaction(&[EVENTS, META], TransactionMode::ReadOnly)?;
        let meta_raw = tx
            .object_store(META)?
            .get(JsValue::from_str(META_KEY))?
            .await?;
        let raw_events = tx.object_store(EVENTS)?.get_all(None, None)?.await?;
        tx.await?;
        perf::measure(perf::STORE_READ, started, raw_events.len());
        let mut events = Vec::with_capacity(raw_events.len());
        for v in raw_events {
            events.push(from_js::<StoredEvent>(&v)?);
        }
        perf::measure(perf::STORE_LOAD, started, events.len());
        let meta = match meta_raw {
            Some(v) => from_js::<ReplicaMeta>(&v)?,
            None => {
                let meta = ReplicaMeta::new(new_device());
                self.write(&Change {
                    events: vec![],
                    meta: meta.clone(),
                })
                .await?;
                meta
            }
        };
        Ok((meta, events))
    }

    /// Commits a change (its events and the meta) atomically. Returns only once durable.
    pub async fn write(&self, change: &Change) -> Result<(), StoreError> {
        self.write_with(change, &[], &[]).await
    }

    /// Commits a change together with the upload records of the photos it references (whose
    /// blobs must already be stored: checked in the same transaction) and the removal of
    /// `discard`ed events — all or nothing.
    pub async fn write_with(
        &self,
        change: &Change,
        uploads: &[UploadRecord],
        discard: &[EventId],
    ) -> Result<(), StoreError> {
        let started = perf::now();
        let tx = self
            .db
            .transaction(&[EVENTS, META, BLOBS, UPLOADS], TransactionMode::ReadWrite)?;
        let blobs = tx.object_store(BLOBS)?;
        for u in uploads {
            let n = blobs
                .count(Some(JsValue::from_str(&u.sha256).into()))?
                .await?;
            if n == 0 {
                let _ = tx.abort();
                return Err(StoreError::MissingPhoto(u.sha256.clone()));
            }
        }
        let events = tx.object_store(EVENTS)?;
        for id in discard {
            events.delete(JsValue::from_str(&id.to_string()))?;
        }
        for s in &change.events {
            events.put(
                &to_js(s)?,
                Some(&JsValue::from_str(&s.event.id.to_string())),
            )?;
        }
        let up = tx.object_store(UPLOADS)?;
        for u in uploads {
            up.put(&to_js(u)?, Some(&JsValue::from_str(&u.sha256)))?;
        }
        tx.object_store(META)?
            .put(&to_js(&change.meta)?, Some(&JsValue::from_str(META_KEY)))?;
        let result = commit(tx).await;
        perf::measure(perf::STORE_WRITE, started, change.events.len());
        result
    }
}

/// Commits and waits; an aborted transaction is reported as a full device (the usual cause).
pub(crate) async fn commit(tx: idb::Transaction) -> Result<(), StoreError> {
    let result = tx.commit()?.await?;
    if result.is_committed() {
        Ok(())
    } else {
        Err(StoreError::Full("transaction aborted".into()))
    }
}

pub(crate) fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, StoreError> {
    serde_json::to_string(v)
        .map(|s| JsValue::from_str(&s))
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn from_js<T: serde::de::DeserializeOwned>(v: &JsValue) -> Result<T, StoreError> {
    let s = v
        .as_string()
        .ok_or_else(|| StoreError::Corrupt("not a string".into()))?;
    serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(e.to_string()))
}
