//! The one typed client of the server's HTTP API (gloo-net); every answer is a typed value or
//! `ApiError`. The admin calls are in `admin`.

mod admin;
mod fleet;
mod history;
mod replies;
mod reports;

use crate::store::perf;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use siteline_model::api::{DeviceLoginRequest, LoginRequest, LoginResponse, SiteInfo};
use siteline_model::sync::{PullResponse, PushRequest, PushResponse, SCHEMA_VERSION};
use siteline_model::window::WindowDays;
use siteline_model::{AttachmentRef, DeviceId, Event};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The server could not be reached (offline, server down): retry later.
    #[error("network unreachable: {0}")]
    Network(String),
    /// The token is missing, wrong or expired: keep local data and ask for login.
    #[error("not logged in ({0})")]
    Unauthorized(String),
    /// The server answered an error.
    #[error("{code}: {message}")]
    Server {
        status: u16,
        code: String,
        message: String,
    },
    /// The answer was not what this app version understands.
    #[error("unexpected answer: {0}")]
    Decode(String),
    /// 426: the server no longer accepts this app's schema; keep everything and update the app.
    #[error("update required: {0}")]
    UpdateRequired(String),
    /// 429 `rate_limited`: too many failed sign-ins; try again after this many seconds.
    #[error("too many attempts: try again in {0} s")]
    RateLimited(u64),
    /// 409 `offset_mismatch` of a resumable upload: the server holds `received` bytes.
    #[error("upload offset mismatch: the server has {0} bytes")]
    OffsetMismatch(u64),
}

/// `POST /api/v1/attachments/check`
#[derive(Debug, Clone, Serialize)]
struct CheckRequest<'a> {
    hashes: &'a [String],
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CheckResponse {
    pub have: Vec<String>,
    pub missing: Vec<String>,
}

/// Where a resumable upload stands; `attachment` once the server holds the file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UploadStatus {
    #[serde(default)]
    pub upload_id: Option<String>,
    #[serde(default)]
    pub size: u64,
    pub received: u64,
    #[serde(default)]
    pub attachment: Option<AttachmentRef>,
}

/// The answer to a chunk: the stored attachment when it completed the file, else progress.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ChunkReply {
    Done(AttachmentRef),
    Progress(UploadStatus),
}

/// An error body, with the `received` that `offset_mismatch` adds.
#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorFields,
}

#[derive(Deserialize)]
struct ErrorFields {
    code: String,
    message: String,
    #[serde(default)]
    received: Option<u64>,
}

impl ApiError {
    /// Whether a later retry may succeed without the user doing anything.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network(_) => true,
            ApiError::Server { status, .. } => *status >= 500 || *status == 429,
            ApiError::RateLimited(_) => true,
            _ => false,
        }
    }
}

/// API client bound to the page's origin and (optionally) a bearer token.
#[derive(Clone, Debug, Default)]
pub struct Api {
    token: Option<String>,
}

impl Api {
    pub fn new(token: Option<String>) -> Self {
        Self { token }
    }

    fn auth(&self, b: RequestBuilder) -> RequestBuilder {
        match &self.token {
            Some(t) => b.header("Authorization", &format!("Bearer {t}")),
            None => b,
        }
    }

    /// Logs in; with `device` the answer also carries a key bound to this device.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        device: Option<DeviceId>,
    ) -> Result<LoginResponse, ApiError> {
        let body = LoginRequest {
            username: username.to_string(),
            password: password.to_string(),
            device_id: device,
        };
        let req = Request::post("/api/v1/auth/login")
            .json(&body)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(req.send().await).await
    }

    pub async fn push(&self, events: Vec<Event>) -> Result<PushResponse, ApiError> {
        let body = PushRequest {
            schema_version: SCHEMA_VERSION,
            events,
        };
        let req = self
            .auth(Request::post("/api/v1/sync/push"))
            .json(&body)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(req.send().await).await
    }

    /// The sites with their location labels, time-limit policy, calendar and own categories.
    pub async fn sites(&self) -> Result<Vec<SiteInfo>, ApiError> {
        decode(self.auth(Request::get("/api/v1/sites")).send().await).await
    }

    /// A pull page; `window`: leave out complaints finished longer ago (`model::window`).
    pub async fn pull(
        &self,
        after: u64,
        limit: u32,
        window: WindowDays,
    ) -> Result<PullResponse, ApiError> {
        let days = window.days();
        let url = format!(
            "/api/v1/sync/pull?after={after}&limit={limit}&schema_version={SCHEMA_VERSION}&window_days={days}"
        );
        let body = answer(self.auth(Request::get(&url)).send().await).await?;
        let started = perf::now();
        let page = serde_json::from_slice::<PullResponse>(&body)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        perf::measure(perf::DECODE, started, page.events.len());
        Ok(page)
    }

    /// A new session from this device's key (after an offline login; no password involved).
    pub async fn device_login(
        &self,
        username: &str,
        device: DeviceId,
        key: &str,
    ) -> Result<LoginResponse, ApiError> {
        let body = DeviceLoginRequest {
            username: username.to_string(),
            device_id: device,
            device_key: key.to_string(),
        };
        let req = Request::post("/api/v1/auth/device")
            .json(&body)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(req.send().await).await
    }

    /// Ends this token's session on the server.
    pub async fn logout(&self) -> Result<(), ApiError> {
        let sent = self.auth(Request::post("/api/v1/auth/logout")).send().await;
        expect_no_content(sent).await
    }

    /// Which of these photos the server already holds.
    pub async fn check(&self, hashes: &[String]) -> Result<CheckResponse, ApiError> {
        let req = self
            .auth(Request::post("/api/v1/attachments/check"))
            .json(&CheckRequest { hashes })
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(req.send().await).await
    }

    /// Uploads a whole file in one `PUT`.
    pub async fn put_attachment(
        &self,
        sha256: &str,
        blob: &web_sys::Blob,
        content_type: &str,
    ) -> Result<AttachmentRef, ApiError> {
        let req = self
            .auth(Request::put(&format!("/api/v1/attachments/{sha256}")))
            .header("Content-Type", content_type)
            .body(blob.clone())
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(req.send().await).await
    }

    /// Starts (or resumes) a resumable upload of `size` bytes.
    pub async fn start_upload(&self, sha256: &str, size: u64) -> Result<UploadStatus, ApiError> {
        let req = self
            .auth(Request::post(&format!(
                "/api/v1/attachments/{sha256}/upload"
            )))
            .json(&serde_json::json!({ "size": size }))
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(req.send().await).await
    }

    /// Sends the chunk starting at `offset`.
    pub async fn put_chunk(
        &self,
        sha256: &str,
        upload_id: &str,
        offset: u64,
        chunk: &web_sys::Blob,
    ) -> Result<ChunkReply, ApiError> {
        let url = format!("/api/v1/attachments/{sha256}/upload/{upload_id}?offset={offset}");
        let req = self
            .auth(Request::put(&url))
            .header("Content-Type", "application/octet-stream")
            .body(chunk.clone())
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(req.send().await).await
    }

    /// A photo's bytes (for records taken on other devices).
    pub async fn get_attachment(&self, sha256: &str) -> Result<web_sys::Blob, ApiError> {
        let sent = self
            .auth(Request::get(&format!("/api/v1/attachments/{sha256}")))
            .send()
            .await;
        let resp = sent.map_err(|e| ApiError::Network(e.to_string()))?;
        if !resp.ok() {
            return Err(error_of(resp).await);
        }
        let raw: web_sys::Response = resp.into();
        let p = raw
            .blob()
            .map_err(|e| ApiError::Decode(crate::web::js_error(&e)))?;
        let v = crate::web::await_promise(p)
            .await
            .map_err(ApiError::Network)?;
        wasm_bindgen::JsCast::dyn_into(v).map_err(|_| ApiError::Decode("not a Blob".into()))
    }
}

async fn decode<T: DeserializeOwned>(
    sent: Result<Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    // Bytes through `from_slice`, as the store decodes: one JSON reader, so the event
    // decoder is compiled once for both (twiggy: each reader is a full copy).
    let body = answer(sent).await?;
    serde_json::from_slice::<T>(&body).map_err(|e| ApiError::Decode(e.to_string()))
}

/// The body of a successful answer, or the error it stands for.
async fn answer(sent: Result<Response, gloo_net::Error>) -> Result<Vec<u8>, ApiError> {
    let resp = sent.map_err(|e| ApiError::Network(e.to_string()))?;
    note_server_date(&resp);
    if resp.ok() {
        return resp
            .binary()
            .await
            .map_err(|e| ApiError::Network(e.to_string()));
    }
    Err(error_of(resp).await)
}

thread_local! {
    /// The device clock's offset from the server's, from the last answer's `Date` header.
    static CLOCK_OFFSET: std::cell::Cell<Option<i64>> = const { std::cell::Cell::new(None) };
}

/// Records how far this device's clock is off the server's (`Date` of an answer).
fn note_server_date(resp: &Response) {
    let Some(date) = resp.headers().get("date") else {
        return;
    };
    let server = js_sys::Date::parse(&date);
    if server.is_finite() {
        let offset =
            siteline_model::sync::clock_offset_ms(server as i64, js_sys::Date::now() as i64);
        CLOCK_OFFSET.with(|c| c.set(offset));
    }
}

/// The device clock's offset from the server's as last seen (`None`: within a second, or unknown).
pub fn clock_offset() -> Option<i64> {
    CLOCK_OFFSET.with(|c| c.get())
}

/// A success without a body (`204 No Content`), or the error.
async fn expect_no_content(sent: Result<Response, gloo_net::Error>) -> Result<(), ApiError> {
    let resp = sent.map_err(|e| ApiError::Network(e.to_string()))?;
    if resp.ok() {
        return Ok(());
    }
    Err(error_of(resp).await)
}

async fn error_of(resp: Response) -> ApiError {
    let status = resp.status();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok());
    // A proxy or a stopped server behind a service worker may answer non-JSON: treat 5xx as transient.
    let (code, message, received) = match resp.json::<ErrorEnvelope>().await {
        Ok(b) => (b.error.code, b.error.message, b.error.received),
        Err(_) => (format!("http_{status}"), resp.status_text(), None),
    };
    match (status, code.as_str(), received) {
        (401, ..) => ApiError::Unauthorized(code),
        (429, ..) => ApiError::RateLimited(retry_after.unwrap_or(60)),
        (426, ..) | (_, "update_required", _) => ApiError::UpdateRequired(message),
        (409, "offset_mismatch", Some(r)) => ApiError::OffsetMismatch(r),
        _ => ApiError::Server {
            status,
            code,
            message,
        },
    }
}
