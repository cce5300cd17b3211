//! The device's schema-3 records: every event and mark survives the upgrade from one record per
//! event and the round trip through bytes, and whatever order writes of two tabs land in, an
//! event the server acknowledged stays acknowledged.

use proptest::prelude::*;
use siteline_model::device_record::{from_events, ComplaintRecord, Mark, Receipt, WritePlan};
use siteline_model::replica::{StoredEvent, SyncState};
use siteline_model::sync::{PushOutcome, PushResult};
use siteline_model::*;
use std::collections::{BTreeMap, BTreeSet};

fn event(c: u8, i: u8) -> Event {
    Event {
        id: EventId::new_v7(1_000 + i64::from(i), [c, i, 0, 0, 0, 0, 0, 0, 0, 1]),
        complaint_id: ComplaintId::new_v7(1_000, [c; 10]),
        device_id: DeviceId::new_v7(1, [1; 10]),
        author: "zhang".into(),
        captured_at: Timestamp(1_772_416_800_000 + i64::from(i)),
        lamport: u64::from(i),
        kind: if i == 0 {
            EventKind::Created(Box::new(NewComplaint {
                provisional_number: format!("P-{c}"),
                description: "漏水".into(),
                location: "B2".into(),
                category: "facility.water".into(),
                ..Default::default()
            }))
        } else {
            EventKind::NoteAdded {
                text: format!("第 {i} 条"),
            }
        },
    }
}

fn state(k: u8, i: u8) -> SyncState {
    match k % 3 {
        0 => SyncState::Pending,
        // One event has one receipt: the seq is the event's.
        1 => SyncState::Synced {
            seq: 100 + u64::from(i),
            received_at: Timestamp(5),
        },
        _ => SyncState::Rejected {
            code: "forbidden".into(),
            message: "不在本项目".into(),
        },
    }
}

fn stored(c: u8, i: u8, k: u8) -> StoredEvent {
    StoredEvent {
        event: event(c, i),
        sync: state(k, c.wrapping_mul(31).wrapping_add(i)),
    }
}

#[test]
fn the_upgrade_keeps_every_event_and_mark() {
    let v2: Vec<StoredEvent> = (0..4u8)
        .flat_map(|c| (0..5u8).map(move |i| stored(c, i, c + i)))
        .collect();
    let records = from_events(&v2);
    assert_eq!(records.len(), 4, "one record per complaint");
    let mut back: Vec<StoredEvent> = records
        .into_values()
        .flat_map(|r| {
            ComplaintRecord::decode(&r.encode())
                .expect("decodes")
                .into_stored()
        })
        .collect();
    let mut want = v2.clone();
    back.sort_by_key(|s| s.event.id);
    want.sort_by_key(|s| s.event.id);
    assert_eq!(back, want);
}

#[test]
fn a_receipt_marks_what_its_push_sent() {
    let mut r = ComplaintRecord::default();
    r.merge(&[stored(1, 0, 0), stored(1, 1, 0)]);
    let receipt = Receipt::of(&[
        PushOutcome {
            id: event(1, 0).id,
            result: PushResult::Accepted {
                seq: 7,
                received_at: Timestamp(9),
            },
        },
        PushOutcome {
            id: event(1, 1).id,
            result: PushResult::Rejected {
                code: "forbidden".into(),
                message: "x".into(),
            },
        },
    ]);
    let receipt = Receipt::decode(&receipt.encode()).expect("receipt decodes");
    r.apply(&receipt);
    assert_eq!(r.events[0].1, Mark::Synced(7, Timestamp(9)));
    assert_eq!(
        r.events[1].1,
        Mark::Rejected("forbidden".into(), "x".into())
    );
    assert!(r.remove(&BTreeSet::from([event(1, 1).id])));
    assert_eq!(r.events.len(), 1);
}

#[test]
fn a_write_puts_new_events_in_records_and_acknowledgements_in_one_receipt() {
    let pending = |c, i| stored(c, i, 0);
    let held: BTreeMap<EventId, StoredEvent> = [pending(1, 0), pending(1, 1), stored(2, 0, 1)]
        .into_iter()
        .map(|s| (s.event.id, s))
        .collect();
    let synced = |c, i| StoredEvent {
        event: event(c, i),
        sync: SyncState::Synced {
            seq: 40 + u64::from(i),
            received_at: Timestamp(9),
        },
    };
    let mut edited = pending(1, 1);
    edited.event.lamport += 1;
    let change = vec![
        synced(1, 0),    // held as pending: an acknowledgement
        pending(3, 0),   // not held: a new event
        stored(2, 0, 1), // held exactly so: nothing to write
        StoredEvent {
            sync: SyncState::Pending,
            ..stored(2, 0, 1)
        }, // would undo a receipt
        edited.clone(),  // held with other content: the record decides
    ];
    let plan = WritePlan::of(&change, |_, id| held.get(id));
    let records: Vec<EventId> = plan.records.iter().map(|s| s.event.id).collect();
    assert_eq!(records, vec![event(3, 0).id, edited.event.id]);
    assert_eq!(
        plan.receipt.marks,
        BTreeMap::from([(event(1, 0).id, Mark::Synced(40, Timestamp(9)))])
    );
    assert_eq!(
        plan.receipt.complaints,
        BTreeSet::from([event(1, 0).complaint_id])
    );
    // Receipts written later win, except over what the server already holds.
    let mut all = Receipt::decode(&plan.receipt.encode()).expect("decodes");
    all.absorb(Receipt {
        marks: BTreeMap::from([
            (event(1, 0).id, Mark::Rejected("late".into(), "x".into())),
            (event(1, 1).id, Mark::Synced(41, Timestamp(9))),
        ]),
        complaints: BTreeSet::from([event(1, 1).complaint_id]),
    });
    assert_eq!(all.marks[&event(1, 0).id], Mark::Synced(40, Timestamp(9)));
    assert_eq!(all.marks[&event(1, 1).id], Mark::Synced(41, Timestamp(9)));
    assert!(WritePlan::of(&[], |_, id| held.get(id)).receipt.is_empty());
}

proptest! {
    #[test]
    fn an_acknowledgement_is_never_undone_whatever_the_order(
        writes in prop::collection::vec(prop::collection::vec((0u8..6, 0u8..3), 1..6), 1..12),
        seed in any::<u64>(),
    ) {
        let writes: Vec<Vec<StoredEvent>> = writes
            .iter()
            .map(|w| w.iter().map(|&(i, k)| stored(0, i, k)).collect())
            .collect();
        // Two tabs' writes, landing in the given order and in a shuffled one.
        let mut order: Vec<usize> = (0..writes.len()).collect();
        let mut x = seed | 1;
        for i in (1..order.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            order.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let mut acked: BTreeMap<EventId, Mark> = BTreeMap::new();
        for s in writes.iter().flatten() {
            if let SyncState::Synced { .. } = s.sync {
                acked.insert(s.event.id, Mark::from(&s.sync));
            }
        }
        for seq in [(0..writes.len()).collect::<Vec<_>>(), order] {
            let mut r = ComplaintRecord::default();
            for &w in &seq {
                let mut again = ComplaintRecord::decode(&r.encode()).expect("decodes");
                again.merge(&writes[w]);
                r = again;
            }
            let ids: BTreeSet<EventId> = writes.iter().flatten().map(|s| s.event.id).collect();
            prop_assert_eq!(r.events.len(), ids.len(), "every event once");
            for (e, m) in &r.events {
                if let Some(a) = acked.get(&e.id) {
                    prop_assert_eq!(m, a);
                }
            }
        }
    }
}
