//! Sites: `GET /api/v1/sites` (the caller's sites, what a device needs offline, their people's
//! display names included), `POST` (admin)
//! and admin edits of policy, days, categories.

use super::auth::AuthUser;
use super::ApiJson;
use crate::config::validate_site_code;
use crate::error::{Error, Result};
use crate::store::LocationNode;
use crate::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use siteline_model::access;
use siteline_model::api::{
    CreateSiteRequest, CustomCategory, DayUpdate, LocationInput, PolicyUpdate, SiteDay, SiteInfo,
    SiteUpdate,
};
use siteline_model::calendar::{parse_date, WorkingHours};
use siteline_model::category;
use siteline_model::time::civil_from_days;
use siteline_model::timelimit::Policy;
use siteline_model::validation::is_custom_category_code;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sites", get(list).post(create))
        .route("/api/v1/sites/{code}", patch(update))
        .route("/api/v1/sites/{code}/policy", put(set_policy))
        .route(
            "/api/v1/sites/{code}/days/{date}",
            put(set_day).delete(delete_day),
        )
        .route("/api/v1/sites/{code}/categories", post(add_category))
}

/// Largest number any policy field may hold (minutes, hours, days or percent).
pub const MAX_POLICY_VALUE: i64 = 10_000;
pub const MAX_CATEGORY_NAME: usize = 50;

/// Only the sites the caller works at (admins: all).
async fn list(State(st): State<AppState>, user: AuthUser) -> Result<Json<Vec<SiteInfo>>> {
    let mut sites = st.store.list_sites().await?;
    sites.retain(|s| access::belongs_to(&user.info, &s.code));
    let users = st.store.list_users().await?;
    for s in &mut sites {
        s.people = access::people_of(&users, &s.code);
    }
    Ok(Json(sites))
}

/// Most nodes a location tree may have, and the longest name of one.
pub const MAX_LOCATIONS: usize = 2000;
pub const MAX_LOCATION_NAME: usize = 40;
pub const MAX_SITE_NAME: usize = 60;

/// The tree of a `POST /api/v1/sites` body: labels split on `›` and merged into named nodes.
pub fn location_tree(input: &[LocationInput]) -> Result<Vec<LocationNode>> {
    fn insert(level: &mut Vec<LocationNode>, path: &[String]) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        let at = match level.iter().position(|n| &n.name == first) {
            Some(i) => i,
            None => {
                level.push(LocationNode::leaf(first));
                level.len() - 1
            }
        };
        insert(&mut level[at].children, rest);
    }
    fn walk(
        input: &[LocationInput],
        prefix: &mut Vec<String>,
        out: &mut Vec<LocationNode>,
        count: &mut usize,
    ) -> Result<()> {
        for node in input {
            let (path, children): (Vec<String>, &[LocationInput]) = match node {
                LocationInput::Label(label) => (
                    label.split('›').map(|p| p.trim().to_string()).collect(),
                    &[],
                ),
                LocationInput::Node { name, children } => (vec![name.trim().to_string()], children),
            };
            if path
                .iter()
                .any(|p| p.is_empty() || p.chars().count() > MAX_LOCATION_NAME)
            {
                return Err(Error::Validation(format!(
                    "location names must have 1 to {MAX_LOCATION_NAME} characters"
                )));
            }
            *count += path.len();
            if *count > MAX_LOCATIONS {
                return Err(Error::Validation(format!(
                    "a site may have at most {MAX_LOCATIONS} locations"
                )));
            }
            let depth = prefix.len();
            prefix.extend(path);
            if prefix.len() > 6 {
                return Err(Error::Validation("locations nest at most 6 deep".into()));
            }
            insert(out, prefix);
            walk(children, prefix, out, count)?;
            prefix.truncate(depth);
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(input, &mut Vec::new(), &mut out, &mut 0)?;
    Ok(out)
}

/// `POST /api/v1/sites` (admin): 201 with the new site; 409 if the code is taken.
async fn create(
    State(st): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<CreateSiteRequest>,
) -> Result<(StatusCode, Json<SiteInfo>)> {
    user.require_admin()?;
    let code = req.code.trim();
    validate_site_code(code).map_err(Error::Validation)?;
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > MAX_SITE_NAME {
        return Err(Error::Validation(format!(
            "name must have 1 to {MAX_SITE_NAME} characters"
        )));
    }
    let locations = location_tree(req.locations.as_deref().unwrap_or(&[]))?;
    if st.store.get_site(code).await?.is_some() {
        return Err(Error::Conflict(format!("site {code} already exists")));
    }
    st.store
        .create_site(code, name, false, &locations, crate::now())
        .await?;
    tracing::info!(by = %user.username(), site = %code, "site created");
    Ok((StatusCode::CREATED, Json(site(&st, code).await?)))
}

/// `PATCH /api/v1/sites/{code}` (admin): renames the site and adds places to its tree.
async fn update(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<String>, PathRejection>,
    ApiJson(req): ApiJson<SiteUpdate>,
) -> Result<Json<SiteInfo>> {
    user.require_admin()?;
    let Path(code) = path?;
    let name = req.name.as_deref().map(str::trim);
    if name.is_some_and(|n| n.is_empty() || n.chars().count() > MAX_SITE_NAME) {
        return Err(Error::Validation(format!(
            "name must have 1 to {MAX_SITE_NAME} characters"
        )));
    }
    let add = location_tree(&req.add_locations)?;
    let before = site(&st, &code).await?;
    let added: usize = add.iter().map(LocationNode::count).sum();
    if before.locations.len() + added > MAX_LOCATIONS {
        return Err(Error::Validation(format!(
            "a site may have at most {MAX_LOCATIONS} locations"
        )));
    }
    st.store.update_site(&code, name, &add).await?;
    tracing::info!(by = %user.username(), site = %code, "site updated");
    Ok(Json(site(&st, &code).await?))
}

async fn site(st: &AppState, code: &str) -> Result<SiteInfo> {
    st.store
        .get_site(code)
        .await?
        .ok_or_else(|| Error::NotFound(format!("no site {code}")))
}

/// Every limit positive (and bounded); the due-soon share a percentage.
pub fn validate_policy(p: &Policy) -> Result<()> {
    let fields = [
        ("notice_minutes", p.notice_minutes),
        ("reply_verbal_working_days", p.reply_verbal_working_days),
        ("reply_max_working_days", p.reply_max_working_days),
        ("major_respond_hours", p.major_respond_hours),
        ("major_answer_working_days", p.major_answer_working_days),
        ("major_close_working_days", p.major_close_working_days),
        ("escalate_unresolved_days", p.escalate_unresolved_days),
        ("repeat_window_days", p.repeat_window_days),
        ("due_soon_percent", p.due_soon_percent),
        ("due_soon_minutes", p.due_soon_minutes),
    ];
    for (name, v) in fields {
        if !(1..=MAX_POLICY_VALUE).contains(&v) {
            return Err(Error::Validation(format!(
                "policy.{name} must be 1 to {MAX_POLICY_VALUE}, got {v}"
            )));
        }
    }
    if p.due_soon_percent > 100 {
        return Err(Error::Validation(
            "policy.due_soon_percent must be at most 100".into(),
        ));
    }
    Ok(())
}

/// Opening before closing, within the day; a real-world UTC offset.
pub fn validate_hours(h: &WorkingHours) -> Result<()> {
    if h.start_min >= h.end_min || h.end_min > 1440 {
        return Err(Error::Validation(format!(
            "hours: start_min must be before end_min, and end_min at most 1440 (got {}-{})",
            h.start_min, h.end_min
        )));
    }
    if !(-12 * 60..=14 * 60).contains(&h.offset_min) {
        return Err(Error::Validation(format!(
            "hours.offset_min must be -720 to 840, got {}",
            h.offset_min
        )));
    }
    Ok(())
}

async fn set_policy(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<String>, PathRejection>,
    ApiJson(req): ApiJson<PolicyUpdate>,
) -> Result<Json<SiteInfo>> {
    user.require_admin()?;
    let Path(code) = path?;
    if let Some(p) = &req.policy {
        validate_policy(p)?;
    }
    if let Some(h) = &req.hours {
        validate_hours(h)?;
    }
    st.store
        .set_site_policy(&code, req.policy.as_ref(), req.hours.as_ref())
        .await?;
    tracing::info!(by = %user.username(), site = %code, "site policy changed");
    Ok(Json(site(&st, &code).await?))
}

/// A `YYYY-MM-DD` date that exists, in exactly that form.
fn canonical_date(date: &str) -> Result<String> {
    let bad = || Error::Validation(format!("date must be a real YYYY-MM-DD date, got {date:?}"));
    let day = parse_date(date).ok_or_else(bad)?;
    let (y, m, d) = civil_from_days(day);
    let canonical = format!("{y:04}-{m:02}-{d:02}");
    if canonical == date {
        Ok(canonical)
    } else {
        Err(bad())
    }
}

async fn set_day(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<(String, String)>, PathRejection>,
    ApiJson(req): ApiJson<DayUpdate>,
) -> Result<Json<SiteInfo>> {
    user.require_admin()?;
    let Path((code, date)) = path?;
    let day = SiteDay {
        date: canonical_date(&date)?,
        kind: req.kind,
    };
    st.store.set_site_day(&code, &day).await?;
    tracing::info!(by = %user.username(), site = %code, date = %day.date, "site day set");
    Ok(Json(site(&st, &code).await?))
}

async fn delete_day(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<StatusCode> {
    user.require_admin()?;
    let Path((code, date)) = path?;
    st.store
        .delete_site_day(&code, &canonical_date(&date)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn validate_category(c: &CustomCategory) -> Result<CustomCategory> {
    if !is_custom_category_code(&c.code) {
        return Err(Error::Validation(format!(
            "code must be custom.<slug> (a-z, 0-9, _), got {:?}",
            c.code
        )));
    }
    let top_level = category::find(&c.parent).is_some_and(|p| p.parent.is_none());
    if !top_level {
        return Err(Error::Validation(format!(
            "parent must be a built-in top-level category, got {:?}",
            c.parent
        )));
    }
    let (zh, en) = (c.zh.trim(), c.en.trim());
    if zh.is_empty() {
        return Err(Error::Validation(
            "zh (the Chinese name) is required".into(),
        ));
    }
    if zh.chars().count() > MAX_CATEGORY_NAME || en.chars().count() > MAX_CATEGORY_NAME {
        return Err(Error::Validation(format!(
            "names must have at most {MAX_CATEGORY_NAME} characters"
        )));
    }
    Ok(CustomCategory {
        code: c.code.clone(),
        parent: c.parent.clone(),
        zh: zh.into(),
        en: en.into(),
    })
}

async fn add_category(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<String>, PathRejection>,
    ApiJson(req): ApiJson<CustomCategory>,
) -> Result<(StatusCode, Json<CustomCategory>)> {
    user.require_admin()?;
    let Path(code) = path?;
    let category = validate_category(&req)?;
    st.store.add_site_category(&code, &category).await?;
    tracing::info!(by = %user.username(), site = %code, category = %category.code, "category added");
    Ok((StatusCode::CREATED, Json(category)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_canonical_and_real() {
        assert_eq!(
            canonical_date("2026-10-01").ok().as_deref(),
            Some("2026-10-01")
        );
        for bad in ["2026-1-1", "2026-02-30", "20261001", "x", "2026-10-01 "] {
            assert!(canonical_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn policies_and_hours() {
        assert!(validate_policy(&Policy::default()).is_ok());
        let p = Policy {
            notice_minutes: 0,
            ..Policy::default()
        };
        assert!(validate_policy(&p).is_err());
        let p = Policy {
            due_soon_percent: 101,
            ..Policy::default()
        };
        assert!(validate_policy(&p).is_err());
        assert!(validate_hours(&WorkingHours::default()).is_ok());
        for (s, e) in [(600, 600), (700, 600), (0, 1441)] {
            let h = WorkingHours {
                start_min: s,
                end_min: e,
                offset_min: 480,
            };
            assert!(validate_hours(&h).is_err(), "{s}-{e}");
        }
    }
}
