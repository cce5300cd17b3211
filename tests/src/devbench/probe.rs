//! Measuring instruments: Chrome DevTools commands through chromedriver, the page's memory, the
//! server's RSS, and percentiles.

use crate::Browser;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{json, Value};

/// A Chrome DevTools Protocol command sent through chromedriver (`goog/cdp/execute`).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Runs a DevTools command on the page; its result object.
pub async fn cdp(b: &Browser, cmd: &'static str, params: Value) -> Result<Value, String> {
    let v = b
        .client()
        .issue_cmd(Cdp { cmd, params })
        .await
        .map_err(|e| format!("{cmd}: {e}"))?;
    Ok(match v.get("value") {
        Some(inner) if v.as_object().is_some_and(|o| o.len() == 1) => inner.clone(),
        _ => v,
    })
}

/// Memory of the page after a full garbage collection, in MiB.
#[derive(Clone, Copy, Debug, Default)]
pub struct PageMemory {
    pub js_heap_mb: f64,
    pub wasm_mem_mb: f64,
}

const MIB: f64 = 1024.0 * 1024.0;

/// The JS heap in use (DevTools `Runtime.getHeapUsage` after `HeapProfiler.collectGarbage`) and
/// the size of the app's wasm linear memory (which never shrinks: it is the high-water mark).
pub async fn page_memory(b: &Browser) -> PageMemory {
    let _ = cdp(b, "HeapProfiler.collectGarbage", json!({})).await;
    let js_heap_mb = match cdp(b, "Runtime.getHeapUsage", json!({})).await {
        Ok(v) => v["usedSize"].as_f64().unwrap_or(f64::NAN) / MIB,
        Err(e) => {
            eprintln!("warning: no JS heap figure: {e}");
            f64::NAN
        }
    };
    let wasm = b
        .js(
            // The start script keeps the main module's exports (`xtask/src/front.rs`).
            "const w = window.sitelineWasm;
             return w && w.memory ? w.memory.buffer.byteLength : -1;",
            vec![],
        )
        .await;
    let wasm_mem_mb = match wasm.as_ref().ok().and_then(Value::as_f64) {
        Some(n) if n >= 0.0 => n / MIB,
        other => {
            eprintln!("warning: no wasm memory figure ({other:?}, {wasm:?})");
            f64::NAN
        }
    };
    PageMemory {
        js_heap_mb,
        wasm_mem_mb,
    }
}

/// Resident set size (VmRSS) of the server listening on `port`, in MiB: the process whose
/// environment says `SITELINE_ADDR=127.0.0.1:<port>`.
pub fn server_rss_mb(port: u16) -> Option<f64> {
    let want = format!("SITELINE_ADDR=127.0.0.1:{port}");
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let dir = entry.path();
        let Ok(env) = std::fs::read(dir.join("environ")) else {
            continue;
        };
        if !env.split(|b| *b == 0).any(|kv| kv == want.as_bytes()) {
            continue;
        }
        let status = std::fs::read_to_string(dir.join("status")).ok()?;
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        return Some(kb / 1024.0);
    }
    None
}

/// The `p`-th percentile (0–100) by nearest rank; NaN for no samples.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 95.0), 95.0);
        assert_eq!(percentile(&v, 100.0), 100.0);
        assert_eq!(percentile(&[3.0, 1.0, 2.0], 50.0), 2.0);
        assert!(percentile(&[], 50.0).is_nan());
    }
}
