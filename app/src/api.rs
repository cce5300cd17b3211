//! The one typed client of the server's HTTP API (gloo-net); every answer is a typed value or `ApiError`.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use siteline_model::api::{ErrorBody, LoginRequest, LoginResponse, SiteInfo};
use siteline_model::sync::{PullResponse, PushRequest, PushResponse, SCHEMA_VERSION};
use siteline_model::Event;

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
}

impl ApiError {
    /// Whether a later retry may succeed without the user doing anything.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network(_) => true,
            ApiError::Server { status, .. } => *status >= 500 || *status == 429,
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

    pub async fn login(&self, username: &str, password: &str) -> Result<LoginResponse, ApiError> {
        let body = LoginRequest {
            username: username.to_string(),
            password: password.to_string(),
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

    pub async fn pull(&self, after: u64, limit: u32) -> Result<PullResponse, ApiError> {
        let url = format!("/api/v1/sync/pull?after={after}&limit={limit}");
        decode(self.auth(Request::get(&url)).send().await).await
    }
}

async fn decode<T: DeserializeOwned>(
    sent: Result<Response, gloo_net::Error>,
) -> Result<T, ApiError> {
    let resp = sent.map_err(|e| ApiError::Network(e.to_string()))?;
    let status = resp.status();
    if resp.ok() {
        return resp
            .json::<T>()
            .await
            .map_err(|e| ApiError::Decode(e.to_string()));
    }
    // A proxy or a stopped server behind a service worker may answer non-JSON: treat 5xx as transient.
    let (code, message) = match resp.json::<ErrorBody>().await {
        Ok(b) => (b.error.code, b.error.message),
        Err(_) => (format!("http_{status}"), resp.status_text()),
    };
    if status == 401 {
        return Err(ApiError::Unauthorized(code));
    }
    Err(ApiError::Server {
        status,
        code,
        message,
    })
}
