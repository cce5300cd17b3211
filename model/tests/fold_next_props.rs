//! Property tests: folding one committed event at a time onto a state (or a stored projection of
//! it) equals re-folding the whole history in commit order, whatever the events.

use proptest::prelude::*;
use siteline_model::*;

fn cid() -> ComplaintId {
    ComplaintId::new_v7(1_000, [7; 10])
}

/// An event of any kind (including a second `Created`), the `i`-th of the history.
fn event(i: usize, what: u8, val: u8) -> Event {
    let dept = ["engineering", "security", "cleaning"][usize::from(val % 3)].to_string();
    let kind = match what % 18 {
        0 | 1 => EventKind::Created(Box::new(NewComplaint {
            provisional_number: format!("P-{val}"),
            description: format!("漏水 {val}"),
            location: "B2".into(),
            category: "facility.water".into(),
            ..Default::default()
        })),
        2 => EventKind::NoteAdded {
            text: format!("note {val}"),
        },
        3 => EventKind::Edited(Box::new(ComplaintPatch {
            severity: Some(Severity::ALL[usize::from(val) % 3]),
            location: Some(format!("loc {val}")),
            ..Default::default()
        })),
        4 => EventKind::StatusChanged {
            to: Status::ALL[usize::from(val) % 8],
            reason: None,
        },
        5 => EventKind::NumberAssigned {
            number: format!("SL-2026-{val:04}"),
        },
        6 => EventKind::Dispatched {
            department: dept,
            instructions: String::new(),
        },
        7 => EventKind::Accepted,
        8 => EventKind::Started,
        9 => EventKind::Handled {
            remedial: format!("r{val}"),
            corrective: format!("c{val}"),
        },
        10 => EventKind::Replied {
            content: format!("reply {val}"),
        },
        11 => EventKind::FollowedUp {
            satisfaction: if val.is_multiple_of(2) {
                Satisfaction::Satisfied
            } else {
                Satisfaction::Unsatisfied
            },
            note: String::new(),
        },
        12 => EventKind::Closed {
            summary: String::new(),
        },
        13 => EventKind::Transferred {
            department: dept,
            reason: "wrong team".into(),
        },
        14 => EventKind::Returned {
            reason: "not ours".into(),
        },
        15 => EventKind::Escalated {
            to: Severity::ALL[usize::from(val) % 3],
            rule: "repeat_complaint".into(),
            related: None,
        },
        16 => EventKind::AttachmentsAdded {
            attachments: vec![AttachmentRef {
                sha256: format!("{:064x}", val % 4),
                size: 10,
                content_type: "image/jpeg".into(),
            }],
        },
        _ => EventKind::Withdrawn {
            reason: "resolved".into(),
            voluntary: val.is_multiple_of(2),
        },
    };
    let mut rnd = [0u8; 10];
    rnd[..8].copy_from_slice(&(i as u64).to_be_bytes());
    Event {
        id: EventId::new_v7(1_000 + i as i64, rnd),
        complaint_id: cid(),
        device_id: DeviceId::new_v7(1, [u8::from(val.is_multiple_of(2)); 10]),
        author: format!("u{}", val % 3),
        // Capture times and clocks disagree with the commit order: both are data here.
        captured_at: Timestamp(1_000 + i64::from(val) * 7919),
        lamport: u64::from(val),
        kind,
    }
}

proptest! {
    #[test]
    fn one_event_at_a_time_equals_the_whole_fold(
        ops in prop::collection::vec((any::<u8>(), any::<u8>()), 0..60),
        restart_at in any::<usize>(),
    ) {
        let history: Vec<Event> = ops.iter().enumerate().map(|(i, &(w, v))| event(i, w, v)).collect();
        let mut folding = Folding::default();
        for (i, e) in history.iter().enumerate() {
            folding.push(e);
            let whole = fold_in_order(&history[..=i]);
            prop_assert_eq!(folding.state(), whole.as_ref(), "after event {}", i);
            // Once in a while the batch ends: the next one starts from the stored projection
            // (its JSON), as the server's push does.
            if restart_at % 7 == i % 7 {
                if let Some(state) = folding.state() {
                    let json = serde_json::to_string(state).expect("state serializes");
                    let stored: Complaint = serde_json::from_str(&json).expect("state parses");
                    prop_assert_eq!(&stored, state, "the projection round-trips");
                    folding = Folding::of_state(stored);
                } else {
                    folding = Folding::of_events(history[..=i].to_vec());
                }
            }
        }
    }
}

#[test]
fn events_before_created_wait_for_it() {
    let note = event(0, 2, 1);
    let created = event(1, 0, 1);
    let mut f = Folding::default();
    f.push(&note);
    assert!(f.state().is_none());
    f.push(&created);
    let c = f.state().expect("folded once created");
    assert_eq!(c.event_count, 2);
    assert_eq!(c.notes.len(), 1, "the note that came first is in the state");
}
