//! Automatic escalation: one pass now (admin endpoint), or a background task every interval.

use crate::config::Config;
use crate::error::Result;
use crate::AppState;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Escalates every complaint due as of the workflow clock's now; answers how many.
pub async fn run_once(state: &AppState) -> Result<u64> {
    let sites = state.store.list_sites().await?;
    let n = state
        .store
        .escalate_unresolved(&sites, state.clock.now())
        .await?;
    if n > 0 {
        tracing::info!(escalated = n, "unresolved complaints escalated to major");
    }
    Ok(n)
}

/// The configured pause between passes, or `None` when automatic escalation is off.
pub fn interval(config: &Config) -> Option<Duration> {
    (config.escalation_interval_secs > 0)
        .then(|| Duration::from_secs(config.escalation_interval_secs))
}

/// Runs a pass at start and then every `every`, until the runtime stops. Failures are logged.
pub fn spawn(state: AppState, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(e) = run_once(&state).await {
                tracing::error!(error = %e, "escalation pass failed");
            }
        }
    })
}
