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
use siteline_model::api::{CreateUserRequest, UserInfo};
use siteline_model::{department, Role};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/users", get(list).post(create))
}

pub const MIN_PASSWORD: usize = 8;
pub const MAX_PASSWORD: usize = 256;
pub const MAX_DISPLAY_NAME: usize = 50;

/// Usernames: 2-32 of `a-z 0-9 _ . -`.
pub fn valid_username(u: &str) -> bool {
    (2..=32).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b))
}

/// Checks a `POST /api/v1/users` body; answers the role, display name (default: the username)
/// and department (required for handlers, and known whenever given).
fn validate(req: &CreateUserRequest) -> Result<(Role, String, Option<String>)> {
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
    let role = Role::parse(&req.role).ok_or_else(|| {
        Error::Validation("role must be admin, supervisor, staff or handler".into())
    })?;
    let display = match req.display_name.as_deref().map(str::trim) {
        None | Some("") => req.username.clone(),
        Some(d) => d.to_string(),
    };
    if display.chars().count() > MAX_DISPLAY_NAME {
        return Err(Error::Validation(format!(
            "display_name must have at most {MAX_DISPLAY_NAME} characters"
        )));
    }
    let dept = req
        .department
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if let Some(d) = dept {
        if department::find(d).is_none() {
            return Err(Error::Validation(format!("unknown department: {d}")));
        }
    }
    if role == Role::Handler && dept.is_none() {
        return Err(Error::Validation(
            "a handler needs a department (e.g. engineering)".into(),
        ));
    }
    Ok((role, display, dept.map(String::from)))
}

async fn create(
    State(st): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<CreateUserRequest>,
) -> Result<(StatusCode, Json<UserInfo>)> {
    user.require_admin()?;
    let (role, display_name, department) = validate(&req)?;
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
        department,
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
