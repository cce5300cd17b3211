//! The device window: what a tablet keeps of its sites' history. Every complaint still open, every
//! one finished (closed, withdrawn, merged) within the last N days, and everything with work not
//! yet sent; older history stays on the server, fetched on demand. The server's pull and the
//! device's eviction apply this one rule.

use crate::{Complaint, Status, Timestamp};
use serde::{Deserialize, Serialize};

/// Days of finished complaints a device keeps, 1 to [`WindowDays::MAX`]; 90 unless set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct WindowDays(u32);

impl WindowDays {
    pub const DEFAULT: WindowDays = WindowDays(90);
    /// Ten years: a window that wide is "everything" for any site.
    pub const MAX: u32 = 3650;
    const DAY_MS: i64 = 86_400_000;

    pub fn new(days: u32) -> Option<WindowDays> {
        (1..=Self::MAX).contains(&days).then_some(WindowDays(days))
    }

    pub fn days(self) -> u32 {
        self.0
    }

    /// The oldest finishing time the window holds, seen at `now`.
    pub fn since(self, now: Timestamp) -> Timestamp {
        Timestamp(now.0.saturating_sub(i64::from(self.0) * Self::DAY_MS))
    }
}

impl Default for WindowDays {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for WindowDays {
    type Error = String;
    fn try_from(days: u32) -> Result<Self, String> {
        WindowDays::new(days).ok_or_else(|| format!("window must be 1 to {} days", Self::MAX))
    }
}

impl From<WindowDays> for u32 {
    fn from(w: WindowDays) -> u32 {
        w.0
    }
}

/// The statuses that end a complaint, as the server's projection stores them: the window's
/// SQL filters name exactly these codes.
pub const FINISHED: [Status; 3] = [Status::Closed, Status::Withdrawn, Status::Merged];

/// Whether the window from `since` holds `c`: open, or finished at or after `since` (a finished
/// complaint without a finishing time is held: nothing is dropped on a guess).
pub fn holds(c: &Complaint, since: Timestamp) -> bool {
    holds_parts(c.status, c.closed_at, since)
}

/// [`holds`] on the two facts it reads (what a projection row stores).
pub fn holds_parts(status: Status, closed_at: Option<Timestamp>, since: Timestamp) -> bool {
    status.is_open() || closed_at.is_none_or(|t| t >= since)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_is_one_to_ten_years_of_days() {
        assert_eq!(WindowDays::new(0), None);
        assert_eq!(WindowDays::new(3651), None);
        assert_eq!(WindowDays::new(90), Some(WindowDays::DEFAULT));
        assert_eq!(WindowDays::default().days(), 90);
        assert!(serde_json::from_str::<WindowDays>("0").is_err());
        assert_eq!(
            serde_json::from_str::<WindowDays>("30").ok(),
            WindowDays::new(30)
        );
        let w = WindowDays::new(2).expect("2 days");
        assert_eq!(w.since(Timestamp(3 * 86_400_000)), Timestamp(86_400_000));
        assert_eq!(w.since(Timestamp(0)), Timestamp(-2 * 86_400_000));
    }

    #[test]
    fn open_complaints_stay_and_finished_ones_stay_for_the_window() {
        let since = Timestamp(1_000);
        for s in Status::ALL {
            let finished = FINISHED.contains(&s);
            assert_eq!(s.is_open(), !finished, "{s:?}");
            // Open: held whatever the time says.
            assert_eq!(holds_parts(s, Some(Timestamp(999)), since), !finished);
            assert!(holds_parts(s, Some(Timestamp(1_000)), since));
            assert!(holds_parts(s, Some(Timestamp(5_000)), since));
            assert!(holds_parts(s, None, since));
        }
    }
}
