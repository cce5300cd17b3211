//! Accessibility (WCAG 2.1 A/AA rules of axe-core) on login, list, intake, a complaint's detail,
//! board, reports and device status, in Chinese and in English: no serious or critical
//! violation on any of them.

use serde_json::{json, Value};
use siteline_e2e::{axe_js, Browser, NewComplaint, TestServer};
use std::time::Duration;

const SUPERVISOR: (&str, &str) = ("super1", "super1-e2e-pass");
const T: Duration = Duration::from_secs(45);

/// The serious and critical violations axe finds on the page as it is now.
async fn violations(b: &Browser, axe: &str) -> Vec<Value> {
    let loaded = b
        .js(
            "if (!window.axe) { (0, eval)(arguments[0]); } return typeof window.axe;",
            vec![json!(axe)],
        )
        .await
        .unwrap_or_else(|e| panic!("injecting axe-core: {e}"));
    assert_eq!(loaded, json!("object"), "axe-core did not load");
    let found = b
        .js_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag',
                 values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                              nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }))))
               .catch(e => done([{ id: 'axe-error', help: String(e) }]));",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("running axe-core: {e}"));
    found.as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_main_screen_has_no_serious_or_critical_accessibility_violation() {
    let axe = std::fs::read_to_string(axe_js()).expect("axe.min.js");
    let server = TestServer::launch().await;
    server
        .create_user(SUPERVISOR.0, SUPERVISOR.1, "supervisor")
        .await;
    let base = server.base_url().to_string();
    let b = Browser::launch("accessibility").await;

    let mut report: Vec<String> = Vec::new();
    b.goto(&format!("{base}/login")).await;
    b.wait_present("[name=\"username\"]", T).await;
    // The instrument works: a button with no name is found (then taken away again).
    b.js(
        "const x = document.createElement('button'); x.id = 'axe-probe'; document.body.append(x);",
        vec![],
    )
    .await
    .expect("probe added");
    let probe = violations(&b, &axe).await;
    assert!(
        probe.iter().any(|v| v["id"] == "button-name"),
        "axe missed a nameless button: {probe:?}"
    );
    b.js("document.getElementById('axe-probe').remove();", vec![])
        .await
        .expect("probe removed");
    for v in violations(&b, &axe).await {
        report.push(format!("zh /login: {v}"));
    }
    b.log_in(&base, SUPERVISOR.0, SUPERVISOR.1).await;
    let id = b.create_complaint(&base, &NewComplaint::sample(1)).await;
    let pages = [
        ("/".to_string(), "[data-testid=\"pending-count\"]"),
        ("/new".to_string(), "#category-label"),
        (
            format!("/complaints/{id}"),
            "[data-testid=\"complaint-detail\"]",
        ),
        ("/board".to_string(), "[data-testid=\"pending-count\"]"),
        ("/reports".to_string(), "[data-testid=\"pending-count\"]"),
        ("/status".to_string(), "[data-testid=\"display-settings\"]"),
        ("/replies".to_string(), "[data-testid=\"template-add\"]"),
        ("/history".to_string(), "[data-testid=\"history-page\"]"),
    ];
    for lang in ["zh", "en"] {
        if lang == "en" {
            b.click("[data-testid=\"lang-toggle\"]").await;
        }
        for (path, ready) in &pages {
            b.goto(&format!("{base}{path}")).await;
            b.wait_present(ready, T).await;
            for v in violations(&b, &axe).await {
                report.push(format!("{lang} {path}: {v}"));
            }
        }
    }
    assert!(
        report.is_empty(),
        "accessibility violations (serious/critical):\n{}",
        report.join("\n")
    );
}
