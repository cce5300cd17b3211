//! Pages loaded on demand still open offline: the service worker precaches every wasm chunk at
//! install, so after one online visit every route opens with no connection, including routes this
//! browser never opened, and none shows the "page could not be loaded" message.

use serde_json::json;
use siteline_e2e::{Browser, TestServer};
use std::time::Duration;

const SUPERVISOR: (&str, &str) = ("super1", "super1-e2e-pass");
const T: Duration = Duration::from_secs(45);

/// Routes whose page lives in its own wasm module (app/src/pages/lazy.rs), none opened online.
const ROUTES: [&str; 8] = [
    "/board", "/reports", "/status", "/replies", "/fleet", "/setup", "/admin", "/history",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_opens_offline_after_one_online_visit() {
    let mut server = TestServer::launch().await;
    server
        .create_user(SUPERVISOR.0, SUPERVISOR.1, "supervisor")
        .await;
    let base = server.base_url().to_string();

    let b = Browser::launch("offline_pages").await;
    b.log_in(&base, SUPERVISOR.0, SUPERVISOR.1).await;
    b.wait_offline_ready(Duration::from_secs(60)).await;
    // Every chunk the build made is in the precache list the service worker reads.
    let listed = b
        .js(
            "const m = document.querySelector('meta[name=\"siteline-precache\"]');\
             return m ? m.content.split(/\\s+/).filter(s => s.endsWith('.wasm')).length : 0;",
            vec![],
        )
        .await
        .expect("precache list");
    let chunks = listed.as_u64().unwrap_or(0);
    assert!(chunks >= 2, "precache list names {chunks} wasm files");
    let cached = b
        .js_async(
            "const done = arguments[arguments.length - 1];\
             (async () => { let n = 0; for (const k of await caches.keys()) {\
               for (const r of await (await caches.open(k)).keys()) {\
                 if (r.url.endsWith('.wasm')) n++; } } return n; })().then(done, e => done(-1));",
            vec![],
        )
        .await
        .expect("cache count");
    assert!(
        cached.as_i64().unwrap_or(-1) >= chunks as i64,
        "{cached} wasm files cached, {chunks} listed"
    );

    server.stop().await;
    for route in ROUTES {
        b.goto(&format!("{base}{route}")).await;
        b.wait_for(
            || async {
                let v = b
                    .js(
                        "const q = s => document.querySelector(s) !== null;\
                         return { loading: q('[data-testid=\"page-loading\"]'),\
                                  failed: q('[data-testid=\"page-load-failed\"]'),\
                                  login: location.pathname === '/login',\
                                  main: (document.querySelector('main')?.innerText || '').length };",
                        vec![],
                    )
                    .await?;
                if v["failed"] == json!(true) {
                    return Err(format!("{route}: page-load-failed shown"));
                }
                if v["login"] == json!(true) {
                    return Err(format!("{route}: sent to the login page"));
                }
                if v["loading"] == json!(false) && v["main"].as_u64().unwrap_or(0) > 0 {
                    Ok(())
                } else {
                    Err(format!("{route}: {v}"))
                }
            },
            T,
            "the page to open offline",
        )
        .await;
        let failed = b
            .js(
                "return document.querySelector('[data-testid=\"page-load-failed\"]') !== null;",
                vec![],
            )
            .await
            .expect("probe");
        assert_eq!(
            failed,
            json!(false),
            "{route} could not load its module offline"
        );
    }
}
