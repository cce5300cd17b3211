//! Moving a SQLite data directory to PostgreSQL (`siteline-server migrate`): every row copied
//! with its ids and seqs, twice without doubling anything, and a server on PostgreSQL then
//! carries on where the SQLite one stopped — same logins, complaints, cursors and numbering.

use crate::common::*;
use siteline_model::sync::PushResult;
use siteline_model::Timestamp;
use siteline_server::store::postgres::scratch;
use std::process::Command;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_directory_moves_to_postgres_and_carries_on() {
    // A SQLite server with users, complaints, numbers and a share.
    let before = start_with(|c| c.database_url = None).await;
    let staff = before.user("zhang", "staff").await;
    let sup = before.user("li", "supervisor").await;
    let d = device();
    let a = created("zhang", d, "电梯异响", t2026());
    let b = created("zhang", d, "车库漏水", Timestamp(t2026().millis() + 60_000));
    let n = note(&a, "已派维保");
    before.push(&staff, &[a.clone(), b.clone(), n]).await;
    let share = serde_json::json!({"from": "2026-01", "to": "2026-07", "period": "month"});
    let (st, _) = before
        .send(reqwest::Method::POST, &sup, "/api/v1/shares", Some(&share))
        .await;
    assert_eq!(st, 201);
    let events = before.pull_all(&sup, 100).await;
    let (_, list) = before.get(&sup, "/api/v1/complaints").await;
    let data = before.dir.path().join("data");

    // Copied, then copied again: the second run writes nothing and the counts still agree.
    let url = scratch::scratch_database(&scratch::test_server_url(), "siteline_m")
        .await
        .expect("PostgreSQL for the migration test");
    let first = siteline_server::migrate::migrate(&data, &url)
        .await
        .expect("migrate");
    let copied = |t: &str| first.iter().find(|c| c.0 == t).map(|c| (c.1, c.2));
    assert_eq!(
        copied("events"),
        Some((events.len() as u64, events.len() as u64))
    );
    assert_eq!(copied("complaints"), Some((2, 2)));
    assert_eq!(copied("shares"), Some((1, 1)));
    let out = Command::new(env!("CARGO_BIN_EXE_siteline-server"))
        .args(["migrate", "--from"])
        .arg(&data)
        .args(["--to", &url])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(&format!("events: {} rows (0 copied now)", events.len())),
        "{text}"
    );

    // A PostgreSQL server on the same data directory answers as the SQLite one did.
    let data_dir = data.clone();
    let after = start_with(move |c| {
        c.database_url = Some(url);
        c.data_dir = data_dir;
    })
    .await;
    let sup2 = after.login("li", STAFF_PW).await;
    assert_eq!(
        after.pull_all(&sup2, 100).await,
        events,
        "the same events, seqs and cursor"
    );
    let (_, list2) = after.get(&sup2, "/api/v1/complaints").await;
    assert_eq!(list2, list);
    let (_, shares) = after.get(&sup2, "/api/v1/shares").await;
    assert_eq!(shares.as_array().map(Vec::len), Some(1));
    // New work continues the seqs and the numbering.
    let staff2 = after.login("zhang", STAFF_PW).await;
    let c = created(
        "zhang",
        d,
        "路灯不亮",
        Timestamp(t2026().millis() + 120_000),
    );
    let r = after.push(&staff2, std::slice::from_ref(&c)).await;
    let last = events.iter().map(|e| e.seq).max().unwrap_or(0);
    assert!(
        matches!(r.results[0].result, PushResult::Accepted { seq, .. } if seq > last),
        "{r:?}"
    );
    let detail = after.detail(&staff2, c.complaint_id).await;
    assert_eq!(detail["number"], "SL-2026-000003", "{detail}");
}
