//! Sync: the shared driver (`siteline-sync`) pushes each author's outbox with that author's own
//! token and pulls by server cursor; around it, photos of acknowledged records are uploaded and
//! other devices' photos fetched. Runs on open, on `online`, on a timer with backoff, and on
//! demand; one run at a time across tabs (web lock or localStorage lease). No IndexedDB
//! transaction spans a request.

mod device;
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
use device::{Device, Net};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::sync::Backoff;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("the server did not acknowledge pushed events")]
    NoProgress,
}

impl From<siteline_sync::SyncError<ApiError, crate::store::StoreError>> for SyncError {
    fn from(e: siteline_sync::SyncError<ApiError, crate::store::StoreError>) -> Self {
        match e {
            siteline_sync::SyncError::Transport(e) => SyncError::Api(e),
            siteline_sync::SyncError::Local(e) => SyncError::Store(e),
            siteline_sync::SyncError::NoProgress => SyncError::NoProgress,
        }
    }
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
            compact_receipts(ctx).await;
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

/// Folds the acknowledgements the runs stored as receipts into the complaint records, one
/// receipt per transaction with a pause between (a save never waits behind more than one).
async fn compact_receipts(ctx: AppCtx) {
    let Ok(store) = ctx.local_store() else { return };
    loop {
        match store.compact_receipt().await {
            Ok(true) => TimeoutFuture::new(COMPACT_PAUSE_MS).await,
            Ok(false) => return,
            Err(e) => {
                // They stay applied at load; the next run tries again.
                leptos::logging::warn!("folding receipts in: {e}");
                return;
            }
        }
    }
}

/// Pause between two receipts folded in.
const COMPACT_PAUSE_MS: u32 = 40;

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
    let waiting = ctx
        .replica
        .with_untracked(|r| r.as_ref().map(|r| r.pending_records()));
    ctx.sync_started_with.set(waiting);
    let mut reached = auth::relogin(ctx).await;
    let result = sync_all(ctx, &mut reached).await;
    ctx.in_flight.set(Default::default());
    ctx.sync_started_with.set(None);
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
    let device = Device(ctx);
    let window = ctx.window();
    let net = Net::new(window);
    let pushed = siteline_sync::push_all(&device, &net).await?;
    *reached |= pushed.reached;
    report_device(ctx).await;
    uploads::upload_all(ctx, reached).await?;
    if let Some(token) = ctx.token() {
        let api = Api::new(Some(token.clone()));
        match siteline_sync::pull(&device, &net, &token).await {
            Ok(_) => *reached = true,
            Err(siteline_sync::SyncError::Transport(ApiError::Unauthorized(_))) => {
                if let Some(u) = ctx.username() {
                    device::token_refused(ctx, &u);
                }
                return Err(ApiError::Unauthorized("pull".into()).into());
            }
            Err(e) => return Err(e.into()),
        }
        if ctx.window() == window {
            // By the server's clock: the instant its window filter used.
            let since = net
                .since
                .get()
                .unwrap_or_else(|| window.since(crate::ctx::server_now(ctx)));
            evict(ctx, since).await?;
        } else {
            // Set anew during this pull (whose pages kept advancing the cursor): the next run
            // pulls under the new window, from the start if it is wider.
            ctx.rewindow_after_pull(window).await?;
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

/// Drops what the device window from `since` no longer holds (finished before it, nothing
/// unsent), sparing what was fetched on demand this session.
async fn evict(ctx: AppCtx, since: siteline_model::Timestamp) -> Result<(), SyncError> {
    let keep = ctx.fetched.get_untracked();
    let gone = siteline_sync::evict::<_, ApiError>(&Device(ctx), since, &keep).await?;
    if gone > 0 {
        leptos::logging::log!("device window: {gone} events of finished complaints dropped");
    }
    Ok(())
}

/// Tells the server how this tablet stands (unsynced records, storage) for the fleet page;
/// a failure here never fails the sync.
async fn report_device(ctx: AppCtx) {
    let Some(token) = ctx.token() else { return };
    let report = ctx.replica.with_untracked(|r| {
        r.as_ref().map(|r| {
            crate::logic::fleet::device_report(
                r,
                ctx.estimate.get_untracked(),
                ctx.persisted.get_untracked(),
            )
        })
    });
    if let Some(report) = report {
        if let Err(e) = Api::new(Some(token)).report_device(&report).await {
            leptos::logging::warn!("device report: {e}");
        }
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
