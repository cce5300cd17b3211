//! Test harness: a fresh in-process server per test on 127.0.0.1:0, a client, event builders.

use reqwest::StatusCode;
use serde_json::{json, Value};
use siteline_model::sync::{
    PullResponse, PushRequest, PushResponse, PushResult, SyncedEvent, SCHEMA_VERSION,
};
use siteline_model::time::days_from_civil;
use siteline_model::{
    Channel, Complainant, ComplaintId, DeviceId, Event, EventId, EventKind, NewComplaint, Severity,
    Timestamp,
};
use siteline_server::{build, AppState, Built, Config, CreatedUser};
use std::sync::atomic::{AtomicU64, Ordering};
use tempfile::TempDir;

pub use crate::raw::*;

pub const ADMIN_PW: &str = "admin-password-1";
pub const STAFF_PW: &str = "staff-password-1";

pub struct TestServer {
    pub base: String,
    pub http: reqwest::Client,
    pub created_users: Vec<CreatedUser>,
    /// The running app's state: tests move `state.clock`.
    pub state: AppState,
    pub dir: TempDir,
}

pub async fn start() -> TestServer {
    start_with(|_| {}).await
}

/// Starts a server on a fresh temp dir; `tweak` adjusts the config (dist dir is `<tmp>/dist`, absent).
pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cfg = Config::new(dir.path().join("data"));
    cfg.dist_dir = dir.path().join("dist");
    cfg.admin_password = Some(ADMIN_PW.into());
    // Fixtures are captured on fixed 2026 dates; the capture window is tested on its own.
    cfg.max_capture_age_days = 36_500;
    cfg.database_url = crate::backend::backend_url().await;
    tweak(&mut cfg);
    let Built {
        router,
        created_users,
        state,
    } = build(cfg).await.expect("server builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    TestServer {
        base: format!("http://{addr}"),
        http: reqwest::Client::new(),
        created_users,
        state,
        dir,
    }
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Logs in; panics unless it succeeds.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let res = self
            .http
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("login request");
        assert_eq!(res.status(), StatusCode::OK, "login {username}");
        let body: Value = res.json().await.expect("login json");
        body["token"].as_str().expect("token").to_string()
    }

    /// A login attempt's status and body, whatever it is.
    pub async fn login_raw(&self, username: &str, password: &str) -> (StatusCode, Value) {
        let res = self
            .http
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("login request");
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn admin(&self) -> String {
        self.login("admin", ADMIN_PW).await
    }

    /// Creates a user as admin and returns a token for it.
    pub async fn user(&self, username: &str, role: &str) -> String {
        self.user_in(username, role, None).await
    }

    /// Creates a user of the default site `SL` with a department (handlers need one) and
    /// returns a token for it.
    pub async fn user_in(&self, username: &str, role: &str, department: Option<&str>) -> String {
        self.user_at(username, role, department, &["SL"]).await
    }

    /// Creates a user of `sites` and returns a token for it.
    pub async fn user_at(
        &self,
        username: &str,
        role: &str,
        department: Option<&str>,
        sites: &[&str],
    ) -> String {
        let admin = self.admin().await;
        let body = json!({ "username": username, "password": STAFF_PW, "role": role,
                           "display_name": "张三", "department": department, "sites": sites });
        let (status, body) = self
            .send(reqwest::Method::POST, &admin, "/api/v1/users", Some(&body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        self.login(username, STAFF_PW).await
    }

    /// Creates a site as admin; asserts 201.
    pub async fn site(&self, code: &str, name: &str) {
        let admin = self.admin().await;
        let body = json!({ "code": code, "name": name });
        let (status, body) = self
            .send(reqwest::Method::POST, &admin, "/api/v1/sites", Some(&body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    /// Any request with an optional JSON body; answers the status and the JSON body (or null).
    pub async fn send(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, self.url(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// `GET /api/v1/complaints/{id}`; asserts 200.
    pub async fn detail(&self, token: &str, id: ComplaintId) -> Value {
        let (status, body) = self.get(token, &format!("/api/v1/complaints/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// `GET /api/v1/complaints?<query>`; asserts 200 and answers the ids in order.
    pub async fn list_ids(&self, token: &str, query: &str) -> Vec<String> {
        let (status, body) = self
            .get(token, &format!("/api/v1/complaints?{query}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body.as_array()
            .expect("array")
            .iter()
            .filter_map(|c| c["id"].as_str().map(String::from))
            .collect()
    }

    pub async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let res = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("get");
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn push_raw(&self, token: &str, body: &Value) -> (StatusCode, Value) {
        let res = self
            .http
            .post(self.url("/api/v1/sync/push"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("push");
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Pushes events; asserts 200 and returns the parsed answer.
    pub async fn push(&self, token: &str, events: &[Event]) -> PushResponse {
        let req = PushRequest {
            schema_version: SCHEMA_VERSION,
            events: events.to_vec(),
        };
        let (status, body) = self
            .push_raw(token, &serde_json::to_value(&req).expect("json"))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).expect("push response")
    }

    pub async fn pull(&self, token: &str, after: u64, limit: u32) -> PullResponse {
        let (status, body) = self
            .get(
                token,
                &format!("/api/v1/sync/pull?after={after}&limit={limit}"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).expect("pull response")
    }

    /// Pulls everything page by page.
    pub async fn pull_all(&self, token: &str, limit: u32) -> Vec<SyncedEvent> {
        self.pull_all_after(token, 0, limit).await
    }

    /// Pulls everything after a cursor, page by page.
    pub async fn pull_all_after(&self, token: &str, from: u64, limit: u32) -> Vec<SyncedEvent> {
        let mut out = Vec::new();
        let mut after = from;
        loop {
            let page = self.pull(token, after, limit).await;
            assert!(page.events.len() <= limit as usize);
            out.extend(page.events);
            after = page.next_cursor;
            if !page.has_more {
                return out;
            }
        }
    }
}

/// Asserts the JSON error shape and returns the code.
pub fn error_code(body: &Value) -> &str {
    let msg = body["error"]["message"].as_str().unwrap_or("");
    assert!(!msg.is_empty(), "error message present: {body}");
    body["error"]["code"].as_str().expect("error.code")
}

/// The code of a rejected push result, `None` if accepted.
pub fn rejection(r: &PushResult) -> Option<&str> {
    match r {
        PushResult::Accepted { .. } => None,
        PushResult::Rejected { code, message } => {
            assert!(!message.is_empty(), "rejections explain themselves");
            Some(code)
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(1);

fn rnd() -> [u8; 10] {
    let mut r = [0u8; 10];
    r[..8].copy_from_slice(&COUNTER.fetch_add(1, Ordering::Relaxed).to_be_bytes());
    r[8..].copy_from_slice(&(std::process::id() as u16).to_be_bytes());
    r
}

/// 2026-03-01 10:00 in China.
pub fn t2026() -> Timestamp {
    Timestamp(days_from_civil(2026, 3, 1) * 86_400_000 + 2 * 3_600_000)
}

pub fn device() -> DeviceId {
    DeviceId::new_v7(t2026().millis(), rnd())
}

/// A `Created` event for a new complaint.
pub fn created(author: &str, device: DeviceId, description: &str, captured_at: Timestamp) -> Event {
    Event {
        id: EventId::new_v7(captured_at.millis(), rnd()),
        complaint_id: ComplaintId::new_v7(captured_at.millis(), rnd()),
        device_id: device,
        author: author.into(),
        captured_at,
        lamport: 1,
        kind: EventKind::Created(Box::new(NewComplaint {
            provisional_number: format!("P-{}-0001", device.short()),
            description: description.into(),
            location: "1栋 › 3F 电梯厅".into(),
            category: "facility.lift".into(),
            severity: Severity::Important,
            channel: Channel::Phone,
            complainant: Complainant {
                name: Some("王女士".into()),
                phone: Some("13800138000".into()),
                ..Default::default()
            },
            ..Default::default()
        })),
    }
}

/// A note on the complaint of `of`, one logical tick later.
pub fn note(of: &Event, text: &str) -> Event {
    Event {
        id: EventId::new_v7(of.captured_at.millis() + 60_000, rnd()),
        complaint_id: of.complaint_id,
        device_id: of.device_id,
        author: of.author.clone(),
        captured_at: Timestamp(of.captured_at.millis() + 60_000),
        lamport: of.lamport + 1,
        kind: EventKind::NoteAdded { text: text.into() },
    }
}

/// A `Created` event like [`created`], adjusted by `edit` (e.g. severity, phone, place).
pub fn created_with(
    author: &str,
    device: DeviceId,
    captured_at: Timestamp,
    edit: impl FnOnce(&mut NewComplaint),
) -> Event {
    let mut e = created(author, device, "测试投诉", captured_at);
    if let EventKind::Created(new) = &mut e.kind {
        edit(new);
    }
    e
}

/// Another event on the complaint of `of`, written by `author` on `device` at `lamport`,
/// captured `minutes` after `of`.
pub fn then(
    of: &Event,
    device: DeviceId,
    author: &str,
    lamport: u64,
    minutes: i64,
    kind: EventKind,
) -> Event {
    let at = Timestamp(of.captured_at.millis() + minutes * 60_000);
    Event {
        id: EventId::new_v7(at.millis(), rnd()),
        complaint_id: of.complaint_id,
        device_id: device,
        author: author.into(),
        captured_at: at,
        lamport,
        kind,
    }
}

pub fn dispatch(department: &str) -> EventKind {
    EventKind::Dispatched {
        department: department.into(),
        instructions: String::new(),
    }
}
