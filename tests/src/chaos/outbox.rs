//! A device's outbox and inbox: what to push as whom, push answers (discarding refusals), pulls.

use super::device::Device;
use siteline_model::replica::{Replica, StoredEvent, SyncState};
use siteline_model::sync::{PullResponse, PushOutcome};
use siteline_model::{ComplaintId, Event, EventKind, Role, Timestamp};
use std::collections::{BTreeMap, BTreeSet};

/// An event the server refused, with its author's role and department and when the push that
/// carried it was sent and answered (unix ms): the server decided on its state in between.
#[derive(Clone, Debug)]
pub struct Rejection {
    pub event: Event,
    pub role: Role,
    pub department: Option<String>,
    pub code: String,
    pub message: String,
    pub sent: Timestamp,
    pub answered: Timestamp,
}

impl Device {
    /// Authors with events waiting to be pushed.
    pub fn pending_authors(&self) -> Vec<String> {
        let set: BTreeSet<String> = self
            .replica
            .pending_batch(usize::MAX)
            .into_iter()
            .map(|e| e.author)
            .collect();
        set.into_iter().collect()
    }

    pub fn pending_count(&self) -> usize {
        self.replica.pending_batch(usize::MAX).len()
    }

    /// Up to `max` of `author`'s pending events, as the app picks them: an event waits while an
    /// earlier event of the same record by another author is still pending.
    pub fn push_batch(&self, author: &str, max: usize) -> Vec<Event> {
        let all = self.replica.pending_batch(usize::MAX);
        let mut blocked: BTreeMap<ComplaintId, u64> = BTreeMap::new();
        for e in all.iter().filter(|e| e.author != author) {
            let l = blocked.entry(e.complaint_id).or_insert(e.lamport);
            *l = (*l).min(e.lamport);
        }
        all.into_iter()
            .filter(|e| e.author == author)
            .filter(|e| blocked.get(&e.complaint_id).is_none_or(|l| e.lamport < *l))
            .take(max)
            .collect()
    }

    pub fn token_of(&self, author: &str) -> Option<String> {
        self.users
            .iter()
            .find(|u| u.name == author)
            .map(|u| u.token.clone())
    }

    /// The token pulls are made with (the device's first user).
    pub fn pull_token(&self) -> String {
        self.users
            .first()
            .map(|u| u.token.clone())
            .unwrap_or_default()
    }

    /// Records a push answer; refused events are remembered and then discarded, as a user
    /// would after reading the reason. Answers how many events the answer settled.
    pub fn ack(&mut self, outcomes: &[PushOutcome], sent: Timestamp, answered: Timestamp) -> usize {
        let change = self.replica.ack(outcomes);
        let settled = change.events.len();
        let mut refused = false;
        for s in &change.events {
            if let SyncState::Rejected { code, message } = &s.sync {
                refused = true;
                let user = self.users.iter().find(|u| u.name == s.event.author);
                self.rejections.push(Rejection {
                    event: s.event.clone(),
                    role: user.map_or(Role::Staff, |u| u.role),
                    department: user.and_then(|u| u.department.clone()),
                    code: code.clone(),
                    message: message.clone(),
                    sent,
                    answered,
                });
            }
        }
        self.replica.apply(change);
        if refused {
            self.discard_rejected();
        }
        settled
    }

    /// Stores a pulled page and its cursor.
    pub fn pulled(&mut self, page: &PullResponse) {
        for se in &page.events {
            self.known.insert(se.event.complaint_id);
        }
        let change = self.replica.pulled(page);
        self.replica.apply(change);
    }

    /// Drops refused events (the whole record when its creation was refused), like the app's
    /// "discard": the replica is rebuilt from what remains.
    fn discard_rejected(&mut self) {
        let mut keep: Vec<StoredEvent> = Vec::new();
        for id in &self.known {
            let evs = self.replica.events_of(id);
            let whole = evs.iter().any(|s| {
                matches!(s.event.kind, EventKind::Created(_))
                    && matches!(s.sync, SyncState::Rejected { .. })
            });
            for s in evs {
                if whole || matches!(s.sync, SyncState::Rejected { .. }) {
                    self.discarded.insert(s.event.id);
                } else {
                    keep.push(s.clone());
                }
            }
        }
        self.replica = Replica::load(self.replica.meta().clone(), keep);
    }
}
