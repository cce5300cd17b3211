//! What a device keeps: the device window setting, the pull cursor's restarts (a wider window, a
//! new reader scope), and the events to drop when a scope is lost or a complaint leaves the window.

use super::{Change, Replica};
use crate::ids::{ComplaintId, EventId};
use crate::sync::PullResponse;
use crate::time::Timestamp;
use crate::window::WindowDays;
use std::collections::BTreeSet;

impl Replica {
    /// The change that makes this device keep `days` of finished complaints, if that is not
    /// what it keeps: a wider window sends the cursor back to the start, so the next pull brings
    /// the older finished complaints (what is here merges idempotently); a narrower one is only
    /// recorded, and the next sync's eviction drops what falls outside it.
    pub fn rewindowed(&self, days: WindowDays) -> Option<Change> {
        let mut meta = self.meta().clone();
        if meta.window() == days {
            return None;
        }
        if days > meta.window() {
            meta.cursor = 0;
        }
        meta.window = Some(days);
        Some(Change {
            events: Vec::new(),
            meta,
        })
    }

    /// The change that sends the pull cursor back to the start (what is here merges again).
    pub fn from_start(&self) -> Change {
        let mut meta = self.meta().clone();
        meta.cursor = 0;
        Change {
            events: Vec::new(),
            meta,
        }
    }

    /// Whether a pulled page comes from another reader scope than the stored cursor (a replica
    /// that never stored one adopts the first it sees).
    pub fn scope_changed(&self, page: &PullResponse) -> bool {
        let stored = &self.meta().scope;
        !stored.is_empty() && !page.scope.is_empty() && *stored != page.scope
    }

    /// After a full pull under a new reader scope: the events of every complaint the server no
    /// longer sent (`kept` are those it did) to drop from this device — except complaints with
    /// events still unsent or refused here: nothing typed is dropped, they stay and are shown.
    pub fn prune_plan(&self, kept: &BTreeSet<ComplaintId>) -> Vec<(ComplaintId, EventId)> {
        self.records
            .iter()
            .filter(|(cid, _)| {
                !kept.contains(cid) && !self.has_pending(cid) && !self.has_rejected(cid)
            })
            .flat_map(|(cid, evs)| evs.iter().map(|s| (*cid, s.event.id)))
            .collect()
    }

    /// The events to drop for the device window from `since` (`crate::window`): those of
    /// complaints finished before it, except complaints with events unsent or refused here and
    /// those in `keep` (fetched on demand). Events that fold to no complaint (a later event whose
    /// history this device never held) go too, unless unsent.
    pub fn outside_window(
        &self,
        since: Timestamp,
        keep: &BTreeSet<ComplaintId>,
    ) -> Vec<(ComplaintId, EventId)> {
        self.records
            .iter()
            .filter(|(cid, _)| !keep.contains(cid))
            .filter(|(cid, _)| {
                let out = self
                    .complaints
                    .get(cid)
                    .is_none_or(|c| !crate::window::holds(c, since));
                out && !self.has_pending(cid) && !self.has_rejected(cid)
            })
            .flat_map(|(cid, evs)| evs.iter().map(|s| (*cid, s.event.id)))
            .collect()
    }
}
