//! Photo uploads, after the record's events are acknowledged: `check` which the server lacks,
//! then a whole `PUT` (≤ 1 MiB) or a resumable chunked upload (1 MiB chunks, resuming from what
//! the server has). A refused file is marked on its record and never blocks the others; network
//! trouble stops uploading until the next sync.

use super::SyncError;
use crate::api::{Api, ApiError, ChunkReply};
use crate::ctx::{now, AppCtx};
use crate::logic::record;
use crate::logic::upload::{
    self, Answer, Chunked, ErrorClass, Plan, Step, UploadRecord, UploadState,
};
use leptos::prelude::*;
use std::collections::BTreeMap;
use web_sys::Blob;

/// Uploads every due photo; `reached` becomes true when the server answered.
pub async fn upload_all(ctx: AppCtx, reached: &mut bool) -> Result<(), SyncError> {
    let acked = ctx.replica.with_untracked(|r| {
        r.as_ref()
            .map(record::acknowledged_photos)
            .unwrap_or_default()
    });
    let mut by_owner: BTreeMap<String, Vec<UploadRecord>> = BTreeMap::new();
    ctx.uploads.with_untracked(|m| {
        for u in m
            .values()
            .filter(|u| u.is_pending() && acked.contains(&u.sha256))
        {
            by_owner.entry(u.owner.clone()).or_default().push(u.clone());
        }
    });
    for (owner, list) in by_owner {
        let Some(token) = super::device::token_of(ctx, &owner) else {
            continue;
        };
        let api = Api::new(Some(token));
        match upload_owner(ctx, &api, list).await {
            Ok(()) => *reached = true,
            Err(SyncError::Api(ApiError::Unauthorized(_))) => {
                *reached = true;
                super::device::token_refused(ctx, &owner);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

async fn upload_owner(ctx: AppCtx, api: &Api, list: Vec<UploadRecord>) -> Result<(), SyncError> {
    let hashes: Vec<String> = list.iter().map(|u| u.sha256.clone()).collect();
    let answer = api.check(&hashes).await?;
    let store = ctx.local_store()?;
    for mut u in list {
        if answer.have.contains(&u.sha256) {
            u.state = UploadState::Uploaded;
            u.received = u.size;
            save(ctx, &u).await?;
            continue;
        }
        let Some(blob) = store.get_blob(&u.sha256).await? else {
            u.state = UploadState::Rejected {
                code: "missing_on_device".into(),
                message: "the photo is no longer stored on this device".into(),
            };
            save(ctx, &u).await?;
            continue;
        };
        match send(ctx, api, &mut u, &blob).await {
            Ok(()) => {
                u.state = UploadState::Uploaded;
                u.received = u.size;
                save(ctx, &u).await?;
            }
            Err(e) => match class_of(&e) {
                ErrorClass::Reject => {
                    let (code, message) = match e {
                        ApiError::Server { code, message, .. } => (code, message),
                        other => ("refused".to_string(), other.to_string()),
                    };
                    u.state = UploadState::Rejected { code, message };
                    save(ctx, &u).await?;
                }
                _ => return Err(e.into()),
            },
        }
    }
    Ok(())
}

fn class_of(e: &ApiError) -> ErrorClass {
    match e {
        ApiError::Server { status, code, .. } => upload::classify(*status, code),
        ApiError::Unauthorized(_) => ErrorClass::Auth,
        ApiError::UpdateRequired(_) => ErrorClass::UpdateRequired,
        ApiError::Network(_)
        | ApiError::Decode(_)
        | ApiError::OffsetMismatch(_)
        | ApiError::RateLimited(_) => ErrorClass::Transient,
    }
}

/// Stores the new state, then shows it.
async fn save(ctx: AppCtx, u: &UploadRecord) -> Result<(), SyncError> {
    ctx.local_store()?.put_upload(u).await?;
    ctx.uploads.update(|m| {
        m.insert(u.sha256.clone(), u.clone());
    });
    Ok(())
}

async fn send(ctx: AppCtx, api: &Api, u: &mut UploadRecord, blob: &Blob) -> Result<(), ApiError> {
    let size = blob.size() as u64;
    if upload::plan(size) == Plan::Whole {
        api.put_attachment(&u.sha256, blob, &u.content_type).await?;
        return Ok(());
    }
    let mut state = Chunked::new(size);
    let mut last_saved = now();
    'start: loop {
        let status = api.start_upload(&u.sha256, size).await?;
        if status.attachment.is_some() {
            return Ok(());
        }
        let id = status
            .upload_id
            .ok_or_else(|| ApiError::Decode("no upload id".into()))?;
        let mut step = state.on_answer(Answer::Progress(status.received));
        loop {
            match step {
                Step::Finished => return Ok(()),
                Step::GiveUp => return Err(ApiError::Network("upload did not complete".into())),
                Step::Restart => continue 'start,
                Step::Send(start, end) => {
                    let chunk = blob
                        .slice_with_f64_and_f64(start as f64, end as f64)
                        .map_err(|e| ApiError::Decode(crate::web::js_error(&e)))?;
                    step = match api.put_chunk(&u.sha256, &id, start, &chunk).await {
                        Ok(ChunkReply::Done(_)) => state.on_answer(Answer::Done),
                        Ok(ChunkReply::Progress(p)) => {
                            state.on_answer(Answer::Progress(p.received))
                        }
                        Err(ApiError::OffsetMismatch(r)) => state.on_answer(Answer::Mismatch(r)),
                        Err(ApiError::Server { status: 404, .. }) => state.on_answer(Answer::Gone),
                        Err(e) => return Err(e),
                    };
                    // Show progress (and keep it) every few seconds.
                    u.received = state.received;
                    if now().0 - last_saved.0 > 2_000 {
                        last_saved = now();
                        let _ = save(ctx, u).await;
                    }
                }
            }
        }
    }
}
