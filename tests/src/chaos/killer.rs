//! The killer: SIGKILLs a server process with a push or pull in flight, keeps it down, restarts
//! it (with several processes, one at a time, in turn; the others keep serving).

use super::client::Api;
use super::cluster::Cluster;
use super::rng::Rng;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use std::time::{Duration, Instant};

const POLL: Duration = Duration::from_millis(1);
const PROGRESS_POLL: Duration = Duration::from_millis(10);

/// One kill, as it landed.
#[derive(Clone, Copy, Debug)]
pub struct Kill {
    /// Which process (0 with one).
    pub process: usize,
    /// Since the start of the operation phase.
    pub at: Duration,
    pub pushes_in_flight: usize,
    pub pulls_in_flight: usize,
    pub downtime: Duration,
    /// From the restart command to a healthy answer.
    pub restart: Duration,
}

/// What the killer needs to watch.
pub struct Aim {
    pub kills: usize,
    pub total_ops: usize,
    pub ops_done: Arc<AtomicUsize>,
    pub workers_done: Arc<AtomicBool>,
    pub downtime_ms: (u64, u64),
    pub aim_timeout: Duration,
}

/// Kills and restarts a server process `aim.kills` times (process `k % n` for kill `k`); even
/// kills wait for a push in flight, odd ones for a pull, and for a connection open to the
/// victim (each at most `aim_timeout`, then it shoots anyway).
pub async fn run(
    cluster: &mut Cluster,
    api: &Api,
    aim: &Aim,
    mut rng: Rng,
) -> Result<Vec<Kill>, String> {
    let t0 = Instant::now();
    let traffic = &api.traffic;
    let mut kills = Vec::with_capacity(aim.kills);
    for k in 0..aim.kills {
        // Spread the kills evenly over the operations.
        let target = aim.total_ops * (k + 1) / (aim.kills + 1);
        while aim.ops_done.load(SeqCst) < target && !aim.workers_done.load(SeqCst) {
            tokio::time::sleep(PROGRESS_POLL).await;
        }
        let want_push = k % 2 == 0;
        let victim = k % cluster.servers.len();
        let aimed = Instant::now();
        loop {
            let busy = if want_push {
                traffic.push_in_flight.load(SeqCst)
            } else {
                traffic.pull_in_flight.load(SeqCst)
            };
            if (busy > 0 && cluster.active(victim) > 0) || aimed.elapsed() >= aim.aim_timeout {
                break;
            }
            tokio::time::sleep(POLL).await;
        }
        // Pushes: shoot at once or a few milliseconds later, so kills land at every point of a
        // push: before the server reads it, inside its transaction, after the commit. Pulls are
        // short: at once.
        let delay = if want_push { rng.below(4) } else { 0 };
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        let pushes_in_flight = traffic.push_in_flight.load(SeqCst);
        let pulls_in_flight = traffic.pull_in_flight.load(SeqCst);
        traffic.killing();
        cluster.kill(victim);
        let at = t0.elapsed();
        let downtime = Duration::from_millis(rng.range(aim.downtime_ms));
        tokio::time::sleep(downtime).await;
        let restart = cluster.start(victim).await?;
        kills.push(Kill {
            process: victim,
            at,
            pushes_in_flight,
            pulls_in_flight,
            downtime,
            restart,
        });
    }
    Ok(kills)
}
