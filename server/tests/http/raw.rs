//! Test harness for raw bodies: requests with bytes, attachment helpers, made-up photos.

use crate::common::TestServer;
use reqwest::StatusCode;
use serde_json::Value;

/// A raw answer: status, headers and body bytes.
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub bytes: Vec<u8>,
}

impl RawResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl TestServer {
    /// Any request with a raw body (and optional content type); answers status, headers, bytes.
    pub async fn raw(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> RawResponse {
        let mut req = self
            .http
            .request(method, self.url(path))
            .bearer_auth(token)
            .body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let res = req.send().await.expect("request");
        RawResponse {
            status: res.status(),
            headers: res.headers().clone(),
            bytes: res.bytes().await.expect("body").to_vec(),
        }
    }

    /// `PUT /api/v1/attachments/{sha256}` with the bytes (sent as `image/jpeg`, the client's guess).
    pub async fn put_attachment(&self, token: &str, sha256: &str, bytes: &[u8]) -> RawResponse {
        let path = format!("/api/v1/attachments/{sha256}");
        self.raw(
            reqwest::Method::PUT,
            token,
            &path,
            Some("image/jpeg"),
            bytes.to_vec(),
        )
        .await
    }

    pub async fn get_attachment(&self, token: &str, sha256: &str) -> RawResponse {
        let path = format!("/api/v1/attachments/{sha256}");
        self.raw(reqwest::Method::GET, token, &path, None, Vec::new())
            .await
    }

    /// Every file under the data directory's `attachments/` (the stored objects).
    pub fn stored_files(&self) -> Vec<std::path::PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.dir.path().join("data").join("attachments"), &mut out);
        out
    }
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A "photo": JPEG magic bytes and `len` bytes of pattern varied by `seed`.
pub fn jpeg(seed: u8, len: usize) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0];
    v.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    v
}

/// A "photo" with PNG's signature.
pub fn png(seed: u8, len: usize) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.extend((0..len).map(|i| (i as u8).wrapping_mul(7) ^ seed));
    v
}

/// The reference a device writes into its events for these bytes.
pub fn attachment_ref(bytes: &[u8], content_type: &str) -> siteline_model::AttachmentRef {
    siteline_model::AttachmentRef {
        sha256: sha256_hex(bytes),
        size: bytes.len() as u64,
        content_type: content_type.into(),
    }
}
