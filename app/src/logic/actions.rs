//! Lifecycle actions on the detail page: which ones to offer a role, the event each form builds, and
//! the checks (payload validation, workflow transition, role) made before anything is committed.

use siteline_model::department::{self, DEPARTMENTS};
use siteline_model::validation::{validate_event, ValidationError};
use siteline_model::workflow::{available_actions, may, next_status};
use siteline_model::{Complaint, ComplaintId, EventKind, Role, Satisfaction};

/// What the inline action form holds (one field set serves every action).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionInput {
    pub department: String,
    pub instructions: String,
    pub reason: String,
    pub remedial: String,
    pub corrective: String,
    pub content: String,
    pub satisfaction: String,
    pub note: String,
    pub summary: String,
    pub voluntary: bool,
    /// Merge target: a number (canonical or provisional) or an id.
    pub into: String,
}

/// The actions to offer `role` now, by event code. An admin is offered what a supervisor is;
/// staff and supervisors may also merge an open duplicate.
pub fn offered(role: Role, c: &Complaint) -> Vec<&'static str> {
    let as_role = if role == Role::Admin {
        Role::Supervisor
    } else {
        role
    };
    let mut v = available_actions(as_role, c);
    let probe = EventKind::Merged {
        into: ComplaintId(uuid::Uuid::from_u128(u128::MAX)),
    };
    if next_status(c, &probe).is_ok() && may(as_role, Some(c), &probe).is_ok() {
        v.push("merged");
    }
    v
}

/// The department preselected in a dispatch or transfer form.
pub fn default_department(code: &str, c: &Complaint) -> String {
    let suggested = department::suggested_for(&c.category);
    if code == "transferred" && c.department.as_deref() == Some(suggested) {
        return DEPARTMENTS
            .iter()
            .map(|d| d.code)
            .find(|d| Some(*d) != c.department.as_deref())
            .unwrap_or(suggested)
            .to_string();
    }
    suggested.to_string()
}

/// Finds the complaint a merge should go into: by id, canonical number or provisional number.
pub fn resolve_target<'a>(
    input: &str,
    complaints: impl IntoIterator<Item = &'a Complaint>,
) -> Option<ComplaintId> {
    let want = input.trim();
    if want.is_empty() {
        return None;
    }
    let by_id = want.parse::<ComplaintId>().ok();
    complaints
        .into_iter()
        .find(|c| {
            Some(c.id) == by_id
                || c.number
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(want))
                || c.provisional_number.eq_ignore_ascii_case(want)
        })
        .map(|c| c.id)
}

fn problem(field: &'static str, code: &'static str) -> Vec<ValidationError> {
    vec![ValidationError { field, code }]
}

/// Builds the event of action `code` from the form (`target` is the resolved merge target).
pub fn build(
    code: &str,
    i: &ActionInput,
    target: Option<ComplaintId>,
) -> Result<EventKind, Vec<ValidationError>> {
    let t = |s: &str| s.trim().to_string();
    Ok(match code {
        "dispatched" => EventKind::Dispatched {
            department: t(&i.department),
            instructions: t(&i.instructions),
        },
        "accepted" => EventKind::Accepted,
        "started" => EventKind::Started,
        "handled" => EventKind::Handled {
            remedial: t(&i.remedial),
            corrective: t(&i.corrective),
        },
        "replied" => EventKind::Replied {
            content: t(&i.content),
        },
        "followed_up" => EventKind::FollowedUp {
            satisfaction: Satisfaction::parse(&i.satisfaction)
                .ok_or_else(|| problem("satisfaction", "required"))?,
            note: t(&i.note),
        },
        "closed" => EventKind::Closed {
            summary: t(&i.summary),
        },
        "transferred" => EventKind::Transferred {
            department: t(&i.department),
            reason: t(&i.reason),
        },
        "returned" => EventKind::Returned {
            reason: t(&i.reason),
        },
        "withdrawn" => EventKind::Withdrawn {
            reason: t(&i.reason),
            voluntary: i.voluntary,
        },
        "merged" => {
            if i.into.trim().is_empty() {
                return Err(problem("into", "required"));
            }
            EventKind::Merged {
                into: target.ok_or_else(|| problem("into", "target_not_found"))?,
            }
        }
        _ => return Err(problem("action", "illegal_transition")),
    })
}

/// Everything checked before committing: the payload, the transition from the current status and
/// the role. Workflow problems are reported on the field they concern (or `action`).
pub fn check(role: Role, c: &Complaint, kind: &EventKind) -> Result<(), Vec<ValidationError>> {
    if let Err(e) = validate_event(kind) {
        return Err(e.0);
    }
    if let Err(e) = next_status(c, kind) {
        let field = match e.code() {
            "unknown_department" | "same_department" => "department",
            "self_merge" => "into",
            _ => "action",
        };
        return Err(problem(field, e.code()));
    }
    may(role, Some(c), kind).map_err(|e| problem("action", e.code()))
}

/// Builds and checks in one go.
pub fn prepare(
    role: Role,
    c: &Complaint,
    code: &str,
    i: &ActionInput,
    target: Option<ComplaintId>,
) -> Result<EventKind, Vec<ValidationError>> {
    let kind = build(code, i, target)?;
    check(role, c, &kind)?;
    Ok(kind)
}
