//! Intake validation: a complaint without a location is refused on the form, keeps what was typed,
//! and nothing is queued for sync.

use siteline_e2e::{Browser, TestServer, DETAIL, FORM_ERROR};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_location_shows_an_error_and_keeps_the_typed_text() {
    let server = TestServer::launch().await;
    server
        .create_user("staff2", "staff2-e2e-pass", "staff")
        .await;
    let base = server.base_url().to_string();

    let b = Browser::launch("intake_validation").await;
    b.log_in(&base, "staff2", "staff2-e2e-pass").await;
    b.wait_pending(0, Duration::from_secs(30)).await;

    b.goto(&format!("{base}/new")).await;
    let description = "电梯3号停在两层之间，按钮无反应";
    b.fill("description", description).await;
    b.choose_category("facility.lift").await;
    b.choose("severity", "major").await;
    b.choose("channel", "phone").await;
    b.click("[data-testid=\"save-complaint\"]").await;

    b.wait_for(
        || async {
            if b.is_visible(FORM_ERROR).await? {
                Ok(())
            } else {
                Err(format!("{FORM_ERROR} not visible; at {}", b.path().await))
            }
        },
        Duration::from_secs(10),
        "the form error",
    )
    .await;
    let error = b.text(FORM_ERROR).await;
    assert!(!error.is_empty(), "the form error should say what is wrong");
    assert_eq!(
        b.value("description").await,
        description,
        "the typed description was lost"
    );
    assert_eq!(b.path().await, "/new", "a refused form must stay on /new");
    assert!(
        b.try_text(DETAIL).await.is_err(),
        "no detail page for a refused complaint"
    );
    b.wait_pending(0, Duration::from_secs(5)).await;
    assert!(
        server.complaint_ids().await.is_empty(),
        "nothing may reach the server"
    );
}
