//! Property tests: the fold is deterministic whatever order (and duplication) events arrive in.

use proptest::prelude::*;
use siteline_model::*;

/// A small simulation: several devices act on one complaint, each knowing only some events.
fn scenario(ops: &[(u8, u8, u8)]) -> Vec<Event> {
    let cid = ComplaintId::new_v7(1_000, [9; 10]);
    let devices: Vec<DeviceId> = (0..3u8).map(|i| DeviceId::new_v7(1, [i; 10])).collect();
    let mut clocks = [LamportClock::default(); 3];
    let mut events = vec![Event {
        id: EventId::new_v7(1_000, [0; 10]),
        complaint_id: cid,
        device_id: devices[0],
        author: "d0".into(),
        captured_at: Timestamp(1_000),
        lamport: clocks[0].tick(),
        kind: EventKind::Created(Box::new(NewComplaint {
            provisional_number: "P-0000-0001".into(),
            description: "漏水".into(),
            location: "B2".into(),
            category: "facility.water".into(),
            severity: Severity::Minor,
            channel: Channel::Visit,
            complainant: Complainant::default(),
            ..Default::default()
        })),
    }];
    for c in clocks.iter_mut() {
        c.observe(1);
    }
    for (i, &(dev, what, val)) in ops.iter().enumerate() {
        let d = usize::from(dev % 3);
        let kind = match what % 4 {
            0 => EventKind::NoteAdded {
                text: format!("note {val}"),
            },
            1 => EventKind::StatusChanged {
                to: Status::ALL[usize::from(val) % 8],
                reason: None,
            },
            2 => EventKind::Edited(Box::new(ComplaintPatch {
                severity: Some(Severity::ALL[usize::from(val) % 3]),
                description: Some(format!("desc {val}")),
                ..Default::default()
            })),
            _ => EventKind::Edited(Box::new(ComplaintPatch {
                location: Some(format!("loc {val}")),
                ..Default::default()
            })),
        };
        let mut rnd = [0u8; 10];
        rnd[..8].copy_from_slice(&(i as u64).to_be_bytes());
        rnd[8] = dev;
        rnd[9] = 1; // never collides with the created event's id
                    // Device clocks disagree wildly: capture times are data, not order.
        let captured = Timestamp(1_000 + i64::from(val) * 7919 - i64::from(dev) * 100_000);
        events.push(Event {
            id: EventId::new_v7(captured.0, rnd),
            complaint_id: cid,
            device_id: devices[d],
            author: format!("d{d}"),
            captured_at: captured,
            lamport: clocks[d].tick(),
            kind,
        });
        // Sometimes a device syncs and learns the others' clocks.
        if val % 5 == 0 {
            let max = clocks.iter().map(|c| c.0).max().unwrap_or(0);
            clocks[d].observe(max);
        }
    }
    events
}

proptest! {
    #[test]
    fn fold_ignores_arrival_order_and_duplicates(
        ops in prop::collection::vec((0u8..3, 0u8..4, any::<u8>()), 0..40),
        seed in any::<u64>(),
        dup in prop::collection::vec(any::<prop::sample::Index>(), 0..10),
    ) {
        let events = scenario(&ops);
        let reference = fold_one(&events).expect("created present");
        // Shuffle deterministically from the seed and duplicate some events.
        let mut shuffled = events.clone();
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        for d in &dup {
            let e = events[d.index(events.len())].clone();
            shuffled.push(e);
        }
        let folded = fold_one(&shuffled).expect("created present");
        prop_assert_eq!(&folded, &reference);
        prop_assert_eq!(folded.event_count as usize, events.len());
        prop_assert_eq!(folded.notes.len(), ops.iter().filter(|o| o.1 % 4 == 0).count());
        // The multi-complaint fold agrees with the single one.
        let all = fold(&shuffled);
        prop_assert_eq!(all.get(&reference.id), Some(&reference));
    }
}

#[test]
fn without_created_there_is_no_complaint_yet() {
    let events = scenario(&[(1, 0, 3), (2, 1, 4)]);
    assert!(fold_one(&events[1..]).is_none());
    assert_eq!(fold_one(&events).unwrap().notes.len(), 1);
}

#[test]
fn later_logical_clock_wins_even_with_an_earlier_device_time() {
    let mut events = scenario(&[(0, 3, 1), (1, 3, 2)]);
    // Device 1 wrote "loc 2" after seeing device 0's edit, but its tablet clock is an hour behind.
    events[2].lamport = events[1].lamport + 1;
    events[2].captured_at = Timestamp(events[1].captured_at.0 - 3_600_000);
    assert_eq!(fold_one(&events).unwrap().location, "loc 2");
}

#[test]
fn event_json_shape_is_stable() {
    let e = &scenario(&[])[0];
    let v = serde_json::to_value(e).unwrap();
    assert_eq!(v["type"], "created");
    assert_eq!(v["data"]["category"], "facility.water");
    assert_eq!(v["lamport"], 1);
    let back: Event = serde_json::from_value(v).unwrap();
    assert_eq!(&back, e);
}
