//! Facts the printed 《投诉处理通知单》 needs beyond the folded record: who dispatched, signed for,
//! handled and followed up, when, and with which instructions. Conflicting events are ignored;
//! after a reopen the latest round counts.

use siteline_model::{Complaint, Event, EventKind, Satisfaction, Timestamp};

/// Who did a step and when (device capture time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub by: String,
    pub at: Timestamp,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoticeFacts {
    pub dispatched: Option<Step>,
    pub instructions: String,
    pub accepted: Option<Step>,
    pub handled: Option<Step>,
    pub replied: Option<Step>,
    pub followed_up: Option<Step>,
    pub follow_up_note: String,
    pub satisfaction: Option<Satisfaction>,
    pub closed: Option<Step>,
    pub summary: String,
}

/// Reads the facts from a complaint's events (in logical order).
pub fn facts<'a>(c: &Complaint, events: impl IntoIterator<Item = &'a Event>) -> NoticeFacts {
    let mut f = NoticeFacts::default();
    for e in events {
        if c.conflicts.iter().any(|x| x.event_id == e.id) {
            continue;
        }
        let step = || {
            Some(Step {
                by: e.author.clone(),
                at: e.captured_at,
            })
        };
        match &e.kind {
            EventKind::Dispatched { instructions, .. } => {
                f.dispatched = step();
                f.instructions = instructions.clone();
                f.accepted = None;
            }
            EventKind::Transferred { reason, .. } => {
                f.dispatched = step();
                f.instructions = reason.clone();
                f.accepted = None;
            }
            EventKind::Returned { .. } => {
                f.dispatched = None;
                f.accepted = None;
                f.instructions.clear();
            }
            EventKind::Accepted => f.accepted = step(),
            EventKind::Handled { .. } => f.handled = step(),
            EventKind::Replied { .. } => f.replied = step(),
            EventKind::FollowedUp { satisfaction, note } => {
                f.followed_up = step();
                f.follow_up_note = note.clone();
                f.satisfaction = Some(*satisfaction);
            }
            EventKind::Closed { summary } => {
                f.closed = step();
                f.summary = summary.clone();
            }
            _ => {}
        }
    }
    f
}
