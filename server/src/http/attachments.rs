//! Attachments: which are stored (`check`), whole-file `PUT` by SHA-256, and `GET` for viewers.

use super::auth::AuthUser;
use super::{read_body, ApiJson};
use crate::attachments::parse_sha256;
use crate::error::{Error, Result};
use crate::{visibility, AppState};
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, ETAG, IF_NONE_MATCH, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use siteline_model::AttachmentRef;
use std::collections::HashSet;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/attachments/check", post(check))
        .route("/api/v1/attachments/{sha256}", put(put_whole).get(get_one))
}

/// Most hashes one `check` asks about.
pub const MAX_CHECK: usize = 1000;

/// Attachment bytes never change under their hash: cache them for good (but only privately).
pub const CACHE_FOREVER: &str = "private, max-age=31536000, immutable";

/// `POST /api/v1/attachments/check`
#[derive(Debug, Deserialize)]
pub struct CheckRequest {
    pub hashes: Vec<String>,
}

/// Each asked hash once, in the order asked: stored (`have`) or still to upload (`missing`).
#[derive(Debug, Serialize)]
pub struct CheckResponse {
    pub have: Vec<String>,
    pub missing: Vec<String>,
}

async fn check(
    State(st): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<CheckRequest>,
) -> Result<Json<CheckResponse>> {
    if req.hashes.len() > MAX_CHECK {
        return Err(Error::TooLarge(format!(
            "at most {MAX_CHECK} hashes per check, got {}",
            req.hashes.len()
        )));
    }
    let mut seen = HashSet::new();
    let mut asked = Vec::new();
    for h in &req.hashes {
        parse_sha256(h)?;
        if seen.insert(h.as_str()) {
            asked.push(h.clone());
        }
    }
    // A photo the caller could not read is answered `missing` (whether it is stored is not
    // theirs to learn); uploading its bytes proves they hold it and stores nothing twice.
    let mut stored: HashSet<String> = HashSet::new();
    for a in st.store.stored_attachments(&asked).await? {
        if visibility::may_see_attachment(st.store.as_ref(), &user.info, &a.sha256).await? {
            stored.insert(a.sha256);
        }
    }
    let (have, missing) = asked.into_iter().partition(|h| stored.contains(h));
    Ok(Json(CheckResponse { have, missing }))
}

/// `PUT /api/v1/attachments/{sha256}`: the whole file as the body. 201 when stored now, 200 with
/// the same answer when it already was; the `Content-Type` header is only the client's guess.
async fn put_whole(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<AttachmentRef>)> {
    let Path(sha256) = path?;
    let sha256 = parse_sha256(&sha256)?;
    let bytes = read_body(&headers, body, st.attachments.max_bytes, "an attachment").await?;
    let done = st
        .attachments
        .ingest(
            st.store.as_ref(),
            sha256,
            bytes,
            user.username(),
            st.clock.now(),
        )
        .await?;
    let status = if done.new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(done.attachment)))
}

fn not_found(sha256: &str) -> Error {
    Error::NotFound(format!("no attachment {sha256}"))
}

/// `GET /api/v1/attachments/{sha256}`: the bytes, to users who may see a complaint referencing
/// them ([`visibility::may_see_attachment`]); 404 otherwise, and while the bytes have not arrived.
async fn get_one(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response> {
    let Path(sha256) = path?;
    let sha256 = parse_sha256(&sha256)?;
    if !visibility::may_see_attachment(st.store.as_ref(), &user.info, sha256).await? {
        return Err(not_found(sha256));
    }
    let stored = st
        .store
        .stored_attachments(&[sha256.to_string()])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| Error::NotFound(format!("attachment {sha256} has not been uploaded yet")))?;
    let etag = format!("\"{sha256}\"");
    let cached = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if cached {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(ETAG, etag), (CACHE_CONTROL, CACHE_FOREVER.to_string())],
        )
            .into_response());
    }
    let Some(blob) = st.attachments.blobs.get(sha256).await? else {
        tracing::error!(%sha256, "attachment recorded but its bytes are missing");
        return Err(not_found(sha256));
    };
    Ok((
        [
            (CONTENT_TYPE, stored.content_type),
            (CONTENT_LENGTH, blob.size.to_string()),
            (CACHE_CONTROL, CACHE_FOREVER.to_string()),
            (ETAG, etag),
            (X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        Body::from_stream(blob.stream),
    )
        .into_response())
}
