//! `AttachmentStore`: attachment bytes by SHA-256 in an `object_store` (local files, S3, memory).

use crate::error::{Error, Result};
use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::sync::Arc;

/// Content-addressed bytes: one object per lowercase hex SHA-256, written atomically (the local
/// store writes a temporary file and renames it, so a cut never leaves a half file under the
/// final name). Only the wrapper knows the layout, so another `ObjectStore` (S3…) can replace it.
#[derive(Clone, Debug)]
pub struct AttachmentStore {
    inner: Arc<dyn ObjectStore>,
}

/// The bytes of one object, streamed.
pub struct Blob {
    pub size: u64,
    pub stream: BoxStream<'static, Result<Bytes>>,
}

fn failed(what: &str, e: object_store::Error) -> Error {
    Error::Internal(format!("attachment store: {what}: {e}"))
}

impl AttachmentStore {
    /// Files under `dir` (created if missing), synced to disk before a put returns.
    pub fn local(dir: &std::path::Path) -> Result<AttachmentStore> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Internal(format!("creating {}: {e}", dir.display())))?;
        let fs = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| failed("opening", e))?
            .with_fsync(true);
        Ok(AttachmentStore::new(Arc::new(fs)))
    }

    /// The store a URL names (`SITELINE_OBJECT_STORE_URL`): `file:///srv/siteline/attachments`,
    /// `s3://bucket/prefix` (S3 or a compatible store, configured by `options`: the usual
    /// `AWS_*` settings with lowercase keys, e.g. `aws_endpoint`, `aws_region`), or `memory://`
    /// (one process, tests and demos); its path is the prefix objects go under. A scheme this
    /// build has no client for is a clear error at start.
    pub fn from_url(url: &str, options: &[(String, String)]) -> Result<AttachmentStore> {
        let parsed = url::Url::parse(url)
            .map_err(|e| Error::Internal(format!("SITELINE_OBJECT_STORE_URL {url:?}: {e}")))?;
        let (store, prefix) = object_store::parse_url_opts(&parsed, options.iter().cloned())
            .map_err(|e| Error::Internal(format!("SITELINE_OBJECT_STORE_URL {url:?}: {e}")))?;
        let store: Arc<dyn ObjectStore> = Arc::from(store);
        if prefix.as_ref().is_empty() {
            Ok(AttachmentStore::new(store))
        } else {
            Ok(AttachmentStore::new(Arc::new(
                object_store::prefix::PrefixStore::new(store, prefix),
            )))
        }
    }

    /// Any object store (e.g. S3 with a bucket prefix).
    pub fn new(inner: Arc<dyn ObjectStore>) -> AttachmentStore {
        AttachmentStore { inner }
    }

    /// `ab/abcdef…`: fanned out by the first two hex digits so no directory gets huge.
    /// `sha256` must already be checked to be 64 lowercase hex digits.
    fn path(sha256: &str) -> Path {
        let fan = sha256.get(..2).unwrap_or("00");
        Path::from(format!("{fan}/{sha256}"))
    }

    pub async fn exists(&self, sha256: &str) -> Result<bool> {
        match self.inner.head(&Self::path(sha256)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(failed("head", e)),
        }
    }

    /// Stores the bytes (replacing any object of that name: same name, same content).
    pub async fn put(&self, sha256: &str, bytes: Bytes) -> Result<()> {
        self.inner
            .put(&Self::path(sha256), PutPayload::from(bytes))
            .await
            .map_err(|e| failed("put", e))?;
        Ok(())
    }

    /// The object's bytes, or `None` if it is not stored.
    pub async fn get(&self, sha256: &str) -> Result<Option<Blob>> {
        let got = match self.inner.get(&Self::path(sha256)).await {
            Ok(g) => g,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(failed("get", e)),
        };
        let size = got.meta.size;
        let stream = got
            .into_stream()
            .map(|chunk| chunk.map_err(|e| failed("read", e)))
            .boxed();
        Ok(Some(Blob { size, stream }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn put_get_exists_round_trip() {
        let dir = tempfile::tempdir().expect("dir");
        let store = AttachmentStore::local(&dir.path().join("a")).expect("store");
        let sha = "ab".repeat(32);
        assert!(!store.exists(&sha).await.expect("exists"));
        assert!(store.get(&sha).await.expect("get").is_none());
        store
            .put(&sha, Bytes::from_static(b"hello"))
            .await
            .expect("put");
        store
            .put(&sha, Bytes::from_static(b"hello"))
            .await
            .expect("again");
        assert!(store.exists(&sha).await.expect("exists"));
        let blob = store.get(&sha).await.expect("get").expect("stored");
        assert_eq!(blob.size, 5);
        let chunks: Vec<Bytes> = blob.stream.map(|c| c.expect("chunk")).collect().await;
        assert_eq!(chunks.concat(), b"hello");
        assert!(
            dir.path().join("a/ab").join(&sha).is_file(),
            "fanned out by prefix"
        );
    }
}
