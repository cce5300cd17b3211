//! `TestServer`: the real server binary on a fixed free port with a temp data dir; stop/start keeps both.

use crate::procs::{free_port, log_tail, random_secret, terminate};
use crate::wait::wait_for;
use serde_json::{json, Value};
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tempfile::TempDir;

const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_GRACE: Duration = Duration::from_secs(5);

pub struct TestServer {
    pub port: u16,
    pub admin_password: String,
    base: String,
    bin: PathBuf,
    dist: PathBuf,
    data: TempDir,
    logs: TempDir,
    /// Extra environment for the server process (e.g. a short token lifetime).
    env: Vec<(String, String)>,
    child: Option<Child>,
    /// Whether a start has succeeded (after that the port is kept).
    started: bool,
    http: reqwest::Client,
}

impl TestServer {
    /// Starts `$SITELINE_SERVER_BIN` serving `$SITELINE_DIST` and waits until it is healthy.
    pub async fn launch() -> TestServer {
        TestServer::launch_with(&crate::server_bin(), &crate::dist_dir()).await
    }

    /// Starts the given server binary serving `dist`.
    pub async fn launch_with(bin: &Path, dist: &Path) -> TestServer {
        TestServer::launch_full(bin, dist, &[]).await
    }

    /// Starts the default server binary with extra environment variables.
    pub async fn launch_env(env: &[(&str, &str)]) -> TestServer {
        TestServer::launch_full(&crate::server_bin(), &crate::dist_dir(), env).await
    }

    async fn launch_full(bin: &Path, dist: &Path, env: &[(&str, &str)]) -> TestServer {
        let port = free_port();
        let mut server = TestServer {
            port,
            admin_password: random_secret(),
            base: format!("http://127.0.0.1:{port}"),
            bin: bin.to_path_buf(),
            dist: dist.to_path_buf(),
            data: tempfile::Builder::new()
                .prefix("siteline-e2e-data-")
                .tempdir()
                .expect("temp data dir"),
            logs: tempfile::Builder::new()
                .prefix("siteline-e2e-logs-")
                .tempdir()
                .expect("temp log dir"),
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            child: None,
            started: false,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("http client"),
        };
        server.start().await;
        server
    }

    /// Sets an environment variable for the next `start` (e.g. a shifted clock after a stop).
    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_string(), value.to_string()));
    }

    /// `http://127.0.0.1:<port>` (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Base URL + `path` (`path` starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn data_dir(&self) -> &Path {
        self.data.path()
    }

    pub fn log_path(&self) -> PathBuf {
        self.logs.path().join("server.log")
    }

    pub fn log_tail(&self, lines: usize) -> String {
        log_tail(&self.log_path(), lines)
    }

    pub fn is_running(&mut self) -> bool {
        match &mut self.child {
            Some(child) => child.try_wait().ok().flatten().is_none(),
            None => false,
        }
    }

    /// (Re)starts the server on the same port and data dir; waits for `GET /api/health`.
    /// Only the first start may move to another port: the port was free when picked, but a
    /// test running in parallel can take it before the server binds it.
    pub async fn start(&mut self) {
        assert!(
            !self.is_running(),
            "TestServer::start: the server is already running"
        );
        for _ in 0..3 {
            self.spawn();
            if self.wait_healthy().await {
                self.started = true;
                return;
            }
            let port = free_port();
            self.port = port;
            self.base = format!("http://127.0.0.1:{port}");
        }
        panic!(
            "the server found its port taken three times; log tail:\n{}",
            log_tail(&self.log_path(), 40)
        );
    }

    fn spawn(&mut self) {
        let mut log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("open server log");
        writeln!(
            log,
            "===== e2e: starting {} on {} =====",
            self.bin.display(),
            self.base
        )
        .ok();
        let child = Command::new(&self.bin)
            .env("SITELINE_ADDR", format!("127.0.0.1:{}", self.port))
            .env("SITELINE_DATA", self.data.path())
            .env("SITELINE_DIST", &self.dist)
            .env("SITELINE_ADMIN_PASSWORD", &self.admin_password)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("clone log handle"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.bin.display()));
        self.child = Some(child);
    }

    /// `true` once healthy; `false` when a first start exited because its port was taken.
    async fn wait_healthy(&mut self) -> bool {
        let url = self.url("/api/health");
        let http = self.http.clone();
        let first = !self.started;
        let child = self.child.as_mut().expect("started");
        let log = self.logs.path().join("server.log");
        let what = format!("server health at {url} (log: {})", log.display());
        wait_for(
            || {
                let exited = child.try_wait().ok().flatten();
                let (http, url, log) = (http.clone(), url.clone(), log.clone());
                async move {
                    if let Some(status) = exited {
                        let tail = log_tail(&log, 40);
                        if first && tail.contains("Address already in use") {
                            return Ok(false);
                        }
                        panic!("the server exited during start-up ({status}); log tail:\n{tail}");
                    }
                    match http.get(&url).timeout(Duration::from_secs(2)).send().await {
                        Ok(r) if r.status().is_success() => Ok(true),
                        Ok(r) => Err(format!("HTTP {}", r.status())),
                        Err(e) => Err(format!("not answering: {e}")),
                    }
                }
            },
            START_TIMEOUT,
            &what,
        )
        .await
    }

    /// Stops the server (SIGTERM, then SIGKILL after a grace period) and waits for it.
    pub async fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            terminate(&mut child, STOP_GRACE).await;
        }
    }

    /// `POST /api/v1/auth/login`; returns the bearer token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let body = json!({ "username": username, "password": password });
        let answer = self
            .call(
                reqwest::Method::POST,
                "/api/v1/auth/login",
                None,
                Some(body),
            )
            .await;
        answer["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login as {username}: no token in {answer}"))
            .to_string()
    }

    pub async fn admin_token(&self) -> String {
        self.login("admin", &self.admin_password).await
    }

    /// Creates a user as admin. `role` is `"staff"`, `"supervisor"` or `"admin"`.
    pub async fn create_user(&self, username: &str, password: &str, role: &str) {
        self.create_user_in(username, password, role, None).await
    }

    /// Creates a user as admin, with a department (required for `"handler"`).
    pub async fn create_user_in(
        &self,
        username: &str,
        password: &str,
        role: &str,
        department: Option<&str>,
    ) {
        let token = self.admin_token().await;
        // E2E users work at every site the server has.
        let sites = self.get_json("/api/v1/sites", &token).await;
        let codes: Vec<Value> = sites
            .as_array()
            .map(|a| a.iter().map(|s| s["code"].clone()).collect())
            .unwrap_or_default();
        let body = json!({
            "sites": codes,
            "username": username,
            "password": password,
            "role": role,
            "display_name": format!("{username} (e2e)"),
            "department": department,
        });
        self.call(
            reqwest::Method::POST,
            "/api/v1/users",
            Some(&token),
            Some(body),
        )
        .await;
    }

    /// Creates a site as admin.
    pub async fn create_site(&self, code: &str, name: &str) {
        let token = self.admin_token().await;
        let body = json!({ "code": code, "name": name });
        self.call(
            reqwest::Method::POST,
            "/api/v1/sites",
            Some(&token),
            Some(body),
        )
        .await;
    }

    /// Creates a user of the given sites as admin.
    pub async fn create_user_at(&self, username: &str, password: &str, role: &str, sites: &[&str]) {
        let token = self.admin_token().await;
        let body = json!({ "username": username, "password": password, "role": role,
                           "display_name": format!("{username} (e2e)"), "sites": sites });
        self.call(
            reqwest::Method::POST,
            "/api/v1/users",
            Some(&token),
            Some(body),
        )
        .await;
    }

    /// `PATCH /api/v1/users/{username}` as admin.
    pub async fn patch_user(&self, username: &str, body: Value) -> Value {
        let token = self.admin_token().await;
        let path = format!("/api/v1/users/{username}");
        self.call(reqwest::Method::PATCH, &path, Some(&token), Some(body))
            .await
    }

    /// `POST path` with a bearer token and a JSON body; panics unless 2xx; the JSON answer.
    pub async fn post_json(&self, path: &str, token: &str, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, Some(token), Some(body))
            .await
    }

    /// `GET path` with a bearer token; panics unless 2xx; returns the JSON body (Null if empty).
    pub async fn get_json(&self, path: &str, token: &str) -> Value {
        self.call(reqwest::Method::GET, path, Some(token), None)
            .await
    }

    /// Ids of all complaints, as admin sees them in `GET /api/v1/complaints`.
    pub async fn complaint_ids(&self) -> Vec<String> {
        let token = self.admin_token().await;
        let list = self.get_json("/api/v1/complaints", &token).await;
        let rows =
            list_rows(&list).unwrap_or_else(|| panic!("GET /api/v1/complaints: no list in {list}"));
        rows.iter()
            .map(|row| {
                row["id"]
                    .as_str()
                    .unwrap_or_else(|| panic!("complaint row without string id: {row}"))
                    .to_string()
            })
            .collect()
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Value {
        let mut req = self.http.request(method.clone(), self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = &body {
            req = req.json(body);
        }
        let resp = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        assert!(
            status.is_success(),
            "{method} {path} answered {status}: {text}"
        );
        if text.trim().is_empty() {
            return Value::Null;
        }
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path}: bad JSON ({e}): {text}"))
    }
}

/// A JSON list, either bare or wrapped (`{"items": [...]}` or similar single-array object).
fn list_rows(v: &Value) -> Option<&Vec<Value>> {
    match v {
        Value::Array(rows) => Some(rows),
        Value::Object(map) => ["items", "complaints", "data", "rows"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_array))
            .or_else(|| {
                let mut arrays = map.values().filter_map(Value::as_array);
                let first = arrays.next();
                if arrays.next().is_none() {
                    first
                } else {
                    None
                }
            }),
        _ => None,
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if std::thread::panicking() {
            eprintln!(
                "----- server log tail ({}) -----\n{}",
                self.base,
                self.log_tail(60)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_rows_accepts_bare_and_wrapped_lists() {
        let bare = json!([{"id": "a"}]);
        assert_eq!(list_rows(&bare).unwrap().len(), 1);
        let wrapped = json!({"items": [{"id": "a"}, {"id": "b"}], "total": 2});
        assert_eq!(list_rows(&wrapped).unwrap().len(), 2);
        let other = json!({"complaints": [], "next": null});
        assert_eq!(list_rows(&other).unwrap().len(), 0);
        assert!(list_rows(&json!({"a": [], "b": []})).is_none());
    }
}
