//! Benchmark records built with the real model code: complaints with legal ≈5-event histories.

use siteline_model::replica::{Replica, ReplicaMeta, StoredEvent};
use siteline_model::{ComplaintPatch, DeviceId, Event, EventKind, NewComplaint, Timestamp};

/// What a staff member records after `Created`, in a legal order (all allowed to staff):
/// a correction, a note, the dispatch to 工程部, a second note.
fn follow_ups(i: usize) -> [EventKind; 4] {
    [
        EventKind::Edited(Box::new(ComplaintPatch {
            description: Some(format!("补充：B{} 区域漏水，已拍照 #{i}", i % 3 + 1)),
            ..Default::default()
        })),
        EventKind::NoteAdded {
            text: format!("已电话联系业主，约定上门时间 #{i}"),
        },
        EventKind::Dispatched {
            department: "engineering".into(),
            instructions: format!("请于24小时内到场处理 #{i}"),
        },
        EventKind::NoteAdded {
            text: format!("工程部已知悉 #{i}"),
        },
    ]
}

/// `complaints` records by `author` on a made-up device (`seed` tells devices apart), each a
/// `Created` plus `per - 1` follow-ups (`per` is 1 to 5), all pending, captured just before `now_ms`.
pub fn histories(
    author: &str,
    seed: u8,
    complaints: usize,
    per: usize,
    now_ms: i64,
) -> Vec<StoredEvent> {
    assert!((1..=5).contains(&per), "1 to 5 events per complaint");
    let device = DeviceId::new_v7(now_ms - 86_400_000, [seed; 10]);
    let mut r = Replica::load(ReplicaMeta::new(device), vec![]);
    let mut out = Vec::with_capacity(complaints * per);
    let mut k: u64 = 0;
    let mut rnd = || {
        k += 1;
        let mut b = [0u8; 10];
        b[..8].copy_from_slice(&k.to_be_bytes());
        b[8] = seed;
        b[9] = 0x3c;
        b
    };
    // Spread over the last few hours, so no time-limit rule escalates them meanwhile.
    let start = now_ms - complaints as i64 * 1000 - 60_000;
    for i in 0..complaints {
        let at = start + i as i64 * 1000;
        let fields = NewComplaint {
            description: format!("地下车库B2漏水，积水约5厘米 #{i}"),
            // Distinct places: the server rightly escalates same place + category as 二次投诉.
            location: format!("{}号楼 {}F {}号", i % 20 + 1, i % 30 + 1, i),
            category: "facility.water".into(),
            ..Default::default()
        };
        let ch = r.prepare_new(fields, author, Timestamp(at), rnd());
        let id = ch.events[0].event.complaint_id;
        out.extend(ch.events.iter().cloned());
        r.apply(ch);
        for (j, kind) in follow_ups(i).into_iter().take(per - 1).enumerate() {
            let ch = r.prepare(id, kind, author, Timestamp(at + 10 * (j as i64 + 1)), rnd());
            out.extend(ch.events.iter().cloned());
            r.apply(ch);
        }
    }
    out
}

/// The bare events, in the order they were written (a valid push order).
pub fn events_of(stored: &[StoredEvent]) -> Vec<Event> {
    stored.iter().map(|s| s.event.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use siteline_model::replica::SyncState;
    use siteline_model::Status;
    use std::collections::BTreeSet;

    #[test]
    fn histories_are_legal_distinct_and_pending() {
        let evs = histories("s", 7, 30, 5, 1_800_000_000_000);
        assert_eq!(evs.len(), 150);
        assert!(evs.iter().all(|s| s.sync == SyncState::Pending));
        let ids: BTreeSet<_> = evs.iter().map(|s| s.event.id).collect();
        assert_eq!(ids.len(), 150, "event ids are unique");
        let r = Replica::load(ReplicaMeta::new(DeviceId::new_v7(1, [1; 10])), evs);
        assert_eq!(r.complaints().len(), 30);
        for c in r.complaints() {
            assert_eq!(c.status, Status::Dispatched);
            assert!(c.conflicts.is_empty(), "{:?}", c.conflicts);
            assert_eq!(c.event_count, 5);
        }
        assert_eq!(histories("s", 7, 4, 4, 1_800_000_000_000).len(), 16);
    }
}
