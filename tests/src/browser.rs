//! `Browser`: headless Chromium behind its own chromedriver, with a profile that survives sessions.

use crate::procs::{free_port, kill_group};
use crate::wait::{try_wait_for, wait_for};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tempfile::TempDir;

const DRIVER_START: Duration = Duration::from_secs(20);
const FIND_TIMEOUT: Duration = Duration::from_secs(10);
static SHOTS: AtomicUsize = AtomicUsize::new(0);

const CHROME_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
];

pub struct Browser {
    name: String,
    profile: TempDir,
    chromium: PathBuf,
    driver: Child,
    driver_url: String,
    client: Option<Client>,
}

impl Browser {
    /// Starts chromedriver and a browser session on a fresh profile. `name` labels screenshots.
    pub async fn launch(name: &str) -> Browser {
        let chromedriver = crate::chromedriver_bin();
        let port = free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0) // so Drop can kill chromedriver and every browser process it started
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let mut browser = Browser {
            name: name.to_string(),
            profile: tempfile::Builder::new()
                .prefix("siteline-e2e-profile-")
                .tempdir()
                .expect("profile dir"),
            chromium: crate::chromium_bin(),
            driver,
            driver_url: format!("http://127.0.0.1:{port}"),
            client: None,
        };
        browser.wait_driver().await;
        browser.open_session().await;
        browser
    }

    async fn wait_driver(&self) {
        let status = format!("{}/status", self.driver_url);
        let http = reqwest::Client::new();
        wait_for(
            || {
                let (http, status) = (http.clone(), status.clone());
                async move {
                    let resp = http.get(&status).send().await.map_err(|e| e.to_string())?;
                    let body: Value = resp.json().await.map_err(|e| e.to_string())?;
                    match body["value"]["ready"].as_bool() {
                        Some(true) => Ok(()),
                        _ => Err(body.to_string()),
                    }
                }
            },
            DRIVER_START,
            "chromedriver to accept sessions",
        )
        .await;
    }

    /// Opens a new session (browser process) on this browser's profile directory.
    pub async fn open_session(&mut self) {
        assert!(
            self.client.is_none(),
            "{}: a session is already open",
            self.name
        );
        let mut args: Vec<String> = CHROME_FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", self.profile.path().display()));
        let caps = json!({
            "goog:chromeOptions": { "binary": self.chromium, "args": args },
        });
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.driver_url)
            .await
            .unwrap_or_else(|e| panic!("{}: cannot open a WebDriver session: {e}", self.name));
        self.client = Some(client);
    }

    /// Ends the session: the browser quits; the profile (IndexedDB, storage, service worker) stays.
    pub async fn close_session(&mut self) {
        let client = self.client.take().expect("no open session");
        client
            .close()
            .await
            .unwrap_or_else(|e| panic!("{}: closing the session: {e}", self.name));
        // The next browser on this profile must not find it still locked.
        let lock = self.profile.path().join("SingletonLock");
        wait_for(
            || {
                let present = lock.symlink_metadata().is_ok();
                async move {
                    if present {
                        Err("SingletonLock still present".to_string())
                    } else {
                        Ok(())
                    }
                }
            },
            Duration::from_secs(15),
            "the browser to release its profile",
        )
        .await;
    }

    pub fn profile_dir(&self) -> &Path {
        self.profile.path()
    }

    pub fn client(&self) -> &Client {
        self.client
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no open session", self.name))
    }

    /// Resizes the browser window (headless: the viewport) to `width` × `height`.
    pub async fn set_window(&self, width: u32, height: u32) {
        if let Err(e) = self.client().set_window_size(width, height).await {
            self.fail(&format!("window {width}×{height}: {e}")).await;
        }
    }

    pub async fn goto(&self, url: &str) {
        if let Err(e) = self.client().goto(url).await {
            self.fail(&format!("goto {url}: {e}")).await;
        }
    }

    pub async fn refresh(&self) {
        if let Err(e) = self.client().refresh().await {
            self.fail(&format!("refresh: {e}")).await;
        }
    }

    pub async fn current_url(&self) -> String {
        match self.client().current_url().await {
            Ok(url) => url.to_string(),
            Err(e) => self.fail(&format!("current_url: {e}")).await,
        }
    }

    /// Runs `script` (sync, or returning a Promise — WebDriver awaits it).
    /// Runs an async script (it calls `arguments[arguments.length - 1]` with its result).
    pub async fn js_async(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.client()
            .execute_async(script, args)
            .await
            .map_err(|e| e.to_string())
    }

    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.client()
            .execute(script, args)
            .await
            .map_err(|e| e.to_string())
    }

    /// Trimmed visible text of the first element matching `css`; Err if there is none.
    pub async fn try_text(&self, css: &str) -> Result<String, String> {
        let script = "const e = document.querySelector(arguments[0]);
                      return e ? (e.innerText ?? e.textContent ?? '').trim() : null;";
        match self.js(script, vec![json!(css)]).await? {
            Value::String(s) => Ok(s),
            _ => Err(format!("no element matches {css}")),
        }
    }

    pub async fn text(&self, css: &str) -> String {
        match self.try_text(css).await {
            Ok(t) => t,
            Err(e) => self.fail(&e).await,
        }
    }

    /// Attribute `attr` of every element matching `css`, in document order.
    pub async fn attrs(&self, css: &str, attr: &str) -> Result<Vec<Option<String>>, String> {
        let script = "return Array.from(document.querySelectorAll(arguments[0]), e => e.getAttribute(arguments[1]));";
        let v = self.js(script, vec![json!(css), json!(attr)]).await?;
        let list = v.as_array().ok_or_else(|| format!("unexpected {v}"))?;
        Ok(list.iter().map(|x| x.as_str().map(String::from)).collect())
    }

    /// The first element matching `css`, waiting up to 10 s for it to appear.
    pub async fn find(&self, css: &str) -> Element {
        let what = format!("an element matching {css}");
        self.wait_for(
            || async {
                self.client()
                    .find(Locator::Css(css))
                    .await
                    .map_err(|e| e.to_string())
            },
            FIND_TIMEOUT,
            &what,
        )
        .await
    }

    pub async fn click(&self, css: &str) {
        if let Err(e) = self.find(css).await.click().await {
            self.fail(&format!("click {css}: {e}")).await;
        }
    }

    /// Types `value` into `[name=<name>]` (input or textarea) after clearing it.
    pub async fn fill(&self, name: &str, value: &str) {
        let css = format!("[name=\"{name}\"]");
        let el = self.find(&css).await;
        let typed = async {
            el.clear().await?;
            el.send_keys(value).await
        };
        if let Err(e) = typed.await {
            self.fail(&format!("typing into {css}: {e}")).await;
        }
        if self.value(name).await != value {
            // Keyboard emulation can miss characters outside the keymap; set it like an IME would.
            let script = "const [el, v] = arguments;
                const proto = Object.getPrototypeOf(el);
                Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, v);
                el.dispatchEvent(new Event('input', { bubbles: true }));
                el.dispatchEvent(new Event('change', { bubbles: true }));";
            let el_json = serde_json::to_value(&el).expect("element ref");
            if let Err(e) = self.js(script, vec![el_json, json!(value)]).await {
                self.fail(&format!("setting {css}: {e}")).await;
            }
        }
        let now = self.value(name).await;
        if now != value {
            self.fail(&format!("{css} holds {now:?} after typing {value:?}"))
                .await;
        }
    }

    /// Taps the chip `code` of the chip group `[data-field=<field>]` and checks it is chosen.
    pub async fn choose(&self, field: &str, code: &str) {
        let css = format!("[data-field=\"{field}\"] [role=\"radio\"][data-code=\"{code}\"]");
        self.click(&css).await;
        let what = format!("{css} to be checked");
        self.wait_for(
            || async {
                match self.attrs(&css, "aria-checked").await?.as_slice() {
                    [Some(v), ..] if v == "true" => Ok(()),
                    other => {
                        // A banner that appears above the form (a sync's answer) can move the
                        // chip between finding it and the press: press it again where it is now.
                        let again = self.client().find(Locator::Css(&css)).await;
                        if let Ok(el) = again {
                            let _ = el.click().await;
                        }
                        Err(format!("aria-checked: {other:?}"))
                    }
                }
            },
            FIND_TIMEOUT,
            &what,
        )
        .await;
    }

    /// Chooses the option with `value` in `<select name=<name>>`.
    pub async fn select(&self, name: &str, value: &str) {
        let css = format!("select[name=\"{name}\"]");
        let el = self.find(&css).await;
        if let Err(e) = el.select_by_value(value).await {
            self.fail(&format!("selecting {value:?} in {css}: {e}"))
                .await;
        }
        let now = self.value(name).await;
        if now != value {
            self.fail(&format!("{css} holds {now:?} after selecting {value:?}"))
                .await;
        }
    }

    /// Current `.value` of `[name=<name>]` ("" when absent).
    pub async fn value(&self, name: &str) -> String {
        let script = "const e = document.querySelector(`[name=\"${arguments[0]}\"]`); return e ? e.value : '';";
        match self.js(script, vec![json!(name)]).await {
            Ok(Value::String(s)) => s,
            Ok(other) => other.to_string(),
            Err(e) => self.fail(&format!("reading value of {name}: {e}")).await,
        }
    }

    /// Offline-ready: a service worker controls the page and a cache holds a `.wasm` response.
    pub async fn offline_ready(&self) -> Result<(), String> {
        let script = "const done = arguments[arguments.length - 1];
            (async () => {
              if (!('serviceWorker' in navigator)) return 'no serviceWorker API';
              if (!navigator.serviceWorker.controller) return 'no controlling service worker yet';
              const names = await caches.keys();
              for (const n of names) {
                const keys = await (await caches.open(n)).keys();
                if (keys.some(r => new URL(r.url).pathname.endsWith('.wasm'))) return 'ok';
              }
              return 'controlled, but no cache holds a .wasm (caches: [' + names.join(', ') + '])';
            })().then(done, e => done('error: ' + e));";
        match self.client().execute_async(script, vec![]).await {
            Ok(Value::String(s)) if s == "ok" => Ok(()),
            Ok(other) => Err(other
                .as_str()
                .map(String::from)
                .unwrap_or_else(|| other.to_string())),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Waits until `css` shows exactly `want`.
    pub async fn wait_text(&self, css: &str, want: &str, timeout: Duration) {
        let what = format!("{css} to read {want:?}");
        self.wait_for(
            || async { crate::expect_eq(self.try_text(css).await?, want) },
            timeout,
            &what,
        )
        .await
    }

    /// [`crate::wait_for`] that saves a screenshot before panicking.
    pub async fn wait_for<T, F, Fut>(&self, probe: F, timeout: Duration, what: &str) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, String>>,
    {
        match try_wait_for(probe, timeout, what).await {
            Ok(v) => v,
            Err(e) => self.fail(&e.to_string()).await,
        }
    }

    /// Saves a PNG of the current page.
    pub async fn screenshot(&self, path: &Path) -> Result<(), String> {
        let png = self
            .client()
            .screenshot()
            .await
            .map_err(|e| e.to_string())?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, png).map_err(|e| e.to_string())
    }

    /// Screenshot into `target/e2e-screenshots/`, then panic with `message`, the URL and the shot's path.
    pub async fn fail(&self, message: &str) -> ! {
        let n = SHOTS.fetch_add(1, Ordering::SeqCst);
        let path = crate::target_dir()
            .join("e2e-screenshots")
            .join(format!("{}-{n}.png", self.name));
        let mut context = String::new();
        if let Some(client) = &self.client {
            if let Ok(url) = client.current_url().await {
                context.push_str(&format!("\n  page: {url}"));
            }
            match self.screenshot(&path).await {
                Ok(()) => context.push_str(&format!("\n  screenshot: {}", path.display())),
                Err(e) => context.push_str(&format!("\n  (no screenshot: {e})")),
            }
        }
        panic!("[browser {}] {message}{context}", self.name);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Killing the process group takes chromedriver and the browser down with it.
        kill_group(&mut self.driver);
    }
}
