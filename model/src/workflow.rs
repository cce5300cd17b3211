//! The lifecycle of the procedures: which event may follow which status, and who may do what.
//! The fold uses `next_status` too, so a conflicting action made offline is resolved the same way
//! on every replica (first in logical order wins; the other stays visible as a conflict).

use crate::complaint::{Complaint, Role, Satisfaction, Severity, Status};
use crate::event::EventKind;

/// Why an action is not possible now: a stable code the UI translates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("not allowed in the current status")]
    IllegalTransition,
    #[error("the complaint is already closed")]
    AlreadyClosed,
    #[error("unknown department")]
    UnknownDepartment,
    #[error("cannot transfer to the same department")]
    SameDepartment,
    #[error("a complaint cannot be merged into itself")]
    SelfMerge,
    #[error("only the server writes this")]
    ServerOnly,
    #[error("this role may not do that")]
    Forbidden,
}

impl WorkflowError {
    pub fn code(self) -> &'static str {
        match self {
            WorkflowError::IllegalTransition => "illegal_transition",
            WorkflowError::AlreadyClosed => "already_closed",
            WorkflowError::UnknownDepartment => "unknown_department",
            WorkflowError::SameDepartment => "same_department",
            WorkflowError::SelfMerge => "self_merge",
            WorkflowError::ServerOnly => "server_only",
            WorkflowError::Forbidden => "forbidden",
        }
    }
}

/// The status after `kind` happens to `c`, or why it cannot happen now.
pub fn next_status(c: &Complaint, kind: &EventKind) -> Result<Status, WorkflowError> {
    use EventKind as K;
    use Status as S;
    let s = c.status;
    let open = s.is_open();
    let illegal = Err(if open {
        WorkflowError::IllegalTransition
    } else {
        WorkflowError::AlreadyClosed
    });
    match kind {
        K::Created(_) => Err(WorkflowError::IllegalTransition),
        K::NoteAdded { .. } | K::NumberAssigned { .. } | K::AttachmentsAdded { .. } => Ok(s),
        K::StatusChanged { to, .. } => Ok(*to),
        K::Edited(_) | K::Escalated { .. } if open => Ok(s),
        K::Dispatched { department, .. } if s == S::Received => {
            crate::department::find(department).ok_or(WorkflowError::UnknownDepartment)?;
            Ok(S::Dispatched)
        }
        K::Accepted if s == S::Dispatched => Ok(S::Accepted),
        K::Started if s == S::Accepted => Ok(S::InProgress),
        K::Handled { .. } if matches!(s, S::Accepted | S::InProgress) => Ok(S::Handled),
        // Communication complaints (求助/咨询/发泄) may be answered at the desk without dispatch.
        K::Replied { .. }
            if s == S::Handled || (s == S::Received && c.nature.is_communication()) =>
        {
            Ok(S::Replied)
        }
        K::FollowedUp { satisfaction, .. } if s == S::Replied => Ok(match satisfaction {
            Satisfaction::Unsatisfied => S::Dispatched,
            _ => S::FollowedUp,
        }),
        K::Closed { .. } if matches!(s, S::Replied | S::FollowedUp) => Ok(S::Closed),
        K::Transferred { department, .. }
            if matches!(s, S::Dispatched | S::Accepted | S::InProgress) =>
        {
            crate::department::find(department).ok_or(WorkflowError::UnknownDepartment)?;
            if c.department.as_deref() == Some(department.as_str()) {
                return Err(WorkflowError::SameDepartment);
            }
            Ok(S::Dispatched)
        }
        K::Returned { .. } if matches!(s, S::Dispatched | S::Accepted) => Ok(S::Received),
        K::Withdrawn { .. } if open => Ok(S::Withdrawn),
        K::Merged { into } if open => {
            if *into == c.id {
                return Err(WorkflowError::SelfMerge);
            }
            Ok(S::Merged)
        }
        _ => illegal,
    }
}

/// Whether `role` may record `kind` on `c` (the server enforces this; the UI offers only these).
pub fn may(role: Role, c: Option<&Complaint>, kind: &EventKind) -> Result<(), WorkflowError> {
    use EventKind as K;
    if kind.is_server_only() {
        return Err(WorkflowError::ServerOnly);
    }
    let ok = match role {
        Role::Admin => true,
        Role::Supervisor => !matches!(kind, K::StatusChanged { .. }),
        Role::Staff => match kind {
            K::Created(_) | K::NoteAdded { .. } | K::AttachmentsAdded { .. } => true,
            // What the server escalated is not undone from the desk.
            K::Edited(patch) => !lowers_escalated(c, patch.severity),
            K::Dispatched { .. }
            | K::Transferred { .. }
            | K::Replied { .. }
            | K::FollowedUp { .. } => true,
            // 重大 cases are withdrawn, merged and closed by a supervisor.
            K::Withdrawn { .. } | K::Merged { .. } | K::Closed { .. } => {
                c.is_none_or(|c| c.severity != Severity::Major)
            }
            _ => false,
        },
        Role::Handler => matches!(
            kind,
            K::NoteAdded { .. }
                | K::AttachmentsAdded { .. }
                | K::Accepted
                | K::Started
                | K::Handled { .. }
                | K::Returned { .. }
        ),
    };
    if ok {
        Ok(())
    } else {
        Err(WorkflowError::Forbidden)
    }
}

/// Whether an edit to `severity` would lower the severity of a complaint the server escalated.
pub fn lowers_escalated(c: Option<&Complaint>, severity: Option<Severity>) -> bool {
    match (c, severity) {
        // `Severity` orders the gravest first: a lower severity compares greater.
        (Some(c), Some(to)) => !c.escalations.is_empty() && to > c.severity,
        _ => false,
    }
}

/// The lifecycle actions a user could take now, by event code (for the detail page's buttons).
pub fn available_actions(role: Role, c: &Complaint) -> Vec<&'static str> {
    let dept = c.department.clone().unwrap_or_else(|| "engineering".into());
    let other = if dept == "engineering" {
        "customer_service"
    } else {
        "engineering"
    };
    let probes: Vec<EventKind> = vec![
        EventKind::Dispatched {
            department: dept,
            instructions: String::new(),
        },
        EventKind::Accepted,
        EventKind::Started,
        EventKind::Handled {
            remedial: String::new(),
            corrective: String::new(),
        },
        EventKind::Replied {
            content: String::new(),
        },
        EventKind::FollowedUp {
            satisfaction: Satisfaction::Satisfied,
            note: String::new(),
        },
        EventKind::Closed {
            summary: String::new(),
        },
        EventKind::Transferred {
            department: other.into(),
            reason: String::new(),
        },
        EventKind::Returned {
            reason: String::new(),
        },
        EventKind::Withdrawn {
            reason: String::new(),
            voluntary: true,
        },
    ];
    probes
        .into_iter()
        .filter(|k| next_status(c, k).is_ok() && may(role, Some(c), k).is_ok())
        .map(|k| k.code())
        .collect()
}

#[cfg(test)]
#[path = "workflow_tests.rs"]
mod tests;
