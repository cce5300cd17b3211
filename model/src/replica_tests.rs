//! Tests of the device replica: local writes, push acknowledgements, pulls, pending counts.

use super::*;
use crate::complaint::{Channel, Complainant, Severity, Status};
use crate::sync::SyncedEvent;
use std::collections::{BTreeMap, BTreeSet};

fn device(n: u8) -> Replica {
    Replica::load(ReplicaMeta::new(DeviceId::new_v7(1, [n; 10])), vec![])
}

fn fields(desc: &str) -> NewComplaint {
    NewComplaint {
        provisional_number: String::new(),
        description: desc.into(),
        location: "B2 停车场".into(),
        category: "facility.water".into(),
        severity: Severity::Minor,
        channel: Channel::Visit,
        complainant: Complainant::default(),
        ..Default::default()
    }
}

/// A pulled page of one event, committed at `seq`, received at `at`.
fn one_event_page(seq: u64, at: i64, event: Event) -> PullResponse {
    PullResponse {
        events: vec![SyncedEvent {
            seq,
            received_at: Timestamp(at),
            event,
        }],
        next_cursor: seq,
        has_more: false,
        sites: Vec::new(),
        scope: String::new(),
        window_since: None,
    }
}

fn rnd(i: u8) -> [u8; 10] {
    [i, 1, 2, 3, 4, 5, 6, 7, 8, i]
}

#[test]
fn local_complaints_get_increasing_provisional_numbers_and_count_as_pending() {
    let mut r = device(1);
    for i in 0..3 {
        let ch = r.prepare_new(
            fields("漏水"),
            "staff1",
            Timestamp(1000 + i64::from(i)),
            rnd(i),
        );
        assert_eq!(ch.meta.counter, u32::from(i) + 1);
        r.apply(ch);
    }
    assert_eq!(r.complaints().len(), 3);
    assert_eq!(r.pending_records(), 3);
    let mut numbers: Vec<&str> = r
        .complaints()
        .map(|c| c.provisional_number.as_str())
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 3);
    assert!(numbers.iter().all(|n| n.starts_with("P-")));
}

#[test]
fn prepare_does_not_mutate_until_applied() {
    let r = device(1);
    let ch = r.prepare_new(fields("x"), "s", Timestamp(1), rnd(1));
    assert_eq!(r.complaints().len(), 0);
    assert_eq!(r.meta().counter, 0);
    assert_eq!(ch.events.len(), 1);
}

#[test]
fn ack_marks_synced_or_rejected_and_only_pending_is_pushed_again() {
    let mut r = device(1);
    let a = r.prepare_new(fields("a"), "s", Timestamp(1), rnd(1));
    let a_id = a.events[0].event.id;
    r.apply(a);
    let b = r.prepare_new(fields("b"), "s", Timestamp(2), rnd(2));
    let b_id = b.events[0].event.id;
    r.apply(b);
    let batch = r.pending_batch(10);
    assert_eq!(batch.len(), 2);
    let ack = r.ack(&[
        PushOutcome {
            id: a_id,
            result: PushResult::Accepted {
                seq: 7,
                received_at: Timestamp(99),
            },
        },
        PushOutcome {
            id: b_id,
            result: PushResult::Rejected {
                code: "validation".into(),
                message: "m".into(),
            },
        },
    ]);
    r.apply(ack);
    assert!(r.pending_batch(10).is_empty());
    assert_eq!(r.pending_records(), 0);
    let a_c = batch[0].complaint_id;
    assert_eq!(r.record_sync(&a_c), RecordSync::Synced);
    assert_eq!(r.received_at(&a_c), Some(Timestamp(99)));
    assert_eq!(r.record_sync(&batch[1].complaint_id), RecordSync::Rejected);
}

#[test]
fn pull_brings_other_devices_events_advances_cursor_and_clock() {
    let mut a = device(1);
    let ch = a.prepare_new(fields("a"), "s", Timestamp(1), rnd(1));
    a.apply(ch);
    let cid = *a.complaint_ids().next().unwrap();
    let note = a.prepare(
        cid,
        EventKind::NoteAdded {
            text: "到场".into(),
        },
        "s",
        Timestamp(5),
        rnd(2),
    );
    a.apply(note);
    let page = PullResponse {
        events: a
            .pending_batch(10)
            .into_iter()
            .enumerate()
            .map(|(i, event)| SyncedEvent {
                seq: i as u64 + 1,
                received_at: Timestamp(10),
                event,
            })
            .collect(),
        next_cursor: 2,
        has_more: false,
        sites: vec!["SL".into()],
        scope: "staff::SL".into(),
        window_since: None,
    };
    let mut b = device(2);
    let ch = b.pulled(&page);
    assert_eq!(ch.meta.cursor, 2);
    b.apply(ch);
    assert_eq!(b.complaint(&cid).unwrap(), a.complaint(&cid).unwrap());
    assert_eq!(b.pending_records(), 0);
    // B's next event on that complaint orders after everything it has seen.
    let st = b.prepare(
        cid,
        EventKind::StatusChanged {
            to: Status::Dispatched,
            reason: None,
        },
        "b",
        Timestamp(0),
        rnd(3),
    );
    assert!(st.events[0].event.lamport > a.meta().lamport);
    b.apply(st);
    assert_eq!(b.complaint(&cid).unwrap().status, Status::Dispatched);
    assert_eq!(b.events_of(&cid).len(), 3);
    // Pulling our own pushed events back marks them synced rather than duplicating them.
    let ch = a.pulled(&page);
    a.apply(ch);
    assert_eq!(a.pending_records(), 0);
    assert_eq!(a.event_count(), 2);
}

#[test]
fn shared_tablet_pushes_only_the_logged_in_authors_events() {
    let mut r = device(1);
    let a = r.prepare_new(fields("a"), "alice", Timestamp(1), rnd(1));
    r.apply(a);
    let b = r.prepare_new(fields("b"), "bob", Timestamp(2), rnd(2));
    r.apply(b);
    let for_bob = r.pending_batch_by(10, Some("bob"));
    assert_eq!(for_bob.len(), 1);
    assert_eq!(for_bob[0].author, "bob");
    assert_eq!(r.pending_batch_by(10, Some("carol")).len(), 0);
    assert_eq!(r.pending_batch(10).len(), 2);
    // Alice's record still counts as unsynced on the device.
    assert_eq!(r.pending_records(), 2);
}

/// The sync indexes, recomputed the slow way from the events.
fn check_indexes(r: &Replica) {
    let mut pending: Vec<&Event> = r
        .all_events()
        .filter(|s| s.sync == SyncState::Pending)
        .map(|s| &s.event)
        .collect();
    pending.sort_by_key(|e| (e.lamport, e.id));
    let fast: Vec<EventId> = r.pending_events().map(|e| e.id).collect();
    assert_eq!(fast, pending.iter().map(|e| e.id).collect::<Vec<_>>());
    let mut by_author: BTreeMap<String, BTreeSet<ComplaintId>> = BTreeMap::new();
    for e in &pending {
        by_author
            .entry(e.author.clone())
            .or_default()
            .insert(e.complaint_id);
    }
    let want: BTreeMap<String, usize> = by_author
        .iter()
        .map(|(a, s)| (a.clone(), s.len()))
        .collect();
    assert_eq!(r.pending_records_by_author(), want);
    let pending_ids: BTreeSet<ComplaintId> = pending.iter().map(|e| e.complaint_id).collect();
    assert_eq!(r.pending_records(), pending_ids.len());
    let rejected_ids: BTreeSet<ComplaintId> = r
        .all_events()
        .filter(|s| matches!(s.sync, SyncState::Rejected { .. }))
        .map(|s| s.event.complaint_id)
        .collect();
    assert_eq!(r.rejected_records(), rejected_ids.len());
    for id in r.complaint_ids() {
        assert_eq!(r.has_pending(id), pending_ids.contains(id));
        assert_eq!(r.has_rejected(id), rejected_ids.contains(id));
    }
}

#[test]
fn sync_indexes_follow_saves_acks_rejections_pulls_and_reloads() {
    let mut r = device(1);
    let mut ids = vec![];
    for i in 0..6u8 {
        let author = if i % 2 == 0 { "alice" } else { "bob" };
        let ch = r.prepare_new(fields("x"), author, Timestamp(i64::from(i)), rnd(i));
        ids.push(ch.events[0].event.complaint_id);
        r.apply(ch);
        check_indexes(&r);
    }
    let note = r.prepare(
        ids[0],
        EventKind::NoteAdded { text: "n".into() },
        "bob",
        Timestamp(9),
        rnd(40),
    );
    r.apply(note);
    check_indexes(&r);
    assert_eq!(r.pending_records_by_author()["bob"], 4);
    // Acknowledge alice's first two events, refuse one of bob's.
    let batch = r.pending_batch_by(2, Some("alice"));
    let mut outcomes: Vec<PushOutcome> = batch
        .iter()
        .map(|e| PushOutcome {
            id: e.id,
            result: PushResult::Accepted {
                seq: 1,
                received_at: Timestamp(5),
            },
        })
        .collect();
    outcomes.push(PushOutcome {
        id: r.pending_batch_by(1, Some("bob"))[0].id,
        result: PushResult::Rejected {
            code: "forbidden".into(),
            message: "m".into(),
        },
    });
    let before: Vec<Complaint> = r.complaints().cloned().collect();
    let ack = r.ack(&outcomes);
    r.apply(ack.clone());
    check_indexes(&r);
    assert_eq!(
        r.complaints().cloned().collect::<Vec<_>>(),
        before,
        "an acknowledgement changes no complaint"
    );
    assert_eq!(r.rejected_records(), 1);
    // The same change again is a no-op; a reload from storage builds the same indexes.
    r.apply(ack);
    check_indexes(&r);
    let stored: Vec<StoredEvent> = r.all_events().cloned().collect();
    let again = Replica::load(r.meta().clone(), stored);
    check_indexes(&again);
    assert_eq!(again.pending_events().count(), r.pending_events().count());
    // Pulling one of our pending events back marks it synced.
    let e = r.pending_batch(1)[0].clone();
    let page = one_event_page(3, 6, e.clone());
    let ch = r.pulled(&page);
    r.apply(ch);
    check_indexes(&r);
    assert!(r.pending_events().all(|p| p.id != e.id));
}

#[test]
fn a_new_reader_scope_sends_the_cursor_back_to_the_start() {
    let mut d = device(3);
    let page = |cursor: u64, scope: &str| PullResponse {
        events: Vec::new(),
        next_cursor: cursor,
        has_more: false,
        sites: vec!["A".into()],
        scope: scope.into(),
        window_since: None,
    };
    // The first scope seen is adopted without starting again.
    let first = page(40, "staff::A");
    assert!(!d.scope_changed(&first));
    let ch = d.pulled(&first);
    assert_eq!((ch.meta.cursor, ch.meta.scope.as_str()), (40, "staff::A"));
    d.apply(ch);
    assert!(!d.scope_changed(&page(50, "staff::A")));
    // A site gained: everything again from 0 (it merges idempotently), under the new scope.
    let gained = page(50, "staff::A,B");
    assert!(d.scope_changed(&gained));
    let ch = d.pulled(&gained);
    assert_eq!((ch.meta.cursor, ch.meta.scope.as_str()), (0, "staff::A,B"));
    d.apply(ch);
    assert!(!d.scope_changed(&page(60, "staff::A,B")));
}

#[test]
fn acknowledged_events_take_their_place_in_the_servers_order() {
    // Two replicas dispatch the same complaint offline; whichever the server commits first
    // wins on both, whatever their logical clocks.
    let mut a = device(4);
    let ch = a.prepare_new(fields("困人"), "s", Timestamp(1), rnd(9));
    a.apply(ch);
    let cid = *a.complaint_ids().next().unwrap();
    let created = a.pending_batch(1);
    let ack = |seq: u64, ev: &Event| PushOutcome {
        id: ev.id,
        result: PushResult::Accepted {
            seq,
            received_at: Timestamp(2),
        },
    };
    let ch = a.ack(&[ack(1, &created[0])]);
    a.apply(ch);
    let dispatch = |d: &str| EventKind::Dispatched {
        department: d.into(),
        instructions: String::new(),
    };
    let ch = a.prepare(cid, dispatch("engineering"), "s", Timestamp(3), rnd(10));
    a.apply(ch);
    assert_eq!(
        a.complaint(&cid).unwrap().department.as_deref(),
        Some("engineering")
    );
    // Another tablet's dispatch (a much higher clock) reached the server first, at seq 2.
    let mut other = created[0].clone();
    other.id = crate::ids::EventId::new_v7(4, [7; 10]);
    other.lamport = 99;
    other.kind = dispatch("security");
    let page = PullResponse {
        events: vec![SyncedEvent {
            seq: 2,
            received_at: Timestamp(4),
            event: other,
        }],
        next_cursor: 2,
        has_more: false,
        sites: Vec::new(),
        scope: String::new(),
        window_since: None,
    };
    let ch = a.pulled(&page);
    a.apply(ch);
    let c = a.complaint(&cid).unwrap();
    assert_eq!(
        c.department.as_deref(),
        Some("security"),
        "committed first wins"
    );
    assert_eq!(
        c.conflicts.len(),
        1,
        "the local dispatch is rebased on top: a conflict"
    );
    // Its acknowledgement (seq 3) keeps it after the other one.
    let mine = a.pending_batch(1);
    let ch = a.ack(&[ack(3, &mine[0])]);
    a.apply(ch);
    let c = a.complaint(&cid).unwrap();
    assert_eq!(c.department.as_deref(), Some("security"));
    assert_eq!(c.conflicts.len(), 1);
}

#[test]
fn a_lost_scope_drops_what_the_server_no_longer_sends_but_never_unsent_records() {
    let mut d = device(5);
    // One complaint of this device, synced; one still pending; one pulled from elsewhere.
    let ch = d.prepare_new(fields("已同步"), "s", Timestamp(1), rnd(20));
    d.apply(ch);
    let synced = d.pending_batch(1);
    let ch = d.ack(&[PushOutcome {
        id: synced[0].id,
        result: PushResult::Accepted {
            seq: 1,
            received_at: Timestamp(2),
        },
    }]);
    d.apply(ch);
    let ch = d.prepare_new(fields("未同步"), "s", Timestamp(3), rnd(21));
    d.apply(ch);
    let pending = d.pending_batch(1)[0].complaint_id;
    let mut other = synced[0].clone();
    other.id = crate::ids::EventId::new_v7(9, [9; 10]);
    other.complaint_id = ComplaintId::new_v7(9, [9; 10]);
    let page = PullResponse {
        events: vec![SyncedEvent {
            seq: 2,
            received_at: Timestamp(4),
            event: other.clone(),
        }],
        next_cursor: 2,
        has_more: false,
        sites: Vec::new(),
        scope: String::new(),
        window_since: None,
    };
    let ch = d.pulled(&page);
    d.apply(ch);
    assert_eq!(d.complaints().len(), 3);
    // The re-pull under the new scope brought only the other complaint.
    let kept = BTreeSet::from([other.complaint_id]);
    let gone = d.prune_plan(&kept);
    assert_eq!(
        gone,
        vec![(synced[0].complaint_id, synced[0].id)],
        "only the synced one outside the scope goes"
    );
    assert!(!d.prune_plan(&kept).is_empty());
    assert!(d.events_of(&pending).len() == 1, "the unsent record stays");
}

#[test]
fn the_window_drops_complaints_finished_before_it_but_never_open_or_unsent_ones() {
    let day = 86_400_000;
    let mut d = device(6);
    let pulled = |d: &Replica, n: u8, kinds: Vec<EventKind>, at: i64, seq0: u64| {
        let cid = ComplaintId::new_v7(at, [n; 10]);
        let events = kinds
            .into_iter()
            .enumerate()
            .map(|(i, kind)| SyncedEvent {
                seq: seq0 + i as u64,
                received_at: Timestamp(at),
                event: Event {
                    id: crate::ids::EventId::new_v7(at, [n, i as u8, 0, 0, 0, 0, 0, 0, 0, 1]),
                    complaint_id: cid,
                    device_id: DeviceId::new_v7(1, [99; 10]),
                    author: "other".into(),
                    captured_at: Timestamp(at),
                    lamport: seq0 + i as u64,
                    kind,
                },
            })
            .collect();
        let page = PullResponse {
            events,
            next_cursor: seq0 + 10,
            has_more: false,
            sites: Vec::new(),
            scope: String::new(),
            window_since: None,
        };
        (cid, d.pulled(&page))
    };
    let withdrawn = || EventKind::Withdrawn {
        reason: "重复".into(),
        voluntary: true,
    };
    let created = |s: &str| EventKind::Created(Box::new(fields(s)));
    // Finished 100 days ago; finished 10 days ago; open for 200 days.
    let (old, ch) = pulled(&d, 1, vec![created("旧"), withdrawn()], 100 * day, 1);
    d.apply(ch);
    let (recent, ch) = pulled(&d, 2, vec![created("近"), withdrawn()], 190 * day, 20);
    d.apply(ch);
    let (open, ch) = pulled(&d, 3, vec![created("未结")], 0, 40);
    d.apply(ch);
    // A later event whose history this device never held folds to nothing and goes too.
    let (orphan, ch) = pulled(&d, 4, vec![withdrawn()], 150 * day, 60);
    d.apply(ch);
    // Finished long ago but with a note typed here and not yet sent: it stays.
    let (kept, ch) = pulled(&d, 5, vec![created("有草稿"), withdrawn()], 50 * day, 80);
    d.apply(ch);
    let note = d.prepare(
        kept,
        EventKind::NoteAdded {
            text: "补充".into(),
        },
        "s",
        Timestamp(200 * day),
        rnd(30),
    );
    d.apply(note);
    assert_eq!(d.complaints().len(), 4);
    assert!(d.complaint(&orphan).is_none());
    let since = crate::window::WindowDays::DEFAULT.since(Timestamp(200 * day));
    let gone: BTreeSet<EventId> = d
        .outside_window(since, &BTreeSet::new())
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    let of = |cid: &ComplaintId| -> BTreeSet<EventId> {
        d.events_of(cid).iter().map(|s| s.event.id).collect()
    };
    let want: BTreeSet<EventId> = of(&old).union(&of(&orphan)).copied().collect();
    assert_eq!(want.len(), 3);
    assert_eq!(gone, want, "only the old finished one and the orphan go");
    for cid in [recent, open, kept] {
        assert!(of(&cid).is_disjoint(&gone), "{cid} stays");
    }
    // A wider window keeps the old one too.
    let wide = crate::window::WindowDays::new(365).expect("a year");
    assert_eq!(
        d.outside_window(wide.since(Timestamp(200 * day)), &BTreeSet::new())
            .len(),
        1
    );
    // Fetched again on demand: cached without moving the cursor.
    let cursor = d.meta().cursor;
    let history: Vec<SyncedEvent> = d
        .events_of(&old)
        .iter()
        .map(|s| match &s.sync {
            SyncState::Synced { seq, received_at } => SyncedEvent {
                seq: *seq,
                received_at: *received_at,
                event: s.event.clone(),
            },
            other => panic!("pulled events are synced: {other:?}"),
        })
        .collect();
    let ch = d.fetched(history);
    assert_eq!(ch.events.len(), 2);
    assert_eq!(ch.meta.cursor, cursor);
    d.apply(ch);
    assert_eq!(d.complaint(&old).map(|c| c.status), Some(Status::Withdrawn));
    // What was fetched on demand stays for as long as it is kept.
    let kept_old = BTreeSet::from([old, orphan]);
    assert!(d.outside_window(since, &kept_old).is_empty());
}

#[test]
fn building_record_by_record_equals_loading_at_once_and_raises_the_clock() {
    let mut r = device(3);
    for i in 0..4u8 {
        let ch = r.prepare_new(fields("x"), "alice", Timestamp(i64::from(i)), rnd(i));
        r.apply(ch);
    }
    let stored: Vec<StoredEvent> = r.all_events().cloned().collect();
    let mut meta = r.meta().clone();
    // A meta written before its events' last tick (another tab's write): the clock catches up.
    meta.lamport = 1;
    let at_once = Replica::load(meta.clone(), stored.clone());
    let mut by_record = Replica::default();
    for (_, evs) in crate::device_record::by_complaint(&stored) {
        by_record.add_stored(evs.into_iter().cloned());
    }
    by_record.set_meta(meta);
    assert!(by_record.complaints().eq(at_once.complaints()));
    assert_eq!(by_record.meta(), at_once.meta());
    assert_eq!(by_record.meta().lamport, 4);
    check_indexes(&by_record);
    assert_eq!(
        by_record.pending_events().count(),
        at_once.pending_events().count()
    );
}

#[test]
fn an_answer_marks_only_events_still_pending() {
    let mut r = device(4);
    let ch = r.prepare_new(fields("x"), "alice", Timestamp(1), rnd(1));
    let e = ch.events[0].event.clone();
    r.apply(ch);
    let accepted = PushResult::Accepted {
        seq: 7,
        received_at: Timestamp(2),
    };
    let answer = [PushOutcome {
        id: e.id,
        result: accepted,
    }];
    assert_eq!(r.ack(&answer).events.len(), 1);
    // A pull brought it back before the answer was applied: nothing left to mark.
    let page = one_event_page(7, 2, e);
    let ch = r.pulled(&page);
    r.apply(ch);
    assert!(r.ack(&answer).events.is_empty());
    assert_eq!(r.event_count(), 1);
    check_indexes(&r);
}

#[test]
fn a_wider_window_pulls_again_from_the_start_and_a_narrower_one_is_only_recorded() {
    use crate::window::WindowDays;
    let mut r = device(5);
    let mut meta = r.meta().clone();
    meta.cursor = 40;
    r.apply(Change {
        events: vec![],
        meta,
    });
    assert_eq!(r.meta().window(), WindowDays::DEFAULT);
    assert!(r.rewindowed(WindowDays::DEFAULT).is_none());
    let narrow = WindowDays::new(30).unwrap();
    let ch = r.rewindowed(narrow).unwrap();
    assert_eq!((ch.meta.cursor, ch.meta.window()), (40, narrow));
    r.apply(ch);
    let wide = WindowDays::new(365).unwrap();
    let ch = r.rewindowed(wide).unwrap();
    assert_eq!((ch.meta.cursor, ch.meta.window()), (0, wide));
    r.apply(ch);
    assert!(r.rewindowed(wide).is_none());
    // An older device's stored meta (no window) reads as the default.
    let old: ReplicaMeta = serde_json::from_str(
        r#"{"device_id":"0190b6b0-0000-7000-8000-000000000000","lamport":1,"counter":0,"cursor":3}"#,
    )
    .unwrap();
    assert_eq!(old.window(), WindowDays::DEFAULT);
}
