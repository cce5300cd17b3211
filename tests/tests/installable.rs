//! The installed app: Chromium finds nothing in the way of installing it (manifest with PNG
//! icons 192/512 and a maskable one, standalone, a service worker), it opens offline from its
//! start URL, and the document follows the device's language and display settings.

use serde_json::{json, Value};
use siteline_e2e::devbench::cdp;
use siteline_e2e::{Browser, TestServer};
use std::time::Duration;

const STAFF: (&str, &str) = ("staff1", "staff1-e2e-pass");
const T: Duration = Duration::from_secs(45);

/// Width and height of a PNG (from its IHDR).
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" {
        return None;
    }
    let n = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    Some((n(16), n(20)))
}

async fn root_attr(b: &Browser, name: &str) -> String {
    let v = b
        .js(
            "return document.documentElement.getAttribute(arguments[0]) || '';",
            vec![json!(name)],
        )
        .await
        .unwrap_or_else(|e| panic!("reading <html {name}>: {e}"));
    v.as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_can_install_it_and_it_opens_offline_in_the_devices_settings() {
    let mut server = TestServer::launch().await;
    server.create_user(STAFF.0, STAFF.1, "staff").await;
    let base = server.base_url().to_string();

    // The manifest and every icon it names.
    let manifest: Value = reqwest::get(server.url("/manifest.webmanifest"))
        .await
        .expect("manifest")
        .json()
        .await
        .expect("manifest is JSON");
    assert_eq!(manifest["name"], "现场投诉 · Siteline");
    assert_eq!(manifest["display"], "standalone");
    assert!(manifest["theme_color"].is_string(), "{manifest}");
    let icons = manifest["icons"].as_array().expect("icons");
    let mut seen = Vec::new();
    for icon in icons.iter().filter(|i| i["type"] == "image/png") {
        let src = icon["src"].as_str().expect("src");
        let res = reqwest::get(server.url(src)).await.expect("icon");
        assert!(res.status().is_success(), "{src}: {}", res.status());
        let bytes = res.bytes().await.expect("icon bytes");
        let (w, h) = png_size(&bytes).unwrap_or_else(|| panic!("{src} is not a PNG"));
        assert_eq!(format!("{w}x{h}"), icon["sizes"], "{src}");
        seen.push((w, icon["purpose"].as_str().unwrap_or("any").to_string()));
    }
    for want in [(192, "any"), (512, "any"), (512, "maskable")] {
        assert!(
            seen.iter().any(|(w, p)| *w == want.0 && p == want.1),
            "no {want:?} icon in {seen:?}"
        );
    }
    // Screenshots for the install sheet: PNGs of their declared sizes, wide and narrow.
    let shots = manifest["screenshots"].as_array().expect("screenshots");
    let mut factors = Vec::new();
    for shot in shots {
        let src = shot["src"].as_str().expect("src");
        let res = reqwest::get(server.url(src)).await.expect("screenshot");
        assert!(res.status().is_success(), "{src}: {}", res.status());
        let bytes = res.bytes().await.expect("screenshot bytes");
        let (w, h) = png_size(&bytes).unwrap_or_else(|| panic!("{src} is not a PNG"));
        assert_eq!(format!("{w}x{h}"), shot["sizes"], "{src}");
        let factor = shot["form_factor"].as_str().expect("form_factor");
        assert_eq!(factor == "wide", w > h, "{src}: {w}x{h} is not {factor}");
        assert!(shot["label"].is_string(), "{src} has a label");
        factors.push(factor.to_string());
    }
    assert!(
        factors.iter().any(|f| f == "wide") && factors.iter().any(|f| f == "narrow"),
        "{factors:?}"
    );

    let b = Browser::launch("installable").await;
    b.log_in(&base, STAFF.0, STAFF.1).await;
    b.wait_offline_ready(Duration::from_secs(60)).await;
    // Chromium's own verdict (the manifest is fetched in the background: ask until it answers).
    b.wait_for(
        || async {
            let v = cdp(&b, "Page.getInstallabilityErrors", json!({})).await?;
            match v["installabilityErrors"].as_array() {
                Some(errors) if errors.is_empty() => Ok(()),
                _ => Err(format!("installability errors: {v}")),
            }
        },
        T,
        "Chromium to find the app installable",
    )
    .await;

    // The document speaks the UI's language, and keeps the device's theme and text size.
    assert_eq!(root_attr(&b, "lang").await, "zh-CN");
    b.click("[data-testid=\"lang-toggle\"]").await;
    b.wait_for(
        || async {
            match root_attr(&b, "lang").await.as_str() {
                "en" => Ok(()),
                other => Err(format!("lang={other}")),
            }
        },
        T,
        "<html lang=en>",
    )
    .await;
    b.click("[data-testid=\"lang-toggle\"]").await;
    b.goto(&format!("{base}/status")).await;
    b.choose("theme", "dark").await;
    b.click("[name=\"large_text\"]").await;
    assert_eq!(root_attr(&b, "data-theme").await, "dark");
    assert_eq!(root_attr(&b, "data-text").await, "large");

    // From the home screen with no connection: the start URL opens, in the same settings.
    server.stop().await;
    b.goto(&format!("{base}/")).await;
    b.wait_present("[data-testid=\"pending-count\"]", T).await;
    assert_eq!(root_attr(&b, "data-theme").await, "dark");
    assert_eq!(root_attr(&b, "data-text").await, "large");
    assert_eq!(root_attr(&b, "lang").await, "zh-CN");
    b.goto(&format!("{base}/status")).await;
    b.choose("theme", "contrast").await;
    assert_eq!(root_attr(&b, "data-theme").await, "contrast");
}
