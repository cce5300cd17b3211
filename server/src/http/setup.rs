//! First run: `GET /api/v1/setup` (admin) says whether the server still needs its guided setup —
//! no one but admins yet, and a default site without a location tree — and which site to set up.

use super::auth::AuthUser;
use crate::error::Result;
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use siteline_model::api::{SetupStatus, SiteInfo, UserInfo};
use siteline_model::Role;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/setup", get(status))
}

/// Setup is needed while only admins exist and the default site has no places yet.
pub fn needed(users: &[UserInfo], default_site: Option<&SiteInfo>) -> bool {
    users.iter().all(|u| u.role == Role::Admin)
        && default_site.is_none_or(|s| s.locations.is_empty())
}

async fn status(State(st): State<AppState>, user: AuthUser) -> Result<Json<SetupStatus>> {
    user.require_admin()?;
    let users = st.store.list_users().await?;
    let sites = st.store.list_sites().await?;
    // The default site is listed first.
    let default_site = sites.first();
    Ok(Json(SetupStatus {
        needed: needed(&users, default_site),
        site: default_site.map(|s| s.code.clone()).unwrap_or_default(),
        users: users.len() as u64,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> UserInfo {
        UserInfo {
            username: "u".into(),
            display_name: "u".into(),
            role,
            department: None,
            sites: vec![],
            disabled: false,
        }
    }

    fn site(locations: &[&str]) -> SiteInfo {
        SiteInfo {
            code: "SL".into(),
            name: "默认项目".into(),
            locations: locations.iter().map(|s| s.to_string()).collect(),
            policy: Default::default(),
            hours: Default::default(),
            days: vec![],
            categories: vec![],
            people: vec![],
            replies: vec![],
        }
    }

    #[test]
    fn needed_until_there_are_places_or_people() {
        let admins = [user(Role::Admin)];
        assert!(needed(&admins, Some(&site(&[]))));
        assert!(needed(&admins, None));
        assert!(!needed(&admins, Some(&site(&["1栋"]))));
        let staffed = [user(Role::Admin), user(Role::Staff)];
        assert!(!needed(&staffed, Some(&site(&[]))));
    }
}
