//! Device sync through the app's own driver (`siteline-sync`: push per author, ack, pull pages,
//! rescope), and the background loop.

use super::client::{Api, CallError};
use super::device::{now, Device};
use super::rng::Rng;
use siteline_model::replica::{Change, Replica};
use siteline_model::sync::{PullResponse, PushResponse};
use siteline_model::{ComplaintId, Event, EventId};
use siteline_sync::{Failure, Local, SyncError, Transport};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// A device shared by its operation task and its sync task (the lock is never held across a request).
pub type SharedDevice = Arc<Mutex<Device>>;

pub fn lock(d: &SharedDevice) -> MutexGuard<'_, Device> {
    d.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What one sync run moved.
#[derive(Clone, Copy, Debug, Default)]
pub struct Moved {
    pub pushed: usize,
    pub pulled: usize,
}

/// A device and its connection, as the app's sync driver sees them: the same `siteline-sync`
/// code the tablets run pushes, acknowledges and pulls here.
struct Link<'a> {
    api: &'a Api,
    dev: &'a SharedDevice,
}

impl Transport for Link<'_> {
    type Error = CallError;

    fn failure(e: &CallError) -> Failure {
        match e {
            CallError::Down { .. } => Failure::Unreachable,
            CallError::Answer { status: 401, .. } => Failure::Unauthorized,
            CallError::Answer { .. } => Failure::Other,
        }
    }

    async fn push(&self, token: &str, events: Vec<Event>) -> Result<PushResponse, CallError> {
        let ids: Vec<EventId> = events.iter().map(|e| e.id).collect();
        lock(self.dev).push_sent = now();
        let answer = self.api.push(token, events).await;
        if let Err(CallError::Down {
            cut_by: Some(kill), ..
        }) = &answer
        {
            lock(self.dev).cut_pushes.push((*kill, ids));
        }
        answer
    }

    async fn pull(&self, token: &str, cursor: u64, limit: u32) -> Result<PullResponse, CallError> {
        self.api.pull(token, cursor, limit).await
    }
}

/// The simulated device never fails to store.
#[derive(Debug, thiserror::Error)]
#[error("unreachable")]
pub enum Never {}

impl Local for Link<'_> {
    type Error = Never;

    fn read<R>(&self, f: impl FnOnce(&Replica) -> R) -> Option<R> {
        Some(f(&lock(self.dev).replica))
    }

    async fn commit(&self, change: Change) -> Result<(), Never> {
        let mut d = lock(self.dev);
        let sent = d.push_sent;
        d.settle(change, sent, now());
        Ok(())
    }

    async fn remove(&self, change: Change, gone: &[(ComplaintId, EventId)]) -> Result<(), Never> {
        lock(self.dev).remove(change.meta, gone);
        Ok(())
    }

    fn token_of(&self, author: &str) -> Option<String> {
        lock(self.dev).token_of(author)
    }

    fn token_refused(&self, author: &str) {
        lock(self.dev).tokens_refused.push(author.to_string());
    }
}

/// One sync run through the app's driver: push every author's outbox until nothing is left
/// (operations go on meanwhile), then pull every page.
pub async fn sync_once(dev: &SharedDevice, api: &Api) -> Result<Moved, CallError> {
    let link = Link { api, dev };
    let mut moved = Moved::default();
    loop {
        let pushed = siteline_sync::push_all(&link, &link)
            .await
            .map_err(driver_error)?;
        moved.pushed += pushed.settled;
        if pushed.settled == 0 {
            break;
        }
    }
    let token = lock(dev).pull_token();
    let pulled = siteline_sync::pull(&link, &link, &token)
        .await
        .map_err(driver_error)?;
    moved.pulled = pulled.events;
    Ok(moved)
}

fn driver_error(e: SyncError<CallError, Never>) -> CallError {
    match e {
        SyncError::Transport(e) => e,
        SyncError::Local(never) => match never {},
        SyncError::NoProgress => CallError::Answer {
            status: 200,
            message: "the server acknowledged none of the pushed events".into(),
        },
    }
}

/// Counters of the background sync loops.
#[derive(Debug, Default)]
pub struct LoopStats {
    pub runs: AtomicU64,
    pub failed_runs: AtomicU64,
    pub offline_spells: AtomicU64,
    pub offline_ms: AtomicU64,
}

/// Timing of a device's background sync (from the run configuration).
#[derive(Clone, Copy, Debug)]
pub struct LoopTiming {
    pub pause_ms: (u64, u64),
    pub offline_per_mille: u32,
    pub offline_ms: (u64, u64),
}

/// Syncs `dev` again and again until `stop`, now and then going offline for a while
/// (the device keeps working locally meanwhile). Failures count as being offline.
pub async fn sync_loop(
    dev: SharedDevice,
    api: Api,
    mut rng: Rng,
    timing: LoopTiming,
    stop: Arc<AtomicBool>,
    stats: Arc<LoopStats>,
) {
    while !stop.load(SeqCst) {
        if rng.chance(timing.offline_per_mille) {
            let ms = rng.range(timing.offline_ms);
            stats.offline_spells.fetch_add(1, SeqCst);
            stats.offline_ms.fetch_add(ms, SeqCst);
            nap(ms, &stop).await;
            continue;
        }
        stats.runs.fetch_add(1, SeqCst);
        if sync_once(&dev, &api).await.is_err() {
            stats.failed_runs.fetch_add(1, SeqCst);
        }
        nap(rng.range(timing.pause_ms), &stop).await;
    }
}

/// Sleeps `ms` (a modelled pause, not a synchronisation), waking early when `stop` is set.
async fn nap(ms: u64, stop: &AtomicBool) {
    let mut left = ms;
    while left > 0 && !stop.load(SeqCst) {
        let step = left.min(50);
        tokio::time::sleep(Duration::from_millis(step)).await;
        left -= step;
    }
}
