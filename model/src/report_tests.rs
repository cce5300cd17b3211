//! Report facts (late / outstanding limits, repeat, month in China time), tallies and roll-ups.

use super::*;
use crate::complaint::{Channel, Complainant, Escalation};
use crate::event::{Event, EventKind, NewComplaint};
use crate::fold::fold_one;
use crate::ids::{ComplaintId, DeviceId, EventId};
use crate::time::days_from_civil;

fn sh(y: i32, m: u32, d: u32, h: i64, mi: i64) -> Timestamp {
    Timestamp(
        ((days_from_civil(y, m, d) * 24 + h) * 60 + mi - i64::from(CHINA_OFFSET_MINUTES)) * 60_000,
    )
}

fn complaint(at: Timestamp, category: &str) -> Complaint {
    let e = Event {
        id: EventId::new_v7(at.0, [1; 10]),
        complaint_id: ComplaintId::new_v7(at.0, [2; 10]),
        device_id: DeviceId::new_v7(1, [3; 10]),
        author: "s".into(),
        captured_at: at,
        lamport: 1,
        kind: EventKind::Created(Box::new(NewComplaint {
            provisional_number: "P-1".into(),
            description: "d".into(),
            location: "B2 停车场".into(),
            category: category.into(),
            channel: Channel::Phone,
            complainant: Complainant::default(),
            ..Default::default()
        })),
    };
    fold_one([&e]).expect("created folds")
}

#[test]
fn month_is_taken_in_china_time() {
    // 2026-06-30 23:30 in China is still June there, although it is 15:30 UTC.
    assert_eq!(month_of(sh(2026, 6, 30, 23, 30)), 202606);
    assert_eq!(month_of(sh(2026, 7, 1, 0, 30)), 202607);
}

#[test]
fn top_category_keeps_custom_codes() {
    assert_eq!(top_category("facility.lift"), "facility");
    assert_eq!(top_category("cleaning"), "cleaning");
    assert_eq!(top_category("custom.bikes"), "custom.bikes");
}

#[test]
fn fresh_complaint_has_outstanding_limits_and_is_late_only_after_them() {
    let t0 = sh(2026, 3, 2, 9, 0);
    let c = complaint(t0, "facility.water");
    let f = ReportFacts::of(&c, &Clock::china());
    assert!(!f.late);
    // The dispatch notice is the first limit: 10 minutes.
    assert_eq!(f.open_due_at, Some(Timestamp(t0.0 + 10 * 60_000)));
    assert_eq!(f.category_top, "facility");
    assert_eq!(f.month, 202603);

    let mut before = Tally::default();
    before.add(&c, &f, Timestamp(t0.0 + 5 * 60_000));
    assert_eq!((before.on_time, before.late), (0, 0));
    assert_eq!(before.on_time_rate(), None);
    let mut after = Tally::default();
    after.add(&c, &f, Timestamp(t0.0 + 11 * 60_000));
    assert_eq!((after.on_time, after.late), (0, 1));
    assert_eq!(after.on_time_rate(), Some(0.0));
}

#[test]
fn closed_in_time_is_on_time_and_late_reply_is_late() {
    let t0 = sh(2026, 3, 2, 9, 0);
    let mut c = complaint(t0, "service.cleaning");
    c.dispatched_at = Some(Timestamp(t0.0 + 5 * 60_000));
    c.replied_at = Some(Timestamp(t0.0 + 60 * 60_000));
    c.closed_at = Some(Timestamp(t0.0 + 120 * 60_000));
    c.status = Status::Closed;
    c.satisfaction = Some(Satisfaction::Basic);
    let f = ReportFacts::of(&c, &Clock::china());
    assert_eq!((f.late, f.open_due_at), (false, None));
    let mut t = Tally::default();
    t.add(&c, &f, sh(2027, 1, 1, 0, 0));
    assert_eq!((t.on_time, t.late, t.closed), (1, 0, 1));
    assert_eq!(t.avg_reply_minutes(), Some(60.0));
    assert_eq!(t.avg_close_minutes(), Some(120.0));
    assert_eq!(t.satisfaction_rate(), Some(1.0));
    assert_eq!(t.follow_up_rate(), Some(1.0));

    // Replied two weeks later: the 1-working-day reply limit was missed.
    c.replied_at = Some(sh(2026, 3, 16, 9, 0));
    c.closed_at = Some(sh(2026, 3, 16, 10, 0));
    let late = ReportFacts::of(&c, &Clock::china());
    assert!(late.late);
    let mut t = Tally::default();
    t.add(&c, &late, sh(2027, 1, 1, 0, 0));
    assert_eq!((t.on_time, t.late), (0, 1));
}

#[test]
fn repeat_escalation_is_a_fact_and_withdrawn_leaves_the_closure_base() {
    let t0 = sh(2026, 3, 2, 9, 0);
    let mut c = complaint(t0, "service.noise");
    c.escalations.push(Escalation {
        event_id: EventId::new_v7(t0.0, [9; 10]),
        to: Severity::Important,
        rule: RULE_REPEAT.into(),
        at: t0,
    });
    assert!(ReportFacts::of(&c, &Clock::china()).repeat);
    let mut w = c.clone();
    w.status = Status::Withdrawn;
    let mut t = Tally::default();
    t.add(&c, &ReportFacts::of(&c, &Clock::china()), t0);
    t.add(&w, &ReportFacts::of(&w, &Clock::china()), t0);
    assert_eq!(t.count, 2);
    assert_eq!(t.repeat_rate(), Some(1.0));
    // One of two withdrawn, none closed: 0 of 1.
    assert_eq!(t.closure_rate(), Some(0.0));
}

#[test]
fn months_roll_up_into_halves_and_years_in_order() {
    let one = |n| Tally {
        count: n,
        ..Tally::default()
    };
    let months = vec![
        (202607, one(1)),
        (202601, one(2)),
        (202606, one(3)),
        (202701, one(4)),
    ];
    let halves = roll_up(&months, Period::Half);
    let got: Vec<(&str, u64)> = halves
        .iter()
        .map(|b| (b.key.as_str(), b.tally.count))
        .collect();
    assert_eq!(got, vec![("2026-H1", 5), ("2026-H2", 1), ("2027-H1", 4)]);
    let years = roll_up(&months, Period::Year);
    assert_eq!(years.len(), 2);
    assert_eq!(years[0].tally.count, 6);
    assert_eq!(roll_up(&months, Period::Month)[0].key, "2026-01");
}

#[test]
fn quarters_label_and_parse() {
    assert_eq!(Period::parse("quarter"), Some(Period::Quarter));
    assert_eq!(Period::Quarter.code(), "quarter");
    let labels: Vec<String> = [202601, 202603, 202604, 202612]
        .iter()
        .map(|m| Period::Quarter.label(*m))
        .collect();
    assert_eq!(labels, ["2026-Q1", "2026-Q1", "2026-Q2", "2026-Q4"]);
    for p in [Period::Month, Period::Quarter, Period::Half, Period::Year] {
        assert_eq!(Period::parse(p.code()), Some(p));
    }
}

#[test]
fn every_period_of_the_range_is_listed_with_empty_ones_filled() {
    let month_start = |y: i32, m: u32| {
        Timestamp(
            (days_from_civil(y, m, 1) * 24 * 60 - i64::from(crate::time::CHINA_OFFSET_MINUTES))
                * 60_000,
        )
    };
    let busy = Tally {
        count: 2,
        ..Tally::default()
    };
    let r = Report {
        from: month_start(2026, 1),
        to: month_start(2027, 1),
        site: None,
        period: Period::Quarter,
        generated_at: Timestamp(0),
        total: busy.clone(),
        by_category: vec![],
        by_department: vec![],
        by_site: vec![],
        by_severity: vec![],
        by_channel: vec![],
        by_status: vec![],
        by_period: vec![Bucket {
            key: "2026-Q4".into(),
            tally: busy,
        }],
        recurring: vec![],
        durations: None,
    };
    let all = every_period(&r);
    let keys: Vec<&str> = all.iter().map(|b| b.key.as_str()).collect();
    assert_eq!(keys, ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
    assert_eq!(all[3].tally.count, 2);
    assert_eq!(all[0].tally.count, 0);
    let months = every_period(&Report {
        period: Period::Month,
        ..r
    });
    assert_eq!(months.len(), 12);
}

#[test]
fn medians_take_the_middle_or_the_mean_of_the_two_middle_values() {
    assert_eq!(median(&[]), None);
    assert_eq!(median(&[7]), Some(7.0));
    assert_eq!(median(&[9, 1, 5]), Some(5.0));
    assert_eq!(median(&[10, 1, 4, 6]), Some(5.0));
    let d = Durations::of(&[(60, 30), (600, 90), (120, 60)], &[]);
    assert_eq!(d.replied, 3);
    assert_eq!(d.reply_median_minutes, Some(120.0));
    assert_eq!(d.reply_avg_work_minutes, Some(60.0));
    assert_eq!(d.reply_median_work_minutes, Some(60.0));
    assert_eq!(
        (d.closed, d.close_median_minutes, d.close_avg_work_minutes),
        (0, None, None)
    );
}

#[test]
fn working_minutes_skip_nights_weekends_and_holidays_and_count_make_up_days() {
    // Captured Friday 2026-11-06 17:00, replied Monday 11-09 09:30.
    let china = |y: i32, m: u32, d: u32, h: i64, mi: i64| {
        Timestamp(
            ((days_from_civil(y, m, d) * 24 + h) * 60 + mi
                - i64::from(crate::time::CHINA_OFFSET_MINUTES))
                * 60_000,
        )
    };
    let mut clock = Clock::china();
    let at = china(2026, 11, 6, 17, 0);
    let replied = china(2026, 11, 9, 9, 30);
    let plain =
        crate::calendar::working_minutes_between(&clock.calendar, &clock.hours, at, replied);
    // A made-up working Saturday adds its whole working day.
    clock
        .calendar
        .set(days_from_civil(2026, 11, 7), crate::calendar::DayKind::Work);
    let with_saturday =
        crate::calendar::working_minutes_between(&clock.calendar, &clock.hours, at, replied);
    assert_eq!(with_saturday - plain, clock.hours.day_minutes());
    // 17:00–17:30 on Friday and 08:30–09:30 on Monday.
    assert_eq!(plain, 90, "nights and the weekend do not count");
}
