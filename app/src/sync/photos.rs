//! Photos of records taken on other devices: fetched from the server after a pull and kept in
//! IndexedDB (with a thumbnail made here), so they show offline too.

use crate::api::{Api, ApiError};
use crate::ctx::AppCtx;
use crate::logic::record;
use crate::web::image;
use leptos::prelude::*;

/// Most photos fetched per sync run (the rest come on the next runs).
const PER_RUN: usize = 20;

pub async fn fetch_missing(ctx: AppCtx, api: &Api) {
    let Ok(store) = ctx.local_store() else { return };
    let Ok(stored) = store.blob_keys().await else {
        return;
    };
    let wanted = ctx.replica.with_untracked(|r| {
        r.as_ref()
            .map(record::referenced_photos)
            .unwrap_or_default()
    });
    let missing: Vec<String> = wanted
        .into_iter()
        .filter(|h| !stored.contains(h))
        .filter(|h| ctx.uploads.with_untracked(|m| !m.contains_key(h)))
        .take(PER_RUN)
        .collect();
    let mut got = false;
    for sha in missing {
        match api.get_attachment(&sha).await {
            Ok(blob) => {
                let thumb = image::thumbnail(&blob).await.ok();
                match store.put_photo(&sha, &blob, thumb.as_ref()).await {
                    Ok(()) => got = true,
                    Err(e) => {
                        leptos::logging::warn!("photo {sha} not kept: {e}");
                        break; // probably full: try again later
                    }
                }
            }
            // Not uploaded yet (or not visible to this user): try again on a later run.
            Err(ApiError::Server { status: 404, .. }) => {}
            Err(e) => {
                leptos::logging::warn!("photo {sha} not fetched: {e}");
                break;
            }
        }
    }
    if got {
        ctx.blob_epoch.update(|n| *n += 1);
    }
}
