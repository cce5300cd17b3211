//! Login throttling: failed sign-ins counted per username and per client address in a sliding
//! window; past the limit a key answers 429 `rate_limited` with `Retry-After` until it cools.

use crate::store::error::Result;
use async_trait::async_trait;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Where failed sign-ins are counted: in the process (one server, [`LoginLimiter`]) or in the
/// database (several servers on PostgreSQL), with the same limits either way.
#[async_trait]
pub trait LoginLimits: Send + Sync {
    /// Seconds until the first of `keys` that is over the limit may try again, if any is.
    async fn blocked(&self, keys: &[String], now_ms: i64) -> Result<Option<u64>>;
    /// Counts a failed attempt against every key.
    async fn failed(&self, keys: &[String], now_ms: i64) -> Result<()>;
    /// A success forgets the username's failures (not the address's).
    async fn succeeded(&self, user_key: &str) -> Result<()>;
}

/// The wait a key owes, given its failures in the window and the oldest of them: `None` while
/// it is under its limit. One rule for every place failures are counted.
pub fn wait_secs(key: &str, failures: usize, oldest_ms: i64, now_ms: i64) -> Option<u64> {
    (failures >= limit_of(key)).then(|| {
        let wait = oldest_ms + WINDOW_MS - now_ms;
        u64::try_from(wait.max(1_000))
            .unwrap_or(1_000)
            .div_ceil(1000)
    })
}

/// Failures a username may have within [`WINDOW_MS`].
pub const MAX_FAILURES: usize = 5;
/// Failures one client address may have within [`WINDOW_MS`]: higher, since a site office's
/// tablets often share one address and one person's typos must not lock out the rest; still
/// low enough to stop guessing across many usernames.
pub const MAX_FAILURES_PER_ADDR: usize = 30;

fn limit_of(key: &str) -> usize {
    if key.starts_with("addr:") {
        MAX_FAILURES_PER_ADDR
    } else {
        MAX_FAILURES
    }
}
pub const WINDOW_MS: i64 = 60_000;
/// Keys kept before old ones are swept (bounds memory under a spray of usernames).
const MAX_KEYS: usize = 100_000;

/// Failed logins by key (`user:<name>`, `addr:<ip>`), each a queue of failure times.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl LoginLimiter {
    /// Seconds until the first of `keys` that is over the limit may try again, if any is.
    pub fn blocked(&self, keys: &[String], now_ms: i64) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        keys.iter()
            .filter_map(|k| {
                let q = map.get_mut(k)?;
                prune(q, now_ms);
                wait_secs(k, q.len(), q.front().copied().unwrap_or(now_ms), now_ms)
            })
            .max()
    }

    /// Counts a failed attempt against every key.
    pub fn failed(&self, keys: &[String], now_ms: i64) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_KEYS {
            map.retain(|_, q| {
                prune(q, now_ms);
                !q.is_empty()
            });
        }
        for k in keys {
            let q = map.entry(k.clone()).or_default();
            prune(q, now_ms);
            q.push_back(now_ms);
        }
    }

    /// A success forgets the username's failures (not the address's).
    pub fn succeeded(&self, user_key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(user_key);
    }
}

#[async_trait]
impl LoginLimits for LoginLimiter {
    async fn blocked(&self, keys: &[String], now_ms: i64) -> Result<Option<u64>> {
        Ok(LoginLimiter::blocked(self, keys, now_ms))
    }
    async fn failed(&self, keys: &[String], now_ms: i64) -> Result<()> {
        LoginLimiter::failed(self, keys, now_ms);
        Ok(())
    }
    async fn succeeded(&self, user_key: &str) -> Result<()> {
        LoginLimiter::succeeded(self, user_key);
        Ok(())
    }
}

fn prune(q: &mut VecDeque<i64>, now_ms: i64) {
    while q.front().is_some_and(|t| *t <= now_ms - WINDOW_MS) {
        q.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_a_minute_then_blocked_until_the_window_passes() {
        let l = LoginLimiter::default();
        let keys = vec!["user:a".to_string(), "addr:1.2.3.4".to_string()];
        for i in 0..MAX_FAILURES as i64 {
            assert_eq!(l.blocked(&keys, i * 1000), None);
            l.failed(&keys, i * 1000);
        }
        assert_eq!(l.blocked(&keys, 5_000), Some(55));
        // Another user at the same address (a shared office line) may still try...
        let other = vec!["user:b".to_string(), "addr:1.2.3.4".to_string()];
        assert_eq!(l.blocked(&other, 5_000), None);
        // ...until the address itself has failed 30 times in the minute.
        for i in 0..(MAX_FAILURES_PER_ADDR - MAX_FAILURES) as i64 {
            l.failed(&[format!("user:x{i}"), "addr:1.2.3.4".to_string()], 5_000);
        }
        assert!(l.blocked(&other, 5_000).is_some());
        assert_eq!(
            l.blocked(&keys, 60_001),
            None,
            "the first failure left the window"
        );
        l.succeeded("user:a");
        assert_eq!(l.blocked(&["user:a".to_string()], 30_000), None);
    }
}
