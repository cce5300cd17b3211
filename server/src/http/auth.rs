//! Login (throttled per username and address), logout, me, password change, and the
//! bearer-token extractor [`AuthUser`].

use super::ApiJson;
use crate::error::{Error, Result};
use crate::store::UserUpdate;
use crate::{now, secrets, AppState};
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use siteline_model::api::{
    ChangePasswordRequest, DeviceLoginRequest, LoginRequest, LoginResponse, UserInfo,
};
use siteline_model::{Role, Timestamp};
use std::net::{IpAddr, SocketAddr};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/auth/login",
            post(login).layer(DefaultBodyLimit::max(LOGIN_BODY_LIMIT)),
        )
        .route(
            "/api/v1/auth/device",
            post(device_login).layer(DefaultBodyLimit::max(LOGIN_BODY_LIMIT)),
        )
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/auth/me", get(me))
        .route(
            "/api/v1/auth/password",
            post(change_password).layer(DefaultBodyLimit::max(LOGIN_BODY_LIMIT)),
        )
}

/// Largest login (and password change) body.
pub const LOGIN_BODY_LIMIT: usize = 4 * 1024;

/// The client's address, when the server was started with connect info (never a header: a
/// proxy's `X-Forwarded-For` is not trusted).
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// The signed-in caller, from `Authorization: Bearer <token>`.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub id: i64,
    pub info: UserInfo,
    /// The hash of the token this request came with (kept when the password changes).
    pub token_hash: String,
}

impl AuthUser {
    pub fn username(&self) -> &str {
        &self.info.username
    }
    pub fn role(&self) -> Role {
        self.info.role
    }
    pub fn require_admin(&self) -> Result<()> {
        if self.role() == Role::Admin {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }
}

/// The token of an `Authorization: Bearer` header, if well formed.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let token = bearer(&parts.headers).ok_or(Error::Unauthorized)?;
        let token_hash = secrets::token_hash(token);
        let session = state
            .store
            .find_session(&token_hash)
            .await?
            .ok_or(Error::Unauthorized)?;
        if session.expires_at <= now() {
            return Err(Error::TokenExpired);
        }
        Ok(AuthUser {
            id: session.user.id,
            info: session.user.info,
            token_hash,
        })
    }
}

/// Expired sessions are kept this long (so their holders hear `token_expired`), then purged.
const EXPIRED_SESSION_GRACE_MS: i64 = 30 * 24 * 3600 * 1000;

async fn login(
    State(st): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>> {
    // Usernames are lowercase; tablets like to capitalise the first letter.
    let username = req.username.trim().to_lowercase();
    let user_key = format!("user:{username}");
    let mut keys = vec![user_key.clone()];
    if let Some(ip) = addr {
        keys.push(format!("addr:{ip}"));
    }
    let now_ms = now().millis();
    if let Some(retry_after_secs) = st.logins.blocked(&keys, now_ms).await? {
        tracing::warn!("sign-in throttled");
        return Err(Error::RateLimited { retry_after_secs });
    }
    let user = st.store.find_user(&username).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let ok = secrets::verify_password_blocking(req.password, hash).await?;
    let user = match user {
        // A disabled account answers like a wrong password (nothing to learn from it).
        Some(u) if ok && !u.info.disabled => u,
        _ => {
            st.logins.failed(&keys, now_ms).await?;
            return Err(Error::InvalidCredentials);
        }
    };
    st.logins.succeeded(&user_key).await?;
    let mut answer = issue_session(&st, user.id, user.info).await?;
    if let Some(device) = req.device_id {
        let key = secrets::new_token();
        let now = now();
        let expires = Timestamp(now.millis().saturating_add(DEVICE_KEY_TTL_MS));
        st.store
            .create_device_key(&secrets::token_hash(&key), user.id, device, now, expires)
            .await?;
        answer.device_key = Some(key);
    }
    tracing::info!(user = %answer.user.username, "signed in");
    Ok(Json(answer))
}

/// How long a device key gets new sessions (a tablet back from a long offline spell).
pub const DEVICE_KEY_TTL_MS: i64 = 60 * 24 * 3600 * 1000;

/// A new bearer session for a user (and old expired sessions purged).
async fn issue_session(st: &AppState, user_id: i64, user: UserInfo) -> Result<LoginResponse> {
    let token = secrets::new_token();
    let now = now();
    let ttl_ms = i64::try_from(st.config.token_ttl_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    let expires_at = Timestamp(now.millis().saturating_add(ttl_ms));
    st.store
        .create_session(&secrets::token_hash(&token), user_id, now, expires_at)
        .await?;
    st.store
        .purge_sessions(Timestamp(
            now.millis().saturating_sub(EXPIRED_SESSION_GRACE_MS),
        ))
        .await?;
    Ok(LoginResponse {
        token,
        expires_at,
        user,
        device_key: None,
    })
}

/// `POST /api/v1/auth/device`: a new session from the device key of this very device (after an
/// offline login on a shared tablet), throttled like a login; 401 for a wrong, expired or
/// revoked key or another device.
async fn device_login(
    State(st): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(req): ApiJson<DeviceLoginRequest>,
) -> Result<Json<LoginResponse>> {
    let username = req.username.trim().to_lowercase();
    let user_key = format!("user:{username}");
    let mut keys = vec![user_key.clone()];
    if let Some(ip) = addr {
        keys.push(format!("addr:{ip}"));
    }
    let now_ms = now().millis();
    if let Some(retry_after_secs) = st.logins.blocked(&keys, now_ms).await? {
        return Err(Error::RateLimited { retry_after_secs });
    }
    let found = st
        .store
        .find_device_key(&secrets::token_hash(&req.device_key), req.device_id, now())
        .await?
        .filter(|u| u.info.username == username);
    let Some(user) = found else {
        tracing::warn!(user = %username, "device key refused");
        st.logins.failed(&keys, now_ms).await?;
        return Err(Error::InvalidCredentials);
    };
    st.logins.succeeded(&user_key).await?;
    let answer = issue_session(&st, user.id, user.info).await?;
    tracing::info!(user = %answer.user.username, "signed in with a device key");
    Ok(Json(answer))
}

/// Revokes the presented token (expired or not). Idempotent: 204 either way.
async fn logout(State(st): State<AppState>, headers: HeaderMap) -> Result<StatusCode> {
    let token = bearer(&headers).ok_or(Error::Unauthorized)?;
    st.store.delete_session(&secrets::token_hash(token)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn me(user: AuthUser) -> Json<UserInfo> {
    Json(user.info)
}

/// `POST /api/v1/auth/password`: 204 once changed; every other session of the user ends.
async fn change_password(
    State(st): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode> {
    let key = vec![format!("user:{}", user.username())];
    let now_ms = now().millis();
    if let Some(retry_after_secs) = st.logins.blocked(&key, now_ms).await? {
        return Err(Error::RateLimited { retry_after_secs });
    }
    let record = st
        .store
        .find_user(user.username())
        .await?
        .ok_or(Error::Unauthorized)?;
    if !secrets::verify_password_blocking(req.current, Some(record.password_hash)).await? {
        st.logins.failed(&key, now_ms).await?;
        return Err(Error::Validation("the current password is wrong".into()));
    }
    super::users::validate_password(&req.new)?;
    let update = UserUpdate {
        password_hash: Some(secrets::hash_password_blocking(req.new).await?),
        ..UserUpdate::default()
    };
    st.store
        .update_user(user.username(), &update, Some(&user.token_hash))
        .await?
        .ok_or(Error::Unauthorized)?;
    tracing::info!(user = %user.username(), "password changed");
    Ok(StatusCode::NO_CONTENT)
}
