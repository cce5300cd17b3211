//! User administration (admin only): create, list and edit users (role, department, sites,
//! disabled, password reset); disabling or a new password ends the user's sessions at once.

use super::auth::AuthUser;
use super::ApiJson;
use crate::error::{Error, Result};
use crate::store::{NewUser, UserUpdate};
use crate::{now, secrets, AppState};
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Json, Router};
use siteline_model::api::{CreateUserRequest, UpdateUserRequest, UserInfo};
use siteline_model::{department, Role};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/users", get(list).post(create))
        .route("/api/v1/users/{username}", patch(update))
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
    validate_password(&req.password)?;
    let role = parse_role(&req.role)?;
    let display = match req.display_name.as_deref().map(str::trim) {
        None | Some("") => req.username.clone(),
        Some(d) => validate_display_name(d)?,
    };
    let dept = parse_department(req.department.as_deref())?;
    if role == Role::Handler && dept.is_none() {
        return Err(Error::Validation(
            "a handler needs a department (e.g. engineering)".into(),
        ));
    }
    Ok((role, display, dept))
}

/// 8 to 256 characters.
pub fn validate_password(password: &str) -> Result<()> {
    let len = password.chars().count();
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
    Ok(())
}

pub(crate) fn parse_role(role: &str) -> Result<Role> {
    Role::parse(role)
        .ok_or_else(|| Error::Validation("role must be admin, supervisor, staff or handler".into()))
}

fn validate_display_name(d: &str) -> Result<String> {
    let d = d.trim();
    if d.is_empty() || d.chars().count() > MAX_DISPLAY_NAME {
        return Err(Error::Validation(format!(
            "display_name must have 1 to {MAX_DISPLAY_NAME} characters"
        )));
    }
    Ok(d.to_string())
}

/// A known department code, or none for an absent or empty one.
pub(crate) fn parse_department(dept: Option<&str>) -> Result<Option<String>> {
    match dept.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) if department::find(d).is_none() => {
            Err(Error::Validation(format!("unknown department: {d}")))
        }
        other => Ok(other.map(String::from)),
    }
}

/// The sites a user of `role` gets: required (non-empty) except for admins, who work everywhere
/// and keep none. Unknown codes are refused by storage.
pub(crate) fn parse_sites(role: Role, sites: Option<&[String]>) -> Result<Vec<String>> {
    if role == Role::Admin {
        return Ok(Vec::new());
    }
    let mut out: Vec<String> = sites
        .unwrap_or_default()
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err(Error::Validation(
            "sites: a non-admin user needs at least one site".into(),
        ));
    }
    if out.len() > 500 {
        return Err(Error::Validation("sites: at most 500".into()));
    }
    Ok(out)
}

async fn create(
    State(st): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<CreateUserRequest>,
) -> Result<(StatusCode, Json<UserInfo>)> {
    user.require_admin()?;
    let (role, display_name, department) = validate(&req)?;
    let sites = parse_sites(role, req.sites.as_deref())?;
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
        sites,
    };
    let created = st.store.create_user(new, now()).await?;
    tracing::info!(by = %user.username(), user = %created.info.username, "user created");
    Ok((StatusCode::CREATED, Json(created.info)))
}

async fn list(State(st): State<AppState>, user: AuthUser) -> Result<Json<Vec<UserInfo>>> {
    user.require_admin()?;
    Ok(Json(st.store.list_users().await?))
}

/// `PATCH /api/v1/users/{username}` (admin): 200 with the user as now; 404 if unknown.
async fn update(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<String>, PathRejection>,
    ApiJson(req): ApiJson<UpdateUserRequest>,
) -> Result<Json<UserInfo>> {
    user.require_admin()?;
    let Path(username) = path?;
    let not_found = || Error::NotFound(format!("no user {username:?}"));
    let before = st.store.find_user(&username).await?.ok_or_else(not_found)?;
    let role = req.role.as_deref().map(parse_role).transpose()?;
    let new_role = role.unwrap_or(before.info.role);
    if username == user.username() && (new_role != Role::Admin || req.disabled == Some(true)) {
        return Err(Error::Validation(
            "admins cannot demote or disable themselves".into(),
        ));
    }
    let department = match &req.department {
        Some(d) => Some(parse_department(Some(d))?),
        None => None,
    };
    // A role change to or from admin settles the sites: admins keep none, others need some.
    let sites = match (&req.sites, role) {
        (Some(s), _) => Some(parse_sites(new_role, Some(s))?),
        (None, Some(Role::Admin)) => Some(Vec::new()),
        (None, Some(_)) if before.info.role == Role::Admin => Some(parse_sites(new_role, None)?),
        (None, _) => None,
    };
    let password_hash = match req.password {
        Some(p) => {
            validate_password(&p)?;
            Some(secrets::hash_password_blocking(p).await?)
        }
        None => None,
    };
    let up = UserUpdate {
        display_name: req
            .display_name
            .as_deref()
            .map(validate_display_name)
            .transpose()?,
        role,
        department,
        sites,
        disabled: req.disabled,
        password_hash,
    };
    let after = st
        .store
        .update_user(&username, &up, None)
        .await?
        .ok_or_else(not_found)?;
    tracing::info!(by = %user.username(), user = %username, disabled = after.info.disabled,
        "user changed");
    Ok(Json(after.info))
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
