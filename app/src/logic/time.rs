//! Time for the UI: `datetime-local` values in site time (China +08:00), deadline countdowns and
//! their wording ("剩余 2小时15分" / "已超时 30分" / "已按时完成").

use crate::i18n::{fill, Lang, K};
use siteline_model::time::days_from_civil;
use siteline_model::timelimit::{Deadline, DeadlineKind, DeadlineState};
use siteline_model::Timestamp;

const MINUTE: i64 = 60_000;

/// Parses an `<input type="datetime-local">` value (`YYYY-MM-DDTHH:MM`, optionally `:SS`) as civil
/// time at `offset_min` east of UTC. `None` when it is not a real date and time.
pub fn parse_local(s: &str, offset_min: i32) -> Option<Timestamp> {
    let s = s.trim();
    let (date, time) = s.split_once('T').or_else(|| s.split_once(' '))?;
    let day = siteline_model::calendar::parse_date(date)?;
    let mut t = time.split(':');
    let h: i64 = t.next()?.parse().ok()?;
    let m: i64 = t.next()?.parse().ok()?;
    let sec: f64 = match t.next() {
        Some(x) => x.parse().ok()?,
        None => 0.0,
    };
    if t.next().is_some() || !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    if !(0.0..60.0).contains(&sec) {
        return None;
    }
    let local_ms = ((day * 24 + h) * 60 + m) * MINUTE + (sec * 1000.0) as i64;
    Some(Timestamp(local_ms - i64::from(offset_min) * MINUTE))
}

/// The `datetime-local` value of a moment at `offset_min` (`YYYY-MM-DDTHH:MM`).
pub fn to_local_input(t: Timestamp, offset_min: i32) -> String {
    let (y, mo, d, h, mi, _) = t.civil(offset_min);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}")
}

/// Midnight of a civil date at `offset_min`, for tests and defaults.
pub fn local_midnight(y: i32, m: u32, d: u32, offset_min: i32) -> Timestamp {
    Timestamp(days_from_civil(y, m, d) * 86_400_000 - i64::from(offset_min) * MINUTE)
}

/// Where a deadline stands, with the amount of time that matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Countdown {
    /// Not done; this much time left (milliseconds).
    Left(i64),
    /// Not done; late by this much.
    Overdue(i64),
    /// Done in time.
    Met,
    /// Done, but late by this much.
    DoneLate(i64),
}

pub fn countdown(d: &Deadline, now: Timestamp) -> Countdown {
    match (d.state, d.done_at) {
        (DeadlineState::Met, _) => Countdown::Met,
        (_, Some(done)) => Countdown::DoneLate((done.0 - d.due_at.0).max(0)),
        (DeadlineState::Overdue, None) => Countdown::Overdue((now.0 - d.due_at.0).max(0)),
        (_, None) => Countdown::Left((d.due_at.0 - now.0).max(0)),
    }
}

/// A duration as people say it: `1天3小时`, `2小时15分`, `30分` (`1d 3h`, `2h 15m`, `30m`).
pub fn duration_text(ms: i64, lang: Lang) -> String {
    let total = ms.max(0) / MINUTE;
    let (d, h, m) = (
        (total / 1440).to_string(),
        (total % 1440 / 60).to_string(),
        (total % 60).to_string(),
    );
    let slots: &[(&str, &str)] = &[("d", &d), ("h", &h), ("m", &m)];
    let key = match (total, total / 60) {
        (0, _) => K::DurLessThanMinute,
        (_, 0) => K::DurMinutes,
        (_, hours) if hours < 24 => K::DurHours,
        _ => K::DurDays,
    };
    fill(key, lang, slots)
}

/// The countdown line of a deadline.
pub fn countdown_text(c: Countdown, lang: Lang) -> String {
    let (key, ms) = match c {
        Countdown::Left(ms) => (K::CdLeft, Some(ms)),
        Countdown::Overdue(ms) => (K::CdOverdue, Some(ms)),
        Countdown::Met => (K::CdMet, None),
        Countdown::DoneLate(ms) => (K::CdDoneLate, Some(ms)),
    };
    let t = ms.map(|ms| duration_text(ms, lang)).unwrap_or_default();
    fill(key, lang, &[("t", &t)])
}

/// Stable codes used in `data-kind` / `data-state` attributes (the model's JSON names).
pub fn deadline_kind_code(k: DeadlineKind) -> &'static str {
    k.code()
}

pub fn deadline_state_code(s: DeadlineState) -> &'static str {
    s.code()
}
