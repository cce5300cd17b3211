//! Login/logout/me and the bearer-token extractor [`AuthUser`].

use super::ApiJson;
use crate::error::{Error, Result};
use crate::{now, secrets, AppState};
use axum::extract::{FromRequestParts, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use siteline_model::api::{LoginRequest, LoginResponse, UserInfo};
use siteline_model::{Role, Timestamp};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/logout", post(logout))
        .route("/api/v1/auth/me", get(me))
}

/// The signed-in caller, from `Authorization: Bearer <token>`.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub id: i64,
    pub info: UserInfo,
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
        let session = state
            .store
            .find_session(&secrets::token_hash(token))
            .await?
            .ok_or(Error::Unauthorized)?;
        if session.expires_at <= now() {
            return Err(Error::TokenExpired);
        }
        Ok(AuthUser {
            id: session.user.id,
            info: session.user.info,
        })
    }
}

/// Expired sessions are kept this long (so their holders hear `token_expired`), then purged.
const EXPIRED_SESSION_GRACE_MS: i64 = 30 * 24 * 3600 * 1000;

async fn login(
    State(st): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>> {
    // Usernames are lowercase; tablets like to capitalise the first letter.
    let username = req.username.trim().to_lowercase();
    let user = st.store.find_user(&username).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let ok = secrets::verify_password_blocking(req.password, hash).await?;
    let user = match user {
        Some(u) if ok => u,
        _ => return Err(Error::InvalidCredentials),
    };
    let token = secrets::new_token();
    let now = now();
    let ttl_ms = i64::try_from(st.config.token_ttl_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    let expires_at = Timestamp(now.millis().saturating_add(ttl_ms));
    st.store
        .create_session(&secrets::token_hash(&token), user.id, now, expires_at)
        .await?;
    st.store
        .purge_sessions(Timestamp(
            now.millis().saturating_sub(EXPIRED_SESSION_GRACE_MS),
        ))
        .await?;
    tracing::info!(user = %user.info.username, "signed in");
    Ok(Json(LoginResponse {
        token,
        expires_at,
        user: user.info,
    }))
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
