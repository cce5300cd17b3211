//! Resumable chunked uploads of large photos over bad connections, finalised like a whole-file PUT.
//!
//! `POST /api/v1/attachments/{sha256}/upload {"size": N}` starts (201) or resumes (200) the
//! caller's upload of that file and answers `{upload_id, size, received}`; then
//! `PUT /api/v1/attachments/{sha256}/upload/{upload_id}?offset=K` appends the next chunk, which
//! must start where the upload stands (else 409 `offset_mismatch` with `received`). The chunk
//! that completes it is verified and stored like a whole-file PUT and answered with the
//! attachment (201, or 200 if it was already stored). Uploads older than [`UPLOAD_TTL_MS`] are
//! removed (lazily, whenever an upload starts).

use super::auth::AuthUser;
use super::{read_body, ApiJson};
use crate::attachments::parse_sha256;
use crate::error::{Error, Result};
use crate::staging::{is_upload_id, new_id};
use crate::store::error::StoreError;
use crate::store::{Appended, UploadRecord};
use crate::visibility;
use crate::AppState;
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use siteline_model::{AttachmentRef, Timestamp};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/attachments/{sha256}/upload", post(start))
        .route(
            "/api/v1/attachments/{sha256}/upload/{upload_id}",
            put(chunk),
        )
}

/// Largest chunk accepted.
pub const MAX_CHUNK_BYTES: u64 = 2 * 1024 * 1024;
/// Incomplete uploads are abandoned after a day (by the workflow clock).
pub const UPLOAD_TTL_MS: i64 = 24 * 3600 * 1000;

#[derive(Debug, Deserialize)]
pub struct StartRequest {
    pub size: u64,
}

/// Where an upload stands. Once the server holds the file, `attachment` says so (and
/// `upload_id` is null): nothing more to send.
#[derive(Debug, Serialize)]
pub struct UploadStatus {
    pub upload_id: Option<String>,
    pub size: u64,
    pub received: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachment: Option<AttachmentRef>,
}

#[derive(Debug, Deserialize)]
pub struct ChunkQuery {
    pub offset: u64,
}

fn status_of(up: &UploadRecord) -> UploadStatus {
    UploadStatus {
        upload_id: Some(up.id.clone()),
        size: up.size,
        received: up.received,
        attachment: None,
    }
}

async fn stored(st: &AppState, sha256: &str) -> Result<Option<AttachmentRef>> {
    Ok(st
        .store
        .stored_attachments(&[sha256.to_string()])
        .await?
        .into_iter()
        .next())
}

/// Forgets an upload and its staged bytes.
async fn discard(st: &AppState, up: &UploadRecord) -> Result<()> {
    Ok(st.store.delete_upload(&up.id).await?)
}

/// Removes uploads started more than [`UPLOAD_TTL_MS`] before `now`; answers how many.
pub async fn purge_abandoned(st: &AppState, now: Timestamp) -> Result<usize> {
    let before = Timestamp(now.millis().saturating_sub(UPLOAD_TTL_MS));
    let old = st.store.uploads_created_before(before).await?;
    for up in &old {
        discard(st, up).await?;
    }
    if !old.is_empty() {
        tracing::info!(uploads = old.len(), "abandoned uploads removed");
    }
    Ok(old.len())
}

/// Uploads one user may have under way at once, and their declared bytes in all (in files of
/// the largest size allowed).
pub const MAX_UPLOADS_PER_USER: u64 = 20;
pub const STAGED_FILES_OF_MAX_SIZE: u64 = 10;

async fn start(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<String>, PathRejection>,
    ApiJson(req): ApiJson<StartRequest>,
) -> Result<(StatusCode, Json<UploadStatus>)> {
    let Path(sha256) = path?;
    let sha256 = parse_sha256(&sha256)?;
    if req.size == 0 {
        return Err(Error::BadRequest("size must be at least 1 byte".into()));
    }
    if req.size > st.attachments.max_bytes {
        return Err(st.attachments.too_large(req.size));
    }
    let now = st.clock.now();
    purge_abandoned(&st, now).await?;
    // Said to be stored only to whoever may read it already; others send the bytes.
    let readable = visibility::may_see_attachment(st.store.as_ref(), &user.info, sha256).await?;
    if let Some(a) = stored(&st, sha256).await?.filter(|_| readable) {
        let status = UploadStatus {
            upload_id: None,
            size: a.size,
            received: a.size,
            attachment: Some(a),
        };
        return Ok((StatusCode::OK, Json(status)));
    }
    if let Some(up) = st.store.find_upload(user.id, sha256).await? {
        if up.size == req.size {
            return Ok((StatusCode::OK, Json(status_of(&up))));
        }
        // Another size for the same hash: the earlier start was wrong; begin again.
        discard(&st, &up).await?;
    }
    // Staging is bounded per user: abandoned uploads expire, finished ones free their room.
    let (count, bytes) = st.store.uploads_of(user.id).await?;
    if count >= MAX_UPLOADS_PER_USER
        || bytes.saturating_add(req.size) > st.attachments.max_bytes * STAGED_FILES_OF_MAX_SIZE
    {
        return Err(Error::QuotaExceeded(format!(
            "{count} uploads ({bytes} bytes) are under way: finish them before starting more"
        )));
    }
    let up = UploadRecord {
        id: new_id(),
        user_id: user.id,
        sha256: sha256.to_string(),
        size: req.size,
        received: 0,
        created_at: now,
    };
    match st.store.create_upload(&up).await {
        Ok(()) => Ok((StatusCode::CREATED, Json(status_of(&up)))),
        Err(StoreError::Conflict(_)) => {
            // A concurrent start of the same file won: resume that one.
            let up = st
                .store
                .find_upload(user.id, sha256)
                .await?
                .ok_or_else(|| Error::Internal("upload vanished while starting".into()))?;
            Ok((StatusCode::OK, Json(status_of(&up))))
        }
        Err(e) => Err(e.into()),
    }
}

/// The caller's upload `id` of `sha256`, if it is under way.
async fn find(
    st: &AppState,
    user: &AuthUser,
    sha256: &str,
    id: &str,
) -> Result<Option<UploadRecord>> {
    if !is_upload_id(id) {
        return Ok(None);
    }
    Ok(st
        .store
        .get_upload(id)
        .await?
        .filter(|u| u.user_id == user.id && u.sha256 == sha256))
}

/// The answer when the upload is gone but the file is stored (e.g. the answer to the last
/// chunk was lost and the client sends it again): as then; else 404.
async fn finished_or_not_found(st: &AppState, sha256: &str) -> Result<Response> {
    match stored(st, sha256).await? {
        Some(a) => Ok((StatusCode::OK, Json(a)).into_response()),
        None => Err(Error::NotFound(
            "no such upload (finished, expired or never started): start it again".into(),
        )),
    }
}

async fn chunk(
    State(st): State<AppState>,
    user: AuthUser,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<ChunkQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response> {
    let Path((sha256, id)) = path?;
    let sha256 = parse_sha256(&sha256)?;
    let Query(q) = query?;
    let Some(up) = find(&st, &user, sha256, &id).await? else {
        return finished_or_not_found(&st, sha256).await;
    };
    // Refuse a wrong offset before reading the chunk; the store compares it again as it appends.
    if q.offset != up.received {
        return Err(Error::OffsetMismatch {
            received: up.received,
        });
    }
    let bytes = read_body(&headers, body, MAX_CHUNK_BYTES, "a chunk").await?;
    if q.offset + bytes.len() as u64 > up.size {
        return Err(Error::BadRequest(format!(
            "the chunk goes past the declared size of {} bytes",
            up.size
        )));
    }
    let received = if bytes.is_empty() {
        up.received
    } else {
        match st.store.append_upload(&up.id, q.offset, &bytes).await? {
            Appended::To(received) => received,
            Appended::Mismatch { received } => return Err(Error::OffsetMismatch { received }),
            Appended::Gone => return finished_or_not_found(&st, sha256).await,
        }
    };
    if received < up.size {
        let up = UploadRecord { received, ..up };
        return Ok((StatusCode::OK, Json(status_of(&up))).into_response());
    }
    let whole = st.store.upload_bytes(&up.id).await?;
    if whole.len() as u64 != up.size {
        // A concurrent request finished (and discarded) the upload meanwhile.
        return finished_or_not_found(&st, sha256).await;
    }
    let whole = bytes::Bytes::from(whole);
    let ingested = st
        .attachments
        .ingest(
            st.store.as_ref(),
            sha256,
            whole,
            user.username(),
            st.clock.now(),
        )
        .await;
    match ingested {
        Ok(done) => {
            discard(&st, &up).await?;
            let status = if done.new {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((status, Json(done.attachment)).into_response())
        }
        Err(e) if e.status().is_client_error() => {
            // The complete bytes are wrong (hash or type): keeping them helps nobody.
            discard(&st, &up).await?;
            Err(e)
        }
        Err(e) => Err(e),
    }
}
