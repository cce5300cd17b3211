//! Sync: push the outbox in batches, then pull by server cursor; runs on open, on `online`,
//! on a timer with backoff, and on demand. One run at a time; no IndexedDB transaction spans a request.

mod sites;

use crate::api::{Api, ApiError};
use crate::ctx::{navigator_online, AppCtx, Conn};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::sync::{Backoff, DEFAULT_PULL, PUSH_BATCH};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("the server did not acknowledge pushed events")]
    NoProgress,
}

/// Starts the background sync loop and the `online` listener.
pub fn start(ctx: AppCtx) {
    let online = window_event_listener(leptos::ev::online, move |_| ctx.poke_sync());
    let offline = window_event_listener(leptos::ev::offline, move |_| ctx.conn.set(Conn::Offline));
    // The app lives as long as the page: keep the listeners.
    std::mem::forget((online, offline));
    spawn_local(async move {
        let mut backoff = Backoff::default();
        loop {
            let seen = ctx.sync_poke.get_untracked();
            let ok = run(ctx).await;
            let delay = backoff.next_delay_ms(ok);
            // Wait for the delay, or less if someone asks for a sync now.
            let mut waited = 0;
            while waited < delay && ctx.sync_poke.get_untracked() == seen {
                TimeoutFuture::new(250).await;
                waited += 250;
            }
        }
    });
}

/// One sync run. Answers whether it succeeded (or had nothing to do).
async fn run(ctx: AppCtx) -> bool {
    let Some(token) = ctx
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.token.clone()))
    else {
        return true;
    };
    if ctx.replica.with_untracked(Option::is_none) || ctx.session_expired.get_untracked() {
        return true;
    }
    ctx.conn.set(Conn::Syncing);
    let api = Api::new(Some(token));
    let result = sync_once(ctx, &api).await;
    let ok = match &result {
        Ok(()) => {
            sites::refresh_if_due(ctx, &api).await;
            true
        }
        Err(SyncError::Api(ApiError::Unauthorized(_))) => {
            ctx.session_expired.set(true);
            false
        }
        Err(e) => {
            leptos::logging::warn!("sync failed: {e}");
            false
        }
    };
    let reachable =
        ok || matches!(&result, Err(SyncError::Api(e)) if !matches!(e, ApiError::Network(_)));
    ctx.conn.set(if reachable && navigator_online() {
        Conn::Online
    } else {
        Conn::Offline
    });
    ok
}

/// Pushes everything pending, then pulls everything new.
pub async fn sync_once(ctx: AppCtx, api: &Api) -> Result<(), SyncError> {
    loop {
        let batch = ctx.replica.with_untracked(|r| {
            r.as_ref()
                .map(|r| r.pending_batch(PUSH_BATCH))
                .unwrap_or_default()
        });
        if batch.is_empty() {
            break;
        }
        let before = batch.len();
        let answer = api.push(batch).await?;
        let change = ctx
            .replica
            .with_untracked(|r| r.as_ref().map(|r| r.ack(&answer.results)));
        let Some(change) = change else { break };
        if change.events.is_empty() && before > 0 {
            return Err(SyncError::NoProgress);
        }
        ctx.commit(change).await?;
    }
    loop {
        let cursor = ctx
            .replica
            .with_untracked(|r| r.as_ref().map_or(0, |r| r.meta().cursor));
        let page = api.pull(cursor, DEFAULT_PULL).await?;
        let change = ctx
            .replica
            .with_untracked(|r| r.as_ref().map(|r| r.pulled(&page)));
        let Some(change) = change else { break };
        // Events and the new cursor are committed together: the cursor never runs ahead of the data.
        ctx.commit(change).await?;
        if !page.has_more || page.events.is_empty() {
            break;
        }
    }
    Ok(())
}
