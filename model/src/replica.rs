//! A device's replica: its events with sync state, logical clock, counters and pull cursor.
//! Pure bookkeeping: the app computes a change, commits it to IndexedDB, then applies it here.

use crate::complaint::Complaint;
use crate::event::{Event, EventKind, NewComplaint};
use crate::fold::{fold_placed, Place};
use crate::ids::{ComplaintId, DeviceId, EventId};
use crate::numbering;
use crate::sync::{PullResponse, PushOutcome, PushResult, SyncedEvent};
use crate::time::Timestamp;
use crate::window::WindowDays;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Where one event stands with the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncState {
    /// Saved on the device, not yet acknowledged by the server.
    Pending,
    /// The server holds it (its receipt: sequence and time received).
    Synced { seq: u64, received_at: Timestamp },
    /// The server refused it; it stays on the device with the reason until fixed or discarded.
    Rejected { code: String, message: String },
}

/// An event as the device keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEvent {
    pub event: Event,
    pub sync: SyncState,
}

impl StoredEvent {
    /// Its place in the fold: committed at the server's seq, or local at its logical clock.
    pub fn place(&self) -> Place {
        match self.sync {
            SyncState::Synced { seq, .. } => Place::Committed(seq),
            _ => Place::Local(self.event.lamport),
        }
    }
}

/// Small per-device values kept beside the events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaMeta {
    pub device_id: DeviceId,
    /// Highest logical clock seen or written.
    pub lamport: u64,
    /// Provisional numbers given so far on this device (never reused).
    pub counter: u32,
    /// Server cursor: everything up to it is committed locally.
    pub cursor: u64,
    /// What the server said the cursor's reader may see (`PullResponse::scope`); when a page
    /// says otherwise the cursor goes back to 0 so newly readable history arrives.
    #[serde(default)]
    pub scope: String,
    /// Days of finished complaints this device keeps (`crate::window`); none set: the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowDays>,
}

impl ReplicaMeta {
    /// The device window this device keeps.
    pub fn window(&self) -> WindowDays {
        self.window.unwrap_or_default()
    }

    pub fn new(device_id: DeviceId) -> Self {
        Self {
            device_id,
            lamport: 0,
            counter: 0,
            cursor: 0,
            scope: String::new(),
            window: None,
        }
    }
}

/// A change to persist atomically (events and meta together) before applying it in memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub events: Vec<StoredEvent>,
    pub meta: ReplicaMeta,
}

/// Sync summary of one complaint on this device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordSync {
    /// Some of its events are still only on the device.
    Pending,
    /// Some of its events were refused by the server.
    Rejected,
    /// Everything is on the server.
    Synced,
}

/// Memory is laid out for tens of thousands of complaints on a cheap tablet: a B-tree filled in
/// key order (UUIDv7 ids are) leaves its nodes about half empty, so the large values — a
/// complaint's events and its state — live outside the trees (one `Vec` per complaint, one box
/// per state), and the trees hold only ids and pointers.
#[derive(Clone, Debug, Default)]
pub struct Replica {
    /// Each complaint's events as the device holds them (in no particular order).
    records: BTreeMap<ComplaintId, Vec<StoredEvent>>,
    /// How many events `records` holds.
    event_count: usize,
    /// Folded states, without their notes (nothing on the device reads them from the state; the
    /// timeline shows the events), as the server's projection keeps them.
    complaints: BTreeMap<ComplaintId, Box<Complaint>>,
    meta: Option<ReplicaMeta>,
    /// Indexes kept in step with `events` by `upsert`, so that what a sync batch or the header
    /// asks costs the size of the answer, not the size of the replica:
    /// pending events in push order (logical clock, id), with their complaint;
    pending: BTreeMap<(u64, EventId), ComplaintId>,
    /// pending events per complaint, per author and complaint, and rejected events per complaint
    /// (only non-zero counts are kept).
    pending_in: BTreeMap<ComplaintId, u32>,
    pending_by_author: BTreeMap<String, BTreeMap<ComplaintId, u32>>,
    rejected_in: BTreeMap<ComplaintId, u32>,
}

fn count_up<K: Ord>(map: &mut BTreeMap<K, u32>, key: K) {
    *map.entry(key).or_default() += 1;
}

fn count_down<K: Ord>(map: &mut BTreeMap<K, u32>, key: &K) {
    if let Some(n) = map.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            map.remove(key);
        }
    }
}

impl Replica {
    /// Builds the replica from what storage held.
    pub fn load(meta: ReplicaMeta, stored: Vec<StoredEvent>) -> Self {
        let mut r = Replica {
            meta: Some(meta),
            ..Default::default()
        };
        r.upsert(stored);
        r
    }

    /// Adds events storage holds before the meta is known (start-up, one complaint record at a
    /// time, so that no list of every event is built); finish with [`Replica::set_meta`].
    pub fn add_stored(&mut self, stored: impl IntoIterator<Item = StoredEvent>) {
        self.upsert(stored);
    }

    /// Sets the meta stored beside the events; its clock is raised to the highest event held.
    pub fn set_meta(&mut self, mut meta: ReplicaMeta) {
        let seen = self.all_events().map(|s| s.event.lamport).max();
        meta.lamport = meta.lamport.max(seen.unwrap_or(0));
        self.meta = Some(meta);
    }

    pub fn meta(&self) -> &ReplicaMeta {
        self.meta.as_ref().expect("replica is built with load()")
    }

    /// Prepares a new local event (not yet applied): ticks the clock in the returned meta.
    pub fn prepare(
        &self,
        complaint_id: ComplaintId,
        kind: EventKind,
        author: &str,
        now: Timestamp,
        random: [u8; 10],
    ) -> Change {
        let mut meta = self.meta().clone();
        let known = self
            .complaints
            .get(&complaint_id)
            .map_or(0, |c| c.last_lamport);
        meta.lamport = meta.lamport.max(known) + 1;
        let event = Event {
            id: EventId::new_v7(now.0, random),
            complaint_id,
            device_id: meta.device_id,
            author: author.to_string(),
            captured_at: now,
            lamport: meta.lamport,
            kind,
        };
        Change {
            events: vec![StoredEvent {
                event,
                sync: SyncState::Pending,
            }],
            meta,
        }
    }

    /// Prepares a new complaint: gives it a fresh id and the next provisional number.
    pub fn prepare_new(
        &self,
        mut fields: NewComplaint,
        author: &str,
        now: Timestamp,
        random: [u8; 10],
    ) -> Change {
        let mut id_random = random;
        id_random[9] ^= 0x5a;
        let complaint_id = ComplaintId::new_v7(now.0, id_random);
        let counter = self.meta().counter + 1;
        fields.provisional_number = numbering::provisional(&self.meta().device_id, counter);
        let mut change = self.prepare(
            complaint_id,
            EventKind::Created(Box::new(fields)),
            author,
            now,
            random,
        );
        change.meta.counter = counter;
        change
    }

    /// Applies a change that storage has committed.
    pub fn apply(&mut self, change: Change) {
        self.meta = Some(change.meta);
        self.upsert(change.events);
    }

    fn upsert(&mut self, stored: impl IntoIterator<Item = StoredEvent>) {
        let mut touched = BTreeSet::new();
        for s in stored {
            let cid = s.event.complaint_id;
            // The fold reads events and their place (committed at a seq, or only local): a
            // rejection needs no re-fold (and an identical copy no work at all); an
            // acknowledgement moves the event into the committed order and does.
            // An event is found under the complaint it names (the server keeps an event id to
            // the complaint it first came with, so a copy never names another).
            let old = match self.stored(&cid, &s.event.id) {
                Some(old) if *old == s => continue,
                Some(old) => {
                    if old.event != s.event || old.place() != s.place() {
                        touched.insert(cid);
                    }
                    Some(old.clone())
                }
                None => {
                    touched.insert(cid);
                    None
                }
            };
            if let Some(m) = self.meta.as_mut() {
                m.lamport = m.lamport.max(s.event.lamport);
            }
            if let Some(old) = &old {
                self.index(old, false);
            }
            self.index(&s, true);
            let evs = self.records.entry(cid).or_default();
            match evs.iter_mut().find(|e| e.event.id == s.event.id) {
                Some(held) => *held = s,
                None => {
                    evs.push(s);
                    self.event_count += 1;
                }
            }
        }
        for cid in touched {
            let evs = self
                .records
                .get(&cid)
                .into_iter()
                .flatten()
                .map(|s| (&s.event, s.place()));
            match fold_placed(evs) {
                Some(mut c) => {
                    c.notes = Vec::new();
                    self.complaints.insert(cid, Box::new(c));
                }
                None => {
                    self.complaints.remove(&cid);
                }
            };
        }
    }

    /// Every held event, complaint by complaint.
    fn all_events(&self) -> impl Iterator<Item = &StoredEvent> + '_ {
        self.records.values().flatten()
    }

    /// Adds (`add`) or removes one stored event's entries in the sync indexes.
    fn index(&mut self, s: &StoredEvent, add: bool) {
        let (e, cid) = (&s.event, s.event.complaint_id);
        match (&s.sync, add) {
            (SyncState::Pending, true) => {
                self.pending.insert((e.lamport, e.id), cid);
                count_up(&mut self.pending_in, cid);
                let by = self.pending_by_author.entry(e.author.clone()).or_default();
                count_up(by, cid);
            }
            (SyncState::Pending, false) => {
                self.pending.remove(&(e.lamport, e.id));
                count_down(&mut self.pending_in, &cid);
                if let Some(by) = self.pending_by_author.get_mut(&e.author) {
                    count_down(by, &cid);
                    if by.is_empty() {
                        self.pending_by_author.remove(&e.author);
                    }
                }
            }
            (SyncState::Rejected { .. }, true) => count_up(&mut self.rejected_in, cid),
            (SyncState::Rejected { .. }, false) => count_down(&mut self.rejected_in, &cid),
            (SyncState::Synced { .. }, _) => {}
        }
    }

    /// Up to `max` pending events, in logical order (a complaint's `Created` goes before its updates).
    pub fn pending_batch(&self, max: usize) -> Vec<Event> {
        self.pending_batch_by(max, None)
    }

    /// Like `pending_batch`, limited to one author's events: on a shared tablet each user's
    /// records are sent with that user's own login, and the others wait for theirs.
    pub fn pending_batch_by(&self, max: usize, author: Option<&str>) -> Vec<Event> {
        self.pending_events()
            .filter(|e| author.is_none_or(|a| e.author == a))
            .take(max)
            .cloned()
            .collect()
    }

    /// Every pending event in push order (logical clock, then id), without copying.
    pub fn pending_events(&self) -> impl Iterator<Item = &Event> + '_ {
        self.pending
            .iter()
            .filter_map(|((_, id), cid)| self.stored(cid, id).map(|s| &s.event))
    }

    /// Records (complaints) with pending events, per author of those events.
    pub fn pending_records_by_author(&self) -> BTreeMap<String, usize> {
        self.pending_by_author
            .iter()
            .map(|(a, ids)| (a.clone(), ids.len()))
            .collect()
    }

    /// Whether some of this complaint's events are not yet on the server.
    pub fn has_pending(&self, id: &ComplaintId) -> bool {
        self.pending_in.contains_key(id)
    }

    /// Whether the server refused some of this complaint's events.
    pub fn has_rejected(&self, id: &ComplaintId) -> bool {
        self.rejected_in.contains_key(id)
    }

    /// Complaints with a refused event.
    pub fn rejected_records(&self) -> usize {
        self.rejected_in.len()
    }

    /// The change that records the server's answers to a push. Only events still pending here
    /// are marked (one a pull brought back meanwhile already holds its receipt). The answers
    /// are to the oldest pending events, so the scan for them stops early.
    pub fn ack(&self, outcomes: &[PushOutcome]) -> Change {
        let mut wanted: BTreeMap<EventId, &PushResult> =
            outcomes.iter().map(|o| (o.id, &o.result)).collect();
        let mut events = Vec::with_capacity(wanted.len());
        for ((_, id), cid) in &self.pending {
            if wanted.is_empty() {
                break;
            }
            let (Some(result), Some(held)) = (wanted.remove(id), self.stored(cid, id)) else {
                continue;
            };
            let mut s = held.clone();
            s.sync = match result {
                PushResult::Accepted { seq, received_at } => SyncState::Synced {
                    seq: *seq,
                    received_at: *received_at,
                },
                PushResult::Rejected { code, message } => SyncState::Rejected {
                    code: code.clone(),
                    message: message.clone(),
                },
            };
            events.push(s);
        }
        Change {
            events,
            meta: self.meta().clone(),
        }
    }

    /// The change that stores a pulled page and advances the cursor (persist both in one transaction).
    pub fn pulled(&self, page: &PullResponse) -> Change {
        self.pulled_page(page.clone())
    }

    /// Like `pulled`, taking the page (no copy of its events).
    pub fn pulled_page(&self, page: PullResponse) -> Change {
        let mut meta = self.meta().clone();
        meta.cursor = meta.cursor.max(page.next_cursor);
        if self.scope_changed(&page) {
            // Another reader scope (a site gained, a role changed): pull again from the start;
            // what is already here merges idempotently.
            meta.cursor = 0;
        }
        if !page.scope.is_empty() {
            meta.scope = page.scope.clone();
        }
        let events = page
            .events
            .into_iter()
            .map(|se| {
                meta.lamport = meta.lamport.max(se.event.lamport);
                StoredEvent {
                    event: se.event,
                    sync: SyncState::Synced {
                        seq: se.seq,
                        received_at: se.received_at,
                    },
                }
            })
            .collect();
        Change { events, meta }
    }

    /// The change that caches a complaint's history fetched on demand (outside the device
    /// window): its events as the server holds them; the cursor and scope stay as they are.
    pub fn fetched(&self, events: Vec<SyncedEvent>) -> Change {
        let page = PullResponse {
            next_cursor: 0,
            has_more: false,
            sites: Vec::new(),
            scope: String::new(),
            events,
            window_since: None,
        };
        self.pulled_page(page)
    }

    /// Every complaint's state, by id (notes left out, as in [`Replica::complaint`]).
    pub fn complaints(&self) -> impl ExactSizeIterator<Item = &Complaint> + Clone + '_ {
        self.complaints.values().map(|c| &**c)
    }

    /// The ids of every complaint held, ascending.
    pub fn complaint_ids(&self) -> impl ExactSizeIterator<Item = &ComplaintId> + Clone + '_ {
        self.complaints.keys()
    }

    /// A complaint's state (its notes left out: [`Replica::events_of`] has them).
    pub fn complaint(&self, id: &ComplaintId) -> Option<&Complaint> {
        self.complaints.get(id).map(|c| &**c)
    }

    /// Whether the device holds this complaint.
    pub fn holds(&self, id: &ComplaintId) -> bool {
        self.complaints.contains_key(id)
    }

    /// A complaint's events in the fold's order (its timeline): committed ones by seq, then
    /// those only on this device.
    pub fn events_of(&self, id: &ComplaintId) -> Vec<&StoredEvent> {
        let mut v: Vec<&StoredEvent> = self.records.get(id).into_iter().flatten().collect();
        v.sort_by_key(|s| {
            (
                !matches!(s.event.kind, EventKind::Created(_)),
                s.place(),
                s.event.id,
            )
        });
        v
    }

    /// Sync summary of one complaint.
    pub fn record_sync(&self, id: &ComplaintId) -> RecordSync {
        if self.has_pending(id) {
            RecordSync::Pending
        } else if self.has_rejected(id) {
            RecordSync::Rejected
        } else {
            RecordSync::Synced
        }
    }

    /// When the server first received this complaint (its `Created` event's receipt).
    pub fn received_at(&self, id: &ComplaintId) -> Option<Timestamp> {
        self.events_of(id)
            .into_iter()
            .find_map(|s| match (&s.event.kind, &s.sync) {
                (EventKind::Created(_), SyncState::Synced { received_at, .. }) => {
                    Some(*received_at)
                }
                _ => None,
            })
    }

    /// Number of records (complaints) with events not yet on the server.
    pub fn pending_records(&self) -> usize {
        self.pending_in.len()
    }

    /// An event of complaint `cid` as this device holds it.
    pub fn stored(&self, cid: &ComplaintId, id: &EventId) -> Option<&StoredEvent> {
        self.records.get(cid)?.iter().find(|s| s.event.id == *id)
    }

    pub fn event_count(&self) -> usize {
        self.event_count
    }
}

mod keep;

#[cfg(test)]
#[path = "replica_tests.rs"]
mod tests;
