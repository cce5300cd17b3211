//! The clock the workflow sees (receipt times, deadlines, escalation): real time plus a test offset.

use siteline_model::Timestamp;
use std::sync::atomic::{AtomicI64, Ordering};

/// Wall-clock time shifted by an offset (`SITELINE_NOW_OFFSET_SECS`, or set by tests).
/// Sessions keep using real time, so shifting it never expires a test's login.
#[derive(Debug, Default)]
pub struct ServerClock {
    offset_ms: AtomicI64,
}

impl ServerClock {
    pub fn new(offset_ms: i64) -> ServerClock {
        ServerClock {
            offset_ms: AtomicI64::new(offset_ms),
        }
    }

    pub fn now(&self) -> Timestamp {
        Timestamp(
            crate::now()
                .millis()
                .saturating_add(self.offset_ms.load(Ordering::Relaxed)),
        )
    }

    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Moves the clock forward (or back, if negative) by `ms`.
    pub fn advance(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// Makes `now()` answer `t` at this moment (and move on from there).
    pub fn set_now(&self, t: Timestamp) {
        let real = crate::now().millis();
        self.offset_ms
            .store(t.millis().saturating_sub(real), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_shift_now() {
        let c = ServerClock::new(0);
        let day = 86_400_000;
        let before = c.now().millis();
        c.advance(31 * day);
        assert!(c.now().millis() >= before + 31 * day);
        c.set_now(Timestamp(1_000));
        assert!((c.now().millis() - 1_000).abs() < 60_000);
    }
}
