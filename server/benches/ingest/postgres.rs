//! The PostgreSQL half (`--postgres`): the in-process server on a new database vs a raw batched
//! insert of the same rows into a new database migrated like the server's, and the release
//! server binary as 1 and as 2 processes on one database, each fed by its own client.

use crate::push::{admin_token, bodies, push_all, ADMIN_PW};
use siteline_model::Event;
use siteline_server::store::postgres::scratch;
use siteline_server::store::PgStore;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A new database on the benchmark's PostgreSQL server.
pub async fn database() -> String {
    scratch::scratch_database(&scratch::test_server_url(), "siteline_bench")
        .await
        .expect("the PostgreSQL benchmark needs SITELINE_TEST_POSTGRES (default 127.0.0.1:5432)")
}

/// Inserts the same rows into `events` of a new database, in transactions of `batch` rows.
pub async fn run_raw(events: &[Event], batch: usize) -> Duration {
    let store = PgStore::open(&database().await, 4)
        .await
        .expect("store opens");
    let pool = store.pool().clone();
    let now = siteline_server::now().millis();
    let start = Instant::now();
    for chunk in events.chunks(batch) {
        let mut tx = pool.begin().await.expect("begin");
        for ev in chunk {
            let body = serde_json::to_string(ev).expect("json");
            let seq: Option<i64> = sqlx::query_scalar(
                "INSERT INTO events
                   (id, complaint_id, kind, author, device_id, lamport, captured_at, received_at, body)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
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

/// One started server process; killed when dropped.
struct Process {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server_bin() -> std::path::PathBuf {
    if let Some(bin) = std::env::var_os("SITELINE_SERVER_BIN") {
        return bin.into();
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let bin = target.join("release").join("siteline-server");
    assert!(
        bin.is_file(),
        "{} missing: cargo build --release -p siteline-server",
        bin.display()
    );
    bin
}

async fn spawn(url: &str) -> Process {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new(server_bin())
        .env("SITELINE_ADDR", format!("127.0.0.1:{port}"))
        .env("SITELINE_DATA", dir.path().join("data"))
        .env("SITELINE_DIST", dir.path().join("dist"))
        .env("SITELINE_DATABASE_URL", url)
        .env("SITELINE_ADMIN_PASSWORD", ADMIN_PW)
        .env("SITELINE_MAX_CAPTURE_AGE_DAYS", "36500")
        .env("RUST_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("start the server");
    let base = format!("http://127.0.0.1:{port}");
    let p = Process {
        child,
        base,
        _dir: dir,
    };
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let up = http
            .get(format!("{}/api/health", p.base))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if up {
            return p;
        }
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `n` server processes on one new database; the batches dealt round-robin to `n` clients,
/// client `i` pushing to process `i`, all at once. Answers the wall time of the pushes.
pub async fn run_processes(events: &[Event], batch: usize, n: usize) -> Duration {
    let url = database().await;
    // The first starts alone (it bootstraps the database), then the others.
    let mut procs = vec![spawn(&url).await];
    for _ in 1..n {
        procs.push(spawn(&url).await);
    }
    let http = reqwest::Client::new();
    let mut shares: Vec<Vec<Vec<u8>>> = vec![Vec::new(); n];
    for (i, body) in bodies(events, batch).into_iter().enumerate() {
        shares[i % n].push(body);
    }
    let mut clients = Vec::new();
    for (p, share) in procs.iter().zip(shares) {
        let token = admin_token(&http, &p.base).await;
        let (http, base) = (http.clone(), p.base.clone());
        clients.push(async move { push_all(&http, &base, &token, share).await });
    }
    let start = Instant::now();
    let results = futures_join_all(clients).await;
    let took = start.elapsed();
    let accepted: usize = results.iter().map(|(_, a)| a).sum();
    assert_eq!(accepted, events.len(), "every event accepted");
    drop(procs);
    took
}

/// Runs the futures at once on this runtime (spawned, so they use both cores).
async fn futures_join_all<F, T>(futures: Vec<F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.expect("client task"));
    }
    out
}
