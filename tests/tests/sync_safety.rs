//! The outbox never loses or duplicates: a tab closed mid-sync, an expired token, a rejected record,
//! and two staff sharing one tablet.

use siteline_e2e::inject::pending_complaints;
use siteline_e2e::{Browser, TestServer};
use std::collections::BTreeSet;
use std::time::Duration;

const T: Duration = Duration::from_secs(60);

/// Every event id pulled from the server, asserting none appears twice.
async fn server_event_ids(server: &TestServer, token: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut after = 0u64;
    loop {
        let page = server
            .get_json(&format!("/api/v1/sync/pull?after={after}&limit=500"), token)
            .await;
        for e in page["events"].as_array().expect("events") {
            let id = e["event"]["id"].as_str().expect("id").to_string();
            assert!(ids.insert(id.clone()), "event {id} pulled twice");
        }
        after = page["next_cursor"].as_u64().expect("cursor");
        if !page["has_more"].as_bool().unwrap_or(false) {
            return ids;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tab_closed_in_the_middle_of_syncing_200_records_then_everything_arrives_once() {
    let mut server = TestServer::launch().await;
    server
        .create_user("staff1", "staff1-e2e-pass", "staff")
        .await;
    let base = server.base_url().to_string();
    let mut a = Browser::launch("sync-200").await;
    a.log_in(&base, "staff1", "staff1-e2e-pass").await;
    a.wait_offline_ready(T).await;
    server.stop().await;
    let records = pending_complaints("staff1", 200, "facility.lighting");
    a.inject_events(&records).await;
    a.refresh().await;
    a.wait_pending(200, T).await;

    server.start().await;
    // Close the tab as soon as the first batch is acknowledged (fewer than 200 unsynced).
    a.wait_for(
        || async {
            let n: usize = a
                .try_text("[data-testid=\"pending-count\"]")
                .await?
                .parse()
                .map_err(|e| format!("{e}"))?;
            if n < 200 {
                Ok(())
            } else {
                Err(format!("{n} pending"))
            }
        },
        Duration::from_secs(90),
        "the first batch acknowledged",
    )
    .await;
    a.close_session().await;
    a.open_session().await;
    a.goto(&format!("{base}/")).await;
    a.wait_pending(0, Duration::from_secs(120)).await;

    let token = server.admin_token().await;
    let ids = server_event_ids(&server, &token).await;
    for r in &records {
        assert!(ids.contains(&r.event.id.to_string()), "lost {}", r.event.id);
    }
    // 200 created + 200 numbers assigned, nothing else, nothing twice.
    assert_eq!(ids.len(), 400);
    assert_eq!(server.complaint_ids().await.len(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_keeps_the_queue_and_after_login_the_rest_syncs() {
    let mut server = TestServer::launch_env(&[("SITELINE_TOKEN_TTL_SECS", "20")]).await;
    server
        .create_user("staff1", "staff1-e2e-pass", "staff")
        .await;
    let base = server.base_url().to_string();
    let a = Browser::launch("sync-expired").await;
    a.log_in(&base, "staff1", "staff1-e2e-pass").await;
    a.wait_offline_ready(T).await;
    server.stop().await;
    a.inject_events(&pending_complaints("staff1", 3, "service.noise"))
        .await;
    a.refresh().await;
    a.wait_pending(3, T).await;
    // Wait (on the token's own expiry time, not a fixed sleep) until the token is dead.
    a.wait_for(
        || async {
            let v = a.js("const s = JSON.parse(localStorage.getItem('siteline.session') || 'null'); return s ? Date.now() - s.expires_at : null;", vec![]).await?;
            match v.as_f64() {
                Some(past) if past > 0.0 => Ok(()),
                other => Err(format!("token expires in {other:?} ms")),
            }
        },
        Duration::from_secs(60),
        "the token to expire",
    )
    .await;
    server.start().await;
    // The app keeps the 3 records and asks for a new login.
    a.wait_present("[data-testid=\"session-expired\"]", Duration::from_secs(90))
        .await;
    assert_eq!(a.text("[data-testid=\"pending-count\"]").await, "3");
    a.goto(&format!("{base}/login")).await;
    a.fill("username", "staff1").await;
    a.fill("password", "staff1-e2e-pass").await;
    a.click("button[type=\"submit\"]").await;
    a.wait_pending(0, Duration::from_secs(90)).await;
    assert_eq!(server.complaint_ids().await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_the_server_rejects_does_not_block_the_others() {
    let mut server = TestServer::launch().await;
    server
        .create_user("staff1", "staff1-e2e-pass", "staff")
        .await;
    let base = server.base_url().to_string();
    let a = Browser::launch("sync-rejected").await;
    a.log_in(&base, "staff1", "staff1-e2e-pass").await;
    a.wait_offline_ready(T).await;
    server.stop().await;
    // One record with a site category the server does not have, then good ones through the UI.
    let bad = pending_complaints("staff1", 1, "custom.no_such_category");
    let bad_id = bad[0].event.complaint_id.to_string();
    a.inject_events(&bad).await;
    a.refresh().await;
    a.wait_pending(1, T).await;
    let good = a
        .create_complaint(&base, &siteline_e2e::NewComplaint::sample(7))
        .await;
    a.wait_pending(2, T).await;

    server.start().await;
    a.wait_pending(0, Duration::from_secs(90)).await;
    assert_eq!(
        server.complaint_ids().await,
        vec![good.clone()],
        "the good record arrived, the bad one did not"
    );
    a.goto(&format!("{base}/complaints/{bad_id}")).await;
    a.wait_present("[data-sync-state=\"rejected\"]", T).await;
    let reason = a.text("[data-testid=\"rejected-reason\"]").await;
    assert!(!reason.trim().is_empty(), "the rejection reason is shown");
    // Still on the device, not silently dropped.
    a.wait_present("[data-testid=\"discard-record\"]", T).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_staff_on_one_tablet_all_records_arrive_with_their_authors() {
    let mut server = TestServer::launch().await;
    server
        .create_user("staff_a", "staff-a-e2e-pass", "staff")
        .await;
    server
        .create_user("staff_b", "staff-b-e2e-pass", "staff")
        .await;
    let base = server.base_url().to_string();
    let t = Browser::launch("shared-tablet").await;
    // Both have logged in on this tablet before the shift.
    t.log_in(&base, "staff_b", "staff-b-e2e-pass").await;
    t.click("[data-testid=\"logout\"]").await;
    t.log_in(&base, "staff_a", "staff-a-e2e-pass").await;
    t.wait_offline_ready(T).await;
    server.stop().await;

    // A works offline, hands over; B logs in offline and works.
    let mut mine = Vec::new();
    for n in 1..=2 {
        mine.push(
            t.create_complaint(&base, &siteline_e2e::NewComplaint::sample(n))
                .await,
        );
    }
    t.wait_pending(2, T).await;
    t.click("[data-testid=\"logout\"]").await;
    t.wait_path("/login", T).await;
    t.fill("username", "staff_b").await;
    t.fill("password", "staff-b-e2e-pass").await;
    t.click("button[type=\"submit\"]").await;
    t.wait_path("/", T).await;
    let mut theirs = Vec::new();
    for n in 3..=4 {
        theirs.push(
            t.create_complaint(&base, &siteline_e2e::NewComplaint::sample(n))
                .await,
        );
    }
    t.wait_pending(4, T).await;

    server.start().await;
    t.wait_pending(0, Duration::from_secs(90)).await;
    let token = server.admin_token().await;
    let list = server.get_json("/api/v1/complaints", &token).await;
    let rows = list.as_array().expect("list");
    assert_eq!(rows.len(), 4);
    for row in rows {
        let id = row["id"].as_str().expect("id").to_string();
        let want = if mine.contains(&id) {
            "staff_a"
        } else {
            assert!(theirs.contains(&id));
            "staff_b"
        };
        assert_eq!(row["created_by"], want, "{row}");
    }
}
