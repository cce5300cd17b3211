//! Siteline-specific browser flows built on the app's test hooks (`data-testid`, form field names).

use crate::browser::Browser;
use std::collections::BTreeSet;
use std::time::Duration;

pub const PENDING: &str = "[data-testid=\"pending-count\"]";
pub const CONNECTION: &str = "[data-testid=\"connection-status\"]";
pub const DETAIL: &str = "[data-testid=\"complaint-detail\"]";
pub const CARD: &str = "[data-testid=\"complaint-card\"]";
pub const FORM_ERROR: &str = "[data-testid=\"form-error\"]";
const PAGE: Duration = Duration::from_secs(30);

/// What the intake form at `/new` is filled with.
#[derive(Clone, Debug)]
pub struct NewComplaint {
    pub description: String,
    pub location: String,
    pub category: String,
    pub severity: String,
    pub channel: String,
    pub complainant_name: String,
    pub complainant_phone: String,
}

impl NewComplaint {
    /// A valid water-leak complaint numbered `n`.
    pub fn sample(n: usize) -> NewComplaint {
        NewComplaint {
            description: format!("地下车库B2漏水 #{n}"),
            location: format!("3号楼地下车库B2-{n}"),
            category: "facility.water".into(),
            severity: "important".into(),
            channel: "visit".into(),
            complainant_name: format!("张{n}"),
            complainant_phone: "13800138000".into(),
        }
    }
}

impl Browser {
    /// Whether this tablet's IndexedDB holds any event of `complaint`: a complaint record (schema
    /// 3 on, keyed by complaint id) or an event of the old one-per-event store.
    pub async fn holds_complaint(&self, complaint: &str) -> bool {
        let script = r#"
            const id = arguments[0], done = arguments[arguments.length - 1];
            const req = indexedDB.open('siteline');
            req.onsuccess = () => {
                const tx = req.result.transaction(['complaints', 'events']);
                const rec = tx.objectStore('complaints').count(id);
                const old = tx.objectStore('events').getAll();
                tx.oncomplete = () => done(rec.result > 0
                    || old.result.some(v => JSON.parse(v).event.complaint_id === id));
                tx.onerror = () => done('read failed');
            };
            req.onerror = () => done('open failed');
        "#;
        let v = self
            .client()
            .execute_async(script, vec![serde_json::json!(complaint)])
            .await
            .expect("indexeddb read");
        v.as_bool().unwrap_or_else(|| panic!("indexeddb: {v}"))
    }

    /// Saves a screenshot as a test artefact, `target/e2e-screens/<name>.png`.
    pub async fn save_screen(&self, name: &str) {
        let path = crate::config::target_dir()
            .join("e2e-screens")
            .join(format!("{name}.png"));
        if let Err(e) = self.screenshot(&path).await {
            panic!("screenshot {}: {e}", path.display());
        }
    }

    /// The path of the current page.
    pub async fn path(&self) -> String {
        match self.client().current_url().await {
            Ok(url) => url.path().to_string(),
            Err(e) => self.fail(&format!("current_url: {e}")).await,
        }
    }

    pub async fn wait_path(&self, want: &str, timeout: Duration) {
        let what = format!("the app to be at {want}");
        self.wait_for(
            || async {
                let url = self
                    .client()
                    .current_url()
                    .await
                    .map_err(|e| e.to_string())?;
                crate::expect_eq(url.path(), want)
            },
            timeout,
            &what,
        )
        .await
    }

    /// Waits until an element matching `css` exists.
    pub async fn wait_present(&self, css: &str, timeout: Duration) {
        let what = format!("an element matching {css}");
        self.wait_for(
            || async { self.try_text(css).await.map(|_| ()) },
            timeout,
            &what,
        )
        .await
    }

    /// From `/`: expects the redirect to `/login`, signs in, waits for the logged-in header at `/`.
    pub async fn log_in(&self, base: &str, username: &str, password: &str) {
        self.goto(&format!("{base}/")).await;
        self.wait_path("/login", PAGE).await;
        self.fill("username", username).await;
        self.fill("password", password).await;
        self.click("button[type=\"submit\"]").await;
        self.wait_path("/", PAGE).await;
        self.wait_present(CONNECTION, PAGE).await;
    }

    /// Waits until the service worker controls the page and has cached the app's `.wasm`.
    pub async fn wait_offline_ready(&self, timeout: Duration) {
        self.wait_for(
            || self.offline_ready(),
            timeout,
            "offline-ready (service worker + cached .wasm)",
        )
        .await
    }

    pub async fn wait_pending(&self, count: usize, timeout: Duration) {
        self.wait_text(PENDING, &count.to_string(), timeout).await
    }

    /// Picks a category on `/new`: its top-level chip, then (for a sub-category) its chip.
    pub async fn choose_category(&self, code: &str) {
        let top = code.split('.').next().unwrap_or(code);
        self.click(&format!("[data-field=\"category\"] [data-top=\"{top}\"]"))
            .await;
        if top != code {
            self.choose("category", code).await;
        }
    }

    /// Fills `/new`, saves, waits for the detail page; returns the new complaint's id.
    pub async fn create_complaint(&self, base: &str, c: &NewComplaint) -> String {
        self.goto(&format!("{base}/new")).await;
        self.fill("description", &c.description).await;
        self.fill("location", &c.location).await;
        self.choose_category(&c.category).await;
        self.choose("severity", &c.severity).await;
        self.choose("channel", &c.channel).await;
        self.fill("complainant_name", &c.complainant_name).await;
        self.fill("complainant_phone", &c.complainant_phone).await;
        self.click("[data-testid=\"save-complaint\"]").await;
        let what = format!("the detail page of {:?}", c.description);
        let id = self
            .wait_for(
                || async {
                    match self.attrs(DETAIL, "data-id").await?.as_slice() {
                        [Some(id)] if !id.is_empty() => Ok(id.clone()),
                        other => Err(format!("{DETAIL} data-id values: {other:?}")),
                    }
                },
                PAGE,
                &what,
            )
            .await;
        self.wait_path(&format!("/complaints/{id}"), PAGE).await;
        id
    }

    /// Waits until the `data-id`s of the board's cards are exactly `ids`, each once.
    pub async fn wait_board_ids(&self, ids: &BTreeSet<String>, timeout: Duration) {
        let what = format!("board cards to be exactly {ids:?}");
        self.wait_for(
            || async {
                let seen: Vec<String> = self
                    .attrs(CARD, "data-id")
                    .await?
                    .into_iter()
                    .flatten()
                    .collect();
                let set: BTreeSet<String> = seen.iter().cloned().collect();
                if seen.len() == ids.len() && &set == ids {
                    Ok(())
                } else {
                    Err(format!("{} cards: {seen:?}", seen.len()))
                }
            },
            timeout,
            &what,
        )
        .await
    }

    /// Whether the first element matching `css` is rendered visibly.
    pub async fn is_visible(&self, css: &str) -> Result<bool, String> {
        let script = "const e = document.querySelector(arguments[0]);
            if (!e) return false;
            const r = e.getBoundingClientRect();
            return getComputedStyle(e).visibility !== 'hidden' && r.width > 0 && r.height > 0;";
        let v = self.js(script, vec![serde_json::json!(css)]).await?;
        Ok(v.as_bool() == Some(true))
    }
}
