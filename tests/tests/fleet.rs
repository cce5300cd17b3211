//! The fleet page in the browser: a supervisor sees a tablet of their site that went silent
//! holding unsynced records, first and marked, and their own tablet (reported by the app's
//! sync) below it.

use serde_json::json;
use siteline_e2e::{Browser, TestServer};
use std::time::Duration;

const T: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_tablet_with_unsynced_records_comes_first() {
    // Silent after 0 hours: any tablet holding unsynced records that has not synced since.
    let server = TestServer::launch_env(&[("SITELINE_FLEET_SILENT_HOURS", "0")]).await;
    server
        .create_user_at("sup", "sup-e2e-pass", "supervisor", &["SL"])
        .await;
    server
        .create_user_at("car_park", "car-park-pass", "staff", &["SL"])
        .await;
    // The car-park tablet's last contact: three records it could not send.
    let staff = server.login("car_park", "car-park-pass").await;
    server
        .post_json(
            "/api/v1/devices/report",
            &staff,
            json!({"device_id": "0192f0c1-7a00-7000-8000-00000000c0de", "app_version": "0.1.0",
                   "pending_records": 3, "oldest_pending_at": 1_764_000_000_000i64,
                   "storage_used": 3_000_000, "storage_quota": 60_000_000, "persisted": false}),
        )
        .await;
    let base = server.base_url().to_string();
    let t = Browser::launch("fleet").await;
    t.log_in(&base, "sup", "sup-e2e-pass").await;
    // The supervisor's own tablet reports itself at its syncs.
    let sup = server.login("sup", "sup-e2e-pass").await;
    t.wait_for(
        || async {
            t.click("[data-testid=\"sync-now\"]").await;
            let fleet = server.get_json("/api/v1/fleet", &sup).await;
            let own = fleet["devices"]
                .as_array()
                .is_some_and(|d| d.iter().any(|x| x["username"] == "sup"));
            if own {
                Ok(())
            } else {
                Err(format!("fleet {fleet}"))
            }
        },
        T,
        "the supervisor's tablet to report itself",
    )
    .await;
    t.goto(&format!("{base}/fleet")).await;
    t.wait_for(
        || async {
            let rows = t
                .js(
                    "return [...document.querySelectorAll('[data-testid=\"fleet-row\"]')].map(r => r.innerText);",
                    vec![],
                )
                .await?;
            let rows: Vec<String> = serde_json::from_value(rows).map_err(|e| e.to_string())?;
            let first_ok = rows.first().is_some_and(|r| r.contains("car_park") && r.contains("长时间未同步"));
            let own = rows.iter().skip(1).any(|r| r.contains("sup") && !r.contains("长时间未同步"));
            if first_ok && own {
                Ok(())
            } else {
                Err(format!("rows {rows:?}"))
            }
        },
        T,
        "the silent tablet first, the supervisor's own below",
    )
    .await;
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fleet.png");
    t.screenshot(&shot).await.expect("screenshot");
}
