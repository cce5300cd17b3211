//! Which pending events go in the next push: one author's, in logical order, never ahead of
//! someone else's earlier event on the same record.

use siteline_model::replica::Replica;
use siteline_model::{ComplaintId, Event};
use std::collections::BTreeSet;

/// Up to `max` of `author`'s pending events to push now, in logical order. An event waits while
/// an earlier event of the same record by someone else is still pending (e.g. a supervisor's
/// dispatch on the shared tablet waits for the staff member's `Created`), so it is never refused
/// only because its record has not arrived yet.
pub fn push_batch(r: &Replica, author: &str, max: usize) -> Vec<Event> {
    // One pass over the pending events in logical order, stopping once the batch is full: a
    // record is blocked from the first (lowest-clock) pending event of someone else on it. Events
    // of equal clock are taken as a group, so a tie blocks too (`lamport < first other`).
    let mut blocked: BTreeSet<ComplaintId> = BTreeSet::new();
    let mut out = Vec::new();
    if max == 0 {
        return out;
    }
    let mut pending = r.pending_events().peekable();
    while let Some(first) = pending.next() {
        let mut group = vec![first];
        while let Some(e) = pending.next_if(|e| e.lamport == first.lamport) {
            group.push(e);
        }
        for e in &group {
            if e.author != author {
                blocked.insert(e.complaint_id);
            }
        }
        for e in group {
            if e.author == author && !blocked.contains(&e.complaint_id) {
                out.push(e.clone());
                if out.len() == max {
                    return out;
                }
            }
        }
    }
    out
}

/// Authors with events waiting to be pushed, in name order.
pub fn pending_authors(r: &Replica) -> Vec<String> {
    r.pending_records_by_author().into_keys().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use siteline_model::replica::ReplicaMeta;
    use siteline_model::sync::{PushOutcome, PushResult};
    use siteline_model::{DeviceId, EventKind, NewComplaint, Timestamp};

    #[test]
    fn another_users_event_waits_for_the_records_creation() {
        let mut r = Replica::load(ReplicaMeta::new(DeviceId::new_v7(1, [1; 10])), vec![]);
        let new = r.prepare_new(
            NewComplaint {
                description: "漏水".into(),
                location: "B2".into(),
                category: "facility.water".into(),
                ..Default::default()
            },
            "a",
            Timestamp(1_000),
            [1; 10],
        );
        let a = new.events[0].event.complaint_id;
        r.apply(new);
        let dispatch = r.prepare(
            a,
            EventKind::Dispatched {
                department: "engineering".into(),
                instructions: String::new(),
            },
            "boss",
            Timestamp(3_000),
            [9; 10],
        );
        r.apply(dispatch);
        assert!(
            push_batch(&r, "boss", 10).is_empty(),
            "a's Created is not on the server yet"
        );
        assert_eq!(push_batch(&r, "a", 10).len(), 1);
        assert_eq!(
            pending_authors(&r),
            vec!["a".to_string(), "boss".to_string()]
        );
        let created = r.events_of(&a)[0].event.id;
        let ch = r.ack(&[PushOutcome {
            id: created,
            result: PushResult::Accepted {
                seq: 1,
                received_at: Timestamp(9),
            },
        }]);
        r.apply(ch);
        assert_eq!(push_batch(&r, "boss", 10).len(), 1);
        assert_eq!(push_batch(&r, "boss", 0).len(), 0);
    }
}
