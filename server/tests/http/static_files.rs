//! The front end: cache headers, content types, SPA fallback, compression, missing dist.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::Value;

const WASM: &str = "siteline-app-0123456789abcdef_bg.wasm";
const JS: &str = "siteline-app-0123456789abcdef.js";
/// The build's content-addressed directory of wasm modules.
const PKG: &str = "pkg-00112233445566ff";

async fn with_dist() -> TestServer {
    let s = start().await;
    let dist = s.dir.path().join("dist");
    std::fs::create_dir_all(&dist).expect("dist");
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Siteline</title>",
    )
    .expect("index");
    std::fs::write(dist.join(WASM), b"\0asm\x01\0\0\0").expect("wasm");
    std::fs::create_dir_all(dist.join(PKG)).expect("pkg");
    std::fs::write(dist.join(PKG).join("split_board.wasm"), b"\0asm\x01\0\0\0").expect("chunk");
    std::fs::write(
        dist.join("sw.js"),
        "self.addEventListener('fetch', () => {});",
    )
    .expect("sw");
    std::fs::write(dist.join("manifest.webmanifest"), "{\"name\":\"Siteline\"}").expect("manifest");
    let js = "export function siteline() { return 'complaint register'; }\n".repeat(500);
    std::fs::write(dist.join(JS), js).expect("js");
    s
}

async fn get(s: &TestServer, path: &str) -> reqwest::Response {
    s.http.get(s.url(path)).send().await.expect("get")
}

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn hashed_assets_are_immutable_everything_else_revalidates() {
    let s = with_dist().await;
    // The main module and a chunk loaded on demand (inside the hashed pkg-<hash>/ folder).
    for path in [format!("/{WASM}"), format!("/{PKG}/split_board.wasm")] {
        let res = get(&s, &path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&res, "cache-control"),
            "public, max-age=31536000, immutable",
            "{path}"
        );
        assert_eq!(header(&res, "content-type"), "application/wasm", "{path}");
    }
    for path in ["/", "/index.html", "/sw.js"] {
        let res = get(&s, path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&res, "cache-control"), "no-cache", "{path}");
    }
    let res = get(&s, "/manifest.webmanifest").await;
    assert_eq!(header(&res, "content-type"), "application/manifest+json");
    assert_eq!(header(&res, "cache-control"), "no-cache");
}

#[tokio::test]
async fn deep_links_fall_back_to_index() {
    let s = with_dist().await;
    for path in ["/board", "/complaints/0190a0b0-0000-7000-8000-000000000000"] {
        let res = get(&s, path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&res, "cache-control"), "no-cache");
        assert!(header(&res, "content-type").starts_with("text/html"));
        assert!(res
            .text()
            .await
            .expect("body")
            .contains("<title>Siteline</title>"));
    }
    // A missing hashed asset is not cached forever as index.html.
    let res = get(&s, "/siteline-app-fedcba9876543210.js").await;
    assert_eq!(header(&res, "cache-control"), "no-cache");
    // The API never falls back to the page.
    let res = get(&s, "/api/v1/unknown").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(header(&res, "content-type").starts_with("application/json"));
}

#[tokio::test]
async fn compresses_with_brotli_and_gzip() {
    let s = with_dist().await;
    for enc in ["br", "gzip"] {
        let res = s
            .http
            .get(s.url(&format!("/{JS}")))
            .header("accept-encoding", enc)
            .send()
            .await
            .expect("get");
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(header(&res, "content-encoding"), enc);
        let body = res.bytes().await.expect("body");
        assert!(body.len() < 5000, "compressed: {} bytes", body.len());
    }
    let res = get(&s, &format!("/{JS}")).await;
    assert_eq!(header(&res, "content-encoding"), "");
}

#[tokio::test]
async fn built_assets_go_out_precompressed() {
    let s = with_dist().await;
    // What the build writes beside a chunk: its brotli (a marker stands in for real bytes, so
    // only a file served as is can answer it).
    let chunk = s.dir.path().join("dist").join(PKG).join("split_board.wasm");
    std::fs::write(chunk.with_extension("wasm.br"), b"precompressed").expect("br");
    let path = format!("/{PKG}/split_board.wasm");
    let res = s
        .http
        .get(s.url(&path))
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-encoding"), "br");
    assert_eq!(header(&res, "content-type"), "application/wasm");
    assert_eq!(
        header(&res, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(&res.bytes().await.expect("body")[..], b"precompressed");
    // A client without brotli gets the file itself (compressed on the fly, never the .br).
    let res = s
        .http
        .get(s.url(&path))
        .header("accept-encoding", "identity")
        .send()
        .await
        .expect("get");
    assert_eq!(header(&res, "content-encoding"), "");
    assert_eq!(&res.bytes().await.expect("body")[..], b"\0asm\x01\0\0\0");
}

#[tokio::test]
async fn missing_front_end_is_a_clear_503() {
    let s = start().await;
    let res = get(&s, "/").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = res.json().await.expect("json");
    assert_eq!(error_code(&body), "unavailable");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("index.html"));
    let res = get(&s, "/api/health").await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "the API works without a front end"
    );
}
