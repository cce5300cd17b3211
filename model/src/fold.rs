//! The deterministic fold from events to current state, and the logical clock that orders events.

use crate::complaint::{Complaint, Note, Status};
use crate::event::{Event, EventKind};
use crate::ids::{ComplaintId, EventId};
use std::collections::{BTreeMap, HashSet};

/// Total order used by the fold: `Created` first, then logical clock, then event id as tie-break.
/// Arrival order, server sequence and device clocks never matter, so every replica agrees.
fn order_key(e: &Event) -> (u8, u64, EventId) {
    let rank = u8::from(!matches!(e.kind, EventKind::Created(_)));
    (rank, e.lamport, e.id)
}

/// Folds the events of ONE complaint (any order, duplicates allowed) into its state.
/// Returns `None` while its `Created` event has not arrived.
pub fn fold_one<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Complaint> {
    let mut evs: Vec<&Event> = events.into_iter().collect();
    evs.sort_by_key(|e| order_key(e));
    // Deduplicate after sorting, so which copy survives never depends on arrival order.
    let mut seen = HashSet::new();
    evs.retain(|e| seen.insert(e.id));
    let mut it = evs.into_iter();
    let first = it.next()?;
    let EventKind::Created(new) = &first.kind else {
        return None;
    };
    let mut c = Complaint {
        id: first.complaint_id,
        number: None,
        provisional_number: new.provisional_number.clone(),
        status: Status::Received,
        severity: new.severity,
        category: new.category.clone(),
        channel: new.channel,
        location: new.location.clone(),
        description: new.description.clone(),
        complainant: new.complainant.clone(),
        created_by: first.author.clone(),
        device_id: first.device_id,
        captured_at: first.captured_at,
        updated_at: first.captured_at,
        notes: Vec::new(),
        event_count: 1,
        last_lamport: first.lamport,
    };
    for e in it {
        apply(&mut c, e);
    }
    Some(c)
}

fn apply(c: &mut Complaint, e: &Event) {
    c.event_count += 1;
    c.last_lamport = c.last_lamport.max(e.lamport);
    c.updated_at = c.updated_at.max(e.captured_at);
    match &e.kind {
        // A second `Created` for the same id (a buggy or malicious client) changes nothing.
        EventKind::Created(_) => {}
        EventKind::Edited(p) => {
            if let Some(v) = &p.description {
                c.description = v.clone();
            }
            if let Some(v) = &p.location {
                c.location = v.clone();
            }
            if let Some(v) = &p.category {
                c.category = v.clone();
            }
            if let Some(v) = p.severity {
                c.severity = v;
            }
            if let Some(v) = p.channel {
                c.channel = v;
            }
            if let Some(v) = &p.complainant {
                c.complainant = v.clone();
            }
        }
        EventKind::StatusChanged { to, .. } => c.status = *to,
        EventKind::NoteAdded { text } => c.notes.push(Note {
            event_id: e.id,
            author: e.author.clone(),
            captured_at: e.captured_at,
            text: text.clone(),
        }),
        // The first number wins; the server writes only one, but stay deterministic regardless.
        EventKind::NumberAssigned { number } => {
            if c.number.is_none() {
                c.number = Some(number.clone());
            }
        }
    }
}

/// Folds events of many complaints into their states, keyed (and so listed) by id.
pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> BTreeMap<ComplaintId, Complaint> {
    let mut by: BTreeMap<ComplaintId, Vec<&Event>> = BTreeMap::new();
    for e in events {
        by.entry(e.complaint_id).or_default().push(e);
    }
    by.into_iter()
        .filter_map(|(id, evs)| fold_one(evs).map(|c| (id, c)))
        .collect()
}

/// A Lamport clock: `tick` before writing an event, `observe` every event received.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LamportClock(pub u64);

impl LamportClock {
    pub fn tick(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }
    pub fn observe(&mut self, seen: u64) {
        self.0 = self.0.max(seen);
    }
}
