//! Local storage of the replica in IndexedDB (via `idb`): events with sync state, and device meta.
//! Every change is committed in ONE transaction before the in-memory replica applies it.

pub mod prefs;

use idb::{Database, DatabaseEvent, Factory, TransactionMode};
use siteline_model::replica::{Change, ReplicaMeta, StoredEvent};
use siteline_model::DeviceId;
use wasm_bindgen::JsValue;

const DB_NAME: &str = "siteline";
const DB_VERSION: u32 = 1;
const EVENTS: &str = "events";
const META: &str = "meta";
const META_KEY: &str = "replica";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    #[error("IndexedDB is not available: {0}")]
    Unavailable(String),
    #[error("local storage failed: {0}")]
    Failed(String),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
}

impl From<idb::Error> for StoreError {
    fn from(e: idb::Error) -> Self {
        StoreError::Failed(e.to_string())
    }
}

/// The device's database.
#[derive(Clone)]
pub struct LocalStore {
    db: std::rc::Rc<Database>,
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
            let Ok(db) = event.database() else { return };
            let names = db.store_names();
            for store in [EVENTS, META] {
                if !names.iter().any(|n| n == store) {
                    let _ = db.create_object_store(store, idb::ObjectStoreParams::new());
                }
            }
        });
        let db = req
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(Self {
            db: std::rc::Rc::new(db),
        })
    }

    /// Loads meta (creating the device id on first open) and every stored event.
    pub async fn load(
        &self,
        new_device: impl FnOnce() -> DeviceId,
    ) -> Result<(ReplicaMeta, Vec<StoredEvent>), StoreError> {
        let tx = self
            .db
            .transaction(&[EVENTS, META], TransactionMode::ReadOnly)?;
        let meta_raw = tx
            .object_store(META)?
            .get(JsValue::from_str(META_KEY))?
            .await?;
        let raw_events = tx.object_store(EVENTS)?.get_all(None, None)?.await?;
        tx.await?;
        let mut events = Vec::with_capacity(raw_events.len());
        for v in raw_events {
            events.push(from_js::<StoredEvent>(&v)?);
        }
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
        let tx = self
            .db
            .transaction(&[EVENTS, META], TransactionMode::ReadWrite)?;
        let events = tx.object_store(EVENTS)?;
        for s in &change.events {
            events.put(
                &to_js(s)?,
                Some(&JsValue::from_str(&s.event.id.to_string())),
            )?;
        }
        tx.object_store(META)?
            .put(&to_js(&change.meta)?, Some(&JsValue::from_str(META_KEY)))?;
        let result = tx.commit()?.await?;
        if result.is_committed() {
            Ok(())
        } else {
            Err(StoreError::Failed(
                "transaction aborted (storage full?)".into(),
            ))
        }
    }
}

fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, StoreError> {
    serde_json::to_string(v)
        .map(|s| JsValue::from_str(&s))
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_js<T: serde::de::DeserializeOwned>(v: &JsValue) -> Result<T, StoreError> {
    let s = v
        .as_string()
        .ok_or_else(|| StoreError::Corrupt("not a string".into()))?;
    serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(e.to_string()))
}
