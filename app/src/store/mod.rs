//! Local storage of the replica in IndexedDB (via `idb`): one record per complaint (its events
//! with sync state, `records`), device meta, and photos: blobs and thumbnails by hash with their
//! upload state. Every change is committed in ONE transaction before the in-memory replica
//! applies it.

pub mod blobs;
pub mod perf;
pub mod prefs;
mod records;

use idb::{Database, DatabaseEvent, Factory};
use siteline_model::replica::{Change, Replica, ReplicaMeta, StoredEvent};
use siteline_model::DeviceId;
use wasm_bindgen::JsValue;

pub(crate) const DB_NAME: &str = "siteline";
/// 1: events, meta. 2: + blobs, thumbs, uploads (photos). 3: + complaints (one record per
/// complaint; `events` is emptied into it on first load). 4: + receipts. Upgrades only add
/// stores.
pub const DB_VERSION: u32 = 4;
/// Schema 1–2: one record (JSON string `StoredEvent`) per event, by event id. Empty from 3 on.
pub(crate) const EVENTS: &str = "events";
/// A complaint's events with their sync marks (bytes of `device_record::ComplaintRecord`), by
/// complaint id.
pub(crate) const COMPLAINTS: &str = "complaints";
pub(crate) const META: &str = "meta";
/// Acknowledgements not yet folded into the complaint records (bytes of
/// `device_record::Receipt`), by an increasing key: an ack writes one record, not every
/// complaint it names; idle time folds them in (`records::compact_receipts`).
pub(crate) const RECEIPTS: &str = "receipts";
/// Photo bytes (Blob) by SHA-256 hex.
pub(crate) const BLOBS: &str = "blobs";
/// Thumbnails (Blob, ≈240 px) by SHA-256 hex of the photo.
pub(crate) const THUMBS: &str = "thumbs";
/// Upload state (JSON `UploadRecord`) of photos taken on this device, by hash.
pub(crate) const UPLOADS: &str = "uploads";
pub(crate) const ALL_STORES: [&str; 7] =
    [EVENTS, META, BLOBS, THUMBS, UPLOADS, COMPLAINTS, RECEIPTS];
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
                    let mut params = idb::ObjectStoreParams::new();
                    // Receipts are keyed by the store's own counter: their order is the order
                    // acknowledgements were written in, across tabs.
                    params.auto_increment(store == RECEIPTS);
                    let _ = db.create_object_store(store, params);
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

    /// Closes the connection (a page keeps its one connection open; tests that delete or
    /// reopen a database by name close theirs first).
    pub fn close(&self) {
        self.db.close();
    }

    /// Loads meta (creating the device id on first open) and every stored event.
    pub async fn load(
        &self,
        new_device: impl FnOnce() -> DeviceId,
    ) -> Result<(ReplicaMeta, Vec<StoredEvent>), StoreError> {
        let mut events = Vec::new();
        let meta_raw = self
            .read_each(|r| {
                events.extend(r.into_stored());
                0.0
            })
            .await?;
        Ok((self.meta_or_new(meta_raw, new_device).await?, events))
    }

    /// Builds the replica from storage record by record (the start-up path: the events are
    /// decoded straight into it, never all held twice), measuring the build apart from the read.
    /// A read that fails midway (the start script's connection closed by another tab's upgrade)
    /// is done once more by the app itself.
    pub async fn load_replica(
        &self,
        new_device: impl FnOnce() -> DeviceId,
    ) -> Result<Replica, StoreError> {
        let (mut replica, meta_raw) = match self.build_replica().await {
            Ok(built) => built,
            Err(_) => self.build_replica().await?,
        };
        let meta = self.meta_or_new(meta_raw, new_device).await?;
        replica.set_meta(meta);
        Ok(replica)
    }

    async fn build_replica(&self) -> Result<(Replica, Option<JsValue>), StoreError> {
        let mut replica = Replica::default();
        let (mut built, mut n) = (0.0, 0);
        let meta_raw = self
            .read_each(|r| {
                let t = perf::now();
                n += r.events.len();
                replica.add_stored(r.into_stored());
                let took = perf::now() - t;
                built += took;
                took
            })
            .await?;
        perf::measure(perf::REPLICA_BUILT, perf::now() - built, n);
        Ok((replica, meta_raw))
    }

    /// The stored meta, or a new one (a new device id, written at once) on first open.
    async fn meta_or_new(
        &self,
        stored: Option<JsValue>,
        new_device: impl FnOnce() -> DeviceId,
    ) -> Result<ReplicaMeta, StoreError> {
        match stored {
            Some(v) => from_js::<ReplicaMeta>(&v),
            None => {
                let meta = ReplicaMeta::new(new_device());
                self.write(&Change {
                    events: vec![],
                    meta: meta.clone(),
                })
                .await?;
                Ok(meta)
            }
        }
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
    // `from_slice`, the one JSON reader the app decodes events with (see `api::decode`).
    serde_json::from_slice(s.as_bytes()).map_err(|e| StoreError::Corrupt(e.to_string()))
}
