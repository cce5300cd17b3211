//! How a device keeps its replica in IndexedDB from schema 3: ONE record per complaint (its
//! events with their sync marks, as UTF-8 JSON bytes, read-modify-written in one transaction so
//! two tabs never lose each other's events), and one receipt record per push answer, so an
//! acknowledgement never rewrites events. Pure: the app's store makes the IndexedDB calls.

use crate::event::Event;
use crate::ids::{ComplaintId, EventId};
use crate::replica::{StoredEvent, SyncState};
use crate::sync::{PushOutcome, PushResult};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Where an event stands with the server, as stored: externally tagged (a tag serde reads
/// without buffering the rest, unlike `SyncState`'s internal tag).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Pending,
    /// The server's seq and time received.
    Synced(u64, Timestamp),
    /// The server's code and message.
    Rejected(String, String),
}

impl From<&SyncState> for Mark {
    fn from(s: &SyncState) -> Mark {
        match s {
            SyncState::Pending => Mark::Pending,
            SyncState::Synced { seq, received_at } => Mark::Synced(*seq, *received_at),
            SyncState::Rejected { code, message } => Mark::Rejected(code.clone(), message.clone()),
        }
    }
}

impl From<Mark> for SyncState {
    fn from(m: Mark) -> SyncState {
        match m {
            Mark::Pending => SyncState::Pending,
            Mark::Synced(seq, received_at) => SyncState::Synced { seq, received_at },
            Mark::Rejected(code, message) => SyncState::Rejected { code, message },
        }
    }
}

impl From<&PushResult> for Mark {
    fn from(r: &PushResult) -> Mark {
        match r {
            PushResult::Accepted { seq, received_at } => Mark::Synced(*seq, *received_at),
            PushResult::Rejected { code, message } => Mark::Rejected(code.clone(), message.clone()),
        }
    }
}

/// Whether `new` may replace `old`: anything may, except that what the server holds stays held
/// (a stale tab's pending or refused copy never undoes a receipt).
fn replaces(old: &Mark, new: &Mark) -> bool {
    !matches!(old, Mark::Synced(..)) || matches!(new, Mark::Synced(..))
}

/// One complaint's events on the device, each with its mark.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintRecord {
    pub events: Vec<(Event, Mark)>,
}

impl ComplaintRecord {
    pub fn decode(bytes: &[u8]) -> Result<ComplaintRecord, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    pub fn encode(&self) -> Vec<u8> {
        // A record of events and marks always serializes.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Adds events, or replaces their stored copies (see [`replaces`]).
    pub fn merge<'a>(&mut self, incoming: impl IntoIterator<Item = &'a StoredEvent>) {
        for s in incoming {
            self.mark(&s.event, Mark::from(&s.sync));
        }
    }

    fn mark(&mut self, event: &Event, mark: Mark) {
        match self.events.iter_mut().find(|(e, _)| e.id == event.id) {
            Some((e, m)) => {
                if replaces(m, &mark) {
                    *e = event.clone();
                    *m = mark;
                }
            }
            None => self.events.push((event.clone(), mark)),
        }
    }

    /// Applies a receipt's marks to the events it names that this record holds.
    pub fn apply(&mut self, receipt: &Receipt) {
        for (e, m) in &mut self.events {
            if let Some(new) = receipt.marks.get(&e.id) {
                if replaces(m, new) {
                    *m = new.clone();
                }
            }
        }
    }

    /// Removes the events `gone` (a discarded refusal); answers whether any were here.
    pub fn remove(&mut self, gone: &BTreeSet<EventId>) -> bool {
        let before = self.events.len();
        self.events.retain(|(e, _)| !gone.contains(&e.id));
        self.events.len() != before
    }

    pub fn into_stored(self) -> impl Iterator<Item = StoredEvent> {
        self.events.into_iter().map(|(event, mark)| StoredEvent {
            event,
            sync: mark.into(),
        })
    }
}

/// The server's answers to one push, kept as they came until folded into the records.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub marks: BTreeMap<EventId, Mark>,
    /// The complaints whose records hold the marked events (what folding it in rewrites).
    #[serde(default)]
    pub complaints: BTreeSet<ComplaintId>,
}

impl Receipt {
    pub fn of(outcomes: &[PushOutcome]) -> Receipt {
        Receipt {
            marks: outcomes
                .iter()
                .map(|o| (o.id, Mark::from(&o.result)))
                .collect(),
            complaints: BTreeSet::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }

    /// Adds a later receipt: its marks win where they may replace (see [`replaces`]).
    pub fn absorb(&mut self, later: Receipt) {
        for (id, new) in later.marks {
            match self.marks.get_mut(&id) {
                Some(old) if !replaces(old, &new) => {}
                Some(old) => *old = new,
                None => {
                    self.marks.insert(id, new);
                }
            }
        }
        self.complaints.extend(later.complaints);
    }

    pub fn decode(bytes: &[u8]) -> Result<Receipt, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// How a write stores a change's events: each event the device does not hold yet (or holds with
/// other content) goes into its complaint's record; an event it holds with only another mark (an
/// acknowledgement) goes into one receipt; an event it holds exactly as given is not written.
#[derive(Debug, Default, PartialEq)]
pub struct WritePlan<'a> {
    pub records: Vec<&'a StoredEvent>,
    pub receipt: Receipt,
}

impl WritePlan<'_> {
    /// Sorts `events` by what the device holds (`held`: its copy of an event of a complaint,
    /// if any).
    pub fn of<'a, 'b>(
        events: &'a [StoredEvent],
        held: impl Fn(&ComplaintId, &EventId) -> Option<&'b StoredEvent>,
    ) -> WritePlan<'a> {
        let mut plan = WritePlan::default();
        for s in events {
            match held(&s.event.complaint_id, &s.event.id) {
                Some(h) if h.event == s.event => {
                    let (old, new) = (Mark::from(&h.sync), Mark::from(&s.sync));
                    if old != new && replaces(&old, &new) {
                        plan.receipt.marks.insert(s.event.id, new);
                        plan.receipt.complaints.insert(s.event.complaint_id);
                    }
                }
                _ => plan.records.push(s),
            }
        }
        plan
    }

    /// Every event into its record (a device that holds nothing yet).
    pub fn all(events: &[StoredEvent]) -> WritePlan<'_> {
        WritePlan {
            records: events.iter().collect(),
            receipt: Receipt::default(),
        }
    }
}

/// A change's events by complaint: the records one write touches.
pub fn by_complaint<'a>(
    events: impl IntoIterator<Item = &'a StoredEvent>,
) -> BTreeMap<ComplaintId, Vec<&'a StoredEvent>> {
    let mut out: BTreeMap<ComplaintId, Vec<&StoredEvent>> = BTreeMap::new();
    for s in events {
        out.entry(s.event.complaint_id).or_default().push(s);
    }
    out
}

/// Schema 2's one-record-per-event store as schema 3's records (the upgrade keeps everything).
pub fn from_events(events: &[StoredEvent]) -> BTreeMap<ComplaintId, ComplaintRecord> {
    by_complaint(events)
        .into_iter()
        .map(|(cid, evs)| {
            let mut r = ComplaintRecord::default();
            r.merge(evs);
            (cid, r)
        })
        .collect()
}
