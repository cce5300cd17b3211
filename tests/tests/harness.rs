//! Self-test of the e2e harness against a stand-in server and a hand-written offline page.

use siteline_e2e::{Browser, TestServer};
use std::path::Path;
use std::time::Duration;

const INDEX: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>harness</title></head><body>
<span data-testid="pending-count">0</span>
<textarea name="description"></textarea><input name="location">
<select name="category"><option value="">-</option><option value="facility.water">water</option></select>
<button data-testid="save-complaint" onclick="save()">save</button>
<div data-testid="out"></div>
<script>
function save() {
  const d = document.querySelector('[name=description]').value;
  const c = document.querySelector('[name=category]').value;
  document.querySelector('[data-testid=out]').textContent = d + '|' + c;
  const p = document.querySelector('[data-testid=pending-count]');
  p.textContent = String(Number(p.textContent) + 1);
}
navigator.serviceWorker.register('/sw.js');
</script></body></html>"#;

const SW: &str = r#"
self.addEventListener('install', e => {
  e.waitUntil(caches.open('shell').then(c => c.addAll(['/', '/app.wasm'])).then(() => self.skipWaiting()));
});
self.addEventListener('activate', e => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', e => {
  e.respondWith(fetch(e.request).catch(() => caches.match(e.request, { ignoreSearch: true })
    .then(r => r || caches.match('/'))));
});
"#;

fn write_dist(dir: &Path) {
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(dir.join("sw.js"), SW).unwrap();
    std::fs::write(dir.join("app.wasm"), b"\0asm\x01\0\0\0").unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harness_drives_a_page_through_server_restarts_and_profile_reuse() {
    let dist = tempfile::tempdir().unwrap();
    write_dist(dist.path());
    let mut server = TestServer::launch_with(
        Path::new(env!("CARGO_BIN_EXE_e2e-fake-server")),
        dist.path(),
    )
    .await;
    let base = server.base_url().to_string();
    let mut b = Browser::launch("harness").await;

    b.goto(&format!("{base}/")).await;
    b.wait_for(
        || b.offline_ready(),
        Duration::from_secs(20),
        "offline-ready",
    )
    .await;
    b.fill("description", "地下车库B2漏水 #1").await;
    b.select("category", "facility.water").await;
    b.click("[data-testid=save-complaint]").await;
    b.wait_text(
        "[data-testid=out]",
        "地下车库B2漏水 #1|facility.water",
        Duration::from_secs(5),
    )
    .await;
    b.wait_text("[data-testid=pending-count]", "1", Duration::from_secs(5))
        .await;

    // Server down: the service worker serves the page; a new session on the same profile too.
    server.stop().await;
    assert!(
        reqwest::get(server.url("/api/health")).await.is_err(),
        "server still answers"
    );
    b.refresh().await;
    b.wait_text("[data-testid=pending-count]", "0", Duration::from_secs(10))
        .await;
    b.close_session().await;
    b.open_session().await;
    b.goto(&format!("{base}/")).await;
    b.wait_text("[data-testid=pending-count]", "0", Duration::from_secs(10))
        .await;

    // Back up on the same port.
    server.start().await;
    assert_eq!(server.base_url(), base);
    let attrs = b.attrs("[data-testid]", "data-testid").await.unwrap();
    assert_eq!(attrs.len(), 3, "{attrs:?}");

    // A failed wait names what it waited for and what it saw.
    let err = siteline_e2e::try_wait_for(
        || async { siteline_e2e::expect_eq(b.try_text("[data-testid=pending-count]").await?, "7") },
        Duration::from_millis(300),
        "pending count 7",
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("\"0\" (want \"7\")"), "{err}");
}
