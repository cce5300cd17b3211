//! The supervisor device: a fresh profile logs in and pulls everything; then memory, offline opens.

use super::page;
use super::probe::{page_memory, server_rss_mb};
use super::staff::offline_opens;
use super::{data, now_ms, Options, Report};
use crate::{Browser, TestServer};
use serde_json::{json, Value};
use siteline_model::sync::{PushRequest, MAX_PUSH, SCHEMA_VERSION};
use std::time::{Duration, Instant};

const SEEDER: (&str, &str) = ("bench_seed", "bench-seed-pass-1");
const USER: (&str, &str) = ("bench_super", "bench-super-pass-1");

pub async fn run(o: &Options, r: &mut Report) {
    // 4 pushed events per complaint + the number the server assigns = 5.
    let complaints = o.pull_events.div_ceil(5);
    println!(
        "== supervisor device: pull of {} events ({complaints} complaints)",
        complaints * 5
    );
    let mut server = TestServer::launch_with(&o.server_bin, &o.dist).await;
    server.create_user(SEEDER.0, SEEDER.1, "staff").await;
    server.create_user(USER.0, USER.1, "supervisor").await;
    let base = server.base_url().to_string();
    seed(&server, complaints, r).await;
    let last = last_seq(&server).await;

    let b = Browser::launch("bench-super").await;
    b.goto(&format!("{base}/")).await;
    b.wait_path("/login", page::PHASE).await;
    page::wait_interactive(&b).await; // the app has opened its (empty) IndexedDB
    b.fill("username", USER.0).await;
    b.fill("password", USER.1).await;
    page::keep_request_timings(&b).await;
    page::watch_cursor(&b, last).await;
    let t0 = b
        .js(
            "const t = performance.now(); document.querySelector('button[type=\"submit\"]').click(); return t;",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("pressing log in: {e}"))
        .as_f64()
        .unwrap_or(0.0);
    let t1 = page::wait_cursor(&b).await;
    let pulls = page::requests(&b, "/api/v1/sync/pull").await;
    let (stored, cursor) = page::stored(&b).await;
    assert_eq!(
        cursor, last,
        "the device's cursor is the server's last event"
    );
    assert_eq!(
        stored,
        complaints as u64 * 5,
        "every event is stored on the device"
    );
    let secs = (t1 - t0) / 1000.0;
    let n = stored as f64;
    r.put("pull_seconds", secs, "s (log in → cursor at the end)");
    r.put("pull_events", n, "events");
    r.put("pull_events_per_s", n / secs, "events/s");
    r.put("pull_requests", pulls.count as f64, "requests");
    let (commits, commit_ms, _) = page::store_writes(&b).await;
    r.put(
        "pull_store_commits",
        commits as f64,
        "IndexedDB commits of pages",
    );
    r.put(
        "pull_store_write_s",
        commit_ms / 1000.0,
        "s in those commits",
    );
    r.put(
        "pull_request_busy_s",
        pulls.busy_ms / 1000.0,
        "s waiting for the server",
    );
    r.put(
        "pull_transfer_mb",
        pulls.transfer_kb / 1024.0,
        "MiB over the wire",
    );
    r.put(
        "pull_from_first_request_s",
        (t1 - pulls.first_start) / 1000.0,
        "s",
    );
    page::report_split(&b, r, "pull").await;

    // Memory once everything is on the device (the board's columns are not open).
    let mem = page_memory(&b).await;
    r.put("js_heap_mb", mem.js_heap_mb, "MiB after the pull");
    r.put("wasm_mem_mb", mem.wasm_mem_mb, "MiB after the pull");
    r.put(
        "server_rss_mb",
        server_rss_mb(server.port).unwrap_or(f64::NAN),
        "MiB after the pull",
    );

    server.stop().await;
    let opens = offline_opens(&b, &format!("{base}/"), o.opens.min(3)).await;
    opens.report(r, "offline_open", "_pulled");
    let opened = page_memory(&b).await;
    r.put(
        "wasm_mem_mb_opened",
        opened.wasm_mem_mb,
        "MiB after an offline open",
    );
}

/// Pushes the complaints natively (not timed as the device's pull; reported as server throughput).
async fn seed(server: &TestServer, complaints: usize, r: &mut Report) {
    let token = server.login(SEEDER.0, SEEDER.1).await;
    let events = data::events_of(&data::histories(SEEDER.0, 0x52, complaints, 4, now_ms()));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(300))
        .build()
        .expect("http client");
    let started = Instant::now();
    for batch in events.chunks(MAX_PUSH) {
        let body = PushRequest {
            schema_version: SCHEMA_VERSION,
            events: batch.to_vec(),
        };
        let resp = http
            .post(server.url("/api/v1/sync/push"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("seeding push: {e}"));
        let status = resp.status();
        let answer: Value = resp.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "seeding push: {status} {answer}");
        let results = answer["results"].as_array().expect("results");
        let refused: Vec<&Value> = results
            .iter()
            .filter(|x| x["status"] != json!("accepted"))
            .collect();
        assert!(
            refused.is_empty(),
            "seeding push refused: {:?}",
            &refused[..1]
        );
    }
    let secs = started.elapsed().as_secs_f64();
    r.put(
        "server_push_events_per_s",
        events.len() as f64 / secs,
        "events/s (native HTTP, 1000 a request)",
    );
}

/// The server's last sequence number (pulled as admin, page by page).
async fn last_seq(server: &TestServer) -> u64 {
    let token = server.admin_token().await;
    let mut after = 0u64;
    loop {
        let page = server
            .get_json(
                &format!("/api/v1/sync/pull?after={after}&limit=5000"),
                &token,
            )
            .await;
        after = page["next_cursor"].as_u64().expect("cursor");
        if !page["has_more"].as_bool().unwrap_or(false) {
            return after;
        }
    }
}
