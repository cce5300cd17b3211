//! Staging files: the bytes of resumable uploads under way, and import archives being read.

use crate::error::{Error, Result};
use bytes::Bytes;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;
use tokio::sync::{Mutex, MutexGuard};

/// Locks serialising writes to one upload (striped by id: few, fixed, never cleaned up).
const LOCK_STRIPES: usize = 16;

/// Prefix of import archives being read (leftovers of a crash are removed at start).
const IMPORT_PREFIX: &str = "import-";

#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    locks: Vec<Mutex<()>>,
}

fn io(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Internal(format!("{what} {}: {e}", path.display()))
}

/// A new random id: 32 lowercase hex digits.
pub fn new_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// Upload ids are made by [`new_id`]; anything else never becomes a path.
pub fn is_upload_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A file removed when dropped (an import archive, whatever happens to the request).
#[derive(Debug)]
pub struct TempFile {
    pub path: PathBuf,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.path) {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(path = %self.path.display(), error = %e, "temp file not removed");
            }
        }
    }
}

impl Staging {
    /// Uses (creating) `dir`, removing import archives a crash left behind.
    pub fn open(dir: &Path) -> Result<Staging> {
        std::fs::create_dir_all(dir).map_err(|e| io("creating", dir, e))?;
        let entries = std::fs::read_dir(dir).map_err(|e| io("reading", dir, e))?;
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(IMPORT_PREFIX)
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Ok(Staging {
            dir: dir.to_path_buf(),
            locks: (0..LOCK_STRIPES).map(|_| Mutex::new(())).collect(),
        })
    }

    fn path(&self, id: &str) -> Result<PathBuf> {
        if !is_upload_id(id) {
            return Err(Error::Internal(format!("not an upload id: {id:?}")));
        }
        Ok(self.dir.join(id))
    }

    /// Held while checking the offset of and appending to one upload.
    pub async fn lock(&self, id: &str) -> MutexGuard<'_, ()> {
        let stripe = id.bytes().fold(0usize, |a, b| a.wrapping_add(b as usize)) % LOCK_STRIPES;
        self.locks[stripe].lock().await
    }

    /// Bytes received so far: the staged file's length (0 if none yet).
    pub async fn received(&self, id: &str) -> Result<u64> {
        let path = self.path(id)?;
        match tokio::fs::metadata(&path).await {
            Ok(m) => Ok(m.len()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(io("reading", &path, e)),
        }
    }

    /// Appends a chunk and syncs it to disk; answers the new length. Call under [`Self::lock`].
    pub async fn append(&self, id: &str, chunk: &[u8]) -> Result<u64> {
        let path = self.path(id)?;
        let mut f = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .await
            .map_err(|e| io("opening", &path, e))?;
        f.write_all(chunk)
            .await
            .map_err(|e| io("writing", &path, e))?;
        f.sync_data().await.map_err(|e| io("syncing", &path, e))?;
        let len = f
            .metadata()
            .await
            .map_err(|e| io("reading", &path, e))?
            .len();
        Ok(len)
    }

    pub async fn read(&self, id: &str) -> Result<Bytes> {
        let path = self.path(id)?;
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|e| io("reading", &path, e))?;
        Ok(Bytes::from(bytes))
    }

    /// Forgets an upload's bytes (none staged is fine).
    pub async fn remove(&self, id: &str) -> Result<()> {
        let path = self.path(id)?;
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io("removing", &path, e)),
        }
    }

    /// A new empty file for an import archive, removed when the answer is dropped.
    pub async fn temp_file(&self) -> Result<(TempFile, tokio::fs::File)> {
        let path = self.dir.join(format!("{IMPORT_PREFIX}{}.zip", new_id()));
        let file = tokio::fs::OpenOptions::new()
            .create_new(true)
            .read(true)
            .write(true)
            .open(&path)
            .await
            .map_err(|e| io("creating", &path, e))?;
        Ok((TempFile { path }, file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn appends_count_and_leftover_imports_go() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("import-old.zip"), b"x").expect("write");
        let s = Staging::open(dir.path()).expect("open");
        assert!(!dir.path().join("import-old.zip").exists());
        let id = new_id();
        assert!(is_upload_id(&id) && !is_upload_id("../x"));
        assert_eq!(s.received(&id).await.expect("received"), 0);
        assert_eq!(s.append(&id, b"abc").await.expect("append"), 3);
        assert_eq!(s.append(&id, b"de").await.expect("append"), 5);
        assert_eq!(&s.read(&id).await.expect("read")[..], b"abcde");
        s.remove(&id).await.expect("remove");
        s.remove(&id).await.expect("remove twice");
        assert_eq!(s.received(&id).await.expect("received"), 0);
        let (temp, _file) = s.temp_file().await.expect("temp");
        let path = temp.path.clone();
        assert!(path.exists());
        drop(temp);
        assert!(!path.exists());
    }
}
