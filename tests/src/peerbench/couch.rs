//! `PouchServer`: a `pouchdb-server --in-memory` process on a free loopback port, and its HTTP API.

use crate::procs::{free_port, kill_group, log_tail};
use crate::wait::wait_for;
use serde_json::{json, Value};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tempfile::TempDir;

const START_TIMEOUT: Duration = Duration::from_secs(60);

pub struct PouchServer {
    pub port: u16,
    base: String,
    /// The working directory: its config.json and log file.
    dir: TempDir,
    child: Child,
    http: reqwest::Client,
}

impl PouchServer {
    /// Starts `bin` (`node_modules/.bin/pouchdb-server`) in memory, logging warnings only to a
    /// file, and waits until it answers `GET /`.
    pub async fn launch(bin: &Path) -> Result<PouchServer, String> {
        let dir = tempfile::Builder::new()
            .prefix("siteline-peer-couch-")
            .tempdir()
            .map_err(|e| format!("temp dir: {e}"))?;
        let log = dir.path().join("log.txt");
        let config = json!({ "log": { "file": log, "level": "warning" } });
        let config_path = dir.path().join("config.json");
        std::fs::write(&config_path, config.to_string())
            .map_err(|e| format!("{}: {e}", config_path.display()))?;
        let port = free_port();
        let child = Command::new(bin)
            .current_dir(dir.path())
            .args(["--in-memory", "--no-stdout-logs", "--host", "127.0.0.1"])
            .arg("--port")
            .arg(port.to_string())
            .arg("--config")
            .arg(&config_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let server = PouchServer {
            port,
            base: format!("http://127.0.0.1:{port}"),
            dir,
            child,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(300))
                .build()
                .map_err(|e| e.to_string())?,
        };
        let (http, root) = (server.http.clone(), server.url("/"));
        wait_for(
            || {
                let (http, root) = (http.clone(), root.clone());
                async move {
                    let v: Value = http
                        .get(&root)
                        .send()
                        .await
                        .map_err(|e| e.to_string())?
                        .json()
                        .await
                        .map_err(|e| e.to_string())?;
                    match v["version"].as_str() {
                        Some(_) => Ok(()),
                        None => Err(v.to_string()),
                    }
                }
            },
            START_TIMEOUT,
            "pouchdb-server to answer",
        )
        .await;
        Ok(server)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The last lines of the server's log file.
    pub fn log_tail(&self) -> String {
        log_tail(&self.dir.path().join("log.txt"), 20)
    }

    async fn send(&self, req: reqwest::RequestBuilder, what: &str) -> Result<Value, String> {
        let resp = req.send().await.map_err(|e| format!("{what}: {e}"))?;
        let status = resp.status();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            return Err(format!("{what}: {status} {body}\n{}", self.log_tail()));
        }
        Ok(body)
    }

    /// `PUT /<db>`.
    pub async fn create_db(&self, db: &str) -> Result<(), String> {
        let what = format!("creating database {db}");
        self.send(self.http.put(self.url(&format!("/{db}"))), &what)
            .await
            .map(|_| ())
    }

    /// Stores `bytes` as attachment `name` of document `doc` (created if new); answers the new rev.
    pub async fn put_attachment(
        &self,
        db: &str,
        doc: &str,
        rev: Option<&str>,
        name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<String, String> {
        let mut url = self.url(&format!("/{db}/{doc}/{name}"));
        if let Some(rev) = rev {
            url.push_str(&format!("?rev={rev}"));
        }
        let req = self
            .http
            .put(url)
            .header("Content-Type", content_type)
            .body(bytes);
        let v = self.send(req, &format!("attaching {name}")).await?;
        v["rev"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("attaching {name}: no rev in {v}"))
    }

    /// `POST /<db>/_bulk_docs`; every document must be written.
    pub async fn bulk_docs(&self, db: &str, docs: &[Value]) -> Result<(), String> {
        let req = self
            .http
            .post(self.url(&format!("/{db}/_bulk_docs")))
            .json(&json!({ "docs": docs }));
        let v = self.send(req, "bulk_docs").await?;
        let results = v.as_array().ok_or_else(|| format!("bulk_docs: {v}"))?;
        match results.iter().find(|r| r.get("error").is_some()) {
            Some(failed) => Err(format!("bulk_docs refused a document: {failed}")),
            None if results.len() != docs.len() => Err(format!(
                "bulk_docs answered {} results for {} documents",
                results.len(),
                docs.len()
            )),
            None => Ok(()),
        }
    }

    /// `doc_count` of `GET /<db>`.
    pub async fn doc_count(&self, db: &str) -> Result<u64, String> {
        let what = format!("database info of {db}");
        let v = self
            .send(self.http.get(self.url(&format!("/{db}"))), &what)
            .await?;
        v["doc_count"]
            .as_u64()
            .ok_or_else(|| format!("{what}: no doc_count in {v}"))
    }

    /// `pouchdb-server <version> (<adapters>)` from `GET /` (its CouchDB-style welcome).
    pub async fn version(&self) -> Result<String, String> {
        let v = self.send(self.http.get(self.url("/")), "welcome").await?;
        let adapters: Vec<&str> = v["pouchdb-adapters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        Ok(format!(
            "pouchdb-server {} ({})",
            v["version"].as_str().unwrap_or("?"),
            adapters.join(", ")
        ))
    }
}

impl Drop for PouchServer {
    fn drop(&mut self) {
        kill_group(&mut self.child);
    }
}
