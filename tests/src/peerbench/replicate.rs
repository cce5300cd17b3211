//! The two timed runs: a tablet's PouchDB replicating to the server (push), and a fresh browser
//! database replicating everything from it (pull); both checked by document counts.

use super::page::{self, Side};
use super::{documents, Options, PouchServer};
use crate::devbench::Report;
use crate::Browser;
use std::time::Instant;

/// Documents per WebDriver call when filling the tablet's database (untimed).
const FILL_CHUNK: usize = 2000;
/// Documents per `_bulk_docs` request when seeding the server (untimed).
const SEED_CHUNK: usize = 1000;

/// Opens the bench page in a fresh browser profile; answers the browser and PouchDB's version.
async fn open_page(name: &str, url: &str) -> (Browser, String) {
    let b = Browser::launch(name).await;
    b.goto(url).await;
    let version = page::wait_loaded(&b).await;
    (b, version)
}

pub async fn push(
    o: &Options,
    server: &PouchServer,
    url: &str,
    r: &mut Report,
) -> Result<(), String> {
    const LOCAL: &str = "tablet";
    const REMOTE: &str = "push";
    println!(
        "== PouchDB tablet: push of {} complaints × 5 events (a document each)",
        o.complaints
    );
    server.create_db(REMOTE).await?;
    let (b, version) = open_page("peer-push", url).await;
    let docs = documents("peer_staff", 0x51, o.complaints, 5);
    let started = Instant::now();
    for chunk in docs.chunks(FILL_CHUNK) {
        page::put_local(&b, LOCAL, chunk).await;
    }
    let (stored, adapter) = page::local_info(&b, LOCAL).await;
    println!(
        "  (stored {stored} documents in PouchDB {version} ({adapter}) in {:.1}s)",
        started.elapsed().as_secs_f64()
    );
    expect_count("the tablet's database", stored, docs.len())?;
    r.note(
        "pouchdb",
        serde_json::json!({ "version": version, "adapter": adapter }),
    );

    page::keep_request_timings(&b).await;
    let t0 =
        page::start_replication(&b, Side::Local(LOCAL), Side::Remote(REMOTE), o.batch_size).await;
    let done = page::wait_replication(&b).await;
    let (requests, _) = page::requests(&b, REMOTE).await;
    check(&done, docs.len())?;
    expect_count(
        "the server's database after the push",
        server.doc_count(REMOTE).await?,
        docs.len(),
    )?;
    let secs = (done.t1 - t0) / 1000.0;
    let n = docs.len() as f64;
    r.put("push_seconds", secs, "s (replicate() to the server)");
    r.put("push_events", n, "documents");
    r.put("push_events_per_s", n / secs, "documents/s");
    r.put("push_requests", requests as f64, "requests");
    Ok(())
}

pub async fn pull(
    o: &Options,
    server: &PouchServer,
    url: &str,
    r: &mut Report,
) -> Result<(), String> {
    const LOCAL: &str = "supervisor";
    const REMOTE: &str = "pull";
    let complaints = o.pull_events.div_ceil(5);
    println!(
        "== PouchDB supervisor: pull of {} documents ({complaints} complaints)",
        complaints * 5
    );
    server.create_db(REMOTE).await?;
    let docs = documents("peer_seed", 0x52, complaints, 5);
    let started = Instant::now();
    for chunk in docs.chunks(SEED_CHUNK) {
        server.bulk_docs(REMOTE, chunk).await?;
    }
    let secs = started.elapsed().as_secs_f64();
    expect_count(
        "the server's database after seeding",
        server.doc_count(REMOTE).await?,
        docs.len(),
    )?;
    r.put(
        "server_seed_docs_per_s",
        docs.len() as f64 / secs,
        "documents/s (native HTTP _bulk_docs, 1000 a request)",
    );

    let (b, _) = open_page("peer-pull", url).await;
    page::keep_request_timings(&b).await;
    let t0 =
        page::start_replication(&b, Side::Remote(REMOTE), Side::Local(LOCAL), o.batch_size).await;
    let done = page::wait_replication(&b).await;
    let (requests, mib) = page::requests(&b, REMOTE).await;
    check(&done, docs.len())?;
    let (stored, _) = page::local_info(&b, LOCAL).await;
    expect_count(
        "the fresh browser database after the pull",
        stored,
        docs.len(),
    )?;
    let secs = (done.t1 - t0) / 1000.0;
    let n = docs.len() as f64;
    r.put("pull_seconds", secs, "s (replicate() from the server)");
    r.put("pull_events", n, "documents");
    r.put("pull_events_per_s", n / secs, "documents/s");
    r.put("pull_requests", requests as f64, "requests");
    r.put("pull_transfer_mb", mib, "MiB over the wire");
    Ok(())
}

/// The replication wrote every document and refused none.
fn check(done: &page::Replicated, want: usize) -> Result<(), String> {
    if done.failures > 0 || done.docs_written != want as u64 {
        return Err(format!(
            "incomplete replication: {} read, {} written, {} failed, want {want}",
            done.docs_read, done.docs_written, done.failures
        ));
    }
    Ok(())
}

fn expect_count(what: &str, seen: u64, want: usize) -> Result<(), String> {
    if seen == want as u64 {
        Ok(())
    } else {
        Err(format!("{what} holds {seen} documents, want {want}"))
    }
}
