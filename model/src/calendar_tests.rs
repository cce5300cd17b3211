//! Calendar cases: holidays, 调休 Saturdays, working-hour boundaries, time zones.

use super::*;
use crate::time::CHINA_OFFSET_MINUTES;

/// A moment given in Shanghai local time.
fn sh(y: i32, m: u32, d: u32, h: i64, mi: i64) -> Timestamp {
    Timestamp(
        ((days_from_civil(y, m, d) * 24 + h) * 60 + mi - i64::from(CHINA_OFFSET_MINUTES)) * 60_000,
    )
}

fn day(s: &str) -> i64 {
    parse_date(s).unwrap()
}

#[test]
fn shipped_calendar_parses_and_knows_national_day_and_make_up_days() {
    let cal = Calendar::china();
    assert!(!cal.is_working_day(day("2026-10-01")));
    assert!(!cal.is_working_day(day("2026-10-07")));
    assert!(cal.is_working_day(day("2026-10-08"))); // Thursday after the holiday
    assert!(cal.is_working_day(day("2026-10-10"))); // 调休 Saturday
    assert!(cal.is_working_day(day("2026-09-20"))); // 调休 Sunday
    assert!(!cal.is_working_day(day("2026-10-11"))); // ordinary Sunday
    assert!(cal.is_working_day(day("2026-11-23"))); // ordinary Monday
    assert!(!cal.is_working_day(day("2025-01-29"))); // 春节 2025
    assert!(cal.is_working_day(day("2025-02-08"))); // 春节调休 Saturday 2025
}

#[test]
fn bad_calendar_lines_are_reported_with_their_number() {
    let e = Calendar::parse("2026-01-01 off\n2026-02-30 off\n").unwrap_err();
    assert_eq!(e.line, 2);
    let e = Calendar::parse("# c\n\n2026-01-05 maybe").unwrap_err();
    assert_eq!(e.line, 3);
}

#[test]
fn one_working_day_across_national_day_lands_on_the_first_day_back() {
    let cal = Calendar::china();
    let h = WorkingHours::default();
    // Captured Wed 2026-09-30 16:00: 1h30 left that day, then 7 days of holiday.
    let due = add_working_minutes(&cal, &h, sh(2026, 9, 30, 16, 0), h.day_minutes());
    assert_eq!(due, sh(2026, 10, 8, 16, 0));
    // Captured during the holiday: the clock starts at the first opening after it.
    let due = add_working_minutes(&cal, &h, sh(2026, 10, 3, 11, 0), 60);
    assert_eq!(due, sh(2026, 10, 8, 9, 30));
}

#[test]
fn make_up_saturday_counts_as_working_time() {
    let cal = Calendar::china();
    let h = WorkingHours::default();
    // Fri 2026-10-09 17:00 + 2h: 30 min on Friday, then Saturday 10-10 is a 调休 working day.
    assert_eq!(
        add_working_minutes(&cal, &h, sh(2026, 10, 9, 17, 0), 120),
        sh(2026, 10, 10, 10, 0)
    );
    // An ordinary Saturday is skipped: Fri 2026-11-20 17:00 + 2h → Mon 11-23 10:00.
    assert_eq!(
        add_working_minutes(&cal, &h, sh(2026, 11, 20, 17, 0), 120),
        sh(2026, 11, 23, 10, 0)
    );
}

#[test]
fn working_hour_boundaries() {
    let cal = Calendar::china();
    let h = WorkingHours::default();
    // Before opening: starts at 08:30.
    assert_eq!(
        add_working_minutes(&cal, &h, sh(2026, 11, 23, 7, 0), 10),
        sh(2026, 11, 23, 8, 40)
    );
    // Exactly filling the day ends at closing, not the next morning.
    assert_eq!(
        add_working_minutes(&cal, &h, sh(2026, 11, 23, 8, 30), 540),
        sh(2026, 11, 23, 17, 30)
    );
    // At closing time: nothing left today.
    assert_eq!(
        add_working_minutes(&cal, &h, sh(2026, 11, 23, 17, 30), 1),
        sh(2026, 11, 24, 8, 31)
    );
    // After closing.
    assert_eq!(
        add_working_minutes(&cal, &h, sh(2026, 11, 23, 22, 0), 30),
        sh(2026, 11, 24, 9, 0)
    );
    // Zero minutes from inside working time is the same moment.
    assert_eq!(
        add_working_minutes(&cal, &h, sh(2026, 11, 23, 10, 0), 0),
        sh(2026, 11, 23, 10, 0)
    );
}

#[test]
fn time_zone_offset_decides_the_local_day() {
    let cal = Calendar::china();
    let h = WorkingHours::default();
    // 2026-09-30T23:30Z is already 10-01 07:30 in Shanghai (a holiday)…
    let t = Timestamp(days_from_civil(2026, 9, 30) * 86_400_000 + (23 * 60 + 30) * 60_000);
    assert_eq!(add_working_minutes(&cal, &h, t, 60), sh(2026, 10, 8, 9, 30));
    // …but at UTC+0 it is still Wednesday 09-30 23:30, after hours: next opening is also 10-08.
    let utc = WorkingHours { offset_min: 0, ..h };
    let due = add_working_minutes(&cal, &utc, t, 60);
    assert_eq!(due.format_local(0), "2026-10-08 09:30");
}

#[test]
fn minutes_between_is_the_inverse_of_adding() {
    let cal = Calendar::china();
    let h = WorkingHours::default();
    let start = sh(2026, 9, 29, 15, 17);
    for m in [0, 1, 59, 540, 541, 2000, 10_000] {
        let end = add_working_minutes(&cal, &h, start, m);
        assert_eq!(
            working_minutes_between(&cal, &h, start, end),
            m,
            "{m} minutes"
        );
    }
}
