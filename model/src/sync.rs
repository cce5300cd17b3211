//! Sync messages: push unsent events (idempotent by id), pull by server cursor.

use crate::event::Event;
use crate::ids::EventId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Version of the event schema. The server accepts the versions it knows
/// (`MIN_SCHEMA_VERSION..=SCHEMA_VERSION`) and answers `update_required` for newer ones.
/// 1: issue-2 events. 2: the workflow events, register fields, attachments (all additive).
pub const SCHEMA_VERSION: u32 = 2;
/// Oldest schema a current server still accepts (older apps keep syncing until updated).
pub const MIN_SCHEMA_VERSION: u32 = 1;

/// Most events accepted in one push; the app sends batches of `PUSH_BATCH`.
pub const MAX_PUSH: usize = 1000;
pub const PUSH_BATCH: usize = 100;
/// Default and maximum page size of a pull.
pub const DEFAULT_PULL: u32 = 500;
pub const MAX_PULL: u32 = 5000;

/// How far ahead of the server's receipt a capture time may be (device clocks drift).
pub const MAX_CAPTURE_AHEAD_MS: i64 = 5 * 60 * 1000;
/// The app warns when the tablet's clock is off the server's by more than this.
pub const CLOCK_WARN_MS: i64 = 2 * 60 * 1000;

/// How far the device clock is ahead of the server's (negative: behind), from the server's
/// `Date` header (whole seconds) and the device time the answer arrived; `None` when within the
/// header's own one-second resolution.
pub fn clock_offset_ms(server_date_ms: i64, device_now_ms: i64) -> Option<i64> {
    let offset = device_now_ms - server_date_ms;
    // `Date` truncates to the second: 0..1000 ms ahead is no offset at all.
    (!(0..1000).contains(&offset)).then_some(offset)
}

/// Whether an offset is worth warning about (more than [`CLOCK_WARN_MS`] either way).
pub fn clock_off(offset_ms: Option<i64>) -> bool {
    offset_ms.is_some_and(|o| o.abs() > CLOCK_WARN_MS)
}

/// Whether a capture time is believable at receipt: not more than [`MAX_CAPTURE_AHEAD_MS`]
/// ahead, nor older than `max_age_ms`. Outside it an event is refused (`clock_out_of_range`).
pub fn capture_in_range(captured_at: Timestamp, received_at: Timestamp, max_age_ms: i64) -> bool {
    let (c, r) = (captured_at.millis(), received_at.millis());
    c <= r.saturating_add(MAX_CAPTURE_AHEAD_MS) && c >= r.saturating_sub(max_age_ms)
}

/// `POST /api/v1/sync/push`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    pub schema_version: u32,
    pub events: Vec<Event>,
}

/// One answer per pushed event, in the order pushed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<PushOutcome>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushOutcome {
    pub id: EventId,
    #[serde(flatten)]
    pub result: PushResult,
}

/// `accepted` is answered the same whether the event was new or already stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PushResult {
    Accepted { seq: u64, received_at: Timestamp },
    Rejected { code: String, message: String },
}

/// `GET /api/v1/sync/pull?after=<cursor>&limit=<n>`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    pub events: Vec<SyncedEvent>,
    /// Pass as `after` next time; store it only after the events are committed locally.
    pub next_cursor: u64,
    pub has_more: bool,
    /// The sites the caller's events come from now. A device drops what it holds of any other
    /// site (its own unsent records excepted).
    #[serde(default)]
    pub sites: Vec<String>,
    /// Fingerprint of what the caller may read (role, department, sites). When it differs from
    /// the one a device stored with its cursor, the device pulls again from 0 (idempotently) so
    /// a newly granted site's history arrives.
    #[serde(default)]
    pub scope: String,
    /// The start of the device window this page was filtered by, on the server's clock (asked
    /// with `window_days`): a device drops what finished before it by the same instant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_since: Option<Timestamp>,
}

/// An event as the server holds it: its sequence (the cross-device order of receipt) and receipt time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncedEvent {
    pub seq: u64,
    pub received_at: Timestamp,
    pub event: Event,
}

/// When to try the next sync: soon after success, backing off after failures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    /// Periodic sync while things work (keeps the board fresh).
    pub const OK_MS: u64 = 15_000;
    pub const FIRST_RETRY_MS: u64 = 1_000;
    pub const MAX_RETRY_MS: u64 = 20_000;

    /// Records the outcome of a sync and answers the delay before the next one.
    pub fn next_delay_ms(&mut self, ok: bool) -> u64 {
        if ok {
            self.failures = 0;
            return Self::OK_MS;
        }
        let d = Self::FIRST_RETRY_MS.saturating_mul(1u64 << self.failures.min(16));
        self.failures += 1;
        d.min(Self::MAX_RETRY_MS)
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_offsets_beyond_two_minutes_warn() {
        assert_eq!(
            clock_offset_ms(1_000_000, 1_000_400),
            None,
            "inside the second"
        );
        assert_eq!(clock_offset_ms(1_000_000, 1_180_000), Some(180_000));
        assert_eq!(clock_offset_ms(1_000_000, 900_000), Some(-100_000));
        assert!(clock_off(Some(180_000)) && clock_off(Some(-121_000)));
        assert!(!clock_off(Some(-100_000)) && !clock_off(None));
    }

    #[test]
    fn capture_times_are_bounded_both_ways() {
        let now = Timestamp(1_800_000_000_000);
        let day = 86_400_000;
        assert!(capture_in_range(now, now, 60 * day));
        assert!(capture_in_range(
            Timestamp(now.millis() + MAX_CAPTURE_AHEAD_MS),
            now,
            60 * day
        ));
        assert!(!capture_in_range(
            Timestamp(now.millis() + MAX_CAPTURE_AHEAD_MS + 1),
            now,
            60 * day
        ));
        assert!(capture_in_range(
            Timestamp(now.millis() - 60 * day),
            now,
            60 * day
        ));
        assert!(!capture_in_range(
            Timestamp(now.millis() - 60 * day - 1),
            now,
            60 * day
        ));
        assert!(!capture_in_range(Timestamp(0), now, 60 * day));
    }

    #[test]
    fn backoff_doubles_caps_and_resets() {
        let mut b = Backoff::default();
        let seq: Vec<u64> = (0..7).map(|_| b.next_delay_ms(false)).collect();
        assert_eq!(
            seq,
            vec![1_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000]
        );
        assert_eq!(b.failures(), 7);
        assert_eq!(b.next_delay_ms(true), Backoff::OK_MS);
        assert_eq!(b.next_delay_ms(false), 1_000);
        for _ in 0..100 {
            assert!(b.next_delay_ms(false) <= Backoff::MAX_RETRY_MS);
        }
    }
}
