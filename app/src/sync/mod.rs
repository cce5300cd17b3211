//! Sync: push each author's outbox with that author's own token, upload the photos of
//! acknowledged records, pull by server cursor, fetch other devices' photos. Runs on open, on
//! `online`, on a timer with backoff, and on demand; one run at a time across tabs (web lock or
//! localStorage lease). No IndexedDB transaction spans a request.

mod photos;
mod sites;
mod uploads;

use crate::api::{Api, ApiError};
use crate::auth;
use crate::ctx::{navigator_online, now, AppCtx, Conn};
use crate::logic::keyring::TokenState;
use crate::logic::record;
use crate::store::prefs;
use crate::web::{locks, storage};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::replica::Change;
use siteline_model::sync::{Backoff, MAX_PULL, MAX_PUSH, PUSH_BATCH};
use siteline_model::ComplaintId;
use std::collections::BTreeSet;

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
            ctx.sync_runs.set((seen, ok));
            if let Some(e) = storage::estimate().await {
                ctx.estimate.set(Some(e));
            }
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
    if ctx.replica.with_untracked(Option::is_none) || ctx.update_required.get_untracked() {
        return !ctx.update_required.get_untracked();
    }
    // Another tab syncing counts as success here: it does the work.
    locks::with_sync_lock(|| run_locked(ctx))
        .await
        .unwrap_or(true)
}

async fn run_locked(ctx: AppCtx) -> bool {
    ctx.conn.set(Conn::Syncing);
    let mut reached = auth::relogin(ctx).await;
    let result = sync_all(ctx, &mut reached).await;
    ctx.in_flight.set(Default::default());
    let ok = match &result {
        Ok(()) => {
            let t = now();
            prefs::save_last_sync(t);
            ctx.last_sync.set(Some(t));
            ctx.clock_offset.set(crate::api::clock_offset());
            true
        }
        Err(SyncError::Api(ApiError::UpdateRequired(_))) => {
            ctx.update_required.set(true);
            false
        }
        Err(e) => {
            leptos::logging::warn!("sync failed: {e}");
            false
        }
    };
    reached |= matches!(&result, Err(SyncError::Api(e)) if !matches!(e, ApiError::Network(_)));
    check_session(ctx);
    ctx.conn.set(if reached && navigator_online() {
        Conn::Online
    } else {
        Conn::Offline
    });
    ok
}

/// Pushes every author's records with their token, uploads photos, pulls, fetches photos.
/// `reached` tells whether the server answered at all.
async fn sync_all(ctx: AppCtx, reached: &mut bool) -> Result<(), SyncError> {
    let pending = ctx.replica.with_untracked(|r| {
        r.as_ref()
            .map(record::pending_by_author)
            .unwrap_or_default()
    });
    for author in pending.keys() {
        let Some(token) = token_of(ctx, author) else {
            continue; // waits for that user to log in again
        };
        match push_author(ctx, &Api::new(Some(token)), author).await {
            Ok(()) => *reached = true,
            Err(SyncError::Api(ApiError::Unauthorized(_))) => {
                *reached = true;
                token_refused(ctx, author);
            }
            Err(e) => return Err(e),
        }
    }
    uploads::upload_all(ctx, reached).await?;
    if let Some(token) = ctx.token() {
        let api = Api::new(Some(token));
        match pull(ctx, &api).await {
            Ok(()) => *reached = true,
            Err(SyncError::Api(ApiError::Unauthorized(_))) => {
                if let Some(u) = ctx.username() {
                    token_refused(ctx, &u);
                }
                return Err(ApiError::Unauthorized("pull".into()).into());
            }
            Err(e) => return Err(e),
        }
        sites::refresh_if_due(ctx, &api).await;
        photos::fetch_missing(ctx, &api).await;
    }
    let pending = ctx.replica.with_untracked(|r| {
        r.as_ref()
            .map(record::pending_by_author)
            .unwrap_or_default()
    });
    let mut dropped = vec![];
    ctx.update_keyring(|k| dropped = k.drop_finished(&pending));
    dropped.into_iter().for_each(auth::end_on_server);
    Ok(())
}

/// The token to send `author`'s records with.
fn token_of(ctx: AppCtx, author: &str) -> Option<String> {
    let in_keyring = ctx.keyring.with_untracked(|k| k.get(author).is_some());
    if in_keyring {
        ctx.keyring.with_untracked(|k| k.token_for(author, now()))
    } else if ctx.username().as_deref() == Some(author) {
        ctx.token()
    } else {
        None
    }
}

/// The server refused `user`'s token: keep their records, mark the token, ask them to log in.
fn token_refused(ctx: AppCtx, user: &str) {
    ctx.update_keyring(|k| k.mark_invalid(user));
    if ctx.username().as_deref() == Some(user) {
        ctx.session_expired.set(true);
    }
}

/// Asks the logged-in user to log in again when their token is known to be unusable.
fn check_session(ctx: AppCtx) {
    let Some(user) = ctx.username() else { return };
    let state = ctx.keyring.with_untracked(|k| k.token_state(&user, now()));
    let known = ctx.keyring.with_untracked(|k| k.get(&user).is_some());
    let relogin_pending = auth::relogin_pending(&user);
    if known
        && matches!(state, TokenState::Invalid | TokenState::Missing)
        && !relogin_pending
        && ctx.conn.get_untracked() != Conn::Offline
    {
        ctx.session_expired.set(true);
    }
}

/// Pushes `author`'s pending events in batches: the first small (the first records show as sent
/// quickly, and a tab closed early loses little work), then doubling up to what the server takes
/// in one request (fewer round trips and fewer re-renders for a long outbox).
async fn push_author(ctx: AppCtx, api: &Api, author: &str) -> Result<(), SyncError> {
    let mut size = PUSH_BATCH;
    loop {
        let batch = ctx.replica.with_untracked(|r| {
            r.as_ref()
                .map(|r| record::push_batch(r, author, size))
                .unwrap_or_default()
        });
        if batch.is_empty() {
            return Ok(());
        }
        let before = batch.len();
        // Stays set until the acknowledgement is applied (one re-render per batch, not two);
        // `run_locked` clears it when the run ends, also on failure.
        ctx.in_flight
            .set(batch.iter().map(|e| e.complaint_id).collect());
        let answer = api.push(batch).await?;
        let change = ctx
            .replica
            .with_untracked(|r| r.as_ref().map(|r| r.ack(&answer.results)));
        let Some(change) = change else { return Ok(()) };
        if change.events.is_empty() && before > 0 {
            return Err(SyncError::NoProgress);
        }
        ctx.commit(change).await?;
        size = (size * 2).min(MAX_PUSH);
    }
}

/// Pulls everything new, in the largest pages the server gives. The next page is fetched while
/// the current one is being committed; it is applied only after that commit succeeded, so the
/// stored cursor still never runs ahead of the stored events.
async fn pull(ctx: AppCtx, api: &Api) -> Result<(), SyncError> {
    let cursor = ctx
        .replica
        .with_untracked(|r| r.as_ref().map_or(0, |r| r.meta().cursor));
    let mut page = api.pull(cursor, MAX_PULL).await?;
    // While pulling again after the reader scope changed: the complaints the server sends.
    let mut rescoped: Option<BTreeSet<ComplaintId>> = None;
    loop {
        let rescope = ctx
            .replica
            .with_untracked(|r| r.as_ref().is_some_and(|r| r.scope_changed(&page)));
        if rescope {
            // What this user may read changed: the change resets the cursor; start again at 0.
            let change = ctx
                .replica
                .with_untracked(|r| r.as_ref().map(|r| r.pulled_page(page)));
            let Some(change) = change else { break };
            ctx.commit(change).await?;
            rescoped = Some(BTreeSet::new());
            page = api.pull(0, MAX_PULL).await?;
            continue;
        }
        if let Some(seen) = rescoped.as_mut() {
            seen.extend(page.events.iter().map(|e| e.event.complaint_id));
        }
        let more = page.has_more && !page.events.is_empty();
        let next_cursor = page.next_cursor;
        let change = ctx
            .replica
            .with_untracked(|r| r.as_ref().map(|r| r.pulled_page(page)));
        let Some(change) = change else { break };
        // Events and the new cursor are committed together: the cursor never runs ahead of the data.
        if !more {
            // Nothing new (the periodic sync): no write, and no re-render of every page.
            let same = ctx.replica.with_untracked(|r| {
                r.as_ref()
                    .is_some_and(|r| change.events.is_empty() && *r.meta() == change.meta)
            });
            if !same {
                ctx.commit(change).await?;
            }
            break;
        }
        let (committed, next) = futures::join!(ctx.commit(change), api.pull(next_cursor, MAX_PULL));
        committed?;
        page = next?;
    }
    if let Some(seen) = rescoped {
        prune(ctx, &seen).await?;
    }
    Ok(())
}

/// After a full pull under a new scope: drops the complaints the server no longer sends (a
/// site lost), keeping every record with unsent or refused events.
async fn prune(ctx: AppCtx, kept: &BTreeSet<ComplaintId>) -> Result<(), SyncError> {
    let plan = ctx
        .replica
        .with_untracked(|r| r.as_ref().map(|r| (r.prune_plan(kept), r.meta().clone())));
    let Some((gone, meta)) = plan else {
        return Ok(());
    };
    if gone.is_empty() {
        return Ok(());
    }
    let change = Change {
        events: Vec::new(),
        meta,
    };
    ctx.commit_with(change, Vec::new(), &gone).await?;
    Ok(())
}

/// Runs a sync now and waits for it to finish (up to `timeout_ms`); answers whether it succeeded.
pub async fn sync_and_wait(ctx: AppCtx, timeout_ms: u32) -> bool {
    ctx.poke_sync();
    let target = ctx.sync_poke.get_untracked();
    let mut waited = 0;
    while waited < timeout_ms {
        TimeoutFuture::new(200).await;
        waited += 200;
        let (seen, ok) = ctx.sync_runs.get_untracked();
        if seen >= target {
            return ok;
        }
    }
    false
}
