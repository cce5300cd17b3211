//! Per-record sync facts from the replica: the state shown on rows, cards and the detail
//! (saved · sending · synced · rejected), the server's reason for a rejection, what discarding a
//! rejected record removes, pending records per author, and the photos a record references.

use siteline_model::replica::{Replica, SyncState};
use siteline_model::{ComplaintId, EventId, EventKind};
use std::collections::{BTreeMap, BTreeSet};

/// A record's state with the server, as staff see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordState {
    /// On this device only.
    Saved,
    /// Its events are in the batch being sent.
    Sending,
    /// The server holds all of it.
    Synced,
    /// The server refused some of it: needs fixing or discarding.
    Rejected,
}

impl RecordState {
    pub fn code(self) -> &'static str {
        match self {
            RecordState::Saved => "saved",
            RecordState::Sending => "sending",
            RecordState::Synced => "synced",
            RecordState::Rejected => "rejected",
        }
    }
}

pub fn record_state(
    r: &Replica,
    id: &ComplaintId,
    in_flight: &BTreeSet<ComplaintId>,
) -> RecordState {
    // Index lookups: this runs for every row and card on every replica change.
    if r.has_rejected(id) {
        RecordState::Rejected
    } else if r.has_pending(id) {
        if in_flight.contains(id) {
            RecordState::Sending
        } else {
            RecordState::Saved
        }
    } else {
        RecordState::Synced
    }
}

/// The first rejection of a record: which event kind, and the server's code and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub kind: &'static str,
    pub code: String,
    pub message: String,
    /// The record itself (its `Created`) was refused: it exists only on this device.
    pub whole_record: bool,
}

pub fn rejection(r: &Replica, id: &ComplaintId) -> Option<Rejection> {
    r.events_of(id).into_iter().find_map(|s| match &s.sync {
        SyncState::Rejected { code, message } => Some(Rejection {
            kind: s.event.kind.code(),
            code: code.clone(),
            message: message.clone(),
            whole_record: matches!(s.event.kind, EventKind::Created(_)),
        }),
        _ => None,
    })
}

/// The events discarding a rejected record removes: all of them when its `Created` was refused
/// (nothing else can ever be accepted), else only the refused events (the record falls back to
/// what the server holds).
pub fn discard_plan(r: &Replica, id: &ComplaintId) -> Vec<(ComplaintId, EventId)> {
    let evs = r.events_of(id);
    let created_rejected = evs.iter().any(|s| {
        matches!(s.event.kind, EventKind::Created(_))
            && matches!(s.sync, SyncState::Rejected { .. })
    });
    evs.into_iter()
        .filter(|s| created_rejected || matches!(s.sync, SyncState::Rejected { .. }))
        .map(|s| (*id, s.event.id))
        .collect()
}

/// Records with unsent events, per author (a record counts once per author).
pub fn pending_by_author(r: &Replica) -> BTreeMap<String, usize> {
    r.pending_records_by_author()
}

/// Number of records with a refused event.
pub fn rejected_records(r: &Replica) -> usize {
    r.rejected_records()
}

/// Hashes of the photos an event references.
pub fn photos_of(kind: &EventKind) -> Vec<&siteline_model::AttachmentRef> {
    match kind {
        EventKind::Created(n) => n.attachments.iter().collect(),
        EventKind::AttachmentsAdded { attachments } => attachments.iter().collect(),
        _ => vec![],
    }
}

/// Photos whose referencing event the server has accepted (ready to upload), by hash.
pub fn acknowledged_photos(r: &Replica) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for id in r.complaint_ids() {
        for s in r.events_of(id) {
            if matches!(s.sync, SyncState::Synced { .. }) {
                out.extend(
                    photos_of(&s.event.kind)
                        .into_iter()
                        .map(|a| a.sha256.clone()),
                );
            }
        }
    }
    out
}

/// Every photo hash any event on the device references.
pub fn referenced_photos(r: &Replica) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for id in r.complaint_ids() {
        for s in r.events_of(id) {
            out.extend(
                photos_of(&s.event.kind)
                    .into_iter()
                    .map(|a| a.sha256.clone()),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use siteline_model::replica::ReplicaMeta;
    use siteline_model::sync::{PushOutcome, PushResult};
    use siteline_model::{AttachmentRef, DeviceId, NewComplaint, Timestamp};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn photo(n: u8) -> AttachmentRef {
        AttachmentRef {
            sha256: format!("{n:02x}").repeat(32),
            size: 100,
            content_type: "image/jpeg".into(),
        }
    }

    fn replica() -> (Replica, ComplaintId, ComplaintId) {
        let mut r = Replica::load(ReplicaMeta::new(DeviceId::new_v7(1, [1; 10])), vec![]);
        let mut ids = vec![];
        for (i, author) in ["a", "b"].iter().enumerate() {
            let ch = r.prepare_new(
                NewComplaint {
                    description: "漏水".into(),
                    location: "B2".into(),
                    category: "facility.water".into(),
                    attachments: vec![photo(i as u8)],
                    ..Default::default()
                },
                author,
                Timestamp(1_000 + i as i64),
                [i as u8; 10],
            );
            ids.push(ch.events[0].event.complaint_id);
            r.apply(ch);
        }
        (r, ids[0], ids[1])
    }

    fn answer(r: &Replica, id: &ComplaintId, result: PushResult) -> Vec<PushOutcome> {
        r.events_of(id)
            .iter()
            .map(|s| PushOutcome {
                id: s.event.id,
                result: result.clone(),
            })
            .collect()
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn states_follow_the_outbox() {
        let (mut r, a, b) = replica();
        let none = BTreeSet::new();
        assert_eq!(record_state(&r, &a, &none), RecordState::Saved);
        let flying: BTreeSet<_> = [a].into_iter().collect();
        assert_eq!(record_state(&r, &a, &flying), RecordState::Sending);
        let ok = PushResult::Accepted {
            seq: 1,
            received_at: Timestamp(9),
        };
        let ch = r.ack(&answer(&r, &a, ok));
        r.apply(ch);
        assert_eq!(record_state(&r, &a, &flying), RecordState::Synced);
        let no = PushResult::Rejected {
            code: "validation".into(),
            message: "bad".into(),
        };
        let ch = r.ack(&answer(&r, &b, no));
        r.apply(ch);
        assert_eq!(record_state(&r, &b, &none), RecordState::Rejected);
        let why = rejection(&r, &b).unwrap();
        assert_eq!(why.code, "validation");
        assert!(why.whole_record);
        assert_eq!(rejected_records(&r), 1);
        assert_eq!(
            acknowledged_photos(&r),
            [photo(0).sha256].into_iter().collect()
        );
        assert_eq!(referenced_photos(&r).len(), 2);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn discarding_removes_the_whole_record_only_if_its_creation_was_refused() {
        let (mut r, a, b) = replica();
        let ok = PushResult::Accepted {
            seq: 1,
            received_at: Timestamp(9),
        };
        let ch = r.ack(&answer(&r, &a, ok));
        r.apply(ch);
        let note = r.prepare(
            a,
            EventKind::NoteAdded { text: "x".into() },
            "a",
            Timestamp(2_000),
            [5; 10],
        );
        let note_id = note.events[0].event.id;
        r.apply(note);
        let refuse = |r: &Replica, id: EventId| {
            r.ack(&[PushOutcome {
                id,
                result: PushResult::Rejected {
                    code: "forbidden".into(),
                    message: "no".into(),
                },
            }])
        };
        let ch = refuse(&r, note_id);
        r.apply(ch);
        assert_eq!(discard_plan(&r, &a), vec![(a, note_id)]);
        assert!(!rejection(&r, &a).unwrap().whole_record);
        let created_b = r.events_of(&b)[0].event.id;
        let ch = refuse(&r, created_b);
        r.apply(ch);
        assert_eq!(discard_plan(&r, &b), vec![(b, created_b)]);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn pending_is_counted_per_author() {
        let (r, _, _) = replica();
        let p = pending_by_author(&r);
        assert_eq!(p.get("a"), Some(&1));
        assert_eq!(p.get("b"), Some(&1));
    }
}
