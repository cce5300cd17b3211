//! `POST /api/v1/import`: a supervisor or admin loads an "unsynced records" export (ZIP) of a
//! tablet that cannot sync. Events go through the same push path and rules as a normal push
//! (keeping their authors, checked as their authors, recorded as imported); attachments through
//! the same verify-and-store path as an upload. Idempotent like both.

use super::auth::AuthUser;
use super::sync::{check_schema_version, push_events, Source};
use super::{body_too_large, content_length};
use crate::archive::{self, Item, Limits};
use crate::error::{Error, Result};
use crate::store::ImportInfo;
use crate::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use bytes::Bytes;
use futures_util::StreamExt;
use serde::Serialize;
use siteline_model::sync::{PushResponse, MAX_PUSH};
use siteline_model::{DeviceId, Role};
use tokio::io::AsyncWriteExt;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/import", post(import))
}

/// Most entries an archive may list.
pub const MAX_IMPORT_ENTRIES: usize = 10_000;
/// Most bytes an archive may unpack to (zip-bomb guard).
pub const MAX_IMPORT_UNPACKED: u64 = 1024 * 1024 * 1024;
/// Largest `events.json`.
pub const MAX_EVENTS_JSON: u64 = 64 * 1024 * 1024;

/// `events.json` of an export: the model's shared format.
pub use siteline_model::api::ExportFile;

#[derive(Debug, Serialize)]
pub struct ImportResponse {
    pub device_id: DeviceId,
    /// One outcome per event of the export, in its order, as a push answers.
    pub events: PushResponse,
    pub attachments: AttachmentTally,
}

#[derive(Debug, Default, Serialize)]
pub struct AttachmentTally {
    /// Stored by this import.
    pub stored: u64,
    /// Already stored before (by an upload or an earlier import).
    pub already: u64,
    pub rejected: Vec<RejectedAttachment>,
}

/// An attachment entry not stored: `bad_name`, `too_large`, `hash_mismatch`, `unsupported_type`.
#[derive(Debug, Serialize)]
pub struct RejectedAttachment {
    pub sha256: String,
    pub code: String,
}

/// Streams the body into `file`, at most `limit` bytes.
async fn body_to_file(
    headers: &HeaderMap,
    body: Body,
    file: &mut tokio::fs::File,
    limit: u64,
) -> Result<()> {
    let too_large = || body_too_large("an import archive", limit);
    if content_length(headers).is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut written = 0u64;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| Error::BadRequest(format!("reading the body: {e}")))?;
        written += chunk.len() as u64;
        if written > limit {
            return Err(too_large());
        }
        file.write_all(&chunk)
            .await
            .map_err(|e| Error::Internal(format!("staging an import: {e}")))?;
    }
    file.flush()
        .await
        .map_err(|e| Error::Internal(format!("staging an import: {e}")))
}

async fn import(
    State(st): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<ImportResponse>> {
    if !matches!(user.role(), Role::Supervisor | Role::Admin) {
        return Err(Error::Forbidden);
    }
    let (temp, mut file) = st.attachments.staging.temp_file().await?;
    body_to_file(&headers, body, &mut file, st.config.max_import_bytes).await?;
    let file = file.into_std().await;
    let limits = Limits {
        max_entries: MAX_IMPORT_ENTRIES,
        max_unpacked: MAX_IMPORT_UNPACKED,
        max_events: MAX_EVENTS_JSON,
        max_attachment: st.attachments.max_bytes,
    };
    // One entry in flight at a time: the reader waits while an attachment is being stored.
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    let reader = tokio::task::spawn_blocking(move || {
        let mut file = std::io::BufReader::new(file);
        std::io::Seek::rewind(&mut file)
            .map_err(|e| Error::Internal(format!("reading a staged import: {e}")))?;
        archive::read(file, limits, &tx)
    });

    // `events.json` comes first: check it before storing anything.
    let export = match rx.recv().await {
        Some(Item::Events(bytes)) => parse_export(&bytes)?,
        _ => {
            return Err(join(reader.await)
                .err()
                .unwrap_or_else(|| Error::Internal("import reader stopped early".into())))
        }
    };
    let now = st.clock.now();
    let mut tally = AttachmentTally::default();
    while let Some(item) = rx.recv().await {
        let (sha256, bytes) = match item {
            Item::Attachment { sha256, bytes } => (sha256, bytes),
            Item::Rejected { sha256, code } => {
                tally.rejected.push(RejectedAttachment {
                    sha256,
                    code: code.into(),
                });
                continue;
            }
            Item::Events(_) => return Err(Error::Internal("events.json sent twice".into())),
        };
        let ingested = st
            .attachments
            .ingest(
                st.store.as_ref(),
                &sha256,
                Bytes::from(bytes),
                user.username(),
                now,
            )
            .await;
        match ingested {
            Ok(done) if done.new => tally.stored += 1,
            Ok(_) => tally.already += 1,
            Err(e) if e.status().is_client_error() => tally.rejected.push(RejectedAttachment {
                sha256,
                code: e.code().into(),
            }),
            Err(e) => return Err(e),
        }
    }
    join(reader.await)?;
    drop(temp);

    let info = ImportInfo {
        imported_by: user.username().to_string(),
        device_id: export.device_id,
        exported_at: export.exported_at,
    };
    let mut results = Vec::with_capacity(export.events.len());
    for batch in export.events.chunks(MAX_PUSH) {
        results.extend(push_events(&st, &user, batch, Source::Import(&info)).await?);
    }
    tracing::info!(
        by = %user.username(),
        device = %export.device_id,
        events = results.len(),
        stored = tally.stored,
        already = tally.already,
        rejected = tally.rejected.len(),
        "import"
    );
    Ok(Json(ImportResponse {
        device_id: export.device_id,
        events: PushResponse { results },
        attachments: tally,
    }))
}

fn join(res: std::result::Result<Result<()>, tokio::task::JoinError>) -> Result<()> {
    res.map_err(|e| Error::Internal(format!("import reader: {e}")))?
}

/// Parses `events.json` and checks its schema version (426 `update_required` outside the range).
fn parse_export(bytes: &[u8]) -> Result<ExportFile> {
    let export: ExportFile = serde_json::from_slice(bytes)
        .map_err(|e| Error::BadArchive(format!("{}: {e}", archive::EVENTS_FILE)))?;
    check_schema_version(export.schema_version)?;
    Ok(export)
}
