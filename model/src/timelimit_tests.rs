//! Deadlines from capture time on the working calendar; states; escalation and repeat rules.

use super::*;
use crate::complaint::{Complainant, Status};
use crate::event::{Event, EventKind, NewComplaint};
use crate::fold::fold_one;
use crate::ids::{DeviceId, EventId};
use crate::time::{days_from_civil, CHINA_OFFSET_MINUTES};

fn sh(y: i32, m: u32, d: u32, h: i64, mi: i64) -> Timestamp {
    Timestamp(
        ((days_from_civil(y, m, d) * 24 + h) * 60 + mi - i64::from(CHINA_OFFSET_MINUTES)) * 60_000,
    )
}

fn complaint(at: Timestamp, channel: Channel, severity: Severity) -> Complaint {
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
            category: "facility.water".into(),
            channel,
            severity,
            complainant: Complainant {
                phone: Some("13800138000".into()),
                ..Default::default()
            },
            ..Default::default()
        })),
    };
    fold_one([&e]).unwrap()
}

fn find(ds: &[Deadline], k: DeadlineKind) -> &Deadline {
    ds.iter().find(|d| d.kind == k).expect("deadline present")
}

#[test]
fn verbal_reply_is_due_one_working_day_later_across_national_day() {
    let clock = Clock::china();
    let c = complaint(sh(2026, 9, 30, 16, 0), Channel::Phone, Severity::Minor);
    let ds = clock.deadlines(&c, sh(2026, 9, 30, 16, 5));
    assert_eq!(
        find(&ds, DeadlineKind::Reply).due_at,
        sh(2026, 10, 8, 16, 0)
    );
    assert_eq!(
        find(&ds, DeadlineKind::Dispatch).due_at,
        sh(2026, 9, 30, 16, 10)
    );
    assert_eq!(
        find(&ds, DeadlineKind::Dispatch).state,
        DeadlineState::DueSoon
    );
    assert_eq!(find(&ds, DeadlineKind::Reply).state, DeadlineState::Ok);
    assert!(ds.iter().all(|d| d.kind != DeadlineKind::MajorRespond));
    // A letter gets the three-working-day maximum: 10-08, 10-09, then the 调休 Saturday 10-10.
    let letter = complaint(sh(2026, 9, 30, 16, 0), Channel::Letter, Severity::Minor);
    let ds = clock.deadlines(&letter, sh(2026, 9, 30, 16, 5));
    assert_eq!(
        find(&ds, DeadlineKind::Reply).due_at,
        sh(2026, 10, 10, 16, 0)
    );
}

#[test]
fn states_move_from_ok_to_due_soon_to_overdue_and_met_when_done() {
    let clock = Clock::china();
    let mut c = complaint(sh(2026, 11, 23, 9, 0), Channel::Visit, Severity::Minor);
    let reply = |c: &Complaint, now| find(&clock.deadlines(c, now), DeadlineKind::Reply).state;
    assert_eq!(reply(&c, sh(2026, 11, 23, 10, 0)), DeadlineState::Ok);
    assert_eq!(reply(&c, sh(2026, 11, 24, 8, 30)), DeadlineState::DueSoon);
    assert_eq!(reply(&c, sh(2026, 11, 24, 9, 1)), DeadlineState::Overdue);
    c.replied_at = Some(sh(2026, 11, 23, 15, 0));
    assert_eq!(reply(&c, sh(2026, 12, 30, 0, 0)), DeadlineState::Met);
    c.replied_at = Some(sh(2026, 11, 24, 9, 30));
    assert_eq!(
        reply(&c, sh(2026, 12, 30, 0, 0)),
        DeadlineState::Overdue,
        "late reply stays a breach"
    );
}

#[test]
fn promised_reply_time_is_its_own_deadline() {
    let clock = Clock::china();
    let mut c = complaint(sh(2026, 11, 23, 9, 0), Channel::Visit, Severity::Minor);
    c.promised_reply_at = Some(sh(2026, 11, 23, 12, 0));
    let ds = clock.deadlines(&c, sh(2026, 11, 23, 12, 1));
    assert_eq!(
        find(&ds, DeadlineKind::Promised).state,
        DeadlineState::Overdue
    );
}

#[test]
fn major_complaints_get_respond_answer_and_close_limits() {
    let clock = Clock::china();
    let mut c = complaint(sh(2026, 11, 20, 16, 0), Channel::Phone, Severity::Major);
    let ds = clock.deadlines(&c, sh(2026, 11, 20, 16, 30));
    // 3 clock hours, even past closing time.
    assert_eq!(
        find(&ds, DeadlineKind::MajorRespond).due_at,
        sh(2026, 11, 20, 19, 0)
    );
    // 2 working days from Friday 16:00 → Tuesday 16:00.
    assert_eq!(
        find(&ds, DeadlineKind::MajorAnswer).due_at,
        sh(2026, 11, 24, 16, 0)
    );
    // 10 working days → Friday 12-04 16:00.
    assert_eq!(
        find(&ds, DeadlineKind::MajorClose).due_at,
        sh(2026, 12, 4, 16, 0)
    );
    c.accepted_at = Some(sh(2026, 11, 20, 17, 0));
    let ds = clock.deadlines(&c, sh(2026, 11, 20, 18, 0));
    assert_eq!(
        find(&ds, DeadlineKind::MajorRespond).state,
        DeadlineState::Met
    );
}

#[test]
fn effective_complaints_escalate_after_a_month_unresolved() {
    let clock = Clock::china();
    let mut c = complaint(sh(2026, 10, 1, 10, 0), Channel::Visit, Severity::Minor);
    assert!(!clock.unresolved_escalation_due(&c, sh(2026, 10, 30, 10, 0)));
    assert!(clock.unresolved_escalation_due(&c, sh(2026, 10, 31, 10, 0)));
    c.nature = Nature::Enquiry;
    assert!(
        !clock.unresolved_escalation_due(&c, sh(2026, 12, 31, 10, 0)),
        "communication complaints don't"
    );
    c.nature = Nature::Effective;
    c.status = Status::Closed;
    assert!(
        !clock.unresolved_escalation_due(&c, sh(2026, 12, 31, 10, 0)),
        "closed ones don't"
    );
}

#[test]
fn repeat_complaints_by_person_or_by_place_and_category_within_the_window() {
    let clock = Clock::china();
    let first = complaint(sh(2026, 11, 1, 10, 0), Channel::Visit, Severity::Minor);
    let mut again = complaint(sh(2026, 11, 20, 10, 0), Channel::Phone, Severity::Minor);
    again.id = ComplaintId::new_v7(again.captured_at.0, [8; 10]);
    assert_eq!(clock.repeat_of(&again, [&first]), Some(first.id));
    // Different place and category but same phone: still the same person.
    again.location = "1栋 大堂".into();
    again.category = "service.noise".into();
    assert_eq!(clock.repeat_of(&again, [&first]), Some(first.id));
    // The same number written differently is the same person.
    again.complainant.phone = Some("+86 138-0013-8000".into());
    assert_eq!(clock.repeat_of(&again, [&first]), Some(first.id));
    // Different person, place and category: not a repeat.
    again.complainant.phone = Some("13900139000".into());
    assert_eq!(clock.repeat_of(&again, [&first]), None);
    // Outside the 30-day window: not a repeat.
    let mut late = complaint(sh(2026, 12, 5, 10, 0), Channel::Phone, Severity::Minor);
    late.id = ComplaintId::new_v7(late.captured_at.0, [9; 10]);
    assert_eq!(clock.repeat_of(&late, [&first]), None);
}

#[test]
fn duplicates_are_open_ones_at_the_same_place_and_category() {
    let a = complaint(sh(2026, 11, 1, 10, 0), Channel::Visit, Severity::Minor);
    let mut closed = a.clone();
    closed.id = ComplaintId::new_v7(2, [4; 10]);
    closed.status = Status::Closed;
    assert_eq!(
        possible_duplicates(" B2 停车场 ", "facility.water", [&a, &closed]).len(),
        1
    );
    assert!(possible_duplicates("B2 停车场", "facility.lift", [&a]).is_empty());
    assert!(possible_duplicates("", "facility.water", [&a]).is_empty());
}

#[test]
fn codes_match_the_json_names() {
    for k in [
        DeadlineKind::Dispatch,
        DeadlineKind::Reply,
        DeadlineKind::Promised,
        DeadlineKind::MajorRespond,
        DeadlineKind::MajorAnswer,
        DeadlineKind::MajorClose,
    ] {
        assert_eq!(serde_json::to_value(k).unwrap(), k.code());
    }
    for s in [
        DeadlineState::Ok,
        DeadlineState::DueSoon,
        DeadlineState::Overdue,
        DeadlineState::Met,
    ] {
        assert_eq!(serde_json::to_value(s).unwrap(), s.code());
    }
}
