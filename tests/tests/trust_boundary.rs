//! Sites in the browser: a staff of site A and a staff of site B on two tablets each see only
//! their own site; a supervisor of both, on the same tablet as A after a hand-over, sees both;
//! a disabled user is logged out at the next sync and their unsynced record stays on the device.

use serde_json::json;
use siteline_e2e::{Browser, NewComplaint, TestServer};
use std::collections::BTreeSet;
use std::time::Duration;

const T: Duration = Duration::from_secs(60);
const ROW: &str = "[data-testid=\"complaint-row\"]";

/// Waits for a sync that ends after now (the app stores the end of each successful sync).
async fn synced_again(t: &Browser) {
    let before = t
        .js("return localStorage.getItem('siteline.last-sync');", vec![])
        .await
        .unwrap_or_default();
    t.click("[data-testid=\"sync-now\"]").await;
    t.wait_for(
        || async {
            let now = t
                .js("return localStorage.getItem('siteline.last-sync');", vec![])
                .await?;
            if now != before && !now.is_null() {
                Ok(())
            } else {
                Err(format!("last sync still {now}"))
            }
        },
        T,
        "a new sync",
    )
    .await;
}

/// Waits until the register list at `/` shows exactly `want`.
async fn wait_listed(t: &Browser, base: &str, want: &BTreeSet<String>) {
    t.goto(&format!("{base}/")).await;
    t.wait_for(
        || async {
            let seen: BTreeSet<String> = t
                .attrs(ROW, "data-id")
                .await?
                .into_iter()
                .flatten()
                .collect();
            if &seen == want {
                Ok(())
            } else {
                Err(format!("listed {seen:?}"))
            }
        },
        T,
        "the register list",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_site_on_its_own_tablet_a_supervisor_of_both_and_a_disabled_user() {
    let server = TestServer::launch().await;
    server.create_site("B", "二期").await;
    let sites = server
        .get_json("/api/v1/sites", &server.admin_token().await)
        .await;
    let default = sites[0]["code"].as_str().expect("default site").to_string();
    server
        .create_user_at("staff_a", "staff-a-e2e-pass", "staff", &[&default])
        .await;
    server
        .create_user_at("staff_b", "staff-b-e2e-pass", "staff", &["B"])
        .await;
    server
        .create_user_at("sup_ab", "sup-ab-e2e-pass", "supervisor", &[&default, "B"])
        .await;
    let base = server.base_url().to_string();

    let a = Browser::launch("site-a").await;
    a.log_in(&base, "staff_a", "staff-a-e2e-pass").await;
    let id_a = a.create_complaint(&base, &NewComplaint::sample(1)).await;
    a.wait_pending(0, T).await;
    let b = Browser::launch("site-b").await;
    b.log_in(&base, "staff_b", "staff-b-e2e-pass").await;
    let id_b = b.create_complaint(&base, &NewComplaint::sample(2)).await;
    b.wait_pending(0, T).await;

    // Each tablet syncs again after both were stored: neither holds the other site's record.
    synced_again(&a).await;
    synced_again(&b).await;
    wait_listed(&a, &base, &BTreeSet::from([id_a.clone()])).await;
    wait_listed(&b, &base, &BTreeSet::from([id_b.clone()])).await;
    assert!(
        a.holds_complaint(&id_a).await,
        "site A's tablet holds its own record"
    );
    assert!(
        !a.holds_complaint(&id_b).await,
        "site A's tablet never receives site B's record"
    );
    assert!(
        !b.holds_complaint(&id_a).await,
        "site B's tablet never receives site A's record"
    );

    // Hand-over on tablet A to a supervisor of both sites: the board shows both.
    a.click("[data-testid=\"logout\"]").await;
    a.log_in(&base, "sup_ab", "sup-ab-e2e-pass").await;
    a.goto(&format!("{base}/board")).await;
    a.wait_board_ids(&BTreeSet::from([id_a.clone(), id_b.clone()]), T)
        .await;

    // staff_b is disabled; a record saved on tablet B before it knows stays there, and the next
    // sync logs them out.
    server
        .patch_user("staff_b", json!({ "disabled": true }))
        .await;
    b.create_complaint(&base, &NewComplaint::sample(3)).await;
    b.wait_present("[data-testid=\"session-expired\"]", T).await;
    assert_eq!(b.text("[data-testid=\"pending-count\"]").await, "1");
    assert_eq!(
        server.complaint_ids().await.len(),
        2,
        "the disabled user's record was not taken"
    );
}
