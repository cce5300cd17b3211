//! Benchmark: events/s through the real HTTP push endpoint vs a raw batched SQLite insert of the same rows.
//!
//! `cargo bench -p siteline-server --bench ingest [-- --events N] [--reps N] [--json FILE]`
//! (or `SITELINE_BENCH_JSON=FILE`). Complaints of 5 legal events (created, dispatched,
//! accepted, started, handled) are pushed by an admin (who may relay others' events) in batches
//! of 100 and 1,000 to a fresh in-process server on 127.0.0.1; every event must be accepted.
//! The raw baseline opens a fresh database the way the server does (same pragmas, migrations)
//! and inserts the same rows into `events` in `BEGIN IMMEDIATE` transactions of the same size.

use siteline_model::sync::{PushRequest, PushResponse, PushResult, SCHEMA_VERSION};
use siteline_model::time::days_from_civil;
use siteline_model::{
    Channel, Complainant, ComplaintId, DeviceId, Event, EventId, EventKind, NewComplaint, Severity,
    Timestamp,
};
use siteline_server::store::SqliteStore;
use siteline_server::{build, Built, Config};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const ADMIN_PW: &str = "bench-admin-password";
const BATCHES: [usize; 2] = [100, 1000];
const PER_COMPLAINT: usize = 5;

struct Args {
    events: usize,
    reps: usize,
    json: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        events: 20_000,
        reps: 3,
        json: std::env::var_os("SITELINE_BENCH_JSON").map(PathBuf::from),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().unwrap_or_else(|| panic!("{name} needs a value"));
        match arg.as_str() {
            "--events" => a.events = value("--events").parse().expect("--events N"),
            "--reps" => a.reps = value("--reps").parse().expect("--reps N"),
            "--json" => a.json = Some(PathBuf::from(value("--json"))),
            // `cargo bench` passes `--bench`; a filter may follow. Neither matters here.
            _ => {}
        }
    }
    a.events = a.events.max(PER_COMPLAINT).div_ceil(PER_COMPLAINT) * PER_COMPLAINT;
    a.reps = a.reps.max(1);
    a
}

/// Distinct, deterministic ids: the counter in the random bits, so runs never collide.
fn rnd(n: &mut u64) -> [u8; 10] {
    *n += 1;
    let mut r = [0u8; 10];
    r[2..].copy_from_slice(&n.to_be_bytes());
    r
}

/// `complaints` complaints × 5 events, complaint by complaint, each a legal sequence.
fn generate(complaints: usize) -> Vec<Event> {
    let t0 = days_from_civil(2026, 3, 2) * 86_400_000 + 2 * 3_600_000;
    let mut n = 0u64;
    let staff = DeviceId::new_v7(t0, rnd(&mut n));
    let handler = DeviceId::new_v7(t0, rnd(&mut n));
    let mut out = Vec::with_capacity(complaints * PER_COMPLAINT);
    for i in 0..complaints {
        // A minute apart; distinct phone and place, so no complaint is another's 二次投诉.
        let at = t0 + i as i64 * 60_000;
        let cid = ComplaintId::new_v7(at, rnd(&mut n));
        let mut ev = |lamport: u64, minutes: i64, author: &str, device, kind| Event {
            id: EventId::new_v7(at + minutes * 60_000, rnd(&mut n)),
            complaint_id: cid,
            device_id: device,
            author: String::from(author),
            captured_at: Timestamp(at + minutes * 60_000),
            lamport,
            kind,
        };
        out.push(ev(
            1,
            0,
            "zhang",
            staff,
            EventKind::Created(NewComplaint {
                provisional_number: format!("P-{}-{:04}", staff.short(), i % 10_000),
                description: format!("电梯异响，第 {i} 次测试投诉"),
                location: format!("{}栋 › {}F › {}室", i % 20 + 1, i % 30 + 1, i),
                category: "facility.lift".into(),
                severity: Severity::Important,
                channel: Channel::Phone,
                complainant: Complainant {
                    name: Some("王女士".into()),
                    phone: Some(format!("138{:08}", i)),
                    ..Default::default()
                },
                ..Default::default()
            }),
        ));
        let dispatch = EventKind::Dispatched {
            department: "engineering".into(),
            instructions: "尽快处理".into(),
        };
        out.push(ev(3, 5, "zhang", staff, dispatch));
        out.push(ev(4, 8, "wang", handler, EventKind::Accepted));
        out.push(ev(5, 20, "wang", handler, EventKind::Started));
        let handled = EventKind::Handled {
            remedial: "更换导轮".into(),
            corrective: "加入月度保养清单".into(),
        };
        out.push(ev(6, 90, "wang", handler, handled));
    }
    out
}

/// Pushes every batch through `POST /api/v1/sync/push` of a fresh server; answers the time spent
/// pushing (request bodies are serialized beforehand, answers checked afterwards).
async fn run_server(events: &[Event], batch: usize) -> Duration {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cfg = Config::new(dir.path().join("data"));
    cfg.dist_dir = dir.path().join("dist");
    cfg.admin_password = Some(ADMIN_PW.into());
    cfg.max_capture_age_days = 36_500;
    let Built { router, state, .. } = build(cfg).await.expect("server builds");
    drop(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let http = reqwest::Client::new();
    let login: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "username": "admin", "password": ADMIN_PW }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login json");
    let token = login["token"].as_str().expect("token").to_string();
    let bodies: Vec<Vec<u8>> = events
        .chunks(batch)
        .map(|chunk| {
            let req = PushRequest {
                schema_version: SCHEMA_VERSION,
                events: chunk.to_vec(),
            };
            serde_json::to_vec(&req).expect("json")
        })
        .collect();
    let url = format!("{base}/api/v1/sync/push");
    let mut answers = Vec::with_capacity(bodies.len());
    let start = Instant::now();
    for body in bodies {
        let res = http
            .post(&url)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("push");
        let status = res.status();
        let bytes = res.bytes().await.expect("push answer");
        assert!(status.is_success(), "push: {status} {bytes:?}");
        answers.push(bytes);
    }
    let took = start.elapsed();
    let mut accepted = 0;
    for bytes in &answers {
        let r: PushResponse = serde_json::from_slice(bytes).expect("push response");
        for o in r.results {
            match o.result {
                PushResult::Accepted { .. } => accepted += 1,
                PushResult::Rejected { code, message } => {
                    panic!("event {} rejected: {code}: {message}", o.id)
                }
            }
        }
    }
    assert_eq!(accepted, events.len(), "every event answered and accepted");
    server.abort();
    let _ = server.await;
    took
}

/// Inserts the same rows into `events` of a fresh database opened like the server's.
async fn run_raw(events: &[Event], batch: usize) -> Duration {
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
    println!(
        "ingest: {} events ({} complaints × {PER_COMPLAINT}), {} runs each, medians",
        events.len(),
        events.len() / PER_COMPLAINT,
        a.reps
    );
    let mut rows = Vec::new();
    for batch in BATCHES {
        let (mut server, mut raw) = (Vec::new(), Vec::new());
        for rep in 0..a.reps {
            let s = run_server(&events, batch).await;
            let r = run_raw(&events, batch).await;
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
        let doc = serde_json::json!({ "ingest": list });
        let text = serde_json::to_string_pretty(&doc).expect("json");
        std::fs::write(&path, text + "\n").expect("write --json file");
        println!("\nwrote {}", path.display());
    }
}
