//! Working-day calendar (Chinese public holidays and 调休 make-up days) and working-time arithmetic.

use crate::time::{civil_from_days, days_from_civil, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The national calendar shipped with the app: 2025–2027 (2027 provisional, see the file).
pub const CHINA_CALENDAR: &str = include_str!("../data/cn-holidays.txt");

/// Whether a day is worked. Days not listed follow the week (Mon–Fri working).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    Off,
    Work,
}

/// A calendar: overrides by day number (days since 1970-01-01, local date).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    days: BTreeMap<i64, DayKind>,
}

/// A line of calendar data that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("calendar line {line}: {reason}")]
pub struct CalendarError {
    pub line: usize,
    pub reason: String,
}

/// Parses `YYYY-MM-DD` into a day number.
pub fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > 31 {
        return None;
    }
    let n = days_from_civil(y, m, d);
    // Reject dates like 02-30 that the arithmetic would roll over.
    (civil_from_days(n) == (y, m, d)).then_some(n)
}

impl Calendar {
    /// Parses `YYYY-MM-DD off|work` lines; `#` starts a comment.
    pub fn parse(text: &str) -> Result<Calendar, CalendarError> {
        let mut cal = Calendar::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let err = |reason: &str| CalendarError {
                line: i + 1,
                reason: reason.to_string(),
            };
            let mut parts = line.split_whitespace();
            let day = parts
                .next()
                .and_then(parse_date)
                .ok_or_else(|| err("bad date"))?;
            let kind = match parts.next() {
                Some("off") => DayKind::Off,
                Some("work") => DayKind::Work,
                _ => return Err(err("expected off or work")),
            };
            cal.days.insert(day, kind);
        }
        Ok(cal)
    }

    /// The national calendar shipped in the repository.
    pub fn china() -> Calendar {
        Calendar::parse(CHINA_CALENDAR).unwrap_or_default()
    }

    /// Adds (or overrides) a site's own day off or on.
    pub fn set(&mut self, day: i64, kind: DayKind) {
        self.days.insert(day, kind);
    }

    pub fn is_working_day(&self, day: i64) -> bool {
        match self.days.get(&day) {
            Some(DayKind::Work) => true,
            Some(DayKind::Off) => false,
            // 1970-01-01 was a Thursday: weekday index 0 = Monday.
            None => (day + 3).rem_euclid(7) < 5,
        }
    }
}

/// A site's working hours each working day, in minutes after local midnight, and its UTC offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkingHours {
    pub start_min: u32,
    pub end_min: u32,
    pub offset_min: i32,
}

impl Default for WorkingHours {
    /// 08:30–17:30 in China time.
    fn default() -> Self {
        WorkingHours {
            start_min: 8 * 60 + 30,
            end_min: 17 * 60 + 30,
            offset_min: crate::time::CHINA_OFFSET_MINUTES,
        }
    }
}

impl WorkingHours {
    /// Length of one working day in minutes (at least one minute).
    pub fn day_minutes(&self) -> i64 {
        i64::from(self.end_min.saturating_sub(self.start_min)).max(1)
    }
}

const MINUTE_MS: i64 = 60_000;
const DAY_MIN: i64 = 24 * 60;
/// Bound on the search: no deadline is more than this many days of calendar away.
const MAX_DAYS: i64 = 3 * 366;

/// The moment `minutes` of working time after `start` (time before opening or after closing, weekends,
/// holidays don't count; 调休 Saturdays do). A start outside working time begins at the next opening.
pub fn add_working_minutes(
    cal: &Calendar,
    hours: &WorkingHours,
    start: Timestamp,
    minutes: i64,
) -> Timestamp {
    let offset = i64::from(hours.offset_min);
    // Local minutes since epoch; sub-minute precision is kept separately.
    let local_ms = start.0 + offset * MINUTE_MS;
    let mut t = local_ms.div_euclid(MINUTE_MS);
    let sub = local_ms.rem_euclid(MINUTE_MS);
    let mut left = minutes.max(0);
    let (open, close) = (i64::from(hours.start_min), i64::from(hours.end_min));
    for _ in 0..MAX_DAYS {
        let day = t.div_euclid(DAY_MIN);
        let in_day = t.rem_euclid(DAY_MIN);
        if cal.is_working_day(day) && in_day < close {
            let from = in_day.max(open);
            let avail = close - from;
            let sub_here = if from == in_day { sub } else { 0 };
            if left < avail || (left == avail && left > 0) {
                let end = day * DAY_MIN + from + left;
                return Timestamp((end - offset) * MINUTE_MS + sub_here);
            }
            left -= avail;
        }
        t = (day + 1) * DAY_MIN;
    }
    Timestamp(start.0 + minutes * MINUTE_MS)
}

/// Working minutes between two moments (0 if `to` is before `from`).
pub fn working_minutes_between(
    cal: &Calendar,
    hours: &WorkingHours,
    from: Timestamp,
    to: Timestamp,
) -> i64 {
    if to <= from {
        return 0;
    }
    let offset = i64::from(hours.offset_min);
    let a = (from.0 + offset * MINUTE_MS).div_euclid(MINUTE_MS);
    let b = (to.0 + offset * MINUTE_MS).div_euclid(MINUTE_MS);
    let (open, close) = (i64::from(hours.start_min), i64::from(hours.end_min));
    let mut total = 0;
    let mut day = a.div_euclid(DAY_MIN);
    let last = b.div_euclid(DAY_MIN);
    while day <= last && day - a.div_euclid(DAY_MIN) < MAX_DAYS {
        if cal.is_working_day(day) {
            let s = (day * DAY_MIN + open).max(a);
            let e = (day * DAY_MIN + close).min(b);
            total += (e - s).max(0);
        }
        day += 1;
    }
    total
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod tests;
