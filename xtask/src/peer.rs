//! `cargo xtask bench --only peer`: Siteline's device push and pull beside PouchDB replicating to
//! pouchdb-server in the same headless Chromium, the same sizes, printed as ratios (issue 14).

use crate::proc::Ctx;
use crate::tools::{self, BrowserTools};
use serde_json::{json, Map, Value};
use std::path::Path;

/// Issue 14: Siteline at least this many times faster than PouchDB on push and on pull.
pub const GOAL: f64 = 15.0;

/// The compared figures: (key, what it is, held to the goal).
const METRICS: [(&str, &str, bool); 4] = [
    ("push_seconds", "push, s", true),
    ("pull_seconds", "pull, s", true),
    ("push_requests", "push requests", false),
    ("pull_requests", "pull requests", false),
];

/// Where the release programs are, and Siteline's figures when the device part already ran.
pub struct Inputs<'a> {
    pub browser: &'a BrowserTools,
    pub server_bin: &'a Path,
    pub dist: &'a Path,
    pub device: Option<&'a Value>,
}

/// `--complaints` and `--pull-events` of both sides (`--quick` scales both down alike).
fn sizes(quick: bool) -> [&'static str; 4] {
    if quick {
        ["--complaints", "1000", "--pull-events", "10000"]
    } else {
        ["--complaints", "10000", "--pull-events", "100000"]
    }
}

/// Runs both sides and answers `{ siteline, pouchdb, comparison }`.
pub fn run(ctx: &Ctx, quick: bool, out: &Path, inp: &Inputs) -> Result<Value, String> {
    tools::ensure_pouchdb(ctx)?;
    let bench_bin = |bin: &str| {
        let mut cmd = ctx.cargo();
        cmd.args(["run", "--release", "-p", "siteline-e2e", "--bin", bin, "--"])
            .args(sizes(quick))
            .env("CHROMEDRIVER", &inp.browser.chromedriver)
            .env("CHROMIUM", &inp.browser.chromium);
        cmd
    };
    let siteline = match inp.device.filter(|d| has_push_and_pull(d)) {
        Some(device) => {
            println!("(Siteline: the device part's figures of this run)");
            device.clone()
        }
        None => {
            println!("\n-- Siteline: push and pull (bench_device, no saves, one offline open) --");
            let file = out.join("peer_siteline.json");
            let mut cmd = bench_bin("bench_device");
            cmd.args(["--saves", "0", "--opens", "1"])
                .arg("--out")
                .arg(&file)
                .arg("--server-bin")
                .arg(inp.server_bin)
                .arg("--dist")
                .arg(inp.dist);
            ctx.run(&mut cmd, "device bench (peer comparison)")?;
            crate::bench::read_json(&file)
        }
    };
    println!("\n-- PouchDB: replicate() to and from pouchdb-server (bench_peer) --");
    let file = out.join("peer_pouchdb.json");
    let npm = ctx.root.join(".tools/npm/node_modules");
    let mut cmd = bench_bin("bench_peer");
    cmd.arg("--out")
        .arg(&file)
        .arg("--pouchdb-js")
        .arg(npm.join("pouchdb/dist/pouchdb.min.js"))
        .arg("--pouchdb-server")
        .arg(npm.join(".bin/pouchdb-server"));
    ctx.run(&mut cmd, "PouchDB bench")?;
    let pouchdb = crate::bench::read_json(&file);
    let comparison = compare(&siteline, &pouchdb);
    print_table(&comparison);
    Ok(json!({ "siteline": siteline, "pouchdb": pouchdb, "comparison": comparison }))
}

fn has_push_and_pull(device: &Value) -> bool {
    device["push_seconds"].as_f64().is_some() && device["pull_seconds"].as_f64().is_some()
}

/// Each metric as `{ siteline, pouchdb, ratio }` (ratio: PouchDB's figure over Siteline's, so
/// above 1 is Siteline ahead); the timed ones also `{ goal, met }`.
pub fn compare(siteline: &Value, pouchdb: &Value) -> Value {
    let mut out = Map::new();
    for (key, _, timed) in METRICS {
        let (Some(s), Some(p)) = (siteline[key].as_f64(), pouchdb[key].as_f64()) else {
            continue;
        };
        let ratio = if s > 0.0 { p / s } else { f64::NAN };
        let mut row = json!({ "siteline": s, "pouchdb": p });
        if ratio.is_finite() {
            row["ratio"] = json!((ratio * 100.0).round() / 100.0);
        }
        if timed {
            row["goal"] = json!(GOAL);
            row["met"] = json!(ratio >= GOAL);
        }
        out.insert(key.to_string(), row);
    }
    Value::Object(out)
}

fn print_table(comparison: &Value) {
    println!(
        "\n{:<16} {:>10} {:>10} {:>8}  PouchDB / Siteline (goal ≥ {GOAL}× on push and pull)",
        "metric", "Siteline", "PouchDB", "ratio"
    );
    for (key, label, timed) in METRICS {
        let row = &comparison[key];
        let (Some(s), Some(p)) = (row["siteline"].as_f64(), row["pouchdb"].as_f64()) else {
            println!("{label:<16} {:>10}", "n/a");
            continue;
        };
        let ratio = row["ratio"].as_f64().unwrap_or(f64::NAN);
        let verdict = match (timed, row["met"].as_bool()) {
            (true, Some(true)) => "met",
            (true, _) => "MISSED",
            (false, _) => "",
        };
        println!("{label:<16} {s:>10.2} {p:>10.2} {ratio:>7.2}×  {verdict}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_are_pouchdb_over_siteline_and_judge_the_goal() {
        let siteline = json!({ "push_seconds": 2.0, "pull_seconds": 4.0, "push_requests": 50.0 });
        let pouchdb =
            json!({ "push_seconds": 40.0, "pull_seconds": 20.0, "push_requests": 1500.0 });
        let c = compare(&siteline, &pouchdb);
        assert_eq!(c["push_seconds"]["ratio"], 20.0);
        assert_eq!(c["push_seconds"]["met"], true);
        assert_eq!(c["pull_seconds"]["ratio"], 5.0);
        assert_eq!(c["pull_seconds"]["met"], false);
        assert_eq!(c["push_requests"]["ratio"], 30.0);
        assert!(c["push_requests"].get("met").is_none());
        assert!(c.get("pull_requests").is_none(), "absent on one side");
    }

    #[test]
    fn quick_scales_both_sides_alike() {
        assert_eq!(
            sizes(true),
            ["--complaints", "1000", "--pull-events", "10000"]
        );
        assert_eq!(sizes(false)[1], "10000");
        assert!(has_push_and_pull(
            &json!({ "push_seconds": 1.5, "pull_seconds": 2.5 })
        ));
        assert!(!has_push_and_pull(&json!({ "push_seconds": 1.5 })));
    }
}
