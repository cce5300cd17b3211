//! Test harness: a fresh in-process server per test on 127.0.0.1:0, a client, event builders.

use reqwest::StatusCode;
use serde_json::{json, Value};
use siteline_model::sync::{PullResponse, PushRequest, PushResponse, SyncedEvent, SCHEMA_VERSION};
use siteline_model::time::days_from_civil;
use siteline_model::{
    Channel, Complainant, ComplaintId, DeviceId, Event, EventId, EventKind, NewComplaint, Severity,
    Timestamp,
};
use siteline_server::{build, Built, Config, CreatedUser};
use std::sync::atomic::{AtomicU64, Ordering};
use tempfile::TempDir;

pub const ADMIN_PW: &str = "admin-password-1";
pub const STAFF_PW: &str = "staff-password-1";

pub struct TestServer {
    pub base: String,
    pub http: reqwest::Client,
    pub created_users: Vec<CreatedUser>,
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
    tweak(&mut cfg);
    let Built {
        router,
        created_users,
        ..
    } = build(cfg).await.expect("server builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    TestServer {
        base: format!("http://{addr}"),
        http: reqwest::Client::new(),
        created_users,
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

    pub async fn admin(&self) -> String {
        self.login("admin", ADMIN_PW).await
    }

    /// Creates a user as admin and returns a token for it.
    pub async fn user(&self, username: &str, role: &str) -> String {
        let admin = self.admin().await;
        let res = self
            .http
            .post(self.url("/api/v1/users"))
            .bearer_auth(&admin)
            .json(&json!({ "username": username, "password": STAFF_PW, "role": role, "display_name": "张三" }))
            .send()
            .await
            .expect("create user");
        assert_eq!(res.status(), StatusCode::CREATED);
        self.login(username, STAFF_PW).await
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
        let mut out = Vec::new();
        let mut after = 0;
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
        kind: EventKind::Created(NewComplaint {
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
        }),
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
