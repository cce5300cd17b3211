//! Server queries at scale: the board (register list) and reports over 1,000,000 complaints, p50/p95, RSS.
//!
//! `cargo bench -p siteline-server --bench scale -- [--complaints N] [--sites N] [--years N]
//!  [--rounds N] [--server BIN] [--json FILE] [--postgres]`. The data set is generated once through the
//! server's own push path into `target/bench-data/scale-<N>-<sites>-<years>-v<gen>/` and reused;
//! the measured server is the release binary (`--server`, default `target/release/siteline-server`)
//! started on it as a separate process, so its RSS is its own. With `--postgres` the data set is
//! copied into PostgreSQL (`postgres.rs`) and the server runs on that database instead.

mod postgres;
mod scale_gen;

use scale_gen::{generate, site_code, Rng, Spec, ADMIN_PW, GEN_VERSION};
use serde_json::{json, Value};
use siteline_model::Timestamp;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Args {
    complaints: u64,
    sites: usize,
    years: i64,
    rounds: usize,
    server: PathBuf,
    json: Option<PathBuf>,
    postgres: bool,
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        complaints: 1_000_000,
        sites: 50,
        years: 3,
        rounds: 40,
        server: target_dir().join("release/siteline-server"),
        json: std::env::var_os("SITELINE_BENCH_JSON").map(PathBuf::from),
        postgres: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or(format!("{flag} needs a value"));
        let num = |v: String| v.parse::<u64>().map_err(|_| format!("not a number: {v}"));
        match flag.as_str() {
            "--complaints" => a.complaints = num(val()?)?,
            "--sites" => a.sites = num(val()?)? as usize,
            "--years" => a.years = num(val()?)? as i64,
            "--rounds" => a.rounds = num(val()?)? as usize,
            "--server" => a.server = PathBuf::from(val()?),
            "--json" => a.json = Some(PathBuf::from(val()?)),
            "--postgres" => a.postgres = true,
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

/// p50 and p95 of durations in milliseconds.
fn percentiles(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(|a, b| a.total_cmp(b));
    let at = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.95))
}

fn rss_kb(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_server(
    bin: &Path,
    data: &Path,
    database_url: Option<&str>,
) -> Result<(Server, String), String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut cmd = Command::new(bin);
    if let Some(url) = database_url {
        cmd.env("SITELINE_DATABASE_URL", url);
    }
    let child = cmd
        .args(["--addr", &format!("127.0.0.1:{port}"), "--data"])
        .arg(data)
        .env("SITELINE_ESCALATION_INTERVAL_SECS", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("starting {}: {e}", bin.display()))?;
    let server = Server(child);
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        if let Ok(r) = http.get(format!("{base}/api/health")).send().await {
            if r.status().is_success() {
                return Ok((server, base));
            }
        }
        if Instant::now() > deadline {
            return Err("server did not become healthy".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Times `rounds` GETs of the paths `path(i)` gives; answers p50, p95 and the last body.
/// GETs `path(i)` `warmup + rounds` times; answers the times of the last `rounds` (ms) and the
/// last body.
async fn timed(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    (warmup, rounds): (usize, usize),
    path: impl Fn(usize) -> String,
) -> Result<(Vec<f64>, Vec<u8>), String> {
    let mut times = Vec::with_capacity(rounds);
    let mut last = Vec::new();
    for i in 0..warmup + rounds {
        let t = Instant::now();
        let r = http
            .get(format!("{base}{}", path(i)))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = r.status();
        let body = r.bytes().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!(
                "{}: {status} {}",
                path(i),
                String::from_utf8_lossy(&body)
            ));
        }
        if i >= warmup {
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        last = body.to_vec();
    }
    Ok((times, last))
}

/// p50 and p95 of a JSON query (three warm-up rounds), and its last answer.
async fn measure(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    rounds: usize,
    path: impl Fn(usize) -> String,
) -> Result<(f64, f64, Value), String> {
    let (times, body) = timed(http, base, token, (3, rounds), path).await?;
    let last = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    let (p50, p95) = percentiles(times);
    Ok((p50, p95, last))
}

/// Like `measure`, for downloads (one warm-up): p50, p95 and the last answer's size in bytes.
async fn measure_bytes(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    rounds: usize,
    path: impl Fn(usize) -> String,
) -> Result<(f64, f64, usize), String> {
    let (times, body) = timed(http, base, token, (1, rounds), path).await?;
    let (p50, p95) = percentiles(times);
    Ok((p50, p95, body.len()))
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("scale bench: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let a = parse_args()?;
    let now = siteline_server::now();
    let spec = Spec {
        complaints: a.complaints,
        sites: a.sites,
        years: a.years,
        now,
    };
    let dir = target_dir().join(format!(
        "bench-data/scale-{}-{}-{}-v{GEN_VERSION}",
        a.complaints, a.sites, a.years
    ));
    let marker = dir.join("GENERATED");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!(
            "generating {} complaints over {} sites and {} years into {}",
            a.complaints,
            a.sites,
            a.years,
            dir.display()
        );
        generate(&dir, &spec).await?;
        std::fs::write(&marker, format!("{}\n", now.millis())).map_err(|e| e.to_string())?;
    }
    let generated_at = std::fs::read_to_string(&marker)
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .map(Timestamp)
        .unwrap_or(now);
    let db_bytes = std::fs::metadata(dir.join("siteline.db"))
        .map(|m| m.len())
        .unwrap_or(0);

    let (database_url, copy_s) = if a.postgres {
        let name = format!(
            "siteline_bench_scale_{}_{}_{}_v{GEN_VERSION}",
            a.complaints, a.sites, a.years
        );
        let (url, secs) = postgres::load(&a.server, &dir, &name).await?;
        (Some(url), Some(secs))
    } else {
        (None, None)
    };
    let backend = if a.postgres { "PostgreSQL" } else { "SQLite" };
    let t = Instant::now();
    let (server, base) = start_server(&a.server, &dir, database_url.as_deref()).await?;
    let startup_s = t.elapsed().as_secs_f64();
    let pid = server.0.id();
    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": ADMIN_PW}))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let token = login["token"]
        .as_str()
        .ok_or(format!("login: {login}"))?
        .to_string();

    let open = "received,dispatched,accepted,in_progress,handled,replied,followed_up";
    let mut rng = Rng::new(7);
    let sites: Vec<String> = (0..a.rounds + 3)
        .map(|_| site_code(rng.below(a.sites as u64) as usize))
        .collect();
    let (y, ..) = generated_at.civil(8 * 60);
    let year = |y: i32| format!("from={y}-01&to={}-01", y + 1);
    let last_year = year(y - 1);
    let three_years = format!("from={}-01&to={}-01", y - 2, y + 1);
    let mut rows: Vec<(String, f64, f64, String)> = Vec::new();
    type Case<'a> = (&'a str, Box<dyn Fn(usize) -> String + 'a>);
    let cases: Vec<Case> = vec![
        (
            "board: one site, open, 200 newest",
            Box::new(|i| {
                format!(
                    "/api/v1/complaints?site={}&status={open}&limit=200",
                    sites[i]
                )
            }),
        ),
        (
            "board: one site, overdue",
            Box::new(|i| {
                format!(
                    "/api/v1/complaints?site={}&status={open}&overdue=true&limit=200",
                    sites[i]
                )
            }),
        ),
        (
            "board: all sites, open, 200 newest",
            Box::new(|_| format!("/api/v1/complaints?status={open}&limit=200")),
        ),
        (
            "report: one site, one year, by month",
            Box::new(|i| {
                format!(
                    "/api/v1/reports/summary?site={}&{last_year}&period=month",
                    sites[i]
                )
            }),
        ),
        (
            "report: one site, 3 years, by half-year",
            Box::new(|i| {
                format!(
                    "/api/v1/reports/summary?site={}&{three_years}&period=half",
                    sites[i]
                )
            }),
        ),
        (
            "report: all sites, one year, by month",
            Box::new(|_| format!("/api/v1/reports/summary?{last_year}&period=month")),
        ),
        (
            "report: all sites, 3 years, by year",
            Box::new(|_| format!("/api/v1/reports/summary?{three_years}&period=year")),
        ),
    ];
    for (name, path) in &cases {
        let (p50, p95, body) = measure(&http, &base, &token, a.rounds, path).await?;
        let size = match &body {
            Value::Array(v) => format!("{} rows", v.len()),
            v => format!("{} complaints", v["total"]["count"]),
        };
        rows.push((name.to_string(), p50, p95, size));
    }
    let hwm_queries = rss_kb(pid, "VmHWM:");
    // Exports: the register streams in keyset pages; the report is small. Few rounds (big files).
    let ms = |t: Timestamp| t.millis();
    let year_start = |y: i32| {
        Timestamp((siteline_model::time::days_from_civil(y, 1, 1) * 24 * 60 - 8 * 60) * 60_000)
    };
    let (last_from, last_to) = (ms(year_start(y - 1)), ms(year_start(y)));
    let (all_from, all_to) = (ms(year_start(y - 2)), ms(year_start(y + 1)));
    type Download<'a> = (&'a str, usize, Box<dyn Fn(usize) -> String + 'a>);
    let downloads: Vec<Download> = vec![
        (
            "export: one site, one year, register CSV",
            3,
            Box::new(|i| {
                format!(
                    "/api/v1/complaints.csv?site={}&from={last_from}&to={last_to}",
                    sites[i]
                )
            }),
        ),
        (
            "export: one site, one year, register XLSX",
            3,
            Box::new(|i| {
                format!(
                    "/api/v1/complaints.xlsx?site={}&from={last_from}&to={last_to}",
                    sites[i]
                )
            }),
        ),
        (
            "export: all sites, one year, report XLSX",
            3,
            Box::new(|_| format!("/api/v1/reports/summary.xlsx?{last_year}&period=month")),
        ),
        (
            "export: all sites, 3 years, register CSV",
            1,
            Box::new(|_| format!("/api/v1/complaints.csv?from={all_from}&to={all_to}")),
        ),
    ];
    for (name, rounds, path) in &downloads {
        let (p50, p95, bytes) = measure_bytes(&http, &base, &token, *rounds, path).await?;
        rows.push((
            name.to_string(),
            p50,
            p95,
            format!("{:.1} MB", bytes as f64 / 1e6),
        ));
    }
    let rss = rss_kb(pid, "VmRSS:");
    let hwm = rss_kb(pid, "VmHWM:");
    eprintln!(
        "peak RSS: {:.0} MB after the queries, {:.0} MB after the exports",
        hwm_queries as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    drop(server);

    println!("\nServer queries at scale on {backend}: {} complaints, {} sites, {} years (SQLite db {:.0} MB; server start {startup_s:.1} s)", a.complaints, a.sites, a.years, db_bytes as f64 / 1e6);
    if let Some(secs) = copy_s {
        println!("copied into PostgreSQL by `siteline-server migrate` in {secs:.1} s");
    }
    println!("{:<42} {:>9} {:>9}  answer", "query", "p50 ms", "p95 ms");
    for (name, p50, p95, size) in &rows {
        println!("{name:<42} {p50:>9.1} {p95:>9.1}  {size}");
    }
    println!(
        "server RSS after the queries: {:.0} MB (peak {:.0} MB)",
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    if let Some(path) = a.json {
        let key = if a.postgres {
            "scale_postgres"
        } else {
            "scale"
        };
        let out = json!({
            key: {
                "backend": backend, "copy_secs": copy_s,
                "complaints": a.complaints, "sites": a.sites, "years": a.years,
                "db_mb": db_bytes as f64 / 1e6, "rounds": a.rounds,
                "queries": rows.iter().map(|(n, p50, p95, s)| json!({"query": n, "p50_ms": p50, "p95_ms": p95, "answer": s})).collect::<Vec<_>>(),
                "rss_mb": rss as f64 / 1024.0, "rss_peak_mb": hwm as f64 / 1024.0,
                "rss_peak_queries_mb": hwm_queries as f64 / 1024.0,
            }
        });
        std::fs::write(
            &path,
            serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?,
        )
        .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
