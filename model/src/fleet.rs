//! Fleet sync health: what a tablet reports of itself at each sync, and which tablets need a
//! supervisor's attention — silent for longer than a shift while holding unsynced records —
//! listed first.

use crate::ids::DeviceId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Default silence (no sync) after which a tablet with unsynced records is flagged: a shift.
pub const DEFAULT_SILENT_HOURS: u64 = 12;
/// The longest app version string a report may carry.
pub const MAX_VERSION: usize = 40;

/// `POST /api/v1/devices/report`: a tablet's state at a sync. Nothing personal: counts, ages,
/// storage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceReport {
    pub device_id: DeviceId,
    pub app_version: String,
    /// Records with events not yet on the server (rejected ones included).
    pub pending_records: u32,
    /// Capture time of the oldest of them.
    #[serde(default)]
    pub oldest_pending_at: Option<Timestamp>,
    #[serde(default)]
    pub storage_used: Option<u64>,
    #[serde(default)]
    pub storage_quota: Option<u64>,
    /// Whether the browser promised to keep the data (`navigator.storage.persisted()`).
    #[serde(default)]
    pub persisted: Option<bool>,
}

/// One tablet and user as `GET /api/v1/fleet` lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetDevice {
    pub device_id: DeviceId,
    pub username: String,
    pub display_name: String,
    pub app_version: String,
    /// When it last reported (server time).
    pub last_seen: Timestamp,
    pub pending_records: u32,
    pub oldest_pending_at: Option<Timestamp>,
    pub storage_used: Option<u64>,
    pub storage_quota: Option<u64>,
    pub persisted: Option<bool>,
    /// Silent longer than the threshold with unsynced records: needs attention.
    pub silent: bool,
}

/// `GET /api/v1/fleet`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetResponse {
    pub silent_after_hours: u64,
    pub generated_at: Timestamp,
    pub devices: Vec<FleetDevice>,
}

/// Whether a tablet last seen at `last_seen` holding `pending` unsynced records is silent.
pub fn is_silent(last_seen: Timestamp, pending: u32, now: Timestamp, after_hours: u64) -> bool {
    let limit = i64::try_from(after_hours.saturating_mul(3_600_000)).unwrap_or(i64::MAX);
    pending > 0 && now.millis().saturating_sub(last_seen.millis()) > limit
}

/// Silent ones first (longest silent first), then the rest by last contact, newest first.
pub fn sort(devices: &mut [FleetDevice]) {
    devices.sort_by(|a, b| {
        b.silent
            .cmp(&a.silent)
            .then_with(|| {
                if a.silent {
                    a.last_seen.cmp(&b.last_seen)
                } else {
                    b.last_seen.cmp(&a.last_seen)
                }
            })
            .then_with(|| a.username.cmp(&b.username))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(name: &str, last_seen: i64, pending: u32, silent: bool) -> FleetDevice {
        FleetDevice {
            device_id: DeviceId::new_v7(1, [name.len() as u8; 10]),
            username: name.into(),
            display_name: name.into(),
            app_version: "0.1.0".into(),
            last_seen: Timestamp(last_seen),
            pending_records: pending,
            oldest_pending_at: None,
            storage_used: None,
            storage_quota: None,
            persisted: None,
            silent,
        }
    }

    #[test]
    fn silent_means_quiet_past_the_shift_with_something_unsynced() {
        let h = 3_600_000;
        let now = Timestamp(100 * h);
        assert!(is_silent(Timestamp(87 * h), 1, now, 12));
        assert!(
            !is_silent(Timestamp(88 * h), 1, now, 12),
            "exactly a shift is not yet"
        );
        assert!(
            !is_silent(Timestamp(0), 0, now, 12),
            "nothing unsynced: nothing lost"
        );
        let mut v = vec![
            dev("a", 90, 0, false),
            dev("b", 10, 2, true),
            dev("c", 95, 0, false),
            dev("d", 5, 1, true),
        ];
        sort(&mut v);
        let order: Vec<&str> = v.iter().map(|d| d.username.as_str()).collect();
        assert_eq!(order, ["d", "b", "c", "a"]);
    }
}
