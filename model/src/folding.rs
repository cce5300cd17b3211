//! One complaint's fold advanced one committed event at a time (from a stored projection or its
//! events), equal at every step to re-folding its whole history in commit order.

use crate::complaint::Complaint;
use crate::event::{Event, EventKind};
use crate::fold::{fold_in_order, fold_next};

/// A complaint's state as events are committed after what it was built from.
#[derive(Clone, Debug, PartialEq)]
pub enum Folding {
    /// No `Created` yet: the events so far, in commit order, kept until it arrives (the fold
    /// puts it first, before them).
    Waiting(Vec<Event>),
    /// Folded (from its events or a stored projection of them).
    Folded(Box<Complaint>),
}

impl Default for Folding {
    fn default() -> Self {
        Folding::Waiting(Vec::new())
    }
}

impl Folding {
    /// From a complaint's events in commit order.
    pub fn of_events(events: Vec<Event>) -> Folding {
        match fold_in_order(&events) {
            Some(c) => Folding::Folded(Box::new(c)),
            None => Folding::Waiting(events),
        }
    }

    /// From the stored fold of every committed event.
    pub fn of_state(state: Complaint) -> Folding {
        Folding::Folded(Box::new(state))
    }

    /// The state, `None` while no `Created` is known.
    pub fn state(&self) -> Option<&Complaint> {
        match self {
            Folding::Folded(c) => Some(c),
            Folding::Waiting(_) => None,
        }
    }

    /// Commits `e` after everything so far (its id not among them): O(1) once folded.
    pub fn push(&mut self, e: &Event) {
        match self {
            Folding::Folded(c) => fold_next(c, e),
            Folding::Waiting(events) => {
                events.push(e.clone());
                if matches!(e.kind, EventKind::Created(_)) {
                    let events = std::mem::take(events);
                    *self = Folding::of_events(events);
                }
            }
        }
    }
}
