//! The device window in the browser: a tablet keeps open complaints and those finished within
//! 90 days; one finished longer ago stays on the server, is found by the history search, and
//! opening it fetches it on demand (shown as history from the server, then cached on the
//! tablet).

use serde_json::{json, Value};
use siteline_e2e::{Browser, TestServer};
use siteline_model::sync::{PushRequest, SCHEMA_VERSION};
use siteline_model::{
    Channel, ComplaintId, DeviceId, Event, EventId, EventKind, NewComplaint, Severity, Timestamp,
};
use std::time::Duration;

const T: Duration = Duration::from_secs(60);
const ROW: &str = "[data-testid=\"complaint-row\"]";
const USER: (&str, &str) = ("win_staff", "win-staff-e2e-pass");

fn event(cid: ComplaintId, n: u8, lamport: u64, kind: EventKind, now: i64) -> Event {
    Event {
        id: EventId::new_v7(now, [n, lamport as u8, 3, 4, 5, 6, 7, 8, 9, 10]),
        complaint_id: cid,
        device_id: DeviceId::new_v7(now, [0x77; 10]),
        author: USER.0.into(),
        captured_at: Timestamp(now),
        lamport,
        kind,
    }
}

fn created(site: &str, what: &str) -> EventKind {
    EventKind::Created(Box::new(NewComplaint {
        provisional_number: format!("P-{what}"),
        description: format!("{what}：地下车库漏水"),
        location: format!("3号楼 B2-{what}"),
        category: "facility.water".into(),
        site: site.into(),
        severity: Severity::Minor,
        channel: Channel::Visit,
        ..Default::default()
    }))
}

/// A server holding one complaint withdrawn 100 days ago (by its workflow clock) and one still
/// open, both of `USER`'s site: (server, the old one, the open one).
async fn seeded() -> (TestServer, ComplaintId, ComplaintId) {
    let mut server = TestServer::launch().await;
    let admin = server.admin_token().await;
    let sites = server.get_json("/api/v1/sites", &admin).await;
    let site = sites[0]["code"].as_str().expect("default site").to_string();
    server
        .create_user_at(USER.0, USER.1, "staff", &[&site])
        .await;
    let token = server.login(USER.0, USER.1).await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64;
    let old = ComplaintId::new_v7(now, [1; 10]);
    let open = ComplaintId::new_v7(now, [2; 10]);
    let events = vec![
        event(old, 1, 1, created(&site, "旧"), now),
        event(
            old,
            1,
            2,
            EventKind::Withdrawn {
                reason: "业主撤回".into(),
                voluntary: true,
            },
            now,
        ),
        event(open, 2, 3, created(&site, "未结"), now),
    ];
    let body = PushRequest {
        schema_version: SCHEMA_VERSION,
        events,
    };
    let answer = server
        .post_json(
            "/api/v1/sync/push",
            &token,
            serde_json::to_value(&body).expect("json"),
        )
        .await;
    let results = answer["results"].as_array().expect("results");
    assert!(
        results.iter().all(|r| r["status"] == json!("accepted")),
        "{answer}"
    );

    // A hundred days on (the server's workflow clock): the withdrawn one is past the window.
    server.stop().await;
    server.set_env("SITELINE_NOW_OFFSET_SECS", &(100 * 86_400).to_string());
    server.start().await;
    (server, old, open)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_finished_before_the_window_is_fetched_when_opened() {
    let (server, old, open) = seeded().await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64;
    let base = server.base_url().to_string();

    let t = Browser::launch("device-window").await;
    t.log_in(&base, USER.0, USER.1).await;
    t.wait_pending(0, T).await;
    t.goto(&format!("{base}/")).await;
    t.wait_for(
        || async {
            let ids: Vec<Option<String>> = t.attrs(ROW, "data-id").await?;
            let ids: Vec<String> = ids.into_iter().flatten().collect();
            if ids == vec![open.to_string()] {
                Ok(())
            } else {
                Err(format!("listed {ids:?}"))
            }
        },
        T,
        "the open complaint listed, and only it",
    )
    .await;
    assert!(t.holds_complaint(&open.to_string()).await);
    assert!(
        !t.holds_complaint(&old.to_string()).await,
        "the complaint finished 100 days ago is not pulled"
    );

    // Found on the server from the list's link to the history search, marked as not on this
    // tablet; opened from there: fetched, shown, and cached.
    t.click("[data-testid=\"open-history\"]").await;
    t.wait_path("/history", T).await;
    t.fill("history_q", "旧：地下车库").await;
    t.click(".history-search button[type=\"submit\"]").await;
    let found = format!("[data-testid=\"history-result\"][data-id=\"{old}\"] a");
    t.wait_present(&found, T).await;
    let results = t.attrs("[data-testid=\"history-result\"]", "data-id").await;
    assert_eq!(
        results,
        Ok(vec![Some(old.to_string())]),
        "only the matching complaint is found"
    );
    t.save_screen("device-window-search").await;
    t.click(&found).await;
    t.wait_present("[data-testid=\"from-server\"]", T).await;
    let detail: Value = t
        .js(
            "const d = document.querySelector('[data-testid=\"complaint-detail\"]'); \
             const s = document.querySelector('[data-testid=\"status\"]'); \
             return [d && d.dataset.id, s && s.dataset.status];",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("reading the detail: {e}"));
    assert_eq!(detail, json!([old.to_string(), "withdrawn"]));
    t.save_screen("device-window-fetched").await;
    assert!(
        t.holds_complaint(&old.to_string()).await,
        "the fetched history is cached on the tablet"
    );

    // An id the server does not know: said so, not an endless fetch.
    let unknown = ComplaintId::new_v7(now, [3; 10]);
    t.goto(&format!("{base}/complaints/{unknown}")).await;
    t.wait_present("[data-testid=\"not-found\"]", T).await;
}

/// Waits until the tablet holds (or no longer holds) `complaint` in IndexedDB.
async fn wait_held(t: &Browser, complaint: ComplaintId, held: bool, what: &str) {
    t.wait_for(
        || async {
            if t.holds_complaint(&complaint.to_string()).await == held {
                Ok(())
            } else {
                Err(format!("held is not {held} yet"))
            }
        },
        T,
        what,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wider_window_set_on_the_tablet_brings_older_history_and_a_narrower_drops_it() {
    let (server, old, open) = seeded().await;
    let base = server.base_url().to_string();
    let t = Browser::launch("device-window-setting").await;
    t.log_in(&base, USER.0, USER.1).await;
    t.wait_pending(0, T).await;
    wait_held(&t, open, true, "the open complaint pulled").await;
    assert!(!t.holds_complaint(&old.to_string()).await);

    t.goto(&format!("{base}/status")).await;
    t.wait_present(
        "[data-testid=\"device-window\"] select[data-days=\"90\"]",
        T,
    )
    .await;
    t.select("device_window", "365").await;
    wait_held(
        &t,
        old,
        true,
        "a year's window pulls the one withdrawn 100 days ago",
    )
    .await;
    t.save_screen("device-window-setting").await;

    // Kept across a reload (stored with the device's pull cursor).
    t.refresh().await;
    t.wait_present(
        "[data-testid=\"device-window\"] select[data-days=\"365\"]",
        T,
    )
    .await;
    t.select("device_window", "30").await;
    wait_held(&t, old, false, "a month's window drops it at the next sync").await;
    assert!(
        t.holds_complaint(&open.to_string()).await,
        "open complaints always stay"
    );
}
