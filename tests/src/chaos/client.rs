//! HTTP calls of devices and verifier, counting requests refused, cut by kills, or answered badly.

use serde::de::DeserializeOwned;
use serde_json::Value;
use siteline_model::sync::{PullResponse, PushRequest, PushResponse, SCHEMA_VERSION};
use siteline_model::Event;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Kept messages of unexpected answers (the count is exact, the list is a sample).
const KEEP_MESSAGES: usize = 20;
/// A connection that breaks this soon after a kill may be one kept alive from before it.
const STALE_WINDOW: Duration = Duration::from_secs(5);

/// Traffic counters shared by every device, the killer and the report.
#[derive(Debug, Default)]
pub struct Traffic {
    pub pushes: AtomicU64,
    pub pulls: AtomicU64,
    pub push_in_flight: AtomicUsize,
    pub pull_in_flight: AtomicUsize,
    /// Incremented by the killer just before each kill: a request that started in an earlier
    /// epoch and then lost its connection was cut by a kill.
    pub kill_epoch: AtomicU64,
    /// Connection refused (the server was down).
    pub refused: AtomicU64,
    /// Sent, then the connection broke because the server was killed.
    pub cut_push: AtomicU64,
    pub cut_pull: AtomicU64,
    pub cut_other: AtomicU64,
    /// Sent on a kept-alive connection to a server killed shortly before (the client had not
    /// noticed the connection was gone yet).
    pub stale: AtomicU64,
    /// Connection broke with no kill in or shortly before the request (should stay 0).
    pub broken: AtomicU64,
    /// When the last kill happened.
    pub last_kill: Mutex<Option<Instant>>,
    /// Wall-clock time (unix ms) of each kill, in order (kill epoch n is entry n - 1).
    pub kill_times: Mutex<Vec<i64>>,
    /// Non-2xx answers and unreadable bodies (should stay 0).
    pub bad_answers: AtomicU64,
    pub messages: Mutex<Vec<String>>,
}

impl Traffic {
    /// Called by the killer right before a kill.
    pub fn killing(&self) {
        self.kill_epoch.fetch_add(1, SeqCst);
        if let Ok(mut t) = self.last_kill.lock() {
            *t = Some(Instant::now());
        }
        if let Ok(mut v) = self.kill_times.lock() {
            v.push(super::device::now().0);
        }
    }

    fn killed_lately(&self) -> bool {
        self.last_kill
            .lock()
            .map(|t| t.is_some_and(|t| t.elapsed() < STALE_WINDOW))
            .unwrap_or(false)
    }

    fn note(&self, msg: String) {
        if let Ok(mut m) = self.messages.lock() {
            if m.len() < KEEP_MESSAGES {
                m.push(msg);
            }
        }
    }

    pub fn kept_messages(&self) -> Vec<String> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

/// Why a call failed.
#[derive(Debug)]
pub enum CallError {
    /// No answer (refused, cut, timed out): the device treats it as being offline.
    /// `cut_by` is the kill (its epoch, 1-based) that cut the request in flight, if one did.
    Down {
        message: String,
        cut_by: Option<u64>,
    },
    /// The server answered, but not with success (`status`), or with a body that does not
    /// parse (`status` 200).
    Answer { status: u16, message: String },
}

impl std::error::Error for CallError {}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Down { message, .. } => write!(f, "no answer: {message}"),
            CallError::Answer { message, .. } => write!(f, "bad answer: {message}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Push,
    Pull,
    Other,
}

/// Counts one request in flight for as long as it lives.
struct InFlight<'a>(Option<&'a AtomicUsize>);

impl<'a> InFlight<'a> {
    fn new(counter: Option<&'a AtomicUsize>) -> Self {
        if let Some(c) = counter {
            c.fetch_add(1, SeqCst);
        }
        InFlight(counter)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.0 {
            c.fetch_sub(1, SeqCst);
        }
    }
}

/// A client of one server base URL.
#[derive(Clone, Debug)]
pub struct Api {
    http: reqwest::Client,
    base: String,
    pub traffic: Arc<Traffic>,
}

impl Api {
    /// Without `keep_alive` every request opens its own connection (behind the round-robin
    /// proxy, consecutive requests then reach different processes).
    pub fn new(base: &str, traffic: Arc<Traffic>, keep_alive: bool) -> Result<Api, String> {
        let mut builder = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(2));
        if !keep_alive {
            builder = builder.pool_max_idle_per_host(0);
        }
        let http = builder.build().map_err(|e| format!("http client: {e}"))?;
        Ok(Api {
            http,
            base: base.to_string(),
            traffic,
        })
    }

    /// `POST /api/v1/sync/push` with `token`.
    pub async fn push(&self, token: &str, events: Vec<Event>) -> Result<PushResponse, CallError> {
        let body = PushRequest {
            schema_version: SCHEMA_VERSION,
            events,
        };
        let req = self
            .http
            .post(format!("{}/api/v1/sync/push", self.base))
            .bearer_auth(token)
            .json(&body);
        self.traffic.pushes.fetch_add(1, SeqCst);
        self.send(req, Kind::Push).await
    }

    /// `GET /api/v1/sync/pull?after=..&limit=..`, as the app asks.
    pub async fn pull(
        &self,
        token: &str,
        after: u64,
        limit: u32,
    ) -> Result<PullResponse, CallError> {
        let url = format!(
            "{}/api/v1/sync/pull?after={after}&limit={limit}&schema_version={SCHEMA_VERSION}",
            self.base
        );
        self.traffic.pulls.fetch_add(1, SeqCst);
        self.send(self.http.get(url).bearer_auth(token), Kind::Pull)
            .await
    }

    /// The status a GET answers, not counted as a bad answer (the adversaries' probes).
    pub async fn status_of(&self, token: &str, path: &str) -> Result<u16, CallError> {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| CallError::Down {
                message: e.to_string(),
                cut_by: None,
            })?;
        Ok(resp.status().as_u16())
    }

    pub async fn get<T: DeserializeOwned>(&self, token: &str, path: &str) -> Result<T, CallError> {
        let req = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token);
        self.send(req, Kind::Other).await
    }

    pub async fn post<T: DeserializeOwned>(
        &self,
        token: Option<&str>,
        path: &str,
        body: &Value,
    ) -> Result<T, CallError> {
        let mut req = self.http.post(format!("{}{path}", self.base)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        self.send(req, Kind::Other).await
    }

    /// `GET /api/health` answered 2xx (not counted as traffic).
    pub async fn healthy(&self) -> bool {
        let url = format!("{}/api/health", self.base);
        match self
            .http
            .get(url)
            .timeout(Duration::from_secs(2))
            .send()
            .await
        {
            Ok(r) => r.status().is_success(),
            Err(_) => false,
        }
    }

    async fn send<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
        kind: Kind,
    ) -> Result<T, CallError> {
        let t = &self.traffic;
        let epoch = t.kill_epoch.load(SeqCst);
        let _in_flight = InFlight::new(match kind {
            Kind::Push => Some(&t.push_in_flight),
            Kind::Pull => Some(&t.pull_in_flight),
            Kind::Other => None,
        });
        let resp = req
            .send()
            .await
            .map_err(|e| self.connection_error(e, kind, epoch))?;
        let status = resp.status();
        let url = resp.url().path().to_string();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| self.connection_error(e, kind, epoch))?;
        if !status.is_success() {
            t.bad_answers.fetch_add(1, SeqCst);
            let msg = format!(
                "{url} answered {status}: {}",
                String::from_utf8_lossy(&bytes)
            );
            t.note(msg.clone());
            return Err(CallError::Answer {
                status: status.as_u16(),
                message: msg,
            });
        }
        serde_json::from_slice(&bytes).map_err(|e| {
            t.bad_answers.fetch_add(1, SeqCst);
            let msg = format!("{url}: unreadable answer ({e})");
            t.note(msg.clone());
            CallError::Answer {
                status: 200,
                message: msg,
            }
        })
    }

    fn connection_error(&self, e: reqwest::Error, kind: Kind, epoch: u64) -> CallError {
        let t = &self.traffic;
        let now_epoch = t.kill_epoch.load(SeqCst);
        let mut cut_by = None;
        if e.is_connect() {
            t.refused.fetch_add(1, SeqCst);
        } else if now_epoch != epoch {
            // The first kill after the request started cut it.
            cut_by = Some(epoch + 1);
            match kind {
                Kind::Push => &t.cut_push,
                Kind::Pull => &t.cut_pull,
                Kind::Other => &t.cut_other,
            }
            .fetch_add(1, SeqCst);
        } else if t.killed_lately() {
            t.stale.fetch_add(1, SeqCst);
        } else {
            t.broken.fetch_add(1, SeqCst);
            t.note(format!("connection broke with no kill: {e:?}"));
        }
        CallError::Down {
            message: format!("{e}"),
            cut_by,
        }
    }
}
