//! Attachment ingest: verify the hash, sniff the type, store once. Shared by PUT, uploads, import.

use crate::blobs::AttachmentStore;
use crate::error::{Error, Result};
use crate::staging::Staging;
use crate::store::Store;
use bytes::Bytes;
use sha2::{Digest, Sha256};
use siteline_model::validation::IMAGE_TYPES;
use siteline_model::{AttachmentRef, Timestamp};

/// Everything attachments need: where bytes go, where uploads are staged, the size limit.
#[derive(Debug)]
pub struct Attachments {
    pub blobs: AttachmentStore,
    pub staging: Staging,
    /// Largest attachment accepted, in bytes.
    pub max_bytes: u64,
}

/// What an ingest did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ingested {
    pub attachment: AttachmentRef,
    /// `false` if it was already stored (the answer is the same).
    pub new: bool,
}

/// A lowercase hex SHA-256: 64 of `0-9a-f`.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks a hash from a path or body; `bad_request` otherwise.
pub fn parse_sha256(s: &str) -> Result<&str> {
    if is_sha256(s) {
        Ok(s)
    } else {
        Err(Error::BadRequest(format!(
            "not a lowercase hex SHA-256 (64 of 0-9a-f): {s:?}"
        )))
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The photo type of the bytes by their magic numbers (JPEG, PNG, WebP), whatever the name or
/// header said; `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let t = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        "image/png"
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else {
        return None;
    };
    debug_assert!(IMAGE_TYPES.contains(&t));
    Some(t)
}

impl Attachments {
    pub fn new(blobs: AttachmentStore, staging: Staging, max_bytes: u64) -> Attachments {
        Attachments {
            blobs,
            staging,
            max_bytes,
        }
    }

    pub fn too_large(&self, size: u64) -> Error {
        Error::TooLarge(format!(
            "an attachment may have at most {} bytes, this one has {size}",
            self.max_bytes
        ))
    }

    /// Checks bytes sent as `expected` (size 413, hash 422, type 415, in that order) and stores
    /// them unless already stored. The bytes go to the object store before the database records
    /// them, so a recorded attachment always has its bytes.
    pub async fn ingest(
        &self,
        store: &dyn Store,
        expected: &str,
        bytes: Bytes,
        by: &str,
        now: Timestamp,
    ) -> Result<Ingested> {
        let size = bytes.len() as u64;
        if size > self.max_bytes {
            return Err(self.too_large(size));
        }
        let hashed = bytes.clone();
        let actual = tokio::task::spawn_blocking(move || sha256_hex(&hashed))
            .await
            .map_err(|e| Error::Internal(format!("hashing: {e}")))?;
        if actual != expected {
            return Err(Error::HashMismatch(format!(
                "the bytes hash to {actual}, not {expected}"
            )));
        }
        let content_type = sniff(&bytes).ok_or_else(|| {
            Error::UnsupportedType(format!(
                "only photos are kept ({}); these bytes are none of them",
                IMAGE_TYPES.join(", ")
            ))
        })?;
        let known = store
            .stored_attachments(std::slice::from_ref(&actual))
            .await?;
        if let Some(stored) = known.into_iter().next() {
            // Recorded: answer as the first time (putting back bytes a disk lost, if any).
            if !self.blobs.exists(&stored.sha256).await? {
                tracing::warn!(sha256 = %stored.sha256, "recorded attachment had no bytes: restored");
                self.blobs.put(&stored.sha256, bytes).await?;
            }
            return Ok(Ingested {
                attachment: stored,
                new: false,
            });
        }
        let attachment = AttachmentRef {
            sha256: actual,
            size,
            content_type: content_type.to_string(),
        };
        self.blobs.put(&attachment.sha256, bytes).await?;
        let new = store.record_attachment(&attachment, by, now).await?;
        if new {
            tracing::info!(sha256 = %attachment.sha256, size, by, "attachment stored");
        }
        Ok(Ingested { attachment, new })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_photos_by_magic_bytes_only() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WAVEfmt "), None, "RIFF but not WebP");
        assert_eq!(sniff(b"hello, this is text named photo.jpg"), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(&[0xFF, 0xD8]), None, "too short");
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn hashes_are_lowercase_hex() {
        let h = sha256_hex(b"abc");
        assert_eq!(
            h,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_sha256(&h));
        assert!(!is_sha256(&h.to_uppercase()));
        assert!(!is_sha256(&h[1..]));
        assert!(!is_sha256("../../etc/passwd"));
        assert!(parse_sha256("nope").is_err());
    }
}
