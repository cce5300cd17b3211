//! Photos in IndexedDB: the downscaled JPEG and its thumbnail as Blobs keyed by SHA-256, and the
//! upload state of photos taken on this device. Blobs are stored as Blobs (never base64).

use super::{commit, from_js, to_js, LocalStore, StoreError, BLOBS, THUMBS, UPLOADS};
use crate::logic::upload::UploadRecord;
use idb::TransactionMode;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

impl LocalStore {
    /// Stores a photo and its thumbnail (one transaction).
    pub async fn put_photo(
        &self,
        sha256: &str,
        full: &Blob,
        thumb: Option<&Blob>,
    ) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(&[BLOBS, THUMBS], TransactionMode::ReadWrite)?;
        let key = JsValue::from_str(sha256);
        tx.object_store(BLOBS)?.put(full, Some(&key))?;
        if let Some(t) = thumb {
            tx.object_store(THUMBS)?.put(t, Some(&key))?;
        }
        commit(tx).await
    }

    async fn get_from(&self, store: &str, sha256: &str) -> Result<Option<Blob>, StoreError> {
        let tx = self.db.transaction(&[store], TransactionMode::ReadOnly)?;
        let v = tx
            .object_store(store)?
            .get(JsValue::from_str(sha256))?
            .await?;
        tx.await?;
        Ok(v.and_then(|v| v.dyn_into::<Blob>().ok()))
    }

    /// The photo's bytes, if on this device.
    pub async fn get_blob(&self, sha256: &str) -> Result<Option<Blob>, StoreError> {
        self.get_from(BLOBS, sha256).await
    }

    pub async fn get_thumb(&self, sha256: &str) -> Result<Option<Blob>, StoreError> {
        self.get_from(THUMBS, sha256).await
    }

    /// Hashes of every stored photo.
    pub async fn blob_keys(&self) -> Result<Vec<String>, StoreError> {
        let tx = self.db.transaction(&[BLOBS], TransactionMode::ReadOnly)?;
        let keys = tx.object_store(BLOBS)?.get_all_keys(None, None)?.await?;
        tx.await?;
        Ok(keys.into_iter().filter_map(|k| k.as_string()).collect())
    }

    /// Upload records of the photos taken on this device.
    pub async fn uploads(&self) -> Result<Vec<UploadRecord>, StoreError> {
        let tx = self.db.transaction(&[UPLOADS], TransactionMode::ReadOnly)?;
        let all = tx.object_store(UPLOADS)?.get_all(None, None)?.await?;
        tx.await?;
        all.iter().map(from_js::<UploadRecord>).collect()
    }

    pub async fn put_upload(&self, u: &UploadRecord) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(&[UPLOADS], TransactionMode::ReadWrite)?;
        tx.object_store(UPLOADS)?
            .put(&to_js(u)?, Some(&JsValue::from_str(&u.sha256)))?;
        commit(tx).await
    }

    /// Removes photos (bytes, thumbnail, upload state) no record refers to any more.
    pub async fn delete_photos(&self, hashes: &[String]) -> Result<(), StoreError> {
        if hashes.is_empty() {
            return Ok(());
        }
        let tx = self
            .db
            .transaction(&[BLOBS, THUMBS, UPLOADS], TransactionMode::ReadWrite)?;
        for store in [BLOBS, THUMBS, UPLOADS] {
            let st = tx.object_store(store)?;
            for h in hashes {
                st.delete(JsValue::from_str(h))?;
            }
        }
        commit(tx).await
    }
}
