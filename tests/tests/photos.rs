//! A photo taken offline survives a reload with the server down, uploads once when it returns
//! (content hash verified), and its thumbnail shows on a supervisor's board.

use fantoccini::Locator;
use sha2::{Digest, Sha256};
use siteline_e2e::{png, Browser, TestServer};
use std::time::Duration;

const T: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photo_taken_offline_arrives_once_with_its_hash_and_shows_on_the_board() {
    let mut server = TestServer::launch().await;
    server
        .create_user("staff1", "staff1-e2e-pass", "staff")
        .await;
    server
        .create_user("super1", "super1-e2e-pass", "supervisor")
        .await;
    let base = server.base_url().to_string();

    // A 1800×1200 photo: larger than 1600 px, so the device must downscale it.
    let dir = tempfile::tempdir().expect("tmp");
    let photo = dir.path().join("leak.png");
    std::fs::write(&photo, png::gradient_png(1800, 1200)).expect("write photo");

    let a = Browser::launch("photos-staff").await;
    a.log_in(&base, "staff1", "staff1-e2e-pass").await;
    a.wait_offline_ready(T).await;
    server.stop().await;

    a.goto(&format!("{base}/new")).await;
    a.fill("description", "B2 顶棚漏水，见照片").await;
    a.fill("location", "B2 停车场").await;
    a.choose_category("facility.water").await;
    let input = a
        .client()
        .find(Locator::Css("[data-testid=\"photo-input\"]"))
        .await
        .expect("photo input");
    input
        .send_keys(&photo.display().to_string())
        .await
        .expect("choose photo");
    a.wait_present("img[data-testid=\"thumb\"]", T).await;
    a.click("[data-testid=\"save-complaint\"]").await;
    a.wait_present("[data-testid=\"complaint-detail\"]", T)
        .await;
    let id = a
        .attrs("[data-testid=\"complaint-detail\"]", "data-id")
        .await
        .expect("id")[0]
        .clone()
        .expect("data-id");
    let sha = a
        .attrs("img[data-testid=\"thumb\"]", "data-sha256")
        .await
        .expect("thumb")[0]
        .clone()
        .expect("sha attr");
    assert_eq!(sha.len(), 64, "{sha}");

    // Reload with the server down: the record and its photo are still on the device.
    a.refresh().await;
    a.wait_present(
        &format!("img[data-testid=\"thumb\"][data-sha256=\"{sha}\"]"),
        T,
    )
    .await;
    a.wait_pending(1, T).await;
    // The header says the photo waits too, in words.
    a.wait_for(
        || async {
            let words = a.try_text("[data-testid=\"sync-words\"]").await?;
            if words.contains("1 张照片待上传") {
                Ok(())
            } else {
                Err(words)
            }
        },
        T,
        "the photo waiting in the sync line",
    )
    .await;

    // Server back: events, then the photo, arrive.
    server.start().await;
    a.wait_pending(0, Duration::from_secs(90)).await;
    a.wait_text(
        "[data-testid=\"sync-words\"]",
        "已全部同步",
        Duration::from_secs(90),
    )
    .await;
    let token = server.login("super1", "super1-e2e-pass").await;
    let http = reqwest::Client::new();
    let url = server.url(&format!("/api/v1/attachments/{sha}"));
    let bytes = siteline_e2e::wait_for(
        || {
            let (http, url, token) = (http.clone(), url.clone(), token.clone());
            async move {
                let res = http
                    .get(&url)
                    .bearer_auth(&token)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if !res.status().is_success() {
                    return Err(format!("GET attachment: {}", res.status()));
                }
                res.bytes().await.map_err(|e| e.to_string())
            }
        },
        Duration::from_secs(90),
        "the photo on the server",
    )
    .await;
    assert_eq!(
        hex(&Sha256::digest(&bytes)),
        sha,
        "stored bytes match their hash"
    );
    assert_eq!(
        &bytes[..3],
        &[0xff, 0xd8, 0xff],
        "downscaled to JPEG on the device"
    );
    let detail = server
        .get_json(&format!("/api/v1/complaints/{id}"), &token)
        .await;
    let atts = detail["attachments"].as_array().expect("attachments");
    assert_eq!(atts.len(), 1, "exactly one attachment: {detail}");
    assert_eq!(atts[0]["sha256"], sha.as_str());
    assert_eq!(atts[0]["content_type"], "image/jpeg");

    // A supervisor's board shows the thumbnail, loaded.
    let b = Browser::launch("photos-supervisor").await;
    b.log_in(&base, "super1", "super1-e2e-pass").await;
    b.goto(&format!("{base}/board")).await;
    let thumb = format!("[data-testid=\"complaint-card\"][data-id=\"{id}\"] img[data-testid=\"thumb\"][data-sha256=\"{sha}\"]");
    b.wait_for(
        || async {
            let v = b
                .js(
                    &format!(
                        "const i = document.querySelector('{}'); return i ? i.naturalWidth : -1;",
                        thumb.replace('\'', "\\'")
                    ),
                    vec![],
                )
                .await?;
            match v.as_i64() {
                Some(w) if w > 0 => Ok(()),
                other => Err(format!("thumbnail naturalWidth {other:?}")),
            }
        },
        T,
        "the thumbnail on the board",
    )
    .await;
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
