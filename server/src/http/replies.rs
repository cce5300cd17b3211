//! 常用答复: `GET/POST /api/v1/sites/{code}/replies`, `PUT/DELETE …/replies/{id}` — a site's
//! reply templates, read by anyone at the site, managed by its supervisors and admins.

use super::auth::AuthUser;
use super::ApiJson;
use crate::error::{Error, Result};
use crate::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use siteline_model::access;
use siteline_model::replies::{self, ReplyEdit, ReplyTemplate, ReplyTemplateInput};
use siteline_model::Role;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sites/{code}/replies", get(list).post(add))
        .route(
            "/api/v1/sites/{code}/replies/{id}",
            put(replace).delete(delete),
        )
}

/// Another site (or one that does not exist) is not found, whoever asks.
async fn require_site(st: &AppState, user: &AuthUser, code: &str) -> Result<()> {
    if !access::belongs_to(&user.info, code) || st.store.get_site(code).await?.is_none() {
        return Err(Error::NotFound(format!("no site {code}")));
    }
    Ok(())
}

/// Staff and handlers may not manage templates (403); a supervisor only at their sites (404).
async fn require_manager(st: &AppState, user: &AuthUser, code: &str) -> Result<()> {
    if !matches!(user.role(), Role::Admin | Role::Supervisor) {
        return Err(Error::Forbidden);
    }
    require_site(st, user, code).await?;
    if !replies::may_manage(&user.info, code) {
        return Err(Error::Forbidden);
    }
    Ok(())
}

fn template(id: String, input: &ReplyTemplateInput) -> Result<ReplyTemplate> {
    let ok = input.normalized().map_err(|p| {
        Error::Validation(match (p.field, p.code) {
            ("text", "required") => "text is required".to_string(),
            ("text", _) => format!("text must have at most {} characters", replies::MAX_TEXT),
            ("title", "too_long") => {
                format!("title must have at most {} characters", replies::MAX_TITLE)
            }
            (field, code) => format!("{field}: {code}"),
        })
    })?;
    Ok(ReplyTemplate {
        id,
        step: ok.step,
        title: ok.title,
        text: ok.text,
    })
}

async fn list(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<ReplyTemplate>>> {
    let Path(code) = path?;
    require_site(&st, &user, &code).await?;
    let site = st.store.get_site(&code).await?;
    Ok(Json(site.map(|s| s.replies).unwrap_or_default()))
}

/// `POST`: 201 with the stored template (the server gives its id); 409 when the site is full.
async fn add(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<String>, PathRejection>,
    ApiJson(req): ApiJson<ReplyTemplateInput>,
) -> Result<(StatusCode, Json<ReplyTemplate>)> {
    let Path(code) = path?;
    require_manager(&st, &user, &code).await?;
    let t = template(hex::encode(rand::random::<[u8; 8]>()), &req)?;
    st.store
        .edit_site_replies(&code, &ReplyEdit::Add(t.clone()))
        .await?;
    tracing::info!(by = %user.username(), site = %code, template = %t.id, "reply template added");
    Ok((StatusCode::CREATED, Json(t)))
}

async fn replace(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<(String, String)>, PathRejection>,
    ApiJson(req): ApiJson<ReplyTemplateInput>,
) -> Result<Json<ReplyTemplate>> {
    let Path((code, id)) = path?;
    require_manager(&st, &user, &code).await?;
    let t = template(id, &req)?;
    st.store
        .edit_site_replies(&code, &ReplyEdit::Replace(t.clone()))
        .await?;
    tracing::info!(by = %user.username(), site = %code, template = %t.id, "reply template changed");
    Ok(Json(t))
}

async fn delete(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<StatusCode> {
    let Path((code, id)) = path?;
    require_manager(&st, &user, &code).await?;
    st.store
        .edit_site_replies(&code, &ReplyEdit::Delete(id.clone()))
        .await?;
    tracing::info!(by = %user.username(), site = %code, template = %id, "reply template deleted");
    Ok(StatusCode::NO_CONTENT)
}
