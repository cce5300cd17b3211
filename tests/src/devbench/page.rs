//! In-page timing: scripts that take `performance.now()` stamps inside the browser (so WebDriver
//! round trips do not count), read the app's User Timing entries and its IndexedDB.

use crate::Browser;
use serde_json::{json, Value};
use std::time::Duration;

/// How long a phase may take before the bench gives up.
pub const PHASE: Duration = Duration::from_secs(600);

async fn run(b: &Browser, what: &str, script: &str, args: Vec<Value>) -> Value {
    match b.js(script, args).await {
        Ok(v) => v,
        Err(e) => b.fail(&format!("{what}: {e}")).await,
    }
}

/// The app's IndexedDB commits that wrote events since the page loaded (or since the measures
/// were last cleared): how many, their total milliseconds, and the events they wrote.
pub async fn store_writes(b: &Browser) -> (u64, f64, u64) {
    let v = run(
        b,
        "store writes",
        "const m = performance.getEntriesByName('siteline:store-write')
           .filter(e => e.detail && e.detail.events > 0);
         return [m.length, m.reduce((a, e) => a + e.duration, 0),
                 m.reduce((a, e) => a + e.detail.events, 0)];",
        vec![],
    )
    .await;
    (
        v[0].as_u64().unwrap_or(0),
        v[1].as_f64().unwrap_or(f64::NAN),
        v[2].as_u64().unwrap_or(0),
    )
}

/// The total duration in ms of the app's measures named `name` (`app/src/store/perf.rs`), and
/// how many there were.
pub async fn measured(b: &Browser, name: &str) -> (f64, u64) {
    let v = run(
        b,
        "measures",
        "const m = performance.getEntriesByName(arguments[0]);
         return [m.reduce((a, e) => a + e.duration, 0), m.length];",
        vec![Value::from(name)],
    )
    .await;
    (
        v[0].as_f64().unwrap_or(f64::NAN),
        v[1].as_u64().unwrap_or(0),
    )
}

/// Forgets the app's per-write measures so far (store writes, decoding, encoding, applying).
pub async fn clear_store_writes(b: &Browser) {
    run(
        b,
        "clear store writes",
        "for (const n of ['siteline:store-write', 'siteline:decode', 'siteline:store-encode',
                          'siteline:replica-apply']) performance.clearMeasures(n);
         return null;",
        vec![],
    )
    .await;
}

/// Reports where the device's time went during a sync (`prefix` `push` or `pull`): JSON
/// decoding of pulled pages, merging and encoding records, IndexedDB (the rest of the store
/// writes), folding into the replica.
pub async fn report_split(b: &Browser, r: &mut super::Report, prefix: &str) {
    let (decode, _) = measured(b, "siteline:decode").await;
    let (write, _) = measured(b, "siteline:store-write").await;
    let (encode, _) = measured(b, "siteline:store-encode").await;
    let (apply, _) = measured(b, "siteline:replica-apply").await;
    r.put(
        &format!("{prefix}_decode_s"),
        decode / 1000.0,
        "s decoding pulled JSON",
    );
    r.put(
        &format!("{prefix}_encode_s"),
        encode / 1000.0,
        "s merging and encoding records",
    );
    r.put(
        &format!("{prefix}_indexeddb_s"),
        (write - encode) / 1000.0,
        "s in IndexedDB (store writes less encoding)",
    );
    r.put(
        &format!("{prefix}_fold_s"),
        apply / 1000.0,
        "s applying to the replica (fold)",
    );
}

/// Keeps resource timings of every request from now on (the default buffer holds 250).
pub async fn keep_request_timings(b: &Browser) {
    run(
        b,
        "resource timing buffer",
        "performance.setResourceTimingBufferSize(1000000); performance.clearResourceTimings();",
        vec![],
    )
    .await;
}

/// Requests whose URL contains `part`: how many, first start (page ms), summed time, bytes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Requests {
    pub count: usize,
    pub first_start: f64,
    pub busy_ms: f64,
    pub transfer_kb: f64,
}

pub async fn requests(b: &Browser, part: &str) -> Requests {
    let v = run(
        b,
        "resource timings",
        "const rs = performance.getEntriesByType('resource').filter(r => r.name.includes(arguments[0]));
         return { count: rs.length,
                  first: rs.length ? Math.min(...rs.map(r => r.startTime)) : 0,
                  busy: rs.reduce((s, r) => s + (r.responseEnd - r.startTime), 0),
                  bytes: rs.reduce((s, r) => s + (r.transferSize || 0), 0) };",
        vec![json!(part)],
    )
    .await;
    Requests {
        count: v["count"].as_u64().unwrap_or(0) as usize,
        first_start: v["first"].as_f64().unwrap_or(0.0),
        busy_ms: v["busy"].as_f64().unwrap_or(0.0),
        transfer_kb: v["bytes"].as_f64().unwrap_or(0.0) / 1024.0,
    }
}

/// Watches the header's unsynced count, then presses "sync now"; answers the press time.
pub async fn press_sync_watching_pending(b: &Browser) -> f64 {
    let v = run(
        b,
        "press sync",
        "const b = window.__bench = window.__bench || {};
         b.pendingZero = null;
         const check = () => {
           const e = document.querySelector('[data-testid=\"pending-count\"]');
           if (b.pendingZero === null && e && e.textContent.trim() === '0') b.pendingZero = performance.now();
         };
         new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
         const t0 = performance.now();
         document.querySelector('[data-testid=\"sync-now\"]').click();
         return t0;",
        vec![],
    )
    .await;
    v.as_f64().unwrap_or(0.0)
}

/// Waits until the watched unsynced count read 0; answers when (page ms).
pub async fn wait_pending_zero(b: &Browser) -> f64 {
    b.wait_for(
        || async {
            let v = b
                .js("const b = window.__bench || {}; const e = document.querySelector('[data-testid=\"pending-count\"]');
                     return [b.pendingZero ?? null, e ? e.textContent.trim() : null];", vec![])
                .await?;
            match v[0].as_f64() {
                Some(t) => Ok(t),
                None => Err(format!("pending count {}", v[1])),
            }
        },
        PHASE,
        "the unsynced count to reach 0",
    )
    .await
}

/// Polls the app's IndexedDB meta every 20 ms until the cursor reaches `target` (in the page).
pub async fn watch_cursor(b: &Browser, target: u64) {
    run(
        b,
        "watch cursor",
        "const target = arguments[0];
         const b = window.__bench = window.__bench || {};
         b.cursorAt = null; b.cursor = 0;
         const again = () => setTimeout(poll, 20);
         const poll = () => {
           const req = indexedDB.open('siteline');
           req.onerror = again;
           req.onsuccess = () => {
             const db = req.result;
             db.onversionchange = () => db.close();
             let tx;
             try { tx = db.transaction(['meta'], 'readonly'); } catch (e) { db.close(); return again(); }
             const g = tx.objectStore('meta').get('replica');
             g.onsuccess = () => {
               db.close();
               const m = g.result ? JSON.parse(g.result) : null;
               b.cursor = m ? m.cursor : 0;
               if (b.cursor >= target) b.cursorAt = performance.now(); else again();
             };
             g.onerror = () => { db.close(); again(); };
           };
         };
         poll();",
        vec![json!(target)],
    )
    .await;
}

/// Waits until the watched cursor reached its target; answers when (page ms).
pub async fn wait_cursor(b: &Browser) -> f64 {
    b.wait_for(
        || async {
            let v = b
                .js(
                    "const b = window.__bench || {}; return [b.cursorAt ?? null, b.cursor ?? null];",
                    vec![],
                )
                .await?;
            match v[0].as_f64() {
                Some(t) => Ok(t),
                None => Err(format!("cursor {}", v[1])),
            }
        },
        PHASE,
        "the device's cursor to reach the server's last event",
    )
    .await
}

/// Number of events in the app's IndexedDB (in its complaint records), and its stored cursor.
pub async fn stored(b: &Browser) -> (u64, u64) {
    let v = run(
        b,
        "count stored events",
        "return new Promise((resolve) => {
           const req = indexedDB.open('siteline');
           req.onerror = () => resolve([-1, -1]);
           req.onsuccess = () => {
             const db = req.result;
             // One record per complaint (schema 3): UTF-8 JSON bytes holding its events.
             const tx = db.transaction(['complaints', 'meta'], 'readonly');
             const c = tx.objectStore('complaints').getAll();
             const m = tx.objectStore('meta').get('replica');
             tx.oncomplete = () => {
               db.close();
               const text = new TextDecoder();
               const n = c.result.reduce((a, v) => a + JSON.parse(text.decode(v)).events.length, 0);
               resolve([n, m.result ? JSON.parse(m.result).cursor : 0]);
             };
             tx.onerror = () => { db.close(); resolve([-2, -2]); };
           };
         });",
        vec![],
    )
    .await;
    (v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0))
}

/// The app's start-up timings of one page load (ms from navigation start; `NaN` if absent).
#[derive(Clone, Copy, Debug)]
pub struct Open {
    pub interactive: f64,
    pub store_load: f64,
    pub store_read: f64,
    pub replica_built: f64,
    /// When the app's code started (its wasm loaded).
    pub start: f64,
    /// From handing the replica to the page to the frame that shows it.
    pub render: f64,
}

/// Waits for the app's `siteline:interactive` mark on the current page.
pub async fn wait_interactive(b: &Browser) -> Open {
    let v = b
        .wait_for(
            || async {
                let v = b
                    .js(
                        "const one = (n) => { const e = performance.getEntriesByName(n); return e.length ? e[e.length - 1] : null; };
                         const i = one('siteline:interactive');
                         if (!i) return null;
                         const l = one('siteline:store-load'), r = one('siteline:replica-built');
                         const d = one('siteline:store-read'), s = one('siteline:start');
                         const f = one('siteline:render');
                         return [i.startTime, l ? l.duration : null, d ? d.duration : null, r ? r.duration : null, s ? s.startTime : null, f ? f.duration : null];",
                        vec![],
                    )
                    .await?;
                if v.is_array() {
                    Ok(v)
                } else {
                    Err("no siteline:interactive mark yet".to_string())
                }
            },
            Duration::from_secs(120),
            "the app to be interactive",
        )
        .await;
    let f = |i: usize| v[i].as_f64().unwrap_or(f64::NAN);
    Open {
        interactive: f(0),
        store_load: f(1),
        store_read: f(2),
        replica_built: f(3),
        start: f(4),
        render: f(5),
    }
}

/// Presses 保存 on a filled intake form; answers (ms until the detail page shows the new record,
/// ms of the IndexedDB commit measured by the app).
pub async fn timed_save(b: &Browser) -> (f64, f64) {
    let script = "const done = arguments[arguments.length - 1];
        performance.clearMeasures('siteline:store-write');
        const t0 = performance.now();
        let finished = false;
        const check = () => {
          const d = document.querySelector('[data-testid=\"complaint-detail\"]');
          if (finished || !location.pathname.startsWith('/complaints/') || !d || !d.getAttribute('data-id')) return;
          finished = true;
          const ui = performance.now() - t0;
          obs.disconnect();
          const m = performance.getEntriesByName('siteline:store-write');
          done([ui, m.length ? m[0].duration : null, m.length]);
        };
        const obs = new MutationObserver(check);
        obs.observe(document.body, { subtree: true, childList: true, attributes: true });
        document.querySelector('[data-testid=\"save-complaint\"]').click();
        setTimeout(() => { if (!finished) { finished = true; obs.disconnect(); done('timeout'); } }, 20000);";
    let v = match b.client().execute_async(script, vec![]).await {
        Ok(v) => v,
        Err(e) => b.fail(&format!("timed save: {e}")).await,
    };
    match (v[0].as_f64(), v[1].as_f64()) {
        (Some(ui), Some(store)) => (ui, store),
        _ => b.fail(&format!("timed save answered {v}")).await,
    }
}
