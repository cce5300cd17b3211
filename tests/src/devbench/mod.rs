//! Device-side benchmarks of issue 5 (push, pull, save, offline open, memory) against the real server.
//!
//! Run with `cargo run --release -p siteline-e2e --bin bench_device -- [--complaints N]
//! [--pull-events N] [--saves N] [--opens N] [--only push|pull] [--out FILE]`; it needs the
//! release server binary (`SITELINE_SERVER_BIN`, default `target/release/siteline-server`), a
//! release front end (`SITELINE_DIST`, default `dist/`), Chromium and chromedriver.

mod data;
mod page;
mod probe;
mod staff;
mod supervisor;

use serde_json::{json, Map, Value};
use std::path::PathBuf;

pub use data::histories;
pub use probe::{cdp, percentile};

/// What to run, and where the programs are.
#[derive(Clone, Debug)]
pub struct Options {
    /// Complaints (×5 events) the staff device pushes.
    pub complaints: usize,
    /// Events on the server that the fresh supervisor device pulls.
    pub pull_events: usize,
    /// Complaints saved through the intake form for the save latency.
    pub saves: usize,
    /// Offline opens for the start-up time (the median is reported).
    pub opens: usize,
    pub push: bool,
    pub pull: bool,
    pub out: Option<PathBuf>,
    pub server_bin: PathBuf,
    pub dist: PathBuf,
}

impl Options {
    /// Parses the command line (without the program name).
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        let env_path = |var: &str, default: PathBuf| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or(default)
        };
        let mut o = Options {
            complaints: 10_000,
            pull_events: 100_000,
            saves: 60,
            opens: 7,
            push: true,
            pull: true,
            out: None,
            server_bin: env_path(
                "SITELINE_SERVER_BIN",
                crate::target_dir().join("release/siteline-server"),
            ),
            dist: env_path("SITELINE_DIST", crate::repo_root().join("dist")),
        };
        let mut it = args.into_iter();
        while let Some(flag) = it.next() {
            let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
            let number = |v: String| {
                v.replace('_', "")
                    .parse::<usize>()
                    .map_err(|e| format!("{flag} {v}: {e}"))
            };
            match flag.as_str() {
                "--complaints" => o.complaints = number(value()?)?,
                "--pull-events" => o.pull_events = number(value()?)?,
                "--saves" => o.saves = number(value()?)?,
                "--opens" => o.opens = number(value()?)?.max(1),
                "--out" => o.out = Some(PathBuf::from(value()?)),
                "--server-bin" => o.server_bin = PathBuf::from(value()?),
                "--dist" => o.dist = PathBuf::from(value()?),
                "--only" => match value()?.as_str() {
                    "push" => o.pull = false,
                    "pull" => o.push = false,
                    other => return Err(format!("--only push|pull, not {other}")),
                },
                "-h" | "--help" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            }
        }
        if !o.server_bin.is_file() {
            return Err(format!(
                "no server binary at {} (cargo build --release -p siteline-server, or --server-bin)",
                o.server_bin.display()
            ));
        }
        if !o.dist.join("index.html").is_file() {
            return Err(format!(
                "no front end at {} (cargo xtask bench --only size builds it, or --dist)",
                o.dist.display()
            ));
        }
        Ok(o)
    }
}

pub const USAGE: &str = "usage: bench_device [--complaints N] [--pull-events N] [--saves N] \
[--opens N] [--only push|pull] [--out FILE] [--server-bin PATH] [--dist DIR]";

/// The figures, in insertion order, printed and written as JSON.
#[derive(Debug, Default)]
pub struct Report {
    values: Map<String, Value>,
}

impl Report {
    /// Records a figure and prints it as `key = value unit`.
    pub fn put(&mut self, key: &str, value: f64, unit: &str) {
        let shown = if value.is_nan() {
            "n/a".to_string()
        } else if value.abs() >= 100.0 {
            format!("{value:.0}")
        } else {
            format!("{value:.2}")
        };
        println!("  {key:<28} {shown:>10} {unit}");
        let v = if value.is_finite() {
            let rounded = (value * 1000.0).round() / 1000.0;
            json!(rounded)
        } else {
            Value::Null
        };
        self.values.insert(key.to_string(), v);
    }

    pub fn note(&mut self, key: &str, value: Value) {
        self.values.insert(key.to_string(), value);
    }

    pub fn get(&self, key: &str) -> Option<f64> {
        self.values.get(key).and_then(Value::as_f64)
    }

    /// Each target as `{ "value", "limit", "met" }`, and whether all measured ones are met.
    pub fn judge(&mut self) -> bool {
        let targets = [
            ("push_seconds", 5.0),
            ("pull_seconds", 5.0),
            ("save_p95_ms", 10.0),
            ("offline_open_ms", 500.0),
        ];
        let mut all = true;
        let mut out = Map::new();
        println!("targets:");
        for (key, limit) in targets {
            let Some(v) = self.get(key) else { continue };
            let met = v <= limit;
            all &= met;
            println!(
                "  {key:<28} {v:>10.2} ≤ {limit:<6} {}",
                if met { "met" } else { "MISSED" }
            );
            out.insert(
                key.into(),
                json!({ "value": v, "limit": limit, "met": met }),
            );
        }
        self.values.insert("targets".into(), Value::Object(out));
        all
    }

    pub fn to_json(&self) -> Value {
        Value::Object(self.values.clone())
    }
}

/// Runs the selected benchmarks, one server and one browser at a time (they share the cores).
pub async fn run(o: &Options) -> Report {
    let mut r = Report::default();
    r.note(
        "options",
        json!({ "complaints": o.complaints, "pull_events": o.pull_events, "saves": o.saves,
                "opens": o.opens, "server_bin": o.server_bin, "dist": o.dist }),
    );
    if o.push {
        staff::run(o, &mut r).await;
    }
    if o.pull {
        supervisor::run(o, &mut r).await;
    }
    r
}

/// Milliseconds since the Unix epoch (capture times of the generated records).
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Median of the samples (NaN for none).
pub(crate) fn median(v: &[f64]) -> f64 {
    percentile(v, 50.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_judges_only_measured_targets() {
        let mut r = Report::default();
        r.put("push_seconds", 4.0, "s");
        r.put("save_p95_ms", 12.0, "ms");
        assert!(!r.judge());
        let t = &r.to_json()["targets"];
        assert_eq!(t["push_seconds"]["met"], true);
        assert_eq!(t["save_p95_ms"]["met"], false);
        assert!(t.get("pull_seconds").is_none());
        r.put("x", f64::NAN, "");
        assert_eq!(r.to_json()["x"], Value::Null);
    }
}
