//! The staff device: push of N complaints from IndexedDB, then offline opens, saves and memory.

use super::page::{self, PHASE};
use super::probe::{page_memory, percentile, server_rss_mb};
use super::{data, median, now_ms, Options, Report};
use crate::{Browser, NewComplaint, TestServer};
use std::collections::HashSet;
use std::time::{Duration, Instant};

const USER: (&str, &str) = ("bench_staff", "bench-staff-pass-1");
const T: Duration = Duration::from_secs(60);
/// Records per WebDriver call when filling IndexedDB.
const INJECT_CHUNK: usize = 5000;

pub async fn run(o: &Options, r: &mut Report) {
    println!(
        "== staff device: push of {} complaints × 5 events",
        o.complaints
    );
    let mut server = TestServer::launch_with(&o.server_bin, &o.dist).await;
    server.create_user(USER.0, USER.1, "staff").await;
    let base = server.base_url().to_string();
    let b = Browser::launch("bench-staff").await;
    b.log_in(&base, USER.0, USER.1).await;
    b.wait_offline_ready(T).await;

    // Offline: the records go into IndexedDB as pending, as if captured in the field.
    server.stop().await;
    let records = data::histories(USER.0, 0x51, o.complaints, 5, now_ms());
    let started = Instant::now();
    for chunk in records.chunks(INJECT_CHUNK) {
        b.inject_events(chunk).await;
    }
    println!(
        "  (stored {} pending events in IndexedDB in {:.1}s)",
        records.len(),
        started.elapsed().as_secs_f64()
    );
    b.refresh().await;
    let open = page::wait_interactive(&b).await;
    r.put(
        "open_pending_ms",
        open.interactive,
        "ms (offline open, all pending)",
    );
    b.wait_pending(o.complaints, PHASE).await;

    // Server back; "sync now" starts the push. Done when the device shows nothing unsynced.
    server.start().await;
    page::keep_request_timings(&b).await;
    page::clear_store_writes(&b).await;
    let t0 = page::press_sync_watching_pending(&b).await;
    let t1 = page::wait_pending_zero(&b).await;
    let push = page::requests(&b, "/api/v1/sync/push").await;
    let (commits, commit_ms, _) = page::store_writes(&b).await;
    r.put(
        "push_store_commits",
        commits as f64,
        "IndexedDB commits of acks",
    );
    r.put(
        "push_store_write_s",
        commit_ms / 1000.0,
        "s in those commits",
    );
    page::report_split(&b, r, "push").await;
    let secs = (t1 - t0) / 1000.0;
    let n = records.len() as f64;
    r.put("push_seconds", secs, "s");
    r.put("push_events", n, "events");
    r.put("push_events_per_s", n / secs, "events/s");
    r.put("push_requests", push.count as f64, "requests");
    r.put(
        "push_request_busy_s",
        push.busy_ms / 1000.0,
        "s waiting for the server",
    );
    r.put(
        "push_first_request_ms",
        push.first_start - t0,
        "ms after the press",
    );
    verify_on_server(&server, &records).await;

    let mem = page_memory(&b).await;
    r.put("staff_js_heap_mb", mem.js_heap_mb, "MiB (10k complaints)");
    r.put("staff_wasm_mem_mb", mem.wasm_mem_mb, "MiB");
    r.put(
        "push_server_rss_mb",
        server_rss_mb(server.port).unwrap_or(f64::NAN),
        "MiB",
    );

    // Offline again: open the app fresh from the service worker, several times.
    server.stop().await;
    let opens = offline_opens(&b, &format!("{base}/"), o.opens).await;
    opens.report(r, "offline_open", "");
    // A fresh page that only opened (no sync): its memory is the start-up's high-water mark.
    let opened = page_memory(&b).await;
    r.put(
        "offline_open_wasm_mem_mb",
        opened.wasm_mem_mb,
        "MiB after an offline open",
    );
    r.put(
        "offline_open_max_ms",
        percentile(&opens.interactive, 100.0),
        "ms",
    );

    saves(o, &b, &base, r).await;
}

/// Every pushed event is on the server, and nothing more than they and their numbers.
async fn verify_on_server(server: &TestServer, records: &[siteline_model::replica::StoredEvent]) {
    let token = server.admin_token().await;
    let mut ids = HashSet::new();
    let mut after = 0u64;
    loop {
        let page = server
            .get_json(
                &format!("/api/v1/sync/pull?after={after}&limit=5000"),
                &token,
            )
            .await;
        for e in page["events"].as_array().expect("events") {
            ids.insert(e["event"]["id"].as_str().expect("id").to_string());
        }
        after = page["next_cursor"].as_u64().expect("cursor");
        if !page["has_more"].as_bool().unwrap_or(false) {
            break;
        }
    }
    let missing = records
        .iter()
        .filter(|s| !ids.contains(&s.event.id.to_string()))
        .count();
    assert_eq!(missing, 0, "{missing} pushed events are not on the server");
    let complaints = records.len() / 5;
    assert_eq!(
        ids.len(),
        records.len() + complaints,
        "the server holds the events and one number per complaint"
    );
}

/// Start-up timings of several opens, in ms.
#[derive(Default)]
pub struct Opens {
    pub interactive: Vec<f64>,
    pub store_load: Vec<f64>,
    pub store_read: Vec<f64>,
    pub replica_built: Vec<f64>,
    pub start: Vec<f64>,
    pub render: Vec<f64>,
}

impl Opens {
    /// Medians as `<prefix>_ms`, `<prefix>_store_load_ms`, … (`suffix` after each key).
    pub fn report(&self, r: &mut Report, prefix: &str, suffix: &str) {
        r.put(
            &format!("{prefix}_ms{suffix}"),
            median(&self.interactive),
            "ms median to interactive",
        );
        let parts = [
            (
                "store_load",
                &self.store_load,
                "ms reading the replica from IndexedDB",
            ),
            (
                "store_read",
                &self.store_read,
                "ms of it in IndexedDB getAll",
            ),
            (
                "replica_build",
                &self.replica_built,
                "ms building the replica",
            ),
            (
                "start",
                &self.start,
                "ms until the app's code ran (wasm loaded)",
            ),
            (
                "render",
                &self.render,
                "ms from the replica to the frame showing it",
            ),
        ];
        for (name, v, unit) in parts {
            r.put(&format!("{prefix}_{name}_ms{suffix}"), median(v), unit);
        }
    }
}

/// Navigates to `url` `n` times (server down), timing each start.
pub async fn offline_opens(b: &Browser, url: &str, n: usize) -> Opens {
    let mut out = Opens::default();
    for _ in 0..n {
        b.goto(url).await;
        let open = page::wait_interactive(b).await;
        out.interactive.push(open.interactive);
        out.store_load.push(open.store_load);
        out.store_read.push(open.store_read);
        out.replica_built.push(open.replica_built);
        out.start.push(open.start);
        out.render.push(open.render);
    }
    println!(
        "  (offline opens, ms to interactive: {:?})",
        out.interactive
            .iter()
            .map(|v| v.round())
            .collect::<Vec<_>>()
    );
    out
}

/// Saves complaints through the intake form, offline, with the records above stored.
async fn saves(o: &Options, b: &Browser, base: &str, r: &mut Report) {
    if o.saves == 0 {
        return;
    }
    b.goto(&format!("{base}/new")).await;
    let (mut ui, mut store) = (vec![], vec![]);
    for i in 0..o.saves {
        b.wait_present("[name=\"description\"]", T).await;
        fill(b, &NewComplaint::sample(i)).await;
        let (u, s) = page::timed_save(b).await;
        ui.push(u);
        store.push(s);
        b.click("header a[href=\"/new\"]").await;
    }
    r.put(
        "save_p50_ms",
        percentile(&store, 50.0),
        "ms IndexedDB commit",
    );
    r.put(
        "save_p95_ms",
        percentile(&store, 95.0),
        "ms IndexedDB commit",
    );
    r.put(
        "save_ui_p50_ms",
        percentile(&ui, 50.0),
        "ms press → detail shown",
    );
    r.put(
        "save_ui_p95_ms",
        percentile(&ui, 95.0),
        "ms press → detail shown",
    );
    b.wait_pending(o.saves, T).await;
}

async fn fill(b: &Browser, c: &NewComplaint) {
    b.fill("description", &c.description).await;
    b.fill("location", &c.location).await;
    b.choose_category(&c.category).await;
    b.choose("severity", &c.severity).await;
    b.choose("channel", &c.channel).await;
    b.fill("complainant_name", &c.complainant_name).await;
    b.fill("complainant_phone", &c.complainant_phone).await;
}
