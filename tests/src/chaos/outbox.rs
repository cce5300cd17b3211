//! A device's outbox and inbox as the sync driver leaves them: push answers (refusals recorded,
//! then discarded), pulled pages, removals.

use super::device::Device;
use siteline_model::replica::{Change, Replica, ReplicaMeta, StoredEvent, SyncState};
use siteline_model::{ComplaintId, Event, EventId, EventKind, Role, Timestamp};
use std::collections::BTreeSet;

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
    pub fn pending_count(&self) -> usize {
        self.replica.pending_batch(usize::MAX).len()
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

    /// Records a push answer (see [`Device::settle`]). Answers how many events it settled.
    #[cfg(test)]
    pub fn ack(
        &mut self,
        outcomes: &[siteline_model::sync::PushOutcome],
        sent: Timestamp,
        answered: Timestamp,
    ) -> usize {
        let change = self.replica.ack(outcomes);
        self.settle(change, sent, answered)
    }

    /// Stores a change the sync driver committed (a push answer or a pulled page); refused
    /// events are remembered and then discarded, as a user would after reading the reason.
    /// `sent` and `answered` bound when the server decided on a push. Answers the events in it.
    pub fn settle(&mut self, change: Change, sent: Timestamp, answered: Timestamp) -> usize {
        let settled = change.events.len();
        let mut refused = false;
        for s in &change.events {
            self.known.insert(s.event.complaint_id);
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

    /// Removes the events `gone` (complaints no longer readable after a scope change).
    pub fn remove(&mut self, meta: ReplicaMeta, gone: &[(ComplaintId, EventId)]) {
        let gone: BTreeSet<&EventId> = gone.iter().map(|(_, id)| id).collect();
        let keep: Vec<StoredEvent> = self
            .known
            .iter()
            .flat_map(|id| self.replica.events_of(id))
            .filter(|s| !gone.contains(&s.event.id))
            .cloned()
            .collect();
        self.replica = Replica::load(meta, keep);
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
