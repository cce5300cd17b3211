//! User administration (admin only): create and list users.

use super::auth::AuthUser;
use super::ApiJson;
use crate::error::{Error, Result};
use crate::store::NewUser;
use crate::{now, secrets, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use siteline_model::api::UserInfo;
use siteline_model::Role;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/users", get(list).post(create))
}

pub const MIN_PASSWORD: usize = 8;
pub const MAX_PASSWORD: usize = 256;
pub const MAX_DISPLAY_NAME: usize = 50;

/// `POST /api/v1/users` body. `display_name` defaults to the username.
#[derive(Debug, Deserialize)]
pub struct CreateUserRequest {
    pub username: String,
    pub password: String,
    pub role: String,
    #[serde(default)]
    pub display_name: String,
}

/// Usernames: 2-32 of `a-z 0-9 _ . -`.
pub fn valid_username(u: &str) -> bool {
    (2..=32).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b))
}

fn validate(req: &CreateUserRequest) -> Result<(Role, String)> {
    if !valid_username(&req.username) {
        return Err(Error::Validation(
            "username must be 2-32 characters of a-z, 0-9, _ . -".into(),
        ));
    }
    let len = req.password.chars().count();
    if len < MIN_PASSWORD {
        return Err(Error::Validation(format!(
            "password must have at least {MIN_PASSWORD} characters"
        )));
    }
    if len > MAX_PASSWORD {
        return Err(Error::Validation(format!(
            "password must have at most {MAX_PASSWORD} characters"
        )));
    }
    let role = Role::parse(&req.role)
        .ok_or_else(|| Error::Validation("role must be admin, supervisor or staff".into()))?;
    let display = match req.display_name.trim() {
        "" => req.username.clone(),
        d => d.to_string(),
    };
    if display.chars().count() > MAX_DISPLAY_NAME {
        return Err(Error::Validation(format!(
            "display_name must have at most {MAX_DISPLAY_NAME} characters"
        )));
    }
    Ok((role, display))
}

async fn create(
    State(st): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<CreateUserRequest>,
) -> Result<(StatusCode, Json<UserInfo>)> {
    user.require_admin()?;
    let (role, display_name) = validate(&req)?;
    if st.store.find_user(&req.username).await?.is_some() {
        return Err(Error::Conflict(format!(
            "user {:?} already exists",
            req.username
        )));
    }
    let password_hash = secrets::hash_password_blocking(req.password).await?;
    let new = NewUser {
        username: req.username,
        display_name,
        role,
        password_hash,
    };
    let created = st.store.create_user(new, now()).await?;
    tracing::info!(by = %user.username(), user = %created.info.username, "user created");
    Ok((StatusCode::CREATED, Json(created.info)))
}

async fn list(State(st): State<AppState>, user: AuthUser) -> Result<Json<Vec<UserInfo>>> {
    user.require_admin()?;
    Ok(Json(st.store.list_users().await?))
}

#[cfg(test)]
mod tests {
    use super::valid_username;

    #[test]
    fn usernames() {
        for ok in ["ab", "zhang.san", "li_4", "a-b", &"a".repeat(32)] {
            assert!(valid_username(ok), "{ok}");
        }
        for bad in ["a", "Admin", "张三", "a b", "a@b", &"a".repeat(33)] {
            assert!(!valid_username(bad), "{bad}");
        }
    }
}
