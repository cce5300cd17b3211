//! Several tablets act on the same complaint offline, each doing only what its own view allows;
//! whatever order their events meet in, every replica folds to the same state, no event is lost,
//! and conflicts (e.g. two dispatches) are resolved the same way everywhere and stay visible.

use proptest::prelude::*;
use siteline_model::replica::{Replica, ReplicaMeta, StoredEvent, SyncState};
use siteline_model::sync::{PullResponse, SyncedEvent};
use siteline_model::workflow::{may, next_status};
use siteline_model::*;

fn candidate(i: u8, dept: &str) -> EventKind {
    match i % 10 {
        0 => EventKind::Dispatched {
            department: dept.into(),
            instructions: "尽快处理".into(),
        },
        1 => EventKind::Accepted,
        2 => EventKind::Started,
        3 => EventKind::Handled {
            remedial: "更换水管".into(),
            corrective: "每月巡检".into(),
        },
        4 => EventKind::Replied {
            content: "已修复".into(),
        },
        5 => EventKind::FollowedUp {
            satisfaction: if i.is_multiple_of(3) {
                Satisfaction::Unsatisfied
            } else {
                Satisfaction::Satisfied
            },
            note: String::new(),
        },
        6 => EventKind::Closed {
            summary: String::new(),
        },
        7 => EventKind::Transferred {
            department: "security".into(),
            reason: "不属工程".into(),
        },
        8 => EventKind::NoteAdded {
            text: format!("进展 {i}"),
        },
        _ => EventKind::Withdrawn {
            reason: "业主撤回".into(),
            voluntary: true,
        },
    }
}

/// A pull page of the "server" log: each event at its seq (its place in the log, the order the
/// server committed them), whatever order the page lists them in.
fn pull_page(log: &[Event]) -> PullResponse {
    pull_page_of(log, &(0..log.len()).collect::<Vec<_>>())
}

fn pull_page_of(log: &[Event], order: &[usize]) -> PullResponse {
    PullResponse {
        events: order
            .iter()
            .map(|&i| SyncedEvent {
                seq: i as u64 + 1,
                received_at: Timestamp(0),
                event: log[i].clone(),
            })
            .collect(),
        next_cursor: log.len() as u64,
        has_more: false,
        sites: Vec::new(),
        scope: String::new(),
        window_since: None,
    }
}

/// Runs the scenario: device 0 creates; everyone syncs once; then each step is (device, action, sync?).
fn run(steps: &[(u8, u8, bool)]) -> (Vec<Event>, Vec<Replica>) {
    let mut devices: Vec<Replica> = (0..3u8)
        .map(|i| Replica::load(ReplicaMeta::new(DeviceId::new_v7(1, [i; 10])), vec![]))
        .collect();
    let roles = [Role::Staff, Role::Handler, Role::Supervisor];
    let mut log: Vec<Event> = Vec::new(); // the "server": every event any device wrote
    let new = NewComplaint {
        description: "B2 漏水".into(),
        location: "B2 停车场".into(),
        category: "facility.water".into(),
        ..Default::default()
    };
    let ch = devices[0].prepare_new(new, "d0", Timestamp(1_000), [0; 10]);
    log.push(ch.events[0].event.clone());
    devices[0].apply(ch);
    for d in devices.iter_mut() {
        let ch = d.pulled(&pull_page(&log));
        d.apply(ch);
    }
    let cid = log[0].complaint_id;
    for (n, &(dev, act, sync)) in steps.iter().enumerate() {
        let d = usize::from(dev % 3);
        let Some(c) = devices[d].complaint(&cid).cloned() else {
            continue;
        };
        let kind = candidate(act, "engineering");
        // Each tablet only records what is legal and allowed in ITS current view.
        if next_status(&c, &kind).is_err() || may(roles[d], Some(&c), &kind).is_err() {
            continue;
        }
        let mut rnd = [0u8; 10];
        rnd[..2].copy_from_slice(&(n as u16).to_be_bytes());
        rnd[2] = dev;
        rnd[9] = 0xee;
        let ch = devices[d].prepare(
            cid,
            kind,
            &format!("d{d}"),
            Timestamp(2_000 + n as i64),
            rnd,
        );
        log.push(ch.events[0].event.clone());
        devices[d].apply(ch);
        if sync {
            let ch = devices[d].pulled(&pull_page(&log));
            devices[d].apply(ch);
        }
    }
    (log, devices)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn replicas_converge_whatever_the_interleaving(
        steps in prop::collection::vec((0u8..3, any::<u8>(), prop::bool::weighted(0.3)), 0..40),
        order_seed in any::<u64>(),
    ) {
        let (log, mut devices) = run(&steps);
        let cid = log[0].complaint_id;
        // Everyone finally receives everything, each device in its own (shuffled) order; the
        // server's commit order (the log) is the order of record.
        for (i, d) in devices.iter_mut().enumerate() {
            let mut order: Vec<usize> = (0..log.len()).collect();
            let mut s = order_seed.wrapping_add(i as u64) | 1;
            for k in (1..order.len()).rev() {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                order.swap(k, (s % (k as u64 + 1)) as usize);
            }
            let ch = d.pulled(&pull_page_of(&log, &order));
            d.apply(ch);
        }
        let reference = fold_in_order(&log).expect("created");
        // A replica keeps its states without notes (its timeline reads them from the events).
        let bare = Complaint { notes: Vec::new(), ..reference.clone() };
        for d in &devices {
            prop_assert_eq!(d.complaint(&cid), Some(&bare));
            prop_assert_eq!(d.event_count(), log.len(), "no event lost or duplicated");
            prop_assert_eq!(d.pending_records(), 0);
        }
        // Every event is either applied or listed as a conflict: none silently vanishes.
        prop_assert_eq!(reference.event_count as usize, log.len());
        for conflict in &reference.conflicts {
            prop_assert!(log.iter().any(|e| e.id == conflict.event_id));
        }
    }
}

#[test]
fn two_offline_dispatches_resolve_the_same_way_everywhere_and_the_loser_stays_visible() {
    // Device 0 (staff) and device 2 (supervisor) both dispatch while offline.
    let (log, _) = run(&[(0, 0, false), (2, 0, false)]);
    assert_eq!(log.len(), 3);
    let c = fold_in_order(&log).unwrap();
    assert_eq!(c.status, Status::Dispatched);
    assert_eq!(c.conflicts.len(), 1);
    assert_eq!(c.conflicts[0].code, "illegal_transition");
    // The loser is the one the server committed later; the same on every replica, whatever
    // order a replica receives them in.
    assert_eq!(c.conflicts[0].event_id, log[2].id);
    let placed = |order: &[usize]| {
        fold_placed(order.iter().map(|&i| (&log[i], Place::Committed(i as u64)))).unwrap()
    };
    assert_eq!(placed(&[2, 1, 0]), c);
    assert_eq!(placed(&[1, 0, 2]), c);
}

#[test]
fn two_offline_devices_never_share_a_provisional_number() {
    let mut a = Replica::load(ReplicaMeta::new(DeviceId::new_v7(1, [0x11; 10])), vec![]);
    let mut b = Replica::load(ReplicaMeta::new(DeviceId::new_v7(1, [0x22; 10])), vec![]);
    let mut numbers = std::collections::BTreeSet::new();
    for i in 0..50u8 {
        for r in [&mut a, &mut b] {
            let ch = r.prepare_new(
                NewComplaint {
                    description: "x".into(),
                    location: "y".into(),
                    category: "other".into(),
                    ..Default::default()
                },
                "s",
                Timestamp(i64::from(i)),
                [i; 10],
            );
            let StoredEvent { event, sync } = &ch.events[0];
            assert_eq!(sync, &SyncState::Pending);
            let EventKind::Created(n) = &event.kind else {
                panic!("created")
            };
            assert!(numbering::is_provisional(&n.provisional_number));
            assert!(numbering::is_provisional(&n.provisional_number));
            assert!(
                numbers.insert(n.provisional_number.clone()),
                "reused {}",
                n.provisional_number
            );
            r.apply(ch);
        }
    }
    assert_eq!(numbers.len(), 100);
    // Once the server's number arrives, every device shows the canonical one.
    let cid = *a.complaint_ids().next().unwrap();
    let assigned = Event {
        id: EventId::new_v7(99, [7; 10]),
        complaint_id: cid,
        device_id: DeviceId::SERVER,
        author: "system".into(),
        captured_at: Timestamp(99),
        lamport: 2,
        kind: EventKind::NumberAssigned {
            number: numbering::canonical("DEMO", 2026, 1),
        },
    };
    let ch = a.pulled(&pull_page(&[assigned]));
    a.apply(ch);
    assert_eq!(
        a.complaint(&cid).unwrap().display_number(),
        "DEMO-2026-000001"
    );
}
