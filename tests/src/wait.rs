//! Condition waiting: poll a probe until it succeeds or a deadline passes (no fixed sleeps).

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

pub const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// A condition that did not become true in time.
#[derive(Debug, Clone)]
pub struct WaitTimeout {
    pub what: String,
    pub last_seen: String,
    pub waited: Duration,
}

impl fmt::Display for WaitTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "timed out after {:.1}s waiting for {}; last seen: {}",
            self.waited.as_secs_f64(),
            self.what,
            self.last_seen
        )
    }
}

/// Polls `probe` every [`POLL_INTERVAL`] until it returns `Ok`, or fails after `timeout`.
/// `Err(s)` from the probe means "not yet", with `s` describing what was seen.
/// A probe that itself hangs past the deadline counts as a timeout.
pub async fn try_wait_for<T, F, Fut>(
    mut probe: F,
    timeout: Duration,
    what: &str,
) -> Result<T, WaitTimeout>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let start = Instant::now();
    loop {
        let left = timeout
            .saturating_sub(start.elapsed())
            .max(Duration::from_millis(500));
        let last_seen = match tokio::time::timeout(left, probe()).await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(seen)) => seen,
            Err(_) => format!("(probe did not answer within {:.1}s)", left.as_secs_f64()),
        };
        if start.elapsed() >= timeout {
            return Err(WaitTimeout {
                what: what.to_string(),
                last_seen,
                waited: start.elapsed(),
            });
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

/// [`try_wait_for`] that panics with a message naming `what` and the last seen value.
pub async fn wait_for<T, F, Fut>(probe: F, timeout: Duration, what: &str) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    match try_wait_for(probe, timeout, what).await {
        Ok(value) => value,
        Err(e) => panic!("{e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[tokio::test]
    async fn returns_as_soon_as_the_condition_holds() {
        let calls = Cell::new(0);
        let got = wait_for(
            || async {
                calls.set(calls.get() + 1);
                if calls.get() >= 3 {
                    Ok(calls.get())
                } else {
                    Err(format!("calls={}", calls.get()))
                }
            },
            Duration::from_secs(5),
            "three calls",
        )
        .await;
        assert_eq!(got, 3);
    }

    #[tokio::test]
    async fn times_out_naming_what_and_last_seen() {
        let start = Instant::now();
        let err = try_wait_for(
            || async { Err::<(), _>("pending-count=2".to_string()) },
            Duration::from_millis(350),
            "pending count 0",
        )
        .await
        .unwrap_err();
        assert!(start.elapsed() >= Duration::from_millis(350));
        assert!(start.elapsed() < Duration::from_secs(3));
        let msg = err.to_string();
        assert!(
            msg.contains("pending count 0") && msg.contains("pending-count=2"),
            "{msg}"
        );
    }

    #[tokio::test]
    async fn a_hanging_probe_is_a_timeout() {
        let err = try_wait_for(
            || async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Ok::<(), String>(())
            },
            Duration::from_millis(200),
            "a hanging probe",
        )
        .await
        .unwrap_err();
        assert!(err.last_seen.contains("did not answer"), "{err}");
    }

    #[tokio::test]
    #[should_panic(expected = "timed out after")]
    async fn wait_for_panics_on_timeout() {
        wait_for(
            || async { Err::<(), _>("never".to_string()) },
            Duration::from_millis(100),
            "never",
        )
        .await;
    }
}
