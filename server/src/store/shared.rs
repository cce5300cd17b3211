//! Storage-independent pieces every `Store` implementation shares: server events, batch folding.

use crate::store::error::{Result, StoreError};
use siteline_model::api::ComplaintSummary;
use siteline_model::replies::{self, EditProblem, ReplyEdit, ReplyTemplate};
use siteline_model::{
    Complaint, ComplaintId, DeviceId, Event, EventId, EventKind, Folding, Severity, Timestamp,
};
use std::collections::HashMap;

/// Author of the events the server writes itself.
pub const SYSTEM_AUTHOR: &str = "system";

/// Escalation rule: a 二次投诉 (same phone, or same place and category, within the window).
pub const RULE_REPEAT: &str = siteline_model::report::RULE_REPEAT;
/// Escalation rule: an effective complaint unresolved for a month becomes 重大.
pub const RULE_UNRESOLVED: &str = "unresolved_month";

/// Version of the projection (fold + derived columns). Rows written by an older server are
/// re-folded from their events when the store opens. 3: attachment references are indexed.
/// 4: report facts (late, outstanding limits, month, repeat). 6: working minutes to reply
/// and to close.
pub const FOLD_VERSION: i64 = 6;

/// The projection row of a folded complaint.
pub fn summary_of(state: &Complaint, received_at: Timestamp) -> ComplaintSummary {
    ComplaintSummary {
        id: state.id,
        number: state.display_number().to_string(),
        provisional_number: state.provisional_number.clone(),
        status: state.status,
        severity: state.severity,
        category: state.category.clone(),
        channel: state.channel,
        location: state.location.clone(),
        description: state.description.clone(),
        created_by: state.created_by.clone(),
        created_at: state.captured_at,
        received_at,
    }
}

/// Parses an enum code stored in a text column.
pub(crate) fn parse_code<T>(what: &str, code: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(code).ok_or_else(|| StoreError::Internal(format!("stored {what} is unknown: {code}")))
}

/// The site a complaint belongs to: the one it names if the server knows it, else the default.
pub fn resolve_site<'a>(named: &'a str, known: &[String], default: &'a str) -> &'a str {
    if known.iter().any(|k| k == named) {
        named
    } else {
        default
    }
}

/// The server's `NumberAssigned` event for a newly stored `Created` event: a new UUIDv7,
/// device `DeviceId::SERVER`, author `system`, captured now, one logical tick after the creation.
pub fn number_event(created: &Event, number: String, now: Timestamp) -> Event {
    server_event(
        created.complaint_id,
        created.lamport.saturating_add(1),
        now,
        EventKind::NumberAssigned { number },
    )
}

/// The server's `Escalated` event for a complaint whose greatest stored lamport is `max_lamport`.
pub fn escalation_event(
    complaint: ComplaintId,
    max_lamport: u64,
    to: Severity,
    rule: &str,
    related: Option<ComplaintId>,
    now: Timestamp,
) -> Event {
    server_event(
        complaint,
        max_lamport.saturating_add(1),
        now,
        EventKind::Escalated {
            to,
            rule: rule.into(),
            related,
        },
    )
}

fn server_event(complaint: ComplaintId, lamport: u64, now: Timestamp, kind: EventKind) -> Event {
    Event {
        id: EventId::new_v7(now.millis(), rand::random()),
        complaint_id: complaint,
        device_id: DeviceId::SERVER,
        author: SYSTEM_AUTHOR.into(),
        captured_at: now,
        lamport,
        kind,
    }
}

/// The complaints one push touches: each loaded once (its stored projection, or its stored
/// events when it has none), then advanced by every event of the batch that is accepted, one
/// at a time: a long history costs a push no more than a short one.
#[derive(Debug, Default)]
pub struct BatchStates {
    by: HashMap<ComplaintId, Folding>,
}

impl BatchStates {
    pub fn is_loaded(&self, id: ComplaintId) -> bool {
        self.by.contains_key(&id)
    }

    /// Sets a complaint's stored events (call once, before `state`/`accept`).
    pub fn load(&mut self, id: ComplaintId, stored: Vec<Event>) {
        self.by.insert(id, Folding::of_events(stored));
    }

    /// Sets a complaint's stored projection: the fold of all its stored events.
    pub fn load_state(&mut self, id: ComplaintId, state: Complaint) {
        self.by.insert(id, Folding::of_state(state));
    }

    /// The current state, `None` while no `Created` is known.
    pub fn state(&self, id: ComplaintId) -> Option<&Complaint> {
        self.by.get(&id).and_then(Folding::state)
    }

    /// Records an accepted event (committed after every event its complaint had).
    pub fn accept(&mut self, ev: &Event) {
        self.by.entry(ev.complaint_id).or_default().push(ev);
    }
}

/// Full labels of every node of a location tree stored as `(id, parent, name)` rows in
/// sibling order, depth-first.
pub(crate) fn location_labels(rows: &[(i64, Option<i64>, String)]) -> Vec<String> {
    let mut children: HashMap<Option<i64>, Vec<(i64, &str)>> = HashMap::new();
    for (id, parent, name) in rows {
        children.entry(*parent).or_default().push((*id, name));
    }
    let mut out = Vec::with_capacity(rows.len());
    let mut stack: Vec<(i64, String)> = children
        .get(&None)
        .map(|v| v.iter().rev().map(|(id, n)| (*id, n.to_string())).collect())
        .unwrap_or_default();
    while let Some((id, label)) = stack.pop() {
        if let Some(kids) = children.get(&Some(id)) {
            for (kid, name) in kids.iter().rev() {
                stack.push((*kid, format!("{label}{}{name}", super::LOCATION_SEPARATOR)));
            }
        }
        out.push(label);
    }
    out
}

/// A site's stored reply templates (`sites.replies_json`; none stored: none).
pub(crate) fn stored_replies(json: Option<&str>) -> Result<Vec<ReplyTemplate>> {
    match json {
        None => Ok(Vec::new()),
        Some(j) => serde_json::from_str(j)
            .map_err(|e| StoreError::Internal(format!("stored reply templates: {e}"))),
    }
}

/// The stored list after `edit`, as the JSON to store, and the list itself.
pub(crate) fn edited_replies(
    code: &str,
    json: Option<&str>,
    edit: &ReplyEdit,
) -> Result<(String, Vec<ReplyTemplate>)> {
    let mut list = stored_replies(json)?;
    replies::apply(&mut list, edit).map_err(|p| match p {
        EditProblem::Full => StoreError::Conflict(format!(
            "site {code} has {} reply templates already",
            replies::MAX_TEMPLATES
        )),
        EditProblem::DuplicateId => StoreError::Conflict("template id taken".into()),
        EditProblem::NoSuchTemplate => {
            StoreError::NotFound(format!("site {code} has no such reply template"))
        }
    })?;
    let json = serde_json::to_string(&list)
        .map_err(|e| StoreError::Internal(format!("reply templates do not serialize: {e}")))?;
    Ok((json, list))
}

/// The pull's device-window filter on `complaint` (a column holding a complaint id), with the
/// window's start at `param`: true unless the complaint's projection says it finished before
/// then (`siteline_model::window::holds`, in SQL; the same text on both backends).
pub fn window_clause(complaint: &str, param: &str) -> String {
    let finished = siteline_model::window::FINISHED
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "NOT EXISTS (SELECT 1 FROM complaints w WHERE w.id = {complaint} \
         AND w.status IN ({finished}) AND w.closed_at < {param})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use siteline_model::Status;

    fn ev(cid: ComplaintId, lamport: u64, kind: EventKind) -> Event {
        server_event(cid, lamport, Timestamp(lamport as i64), kind)
    }

    #[test]
    fn batch_states_advance_with_accepted_events() {
        let cid = ComplaintId::new_v7(1, [1; 10]);
        let mut b = BatchStates::default();
        assert!(!b.is_loaded(cid));
        b.load(cid, vec![]);
        assert!(b.is_loaded(cid) && b.state(cid).is_none());
        b.accept(&ev(cid, 1, EventKind::Created(Box::default())));
        assert_eq!(b.state(cid).map(|c| c.status), Some(Status::Received));
        let to = |d: &str| EventKind::Dispatched {
            department: d.into(),
            instructions: String::new(),
        };
        b.accept(&ev(cid, 2, to("engineering")));
        b.accept(&ev(cid, 3, to("security")));
        let c = b.state(cid).expect("state");
        assert_eq!(c.department.as_deref(), Some("engineering"));
        assert_eq!(c.conflicts.len(), 1, "the second dispatch is a conflict");
    }

    #[test]
    fn sites_resolve_to_known_or_default() {
        let known = vec!["DEMO".to_string(), "SL".to_string()];
        assert_eq!(resolve_site("DEMO", &known, "SL"), "DEMO");
        assert_eq!(resolve_site("", &known, "SL"), "SL");
        assert_eq!(resolve_site("NOPE", &known, "SL"), "SL");
    }
}
