//! Timestamps as unix milliseconds, and their display in a site's fixed UTC offset (China: +08:00).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A moment in time, unix epoch milliseconds (UTC). Device capture times are data, never ordering.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

/// China Standard Time has no daylight saving: a fixed +08:00.
pub const CHINA_OFFSET_MINUTES: i32 = 8 * 60;

impl Timestamp {
    pub fn millis(self) -> i64 {
        self.0
    }

    /// Civil date and time at a fixed offset: (year, month, day, hour, minute, second).
    pub fn civil(self, offset_minutes: i32) -> (i32, u32, u32, u32, u32, u32) {
        let local = self.0.div_euclid(1000) + i64::from(offset_minutes) * 60;
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400) as u32;
        let (y, m, d) = civil_from_days(days);
        (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }

    /// `YYYY-MM-DD HH:MM` in the given offset.
    pub fn format_local(self, offset_minutes: i32) -> String {
        let (y, mo, d, h, mi, _) = self.civil(offset_minutes);
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}")
    }

    /// The calendar year at the given offset (used by numbering).
    pub fn year(self, offset_minutes: i32) -> i32 {
        self.civil(offset_minutes).0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_local(CHINA_OFFSET_MINUTES))
    }
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

/// (year, month, day) → days since 1970-01-01.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_china_time() {
        // 2026-10-01T00:30:00Z is 08:30 in Shanghai.
        let t = Timestamp(1_790_814_600_000);
        assert_eq!(t.format_local(CHINA_OFFSET_MINUTES), "2026-10-01 08:30");
        assert_eq!(t.format_local(0), "2026-10-01 00:30");
    }

    #[test]
    fn year_boundary_depends_on_offset() {
        // 2026-12-31T20:00:00Z is already 2027 in Shanghai.
        let t = Timestamp(days_from_civil(2026, 12, 31) * 86_400_000 + 20 * 3_600_000);
        assert_eq!(t.year(0), 2026);
        assert_eq!(t.year(CHINA_OFFSET_MINUTES), 2027);
    }

    #[test]
    fn civil_round_trips() {
        for days in [-1000, 0, 59, 10_957, 20_000, 25_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }
}
