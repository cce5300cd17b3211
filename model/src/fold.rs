//! The deterministic fold from events to current state, and the logical clock that orders events.

use crate::complaint::{Complaint, Conflict, Escalation, Note, Satisfaction, Status};
use crate::event::{Event, EventKind};
use crate::ids::{ComplaintId, EventId};
use std::collections::{BTreeMap, HashSet};

/// Where an event stands in its complaint's order. The server's commit order (its seq) is the
/// order of record: what the server's gate checked an event against is exactly the state it is
/// applied to, whatever logical clock a client chose. Events only on this device (not yet
/// acknowledged) come after every committed one, in logical-clock order (rebased on top, as
/// Replicache does), and move into the committed order when the server acknowledges them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// Committed by the server at this sequence number.
    Committed(u64),
    /// Only on this device, at this logical clock.
    Local(u64),
}

/// Total order used by the fold: `Created` first, then place, then event id as tie-break.
fn order_key(e: &Event, place: Place) -> (u8, Place, EventId) {
    let rank = u8::from(!matches!(e.kind, EventKind::Created(_)));
    (rank, place, e.id)
}

/// Folds the events of ONE complaint that are all uncommitted (or whose commit order is not
/// known), in logical-clock order (any arrival order, duplicates allowed).
/// Returns `None` while its `Created` event has not arrived.
pub fn fold_one<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Complaint> {
    fold_placed(events.into_iter().map(|e| (e, Place::Local(e.lamport))))
}

/// Folds the events of ONE complaint in the server's commit order, as given (stored events by
/// seq, then those accepted after them).
pub fn fold_in_order<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Complaint> {
    fold_placed(
        events
            .into_iter()
            .enumerate()
            .map(|(i, e)| (e, Place::Committed(i as u64))),
    )
}

/// Folds the events of ONE complaint, each at its place (any arrival order, duplicates allowed:
/// the copy at the earliest place counts).
pub fn fold_placed<'a>(events: impl IntoIterator<Item = (&'a Event, Place)>) -> Option<Complaint> {
    let mut evs: Vec<(&Event, Place)> = events.into_iter().collect();
    evs.sort_by_key(|(e, p)| order_key(e, *p));
    // Deduplicate after sorting, so which copy survives never depends on arrival order.
    let mut seen = HashSet::new();
    evs.retain(|(e, _)| seen.insert(e.id));
    let evs: Vec<&Event> = evs.into_iter().map(|(e, _)| e).collect();
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
        location_path: new.location_path.clone(),
        site: new.site.clone(),
        gps: new.gps,
        wants: new.wants.clone(),
        against: new.against.clone(),
        nature: new.nature,
        promised_reply_at: new.promised_reply_at,
        attachments: new.attachments.clone(),
        department: None,
        departments: Vec::new(),
        dispatched_at: None,
        accepted_at: None,
        handled_at: None,
        replied_at: None,
        closed_at: None,
        remedial: String::new(),
        corrective: String::new(),
        reply: String::new(),
        satisfaction: None,
        reopen_count: 0,
        reason: String::new(),
        withdrawn_voluntarily: None,
        merged_into: None,
        escalations: Vec::new(),
        conflicts: Vec::new(),
    };
    for e in it {
        apply(&mut c, e);
    }
    Some(c)
}

/// Advances a folded complaint by one event placed after every event it was folded from.
/// Equal to re-folding all of them in commit order (a `Created` changes nothing after the first,
/// wherever it sits), which `tests/fold_next_props.rs` checks.
pub fn fold_next(c: &mut Complaint, e: &Event) {
    apply(c, e)
}

fn apply(c: &mut Complaint, e: &Event) {
    c.event_count += 1;
    c.last_lamport = c.last_lamport.max(e.lamport);
    c.updated_at = c.updated_at.max(e.captured_at);
    // An action that is not legal at its place in the logical order (e.g. a second dispatch made
    // offline on another tablet) changes nothing but stays visible as a conflict.
    let next = match crate::workflow::next_status(c, &e.kind) {
        Ok(s) => s,
        Err(err) => {
            if !matches!(e.kind, EventKind::Created(_)) {
                c.conflicts.push(Conflict {
                    event_id: e.id,
                    code: err.code().to_string(),
                });
            }
            return;
        }
    };
    let at = e.captured_at;
    match &e.kind {
        EventKind::Created(_) => {}
        EventKind::Edited(p) => apply_patch(c, p),
        EventKind::StatusChanged { .. } => {}
        EventKind::NoteAdded { text } => c.notes.push(Note {
            event_id: e.id,
            author: e.author.clone(),
            captured_at: at,
            text: text.clone(),
        }),
        // The first number wins; the server writes only one, but stay deterministic regardless.
        EventKind::NumberAssigned { number } => {
            if c.number.is_none() {
                c.number = Some(number.clone());
            }
        }
        EventKind::Dispatched { department, .. } => {
            c.department = Some(department.clone());
            remember_department(c, department);
            c.dispatched_at.get_or_insert(at);
        }
        EventKind::Accepted => {
            c.accepted_at.get_or_insert(at);
        }
        EventKind::Started => {}
        EventKind::Handled {
            remedial,
            corrective,
        } => {
            c.remedial = remedial.clone();
            c.corrective = corrective.clone();
            c.handled_at = Some(at);
        }
        EventKind::Replied { content } => {
            c.reply = content.clone();
            c.replied_at.get_or_insert(at);
        }
        EventKind::FollowedUp { satisfaction, .. } => {
            c.satisfaction = Some(*satisfaction);
            if *satisfaction == Satisfaction::Unsatisfied {
                c.reopen_count += 1;
            }
        }
        EventKind::Closed { .. } => c.closed_at = Some(at),
        EventKind::Transferred { department, reason } => {
            c.department = Some(department.clone());
            remember_department(c, department);
            c.reason = reason.clone();
        }
        EventKind::Returned { reason } => {
            c.department = None;
            c.reason = reason.clone();
        }
        EventKind::Withdrawn { reason, voluntary } => {
            c.reason = reason.clone();
            c.withdrawn_voluntarily = Some(*voluntary);
            c.closed_at = Some(at);
        }
        EventKind::Merged { into } => {
            c.merged_into = Some(*into);
            c.closed_at = Some(at);
        }
        EventKind::Escalated { to, rule, .. } => {
            c.severity = c.severity.max_severity(*to);
            c.escalations.push(Escalation {
                event_id: e.id,
                to: *to,
                rule: rule.clone(),
                at,
            });
        }
        EventKind::AttachmentsAdded { attachments } => {
            for a in attachments {
                if !c.attachments.contains(a) {
                    c.attachments.push(a.clone());
                }
            }
        }
    }
    c.status = next;
}

fn remember_department(c: &mut Complaint, department: &str) {
    if !c.departments.iter().any(|d| d == department) {
        c.departments.push(department.to_string());
    }
}

fn apply_patch(c: &mut Complaint, p: &crate::event::ComplaintPatch) {
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
    if let Some(v) = p.nature {
        c.nature = v;
    }
    if let Some(v) = &p.wants {
        c.wants = v.clone();
    }
    if let Some(v) = &p.against {
        c.against = v.clone();
    }
    if let Some(v) = p.promised_reply_at {
        c.promised_reply_at = Some(v);
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
