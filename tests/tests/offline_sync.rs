//! Offline capture end to end: three complaints entered with the server down survive a browser
//! restart, sync by themselves when the server returns, and reach a supervisor's board exactly once.

use siteline_e2e::{Browser, NewComplaint, TestServer};
use std::collections::BTreeSet;
use std::time::Duration;

const STAFF: (&str, &str) = ("staff1", "staff1-e2e-pass");
const SUPERVISOR: (&str, &str) = ("super1", "super1-e2e-pass");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complaints_captured_offline_sync_after_restart_and_reach_the_board_once() {
    // 1. Online: log in as staff and wait until the app shell is cached for offline use.
    let mut server = TestServer::launch().await;
    server.create_user(STAFF.0, STAFF.1, "staff").await;
    server
        .create_user(SUPERVISOR.0, SUPERVISOR.1, "supervisor")
        .await;
    let base = server.base_url().to_string();

    let mut a = Browser::launch("offline_sync-A").await;
    a.log_in(&base, STAFF.0, STAFF.1).await;
    a.wait_offline_ready(Duration::from_secs(60)).await;

    // 2. Server down: a reload must come from the service worker.
    server.stop().await;
    a.refresh().await;
    a.wait_pending(0, Duration::from_secs(30)).await;

    // 3. Capture three complaints offline.
    let mut ids = Vec::new();
    for n in 1..=3 {
        let id = a.create_complaint(&base, &NewComplaint::sample(n)).await;
        assert!(!ids.contains(&id), "complaint #{n} reused id {id}");
        ids.push(id);
    }
    a.wait_pending(3, Duration::from_secs(30)).await;

    // 4. Quit the browser; a new one on the same profile still holds the three unsynced records.
    a.close_session().await;
    a.open_session().await;
    a.goto(&format!("{base}/")).await;
    a.wait_pending(3, Duration::from_secs(30)).await;

    // 5. Server back (same port, same data): the outbox drains without user action.
    server.start().await;
    a.wait_pending(0, Duration::from_secs(90)).await;

    // 6. A supervisor on another device sees each complaint exactly once.
    let want: BTreeSet<String> = ids.iter().cloned().collect();
    let b = Browser::launch("offline_sync-B").await;
    b.log_in(&base, SUPERVISOR.0, SUPERVISOR.1).await;
    b.goto(&format!("{base}/board")).await;
    b.wait_board_ids(&want, Duration::from_secs(30)).await;

    let mut on_server = server.complaint_ids().await;
    on_server.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(
        on_server, expected,
        "GET /api/v1/complaints must hold exactly the three ids"
    );
}
