//! A complaint's deadline summary, defined once for the board, the register list (its
//! `overdue` filter), the tablet and the reports: the worst state worth showing, and whether
//! it is overdue *now* — some limit still running on an open complaint is past due. Storage
//! keeps each complaint's next due instant ([`next_due`]), so "overdue now" is an index range
//! (`next_due < now`), not a scan.

use crate::complaint::Complaint;
use crate::time::Timestamp;
use crate::timelimit::{Deadline, DeadlineState};

/// How bad a state is (overdue > due soon > ok > met).
pub fn badness(s: DeadlineState) -> u8 {
    match s {
        DeadlineState::Met => 0,
        DeadlineState::Ok => 1,
        DeadlineState::DueSoon => 2,
        DeadlineState::Overdue => 3,
    }
}

/// What a row, card or export shows about a complaint's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeadlineSummary {
    /// The worst state of the limits still running; when none runs, the worst of the finished
    /// ones (a limit met late shows as overdue, all met in time as met). `None`: no limits.
    pub worst: Option<DeadlineState>,
    /// A limit still running on an open complaint is past due now.
    pub overdue_now: bool,
}

/// The earliest due time among the limits still running on an open complaint.
pub fn next_due(c: &Complaint, deadlines: &[Deadline]) -> Option<Timestamp> {
    if !c.status.is_open() {
        return None;
    }
    deadlines
        .iter()
        .filter(|d| d.done_at.is_none())
        .map(|d| d.due_at)
        .min()
}

/// The summary of `deadlines` (computed for `c` at `now`).
pub fn summarize(c: &Complaint, deadlines: &[Deadline], now: Timestamp) -> DeadlineSummary {
    let worst_of = |running: bool| {
        deadlines
            .iter()
            .filter(|d| !running || d.done_at.is_none())
            .map(|d| d.state)
            .max_by_key(|s| badness(*s))
    };
    DeadlineSummary {
        worst: worst_of(true).or_else(|| worst_of(false)),
        overdue_now: next_due(c, deadlines).is_some_and(|due| due < now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complaint::Status;
    use crate::event::{Event, EventKind, NewComplaint};
    use crate::ids::{ComplaintId, DeviceId, EventId};
    use crate::timelimit::DeadlineKind;

    fn open_complaint() -> Complaint {
        let e = Event {
            id: EventId::new_v7(1, [1; 10]),
            complaint_id: ComplaintId::new_v7(1, [2; 10]),
            device_id: DeviceId::new_v7(1, [3; 10]),
            author: "s".into(),
            captured_at: Timestamp(1),
            lamport: 1,
            kind: EventKind::Created(Box::new(NewComplaint {
                provisional_number: "P-1".into(),
                description: "d".into(),
                location: "B2".into(),
                category: "facility.water".into(),
                ..Default::default()
            })),
        };
        crate::fold::fold_one([&e]).expect("a complaint")
    }

    fn dl(due: i64, state: DeadlineState, done: Option<i64>) -> Deadline {
        Deadline {
            kind: DeadlineKind::Reply,
            due_at: Timestamp(due),
            state,
            done_at: done.map(Timestamp),
        }
    }

    #[test]
    fn running_limits_decide_and_overdue_now_is_the_next_due_instant_passed() {
        let mut c = open_complaint();
        assert!(c.status.is_open());
        let late_done = dl(100, DeadlineState::Overdue, Some(150));
        let running = dl(1_000, DeadlineState::Ok, None);
        let s = summarize(&c, &[late_done.clone(), running.clone()], Timestamp(500));
        assert_eq!(
            s.worst,
            Some(DeadlineState::Ok),
            "a finished late limit does not hide a running one"
        );
        assert!(!s.overdue_now);
        assert_eq!(
            next_due(&c, &[late_done.clone(), running.clone()]),
            Some(Timestamp(1_000))
        );
        let passed = dl(1_000, DeadlineState::Overdue, None);
        let s = summarize(&c, &[late_done.clone(), passed], Timestamp(1_001));
        assert_eq!(
            (s.worst, s.overdue_now),
            (Some(DeadlineState::Overdue), true)
        );
        // Nothing running: the finished ones speak (late shows as overdue, but not overdue now).
        let s = summarize(&c, std::slice::from_ref(&late_done), Timestamp(2_000));
        assert_eq!(
            (s.worst, s.overdue_now),
            (Some(DeadlineState::Overdue), false)
        );
        // A closed complaint is never overdue now.
        c.status = Status::Closed;
        let s = summarize(
            &c,
            &[dl(10, DeadlineState::Overdue, None)],
            Timestamp(2_000),
        );
        assert!(!s.overdue_now);
        assert_eq!(summarize(&c, &[], Timestamp(0)).worst, None);
    }
}
