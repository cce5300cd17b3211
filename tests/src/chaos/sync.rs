//! Device sync as the app does it (push per author, ack, pull pages), and the background loop.

use super::client::{Api, CallError};
use super::device::{now, Device};
use super::rng::Rng;
use siteline_model::sync::{DEFAULT_PULL, PUSH_BATCH};
use siteline_model::EventId;
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

/// One sync run. A push answer is applied before anything else is sent, so a cut request
/// leaves its events pending (they are pushed again; the server is idempotent by event id).
pub async fn sync_once(dev: &SharedDevice, api: &Api) -> Result<Moved, CallError> {
    let mut moved = Moved::default();
    loop {
        let authors = lock(dev).pending_authors();
        let mut progressed = false;
        for author in authors {
            loop {
                let (batch, token) = {
                    let d = lock(dev);
                    (d.push_batch(&author, PUSH_BATCH), d.token_of(&author))
                };
                if batch.is_empty() {
                    break;
                }
                let token = token.ok_or_else(|| {
                    CallError::Answer(format!("no token for the author {author}"))
                })?;
                let ids: Vec<EventId> = batch.iter().map(|e| e.id).collect();
                let sent = now();
                let answer = match api.push(&token, batch).await {
                    Ok(a) => a,
                    Err(e) => {
                        if let CallError::Down {
                            cut_by: Some(kill), ..
                        } = &e
                        {
                            lock(dev).cut_pushes.push((*kill, ids));
                        }
                        return Err(e);
                    }
                };
                let settled = lock(dev).ack(&answer.results, sent, now());
                if settled == 0 {
                    return Err(CallError::Answer(
                        "the server acknowledged none of the pushed events".into(),
                    ));
                }
                moved.pushed += settled;
                progressed = true;
            }
        }
        if !progressed {
            break;
        }
    }
    loop {
        let (cursor, token) = {
            let d = lock(dev);
            (d.replica.meta().cursor, d.pull_token())
        };
        let page = api.pull(&token, cursor, DEFAULT_PULL).await?;
        lock(dev).pulled(&page);
        moved.pulled += page.events.len();
        if !page.has_more || page.events.is_empty() {
            break;
        }
    }
    Ok(moved)
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
