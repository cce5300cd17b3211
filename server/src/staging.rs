//! Staging files: import archives being read (upload chunks are staged in the database).

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Prefix of import archives being read (leftovers of a crash are removed at start).
const IMPORT_PREFIX: &str = "import-";

#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
}

fn io(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::Internal(format!("{what} {}: {e}", path.display()))
}

/// A new random id: 32 lowercase hex digits.
pub fn new_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// Upload ids are made by [`new_id`]; anything else is refused before it reaches the store.
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
    /// Uses (creating) `dir`, removing import archives a crash left behind and the upload files
    /// of versions that staged uploads here.
    pub fn open(dir: &Path) -> Result<Staging> {
        std::fs::create_dir_all(dir).map_err(|e| io("creating", dir, e))?;
        let entries = std::fs::read_dir(dir).map_err(|e| io("reading", dir, e))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(IMPORT_PREFIX) || is_upload_id(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Ok(Staging {
            dir: dir.to_path_buf(),
        })
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
    async fn leftovers_go_and_temp_files_are_removed_when_dropped() {
        let dir = tempfile::tempdir().expect("dir");
        let legacy = new_id();
        std::fs::write(dir.path().join("import-old.zip"), b"x").expect("write");
        std::fs::write(dir.path().join(&legacy), b"x").expect("write");
        std::fs::write(dir.path().join("keep.txt"), b"x").expect("write");
        let s = Staging::open(dir.path()).expect("open");
        assert!(!dir.path().join("import-old.zip").exists());
        assert!(!dir.path().join(&legacy).exists());
        assert!(dir.path().join("keep.txt").exists());
        assert!(is_upload_id(&legacy) && !is_upload_id("../x"));
        let (temp, _file) = s.temp_file().await.expect("temp");
        let path = temp.path.clone();
        assert!(path.exists());
        drop(temp);
        assert!(!path.exists());
    }
}
