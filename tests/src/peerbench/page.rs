//! The bench page (pouchdb.min.js and nothing else) and the in-page scripts that fill a local
//! PouchDB and time a replication with `performance.now()` (WebDriver round trips do not count).

use crate::Browser;
use serde_json::{json, Value};
use std::time::Duration;

/// How long a replication may take before the bench gives up.
pub const PHASE: Duration = Duration::from_secs(1800);

/// The page, stored with pouchdb.min.js as attachments of one document on pouchdb-server, so the
/// page and the database share an origin (no CORS preflights in the figures).
pub const HTML: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>PouchDB peer bench</title><script src=\"pouchdb.min.js\"></script></head>\
<body><p>PouchDB peer bench</p></body></html>\n";

/// One side of a replication: a database in the page's IndexedDB, or one on the server.
#[derive(Clone, Copy, Debug)]
pub enum Side<'a> {
    Local(&'a str),
    Remote(&'a str),
}

impl Side<'_> {
    fn to_json(self) -> Value {
        match self {
            Side::Local(name) => json!({ "local": name }),
            Side::Remote(name) => json!({ "remote": name }),
        }
    }
}

/// Helpers every script below starts with: `p.db(name)` keeps one PouchDB object per database.
const PRELUDE: &str = "const p = window.__peer = window.__peer || { dbs: {} };
    p.db = p.db || ((name) => p.dbs[name] = p.dbs[name] || new PouchDB(name));
    p.side = p.side || ((s) => s.local ? p.db(s.local) : new PouchDB(location.origin + '/' + s.remote));";

async fn run(b: &Browser, what: &str, script: &str, args: Vec<Value>) -> Value {
    match b.js(&format!("{PRELUDE}\n{script}"), args).await {
        Ok(v) => v,
        Err(e) => b.fail(&format!("{what}: {e}")).await,
    }
}

/// Waits for pouchdb.min.js to load; answers `PouchDB.version`.
pub async fn wait_loaded(b: &Browser) -> String {
    b.wait_for(
        || async {
            let v = b
                .js(
                    "return typeof PouchDB === 'function' ? PouchDB.version : null;",
                    vec![],
                )
                .await?;
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| "PouchDB not loaded yet".to_string())
        },
        Duration::from_secs(60),
        "pouchdb.min.js to load",
    )
    .await
}

/// Writes `docs` into the local database `name` in one `bulkDocs` (IndexedDB, as on a tablet).
pub async fn put_local(b: &Browser, name: &str, docs: &[Value]) {
    let v = run(
        b,
        "local bulkDocs",
        "return p.db(arguments[0]).bulkDocs(arguments[1])
           .then(rs => rs.filter(r => r.error).map(r => r.id + ': ' + r.message).slice(0, 3),
                 e => ['bulkDocs failed: ' + e]);",
        vec![json!(name), json!(docs)],
    )
    .await;
    if v.as_array().is_none_or(|a| !a.is_empty()) {
        b.fail(&format!("local bulkDocs into {name}: {v}")).await;
    }
}

/// `doc_count` and adapter of the local database `name`.
pub async fn local_info(b: &Browser, name: &str) -> (u64, String) {
    let v = run(
        b,
        "local info",
        "return p.db(arguments[0]).info().then(i => [i.doc_count, i.adapter]);",
        vec![json!(name)],
    )
    .await;
    (
        v[0].as_u64().unwrap_or(0),
        v[1].as_str().unwrap_or("?").to_string(),
    )
}

/// Keeps resource timings of every request from now on (the default buffer holds 250).
pub async fn keep_request_timings(b: &Browser) {
    run(
        b,
        "resource timing buffer",
        "performance.setResourceTimingBufferSize(10000000); performance.clearResourceTimings(); return null;",
        vec![],
    )
    .await;
}

/// Starts `PouchDB.replicate(from, to, {batch_size})`; answers its start (page ms).
pub async fn start_replication(b: &Browser, from: Side<'_>, to: Side<'_>, batch: usize) -> f64 {
    let v = run(
        b,
        "start replication",
        "const [from, to, batch] = arguments;
         p.done = null; p.error = null;
         const src = p.side(from), dst = p.side(to);
         const t0 = performance.now();
         PouchDB.replicate(src, dst, { batch_size: batch }).then(
           (r) => { p.done = { t1: performance.now(), ok: r.ok, docs_read: r.docs_read,
                               docs_written: r.docs_written, failures: r.doc_write_failures,
                               errors: (r.errors || []).length }; },
           (e) => { p.error = String((e && (e.message || e.name)) || e); });
         return t0;",
        vec![from.to_json(), to.to_json(), json!(batch)],
    )
    .await;
    match v.as_f64() {
        Some(t0) => t0,
        None => b.fail(&format!("start replication answered {v}")).await,
    }
}

/// What `replicate()` resolved with.
#[derive(Clone, Copy, Debug)]
pub struct Replicated {
    /// When it resolved (page ms).
    pub t1: f64,
    pub docs_read: u64,
    pub docs_written: u64,
    pub failures: u64,
}

/// Waits until the replication started last resolves; fails the bench when it rejects.
pub async fn wait_replication(b: &Browser) -> Replicated {
    let v = b
        .wait_for(
            || async {
                let v = b
                    .js(
                        "const p = window.__peer || {}; return [p.done || null, p.error || null];",
                        vec![],
                    )
                    .await?;
                if v[0].is_object() || v[1].is_string() {
                    Ok(v)
                } else {
                    Err("replicating".to_string())
                }
            },
            PHASE,
            "the replication to complete",
        )
        .await;
    if let Some(e) = v[1].as_str() {
        b.fail(&format!("replication failed: {e}")).await;
    }
    let d = &v[0];
    let n = |k: &str| d[k].as_u64().unwrap_or(0);
    if d["ok"] != json!(true) || n("errors") > 0 {
        b.fail(&format!("replication did not complete cleanly: {d}"))
            .await;
    }
    Replicated {
        t1: d["t1"].as_f64().unwrap_or(f64::NAN),
        docs_read: n("docs_read"),
        docs_written: n("docs_written"),
        failures: n("failures"),
    }
}

/// Requests to the server whose URL contains `/<db>`: how many, and the bytes received (MiB).
pub async fn requests(b: &Browser, db: &str) -> (usize, f64) {
    let v = run(
        b,
        "resource timings",
        "const part = location.origin + '/' + arguments[0];
         const rs = performance.getEntriesByType('resource').filter(r => r.name.startsWith(part));
         return [rs.length, rs.reduce((s, r) => s + (r.transferSize || 0), 0)];",
        vec![json!(db)],
    )
    .await;
    (
        v[0].as_u64().unwrap_or(0) as usize,
        v[1].as_f64().unwrap_or(0.0) / (1024.0 * 1024.0),
    )
}
