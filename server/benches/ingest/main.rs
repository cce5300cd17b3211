//! Benchmark: events/s through the real HTTP push endpoint vs a raw batched insert of the same
//! rows, on SQLite (default) or PostgreSQL (`--postgres`).
//!
//! `cargo bench -p siteline-server --bench ingest [-- --events N] [--reps N] [--json FILE]
//! [--postgres]` (or `SITELINE_BENCH_JSON=FILE`). Complaints of 5 legal events (created,
//! dispatched, accepted, started, handled) are pushed by an admin (who may relay others' events)
//! in batches of 100 and 1,000 to a fresh in-process server on 127.0.0.1; every event must be
//! accepted. The raw baseline opens a fresh database the way the server does (same pragmas,
//! migrations) and inserts the same rows into `events` in transactions of the same size. With
//! `--postgres`, also the release server binary as 1 and as 2 processes on one database. Last,
//! a push to complaints with 5 stored events against one to complaints with 500 (`history`).

mod events;
mod history;
mod postgres;
mod pull;
mod push;

use events::{generate, PER_COMPLAINT};
use push::{admin_token, bodies, push_all, ADMIN_PW};
use siteline_model::Event;
use siteline_server::store::SqliteStore;
use siteline_server::{build, Built, Config};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const BATCHES: [usize; 2] = [100, 1000];
/// The batch of the 1-vs-2-processes comparison (a tablet's push is at most a few hundred).
const PROCESS_BATCH: usize = 100;
/// Measured pushes per history length.
const HISTORY_ROUNDS: usize = 15;

struct Args {
    events: usize,
    reps: usize,
    json: Option<PathBuf>,
    postgres: bool,
}

fn args() -> Args {
    let mut a = Args {
        events: 20_000,
        reps: 3,
        json: std::env::var_os("SITELINE_BENCH_JSON").map(PathBuf::from),
        postgres: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().unwrap_or_else(|| panic!("{name} needs a value"));
        match arg.as_str() {
            "--events" => a.events = value("--events").parse().expect("--events N"),
            "--reps" => a.reps = value("--reps").parse().expect("--reps N"),
            "--json" => a.json = Some(PathBuf::from(value("--json"))),
            "--postgres" => a.postgres = true,
            // `cargo bench` passes `--bench`; a filter may follow. Neither matters here.
            _ => {}
        }
    }
    a.events = a.events.max(PER_COMPLAINT).div_ceil(PER_COMPLAINT) * PER_COMPLAINT;
    a.reps = a.reps.max(1);
    a
}

/// A fresh in-process server on 127.0.0.1 (on `database_url`, else SQLite): its base URL and
/// the task serving it (abort it when done; the temp dir lives as long as the returned guard).
async fn start_server(
    database_url: Option<String>,
) -> (String, tokio::task::JoinHandle<()>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cfg = Config::new(dir.path().join("data"));
    cfg.dist_dir = dir.path().join("dist");
    cfg.admin_password = Some(ADMIN_PW.into());
    cfg.max_capture_age_days = 36_500;
    cfg.database_url = database_url;
    let Built { router, state, .. } = build(cfg).await.expect("server builds");
    drop(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (base, server, dir)
}

/// Pushes every batch through `POST /api/v1/sync/push` of a fresh in-process server (on
/// `database_url`, else SQLite); answers the time spent pushing.
async fn run_server(events: &[Event], batch: usize, database_url: Option<String>) -> Duration {
    let (base, server, _dir) = start_server(database_url).await;
    let http = reqwest::Client::new();
    let token = admin_token(&http, &base).await;
    let (took, accepted) = push_all(&http, &base, &token, bodies(events, batch)).await;
    assert_eq!(accepted, events.len(), "every event answered and accepted");
    server.abort();
    let _ = server.await;
    took
}

/// Inserts the same rows into `events` of a fresh database opened like the server's.
async fn run_raw_sqlite(events: &[Event], batch: usize) -> Duration {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("raw.db"))
        .await
        .expect("store opens");
    let pool = store.pool().clone();
    let now = siteline_server::now().millis();
    let start = Instant::now();
    for chunk in events.chunks(batch) {
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.expect("begin");
        for ev in chunk {
            let body = serde_json::to_string(ev).expect("json");
            let seq: Option<i64> = sqlx::query_scalar(
                "INSERT INTO events
                   (id, complaint_id, kind, author, device_id, lamport, captured_at, received_at, body)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO NOTHING
                 RETURNING seq",
            )
            .bind(ev.id.to_string())
            .bind(ev.complaint_id.to_string())
            .bind(ev.kind.code())
            .bind(&ev.author)
            .bind(ev.device_id.to_string())
            .bind(i64::try_from(ev.lamport).unwrap_or(i64::MAX))
            .bind(ev.captured_at.millis())
            .bind(now)
            .bind(body)
            .fetch_optional(&mut *tx)
            .await
            .expect("insert");
            assert!(seq.is_some(), "row stored");
        }
        tx.commit().await.expect("commit");
    }
    let took = start.elapsed();
    pool.close().await;
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn eps(events: usize, d: Duration) -> f64 {
    events as f64 / d.as_secs_f64().max(1e-9)
}

struct Row {
    batch: usize,
    server: Duration,
    raw: Duration,
    server_eps: f64,
    raw_eps: f64,
}

#[tokio::main]
async fn main() {
    let a = args();
    let events = generate(a.events / PER_COMPLAINT);
    let backend = if a.postgres { "PostgreSQL" } else { "SQLite" };
    println!(
        "ingest on {backend}: {} events ({} complaints × {PER_COMPLAINT}), {} runs each, medians",
        events.len(),
        events.len() / PER_COMPLAINT,
        a.reps
    );
    let mut rows = Vec::new();
    for batch in BATCHES {
        let (mut server, mut raw) = (Vec::new(), Vec::new());
        for rep in 0..a.reps {
            let (s, r) = if a.postgres {
                let url = postgres::database().await;
                (
                    run_server(&events, batch, Some(url)).await,
                    postgres::run_raw(&events, batch).await,
                )
            } else {
                (
                    run_server(&events, batch, None).await,
                    run_raw_sqlite(&events, batch).await,
                )
            };
            eprintln!(
                "  batch {batch:>5} run {}: server {:>8.0} ev/s, raw {:>8.0} ev/s",
                rep + 1,
                eps(events.len(), s),
                eps(events.len(), r)
            );
            server.push(s);
            raw.push(r);
        }
        let (server, raw) = (median(server), median(raw));
        rows.push(Row {
            batch,
            server,
            raw,
            server_eps: eps(events.len(), server),
            raw_eps: eps(events.len(), raw),
        });
    }
    println!();
    println!(
        "{:>6} | {:>10} | {:>12} | {:>10} | {:>12} | {:>6}",
        "batch", "server s", "server ev/s", "raw s", "raw ev/s", "ratio"
    );
    println!("{}", "-".repeat(72));
    for r in &rows {
        println!(
            "{:>6} | {:>10.3} | {:>12.0} | {:>10.3} | {:>12.0} | {:>5.1}%",
            r.batch,
            r.server.as_secs_f64(),
            r.server_eps,
            r.raw.as_secs_f64(),
            r.raw_eps,
            100.0 * r.server_eps / r.raw_eps
        );
    }
    // The tablet's order: its pending events go in logical-clock order, so each complaint's
    // five events arrive in five different pushes (each one re-projects the complaint).
    let mut logical = events.clone();
    logical.sort_by_key(|e| e.lamport);
    let mut runs = Vec::new();
    for _ in 0..a.reps {
        let url = if a.postgres {
            Some(postgres::database().await)
        } else {
            None
        };
        runs.push(run_server(&logical, 1000, url).await);
    }
    let tablet = median(runs);
    println!(
        "batch 1000 in the tablet's order (a complaint's events in 5 pushes): {:.3} s, {:.0} ev/s",
        tablet.as_secs_f64(),
        eps(events.len(), tablet)
    );
    // Scale-out: the release binary as 1 and as 2 processes on one database.
    let mut processes = Vec::new();
    if a.postgres {
        println!();
        for n in [1, 2] {
            let mut runs = Vec::new();
            for rep in 0..a.reps {
                let d = postgres::run_processes(&events, PROCESS_BATCH, n).await;
                eprintln!(
                    "  {n} process(es), batch {PROCESS_BATCH}, run {}: {:>8.0} ev/s",
                    rep + 1,
                    eps(events.len(), d)
                );
                runs.push(d);
            }
            let d = median(runs);
            println!(
                "{n} server process(es), {n} client(s), batch {PROCESS_BATCH}: {:.3} s, {:.0} ev/s",
                d.as_secs_f64(),
                eps(events.len(), d)
            );
            processes.push(serde_json::json!({
                "processes": n,
                "batch": PROCESS_BATCH,
                "secs": d.as_secs_f64(),
                "eps": eps(events.len(), d).round(),
            }));
        }
    }
    // Pulling it all back, as a fresh device does (admin: every site; supervisor: one site).
    println!();
    let pulls = run_pulls(&events, &a).await;
    // A long history costs a push no more than a short one.
    println!();
    let mut histories = Vec::new();
    for h in history::HISTORIES {
        let url = if a.postgres {
            Some(postgres::database().await)
        } else {
            None
        };
        let (base, server, _dir) = start_server(url).await;
        let d = history::run(&base, h, HISTORY_ROUNDS).await;
        server.abort();
        let _ = server.await;
        println!(
            "push of 1 note to each of {} complaints with {h:>3} stored events: {:>7.2} ms (median of {HISTORY_ROUNDS})",
            history::COMPLAINTS,
            d.as_secs_f64() * 1000.0
        );
        histories.push(serde_json::json!({
            "stored_events_each": h,
            "complaints": history::COMPLAINTS,
            "push_ms": (d.as_secs_f64() * 1e5).round() / 100.0,
        }));
    }
    if let Some(path) = a.json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "batch": r.batch,
                    "events": events.len(),
                    "runs": a.reps,
                    "server_secs": r.server.as_secs_f64(),
                    "raw_secs": r.raw.as_secs_f64(),
                    "server_eps": r.server_eps.round(),
                    "raw_eps": r.raw_eps.round(),
                    "ratio": (r.server_eps / r.raw_eps * 1000.0).round() / 1000.0,
                })
            })
            .collect();
        let doc = if a.postgres {
            serde_json::json!({ "ingest_postgres": list, "processes": processes, "history": histories, "pull_postgres": pulls, "tablet_order_eps": eps(events.len(), tablet).round() })
        } else {
            serde_json::json!({ "ingest": list, "history": histories, "pull": pulls, "tablet_order_eps": eps(events.len(), tablet).round() })
        };
        let text = serde_json::to_string_pretty(&doc).expect("json");
        std::fs::write(&path, text + "\n").expect("write --json file");
        println!("\nwrote {}", path.display());
    }
}

/// Pushes every event (batches of 1,000) to a fresh server, then pulls it all back `reps` times
/// as an admin and as a supervisor of the site, identity and brotli; prints and answers medians.
async fn run_pulls(events: &[Event], a: &Args) -> Vec<serde_json::Value> {
    let url = if a.postgres {
        Some(postgres::database().await)
    } else {
        None
    };
    let (base, server, _dir) = start_server(url).await;
    let http = reqwest::Client::new();
    let admin = admin_token(&http, &base).await;
    let (_, accepted) = push_all(&http, &base, &admin, bodies(events, 1000)).await;
    assert_eq!(
        accepted,
        events.len(),
        "every event accepted before the pull"
    );
    let supervisor = push::supervisor_token(&http, &base, &admin).await;
    let mut out = Vec::new();
    for (who, token) in [("admin", &admin), ("supervisor", &supervisor)] {
        for brotli in [false, true] {
            let mut runs = Vec::new();
            let mut last = None;
            for _ in 0..a.reps {
                let p = pull::pull_all(&http, &base, token, brotli).await;
                // Every pushed event comes back, plus one number event per complaint.
                let want = events.len() + events.len() / PER_COMPLAINT;
                assert_eq!(p.events, want, "{who} pulls every event");
                runs.push(p.took);
                last = Some(p);
            }
            let took = median(runs);
            let bytes = last.map_or(0, |p| p.bytes);
            let n = events.len() + events.len() / PER_COMPLAINT;
            let enc = if brotli { "br" } else { "identity" };
            println!(
                "pull {n} events as {who:<10} ({enc:<8}): {:>7.3} s, {:>8.0} ev/s, {:>6.2} MiB",
                took.as_secs_f64(),
                eps(n, took),
                bytes as f64 / 1_048_576.0
            );
            out.push(serde_json::json!({
                "reader": who,
                "encoding": enc,
                "events": n,
                "secs": took.as_secs_f64(),
                "eps": eps(n, took).round(),
                "bytes": bytes,
            }));
        }
    }
    server.abort();
    let _ = server.await;
    out
}
