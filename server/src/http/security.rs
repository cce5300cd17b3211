//! Security headers on every response: the front end's Content-Security-Policy (the WASM app
//! and nothing else; the inline start script allowed by its hash), a deny-all policy for the API,
//! no framing, no sniffing, no referrer.

use axum::extract::Request;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// The policy of API answers: they are data, never documents to run.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The front end's policy: its own scripts and WASM, inline scripts only by hash, photos from
/// `blob:` (thumbnails made on the device), nothing from elsewhere, never framed.
pub fn app_csp(script_hashes: &[String]) -> String {
    let mut script = String::from("'self' 'wasm-unsafe-eval'");
    for h in script_hashes {
        script.push_str(&format!(" 'sha256-{h}'"));
    }
    format!(
        "default-src 'self'; script-src {script}; style-src 'self'; img-src 'self' blob: data:; \
         connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The base64 SHA-256 of every inline `<script>` (one without `src`) of an HTML page.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") && !tag.contains(" src =") {
            out.push(base64(&Sha256::digest(&body.as_bytes()[..close])));
        }
        rest = &body[close..];
    }
    out
}

pub(crate) fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// The app policy for the `index.html` at `path`, recomputed when the file changes.
pub fn app_csp_for(index: &Path) -> String {
    static CACHE: Mutex<Option<(PathBuf, Option<SystemTime>, String)>> = Mutex::new(None);
    let mtime = std::fs::metadata(index).and_then(|m| m.modified()).ok();
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((p, t, csp)) = cache.as_ref() {
        if p == index && *t == mtime {
            return csp.clone();
        }
    }
    let html = std::fs::read_to_string(index).unwrap_or_default();
    let csp = app_csp(&inline_script_hashes(&html));
    *cache = Some((index.to_path_buf(), mtime, csp.clone()));
    csp
}

/// Adds the headers every response carries; a CSP already set (the front end's) is kept.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(CONTENT_SECURITY_POLICY) {
        h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(API_CSP));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<head><script type="module">import init from '/a.js';</script>
            <script src="/x.js"></script><script>alert(1)</script></head>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2);
        assert_eq!(hashes[1], base64(&Sha256::digest(b"alert(1)")));
        let csp = app_csp(&hashes);
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
