//! Every lifecycle transition, legal and illegal; role rules; conflicts in the fold.

use super::*;
use crate::complaint::{Nature, Satisfaction as Sat};
use crate::event::{Event, NewComplaint};
use crate::fold::fold_one;
use crate::ids::{ComplaintId, DeviceId, EventId};
use crate::time::Timestamp;

fn kinds() -> Vec<EventKind> {
    vec![
        EventKind::Dispatched {
            department: "engineering".into(),
            instructions: String::new(),
        },
        EventKind::Accepted,
        EventKind::Started,
        EventKind::Handled {
            remedial: "r".into(),
            corrective: "c".into(),
        },
        EventKind::Replied {
            content: "已修复".into(),
        },
        EventKind::FollowedUp {
            satisfaction: Sat::Satisfied,
            note: String::new(),
        },
        EventKind::FollowedUp {
            satisfaction: Sat::Unsatisfied,
            note: String::new(),
        },
        EventKind::Closed {
            summary: String::new(),
        },
        EventKind::Transferred {
            department: "security".into(),
            reason: "r".into(),
        },
        EventKind::Returned { reason: "r".into() },
        EventKind::Withdrawn {
            reason: "r".into(),
            voluntary: true,
        },
        EventKind::Merged {
            into: ComplaintId::new_v7(5, [5; 10]),
        },
    ]
}

fn complaint(status: Status, nature: Nature) -> Complaint {
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
            location: "l".into(),
            category: "other".into(),
            nature,
            ..Default::default()
        })),
    };
    let mut c = fold_one([&e]).unwrap();
    c.status = status;
    c.department = Some("engineering".into());
    c
}

/// The full table: for each status, which events are legal and where they lead.
#[test]
fn transition_table() {
    use Status::*;
    // (status, event index in kinds(), expected next) — everything not listed must be illegal.
    let legal: &[(Status, usize, Status)] = &[
        (Received, 0, Dispatched),
        (Received, 10, Withdrawn),
        (Received, 11, Merged),
        (Dispatched, 1, Accepted),
        (Dispatched, 8, Dispatched),
        (Dispatched, 9, Received),
        (Dispatched, 10, Withdrawn),
        (Dispatched, 11, Merged),
        (Accepted, 2, InProgress),
        (Accepted, 3, Handled),
        (Accepted, 8, Dispatched),
        (Accepted, 9, Received),
        (Accepted, 10, Withdrawn),
        (Accepted, 11, Merged),
        (InProgress, 3, Handled),
        (InProgress, 8, Dispatched),
        (InProgress, 10, Withdrawn),
        (InProgress, 11, Merged),
        (Handled, 4, Replied),
        (Handled, 10, Withdrawn),
        (Handled, 11, Merged),
        (Replied, 5, FollowedUp),
        (Replied, 6, Dispatched),
        (Replied, 7, Closed),
        (Replied, 10, Withdrawn),
        (Replied, 11, Merged),
        (FollowedUp, 7, Closed),
        (FollowedUp, 10, Withdrawn),
        (FollowedUp, 11, Merged),
    ];
    for status in Status::ALL {
        let c = complaint(status, Nature::Effective);
        for (i, k) in kinds().iter().enumerate() {
            let want = legal
                .iter()
                .find(|(s, j, _)| *s == status && *j == i)
                .map(|(_, _, n)| *n);
            match (next_status(&c, k), want) {
                (Ok(n), Some(w)) => assert_eq!(n, w, "{status:?} --{}--> ", k.code()),
                (Err(_), None) => {}
                (got, want) => panic!("{status:?} --{}-->: got {got:?}, want {want:?}", k.code()),
            }
        }
    }
}

#[test]
fn closed_complaints_say_so_and_notes_are_always_allowed() {
    let c = complaint(Status::Closed, Nature::Effective);
    assert_eq!(
        next_status(&c, &EventKind::Accepted),
        Err(WorkflowError::AlreadyClosed)
    );
    assert_eq!(
        next_status(&c, &EventKind::NoteAdded { text: "x".into() }),
        Ok(Status::Closed)
    );
    let open = complaint(Status::Received, Nature::Effective);
    assert_eq!(
        next_status(&open, &EventKind::Accepted),
        Err(WorkflowError::IllegalTransition)
    );
}

#[test]
fn communication_complaints_can_be_answered_at_the_desk() {
    let reply = EventKind::Replied {
        content: "已解释收费标准".into(),
    };
    assert_eq!(
        next_status(&complaint(Status::Received, Nature::Enquiry), &reply),
        Ok(Status::Replied)
    );
    assert!(next_status(&complaint(Status::Received, Nature::Effective), &reply).is_err());
}

#[test]
fn departments_must_exist_and_transfer_must_change_department() {
    let c = complaint(Status::Received, Nature::Effective);
    let bad = EventKind::Dispatched {
        department: "nope".into(),
        instructions: String::new(),
    };
    assert_eq!(next_status(&c, &bad), Err(WorkflowError::UnknownDepartment));
    let c = complaint(Status::Dispatched, Nature::Effective);
    let same = EventKind::Transferred {
        department: "engineering".into(),
        reason: "r".into(),
    };
    assert_eq!(next_status(&c, &same), Err(WorkflowError::SameDepartment));
    let c = complaint(Status::Received, Nature::Effective);
    assert_eq!(
        next_status(&c, &EventKind::Merged { into: c.id }),
        Err(WorkflowError::SelfMerge)
    );
}

#[test]
fn roles() {
    let c = complaint(Status::Replied, Nature::Effective);
    let close = EventKind::Closed {
        summary: String::new(),
    };
    assert!(may(Role::Staff, Some(&c), &close).is_ok());
    let mut major = c.clone();
    major.severity = Severity::Major;
    assert_eq!(
        may(Role::Staff, Some(&major), &close),
        Err(WorkflowError::Forbidden)
    );
    assert!(may(Role::Supervisor, Some(&major), &close).is_ok());
    assert!(may(Role::Handler, None, &EventKind::Accepted).is_ok());
    assert_eq!(
        may(Role::Handler, None, &close),
        Err(WorkflowError::Forbidden)
    );
    assert_eq!(
        may(Role::Staff, None, &EventKind::Accepted),
        Err(WorkflowError::Forbidden)
    );
    let esc = EventKind::Escalated {
        to: Severity::Major,
        rule: "x".into(),
        related: None,
    };
    assert_eq!(may(Role::Admin, None, &esc), Err(WorkflowError::ServerOnly));
    let legacy = EventKind::StatusChanged {
        to: Status::Closed,
        reason: None,
    };
    assert!(may(Role::Admin, None, &legacy).is_ok());
    assert!(may(Role::Supervisor, None, &legacy).is_err());
}

#[test]
fn available_actions_follow_status_and_role() {
    let c = complaint(Status::Received, Nature::Effective);
    assert_eq!(
        available_actions(Role::Staff, &c),
        vec!["dispatched", "withdrawn"]
    );
    assert!(available_actions(Role::Handler, &c).is_empty());
    let c = complaint(Status::Dispatched, Nature::Effective);
    assert_eq!(
        available_actions(Role::Handler, &c),
        vec!["accepted", "returned"]
    );
    let c = complaint(Status::Replied, Nature::Effective);
    assert_eq!(
        available_actions(Role::Staff, &c),
        vec!["followed_up", "closed", "withdrawn"]
    );
}
