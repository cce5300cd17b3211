//! Reports in the browser: a supervisor's report page with its charts in zh-CN and English, a
//! read-only link opened in a fresh browser with no login and no service worker, the link
//! revoked, and the weekly 重大 report listing an open major complaint.

use siteline_e2e::{Browser, NewComplaint, TestServer};
use std::path::Path;
use std::time::Duration;

const T: Duration = Duration::from_secs(60);

async fn contains(t: &Browser, css: &str, want: &str, what: &str) {
    t.wait_for(
        || async {
            let text = t.try_text(css).await?;
            if text.contains(want) {
                Ok(())
            } else {
                Err(format!("{css} reads {text:?}"))
            }
        },
        T,
        what,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_reads_prints_and_shares_the_report() {
    let server = TestServer::launch().await;
    server
        .create_user_at("sup", "sup-e2e-pass", "supervisor", &["SL"])
        .await;
    let base = server.base_url().to_string();
    let t = Browser::launch("reports").await;
    t.log_in(&base, "sup", "sup-e2e-pass").await;
    let mut major = NewComplaint::sample(1);
    major.severity = "major".into();
    let major_id = t.create_complaint(&base, &major).await;
    t.create_complaint(&base, &NewComplaint::sample(2)).await;
    t.wait_pending(0, T).await;

    // The board's filter is in its URL, both ways.
    t.goto(&format!("{base}/board?severity=major")).await;
    t.wait_board_ids(&std::collections::BTreeSet::from([major_id]), T)
        .await;
    t.select("filter_channel", "visit").await;
    t.wait_for(
        || async {
            let url = t.current_url().await;
            if url.contains("severity=major") && url.contains("channel=visit") {
                Ok(())
            } else {
                Err(format!("url {url}"))
            }
        },
        T,
        "the filter written to the URL",
    )
    .await;

    t.goto(&format!(
        "{base}/reports?from=2026-01&to=2027-01&period=quarter&site=SL"
    ))
    .await;
    contains(&t, "[data-testid=\"kpi\"]", "2", "the total on the page").await;
    contains(
        &t,
        "[data-testid=\"report-severity\"]",
        "重大",
        "the severity breakdown",
    )
    .await;
    let svgs = t
        .js(
            "return document.querySelectorAll('.reports-page svg.chart').length;",
            vec![],
        )
        .await
        .unwrap_or_default();
    assert!(svgs.as_u64().unwrap_or(0) >= 3, "charts drawn: {svgs}");
    contains(
        &t,
        "[data-testid=\"report-majors\"]",
        "3号楼地下车库B2-1",
        "the weekly 重大 report",
    )
    .await;
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    t.screenshot(&tmp.join("reports-zh.png"))
        .await
        .expect("screenshot");
    // Printed through WebDriver (A4, fantoccini's default): a PDF of the report, its controls
    // left out.
    let config = fantoccini::wd::PrintConfiguration::builder()
        .build()
        .expect("print settings");
    let pdf = t.client().print(config).await.expect("a PDF");
    assert!(pdf.starts_with(b"%PDF"), "a PDF file");
    let count = |needle: &[u8]| pdf.windows(needle.len()).filter(|w| *w == needle).count();
    let pages = count(b"/Type /Page") - count(b"/Type /Pages");
    // Each printed section starts its own page (the overview shares the first with the title)
    // and fits on it: more pages would mean a section (a chart) ran over and was cut.
    let sections = t
        .js(
            "return [...document.querySelectorAll('.reports-page .report-section')]\
               .filter(e => !e.closest('.no-print')).length;",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .expect("the sections");
    assert!(sections >= 10, "{sections} printed sections");
    assert_eq!(pages as u64, sections, "one A4 page per section");
    std::fs::write(tmp.join("reports.pdf"), &pdf).expect("keep the PDF");

    // The link: made here, opened in a fresh browser without logging in.
    t.fill("share_label", "业委会月报").await;
    t.click("[data-testid=\"share-form\"] button[type=submit]")
        .await;
    t.wait_present("[data-testid=\"share-url\"]", T).await;
    let url = t
        .js(
            "return document.querySelector('[data-testid=\"share-url\"]').href;",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .expect("the link's address");
    let guest = Browser::launch("report-guest").await;
    guest.goto(&url).await;
    contains(&guest, "h1", "业委会月报", "the shared page").await;
    let page = guest
        .js("return document.documentElement.outerHTML;", vec![])
        .await
        .unwrap_or_default();
    let page = page.as_str().unwrap_or_default().to_string();
    assert!(page.contains("<svg"), "charts on the shared page");
    for secret in ["张1", "13800138000", "地下车库B2漏水"] {
        assert!(!page.contains(secret), "{secret} on the shared page");
    }
    let controlled = guest
        .js(
            "return !!(navigator.serviceWorker && navigator.serviceWorker.controller);",
            vec![],
        )
        .await
        .unwrap_or_default();
    assert_eq!(
        controlled.as_bool(),
        Some(false),
        "no service worker serves the shared page"
    );
    guest
        .screenshot(&tmp.join("report-shared.png"))
        .await
        .expect("screenshot");

    // English on the supervisor's page.
    t.click("[data-testid=\"lang-toggle\"]").await;
    contains(
        &t,
        "[data-testid=\"reports-page\"]",
        "Closure rate",
        "the page in English",
    )
    .await;
    t.screenshot(&tmp.join("reports-en.png"))
        .await
        .expect("screenshot");

    // Revoked: the guest's next look is a clear 410 page.
    t.click("[data-testid=\"share-revoke\"]").await;
    guest
        .wait_for(
            || async {
                guest.refresh().await;
                let text = guest.try_text("body").await?;
                if text.contains("已失效") && text.contains("no longer valid") {
                    Ok(())
                } else {
                    Err(format!("page reads {text:?}"))
                }
            },
            T,
            "the revoked link's page",
        )
        .await;
}
