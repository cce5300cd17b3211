//! Unit tests of the chaos pieces that need no server: the simulated device and the refusal check.

use super::device::{now, users_for, Device};
use super::outbox::Rejection;
use super::verify::refused_by_rules;
use siteline_model::sync::{PushOutcome, PushResult, SyncedEvent};
use siteline_model::validation::validate_event;
use siteline_model::{EventKind, NewComplaint, Role, Timestamp};

fn device(i: usize) -> Device {
    Device::new(i, 99, users_for(i))
}

#[test]
fn a_lone_device_only_writes_valid_events_that_never_conflict() {
    let mut d = device(0);
    for _ in 0..600 {
        d.step(now());
    }
    assert_eq!(d.written.len(), 600);
    for e in d.written.values() {
        assert!(validate_event(&e.kind).is_ok(), "{e:?}");
    }
    // Alone, every action is legal where it is taken: the fold keeps no conflict.
    for c in d.replica.complaints() {
        assert!(c.conflicts.is_empty(), "{:?}", c.conflicts);
    }
    for kind in [
        "created",
        "dispatched",
        "accepted",
        "started",
        "handled",
        "replied",
        "followed_up",
        "closed",
    ] {
        assert!(
            d.kinds.get(kind).copied().unwrap_or(0) > 0,
            "{kind}: {:?}",
            d.kinds
        );
    }
}

#[test]
fn the_same_seed_makes_the_same_choices() {
    let kinds = |seed| {
        let mut d = Device::new(1, seed, users_for(1));
        (0..200).for_each(|_| d.step(Timestamp(1_790_000_000_000)));
        d.written
            .values()
            .map(|e| (e.kind.code(), e.author.clone()))
            .collect::<Vec<_>>()
    };
    // Ids are time-ordered, so compare the multiset of what was done, by whom.
    let (mut a, mut b, mut c) = (kinds(5), kinds(5), kinds(6));
    a.sort();
    b.sort();
    c.sort();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn an_author_waits_for_earlier_pending_events_of_others_then_refusals_are_discarded() {
    let mut d = device(0); // staff, handler (engineering), supervisor
    let staff = d.users[0].name.clone();
    let sup = d.users[2].name.clone();
    let ch = d.replica.prepare_new(
        NewComplaint {
            description: "灯不亮".into(),
            location: "B2".into(),
            category: "facility.lighting".into(),
            ..Default::default()
        },
        &staff,
        Timestamp(1),
        [1; 10],
    );
    let cid = ch.events[0].event.complaint_id;
    d.replica.apply(ch);
    d.known.insert(cid);
    let dispatch = EventKind::Dispatched {
        department: "engineering".into(),
        instructions: String::new(),
    };
    let ch = d
        .replica
        .prepare(cid, dispatch, &sup, Timestamp(2), [2; 10]);
    let dispatch_id = ch.events[0].event.id;
    d.replica.apply(ch);
    assert!(
        siteline_sync::push_batch(&d.replica, &sup, 100).is_empty(),
        "waits for the creation"
    );
    let first = siteline_sync::push_batch(&d.replica, &staff, 100);
    assert_eq!(first.len(), 1);
    let accepted = PushResult::Accepted {
        seq: 1,
        received_at: Timestamp(3),
    };
    d.ack(
        &[PushOutcome {
            id: first[0].id,
            result: accepted,
        }],
        Timestamp(3),
        Timestamp(3),
    );
    assert_eq!(siteline_sync::push_batch(&d.replica, &sup, 100).len(), 1);
    let refused = PushResult::Rejected {
        code: "forbidden".into(),
        message: "test".into(),
    };
    d.ack(
        &[PushOutcome {
            id: dispatch_id,
            result: refused,
        }],
        Timestamp(4),
        Timestamp(4),
    );
    assert_eq!(d.rejections.len(), 1);
    assert!(d.discarded.contains(&dispatch_id));
    assert_eq!(d.replica.event_count(), 1, "the refused event is gone");
    assert_eq!(d.pending_count(), 0);
}

#[test]
fn a_refusal_counts_as_rightful_only_if_the_rules_refuse_it_on_a_state_the_server_held() {
    let mut d = device(0);
    for _ in 0..3 {
        d.step(Timestamp(10));
    }
    let created = d
        .written
        .values()
        .find(|e| matches!(e.kind, EventKind::Created(_)))
        .cloned()
        .expect("a creation");
    let cid = created.complaint_id;
    let at = |ms| Timestamp(ms);
    let mk = |kind, lamport, ms: i64, seq| {
        let mut e = created.clone();
        e.kind = kind;
        e.lamport = lamport;
        e.id = siteline_model::EventId::new_v7(ms, [seq as u8; 10]);
        SyncedEvent {
            seq,
            received_at: at(ms),
            event: e,
        }
    };
    let c0 = SyncedEvent {
        seq: 1,
        received_at: at(100),
        event: created.clone(),
    };
    let dispatched = mk(
        EventKind::Dispatched {
            department: "engineering".into(),
            instructions: String::new(),
        },
        10,
        110,
        2,
    );
    let transferred = mk(
        EventKind::Transferred {
            department: "cleaning".into(),
            reason: "x".into(),
        },
        11,
        205,
        3,
    );
    let mut accept = created.clone();
    accept.kind = EventKind::Accepted;
    accept.lamport = 12;
    let rejection = |sent, answered| Rejection {
        event: accept.clone(),
        role: Role::Handler,
        department: Some("engineering".into()),
        code: "forbidden".into(),
        message: String::new(),
        sent: at(sent),
        answered: at(answered),
    };
    assert_eq!(accept.complaint_id, cid);
    let history = [&c0, &dispatched, &transferred];
    // Refused at 150-160, while it was with engineering: the rules allowed it.
    assert!(!refused_by_rules(&rejection(150, 160), &history[..2]));
    assert!(!refused_by_rules(&rejection(150, 160), &history));
    // Refused at 200-210: the transfer to cleaning may have been stored first.
    assert!(refused_by_rules(&rejection(200, 210), &history));
    // Refused after the transfer: rightful.
    assert!(refused_by_rules(&rejection(300, 310), &history));
}
