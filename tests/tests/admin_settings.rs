//! `/admin` site settings in the browser (zh-CN): an admin changes a site's time limits and
//! working hours, adds a make-up working day and removes it, adds a site category, and a bad
//! value is refused on the page without reaching the server.

use serde_json::Value;
use siteline_e2e::{Browser, TestServer};
use std::time::Duration;

const T: Duration = Duration::from_secs(60);

/// Waits until the server's first site satisfies `check` (answers what it saw otherwise).
async fn site_shows(
    t: &Browser,
    server: &TestServer,
    token: &str,
    what: &str,
    check: fn(&Value) -> bool,
) {
    t.wait_for(
        || async {
            let sites = server.get_json("/api/v1/sites", token).await;
            let site = sites.get(0).cloned().unwrap_or_default();
            if check(&site) {
                Ok(())
            } else {
                Err(format!("site is {site}"))
            }
        },
        T,
        what,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_edits_policy_hours_days_and_categories_of_a_site() {
    let server = TestServer::launch().await;
    server.create_user("boss", "boss-e2e-pass", "admin").await;
    // A server in use (someone besides admins): no first-run setup.
    server.create_user("desk", "desk-e2e-pass", "staff").await;
    let token = server.login("boss", "boss-e2e-pass").await;
    let base = server.base_url().to_string();
    let t = Browser::launch("admin-settings").await;
    t.log_in(&base, "boss", "boss-e2e-pass").await;
    t.goto(&format!("{base}/admin")).await;
    t.wait_present("[data-testid=\"site-policy\"]", T).await;

    t.fill("notice_minutes", "45").await;
    t.fill("hours_end", "18:00").await;
    t.click("[data-testid=\"site-policy\"] button[type=submit]")
        .await;
    site_shows(&t, &server, &token, "policy and hours saved", |s| {
        s["policy"]["notice_minutes"] == 45 && s["hours"]["end_min"] == 18 * 60
    })
    .await;

    // A value out of range is refused on the page, naming the field; the server keeps 45.
    t.wait_present("[name=\"notice_minutes\"]", T).await;
    t.fill("notice_minutes", "abc").await;
    t.click("[data-testid=\"site-policy\"] button[type=submit]")
        .await;
    t.wait_for(
        || async {
            let msg = t.try_text(".form-msg").await?;
            if msg.contains("通知单下达") {
                Ok(())
            } else {
                Err(format!("message {msg:?}"))
            }
        },
        T,
        "the bad field named",
    )
    .await;
    let sites = server.get_json("/api/v1/sites", &token).await;
    assert_eq!(sites[0]["policy"]["notice_minutes"], 45);

    t.fill("day_date", "2026-10-10").await;
    t.select("day_kind", "work").await;
    t.click("[data-testid=\"site-days\"] button[type=submit]")
        .await;
    site_shows(&t, &server, &token, "the make-up day saved", |s| {
        s["days"].as_array().is_some_and(|d| {
            d.iter()
                .any(|d| d["date"] == "2026-10-10" && d["kind"] == "work")
        })
    })
    .await;
    t.wait_present("[data-testid=\"site-day\"] button", T).await;
    t.click("[data-testid=\"site-day\"] button").await;
    site_shows(&t, &server, &token, "the day removed", |s| {
        s["days"]
            .as_array()
            .is_some_and(|d| !d.iter().any(|d| d["date"] == "2026-10-10"))
    })
    .await;

    t.select("category_parent", "facility").await;
    t.fill("category_slug", "gate").await;
    t.fill("category_zh", "道闸").await;
    t.fill("category_en", "Barrier gate").await;
    t.click("[data-testid=\"site-categories\"] button[type=submit]")
        .await;
    site_shows(&t, &server, &token, "the category added", |s| {
        s["categories"].as_array().is_some_and(|c| {
            c.iter()
                .any(|c| c["code"] == "custom.gate" && c["zh"] == "道闸")
        })
    })
    .await;
    t.wait_text(
        "[data-testid=\"site-category\"]",
        "设备设施 › 道闸 / Barrier gate (custom.gate)",
        T,
    )
    .await;
    // For a look: target/tmp/admin-settings.png.
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("admin-settings.png");
    t.screenshot(&shot).await.expect("screenshot");
}
