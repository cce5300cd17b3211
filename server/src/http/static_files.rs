//! The built front end from `SITELINE_DIST`: cache headers by file name, SPA fallback to index.html.

use crate::error::Error;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const NO_CACHE: &str = "no-cache";

/// Marks a response that is index.html served for a path that is not a file (SPA deep link).
#[derive(Clone, Copy, Debug)]
struct SpaFallback;

/// Whether a file name carries a content hash: `-` + hex digits before `.ext` or `_bg`, e.g.
/// `style-0123456789abcdef.css` (the build's) or `siteline-app-0123456789abcdef_bg.wasm` (the
/// Trunk builds before 2026-12-03, still in old service-worker caches). Trunk printed the
/// 64-bit hash without leading zeros, so 12 to 16 digits count (shorter is vanishingly rare, and
/// refusing it keeps names like `report-20261122.css` out).
pub fn is_hashed_asset(name: &str) -> bool {
    let b = name.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        if c != b'-' {
            return false;
        }
        let digits = b[i + 1..]
            .iter()
            .take_while(|d| d.is_ascii_hexdigit())
            .count();
        let end = i + 1 + digits;
        (12..=16).contains(&digits)
            && end < b.len()
            && (b[end] == b'.' || b[end..].starts_with(b"_bg"))
    })
}

/// Whether a request path is a content-addressed asset: a hashed file name, or any file inside
/// the build's `pkg-<16 hex digits>/` directory (the wasm modules keep plain names there, since
/// the split loader finds its chunks by relative URL).
pub fn is_hashed_path(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/').collect::<Vec<_>>();
    let Some(name) = segments.pop() else {
        return false;
    };
    is_hashed_asset(name)
        || segments.iter().any(|d| {
            d.strip_prefix("pkg-")
                .is_some_and(|h| h.len() == 16 && h.bytes().all(|c| c.is_ascii_hexdigit()))
        })
}

/// Content types some platforms' MIME tables get wrong.
fn forced_content_type(path: &str) -> Option<&'static str> {
    if path.ends_with(".wasm") {
        Some("application/wasm")
    } else if path.ends_with(".webmanifest") {
        Some("application/manifest+json")
    } else {
        None
    }
}

/// Fallback of the whole router: unknown `/api` paths answer JSON 404; GET/HEAD serve the front end.
pub async fn serve(State(st): State<AppState>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    if path == "/api" || path.starts_with("/api/") {
        return Error::NotFound("no such API endpoint".into()).into_response();
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Error::MethodNotAllowed.into_response();
    }
    let dist = &st.config.dist_dir;
    let index = dist.join("index.html");
    if !tokio::fs::metadata(&index).await.is_ok_and(|m| m.is_file()) {
        return Error::Unavailable(format!(
            "the Siteline front end is not built: {} has no index.html (set SITELINE_DIST or build \
             the app); the API under /api works",
            dist.display()
        ))
        .into_response();
    }
    let spa = ServiceExt::<Request>::map_response(ServeFile::new(&index), |mut r| {
        r.extensions_mut().insert(SpaFallback);
        r
    });
    // The build writes `<asset>.br` at quality 11; browsers that accept brotli get it as is.
    let service = ServeDir::new(dist).precompressed_br().fallback(spa);
    let mut res = match service.oneshot(req).await {
        Ok(r) => r.map(axum::body::Body::new),
        Err(never) => match never {},
    };
    let fallback = res.extensions().get::<SpaFallback>().is_some();
    let served_file = !fallback && res.status().is_success();
    let cache = if served_file && is_hashed_path(&path) {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    let csp = super::security::app_csp_for(&index);
    let headers = res.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(&csp) {
        headers.insert(axum::http::header::CONTENT_SECURITY_POLICY, v);
    }
    if served_file {
        if let Some(ct) = forced_content_type(&path) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::{is_hashed_asset, is_hashed_path};

    #[test]
    fn package_directory_is_content_addressed() {
        for yes in [
            "/pkg-0123456789abcdef/siteline-app_bg.wasm",
            "/pkg-0123456789abcdef/split_board.wasm",
            "/style-0123456789abcdef.css",
        ] {
            assert!(is_hashed_path(yes), "{yes}");
        }
        for no in [
            "/pkg-0123456789abcde/split_board.wasm",
            "/pkg-0123456789abcdefg/a.js",
            "/pkg/a.js",
            "/sw.js",
            "/complaints/pkg-0123456789abcdeg",
            "/",
        ] {
            assert!(!is_hashed_path(no), "{no}");
        }
    }

    #[test]
    fn trunk_hashes() {
        for yes in [
            "siteline-app-0123456789abcdef.js",
            "siteline-app-0123456789abcdef_bg.wasm",
            "style-0123456789ABCDEF.css",
            // A hash with a leading zero is printed with 15 digits (seen in a real build).
            "siteline-app-d8cca449ac0bf87_bg.wasm",
            "a-0123456789abcde.js",
        ] {
            assert!(is_hashed_asset(yes), "{yes}");
        }
        for no in [
            "index.html",
            "sw.js",
            "manifest.webmanifest",
            "siteline-app.js",
            "x-0123456789abcdefg.js",
            "report-20261122.css",
            "x-0123456789abcdef0.js",
        ] {
            assert!(!is_hashed_asset(no), "{no}");
        }
    }
}
