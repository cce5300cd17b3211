//! Who may see what, for the server: the model's access rule in storage form (a [`ReadScope`])
//! and applied to rows, events and photos. Every read path goes through here.

use crate::error::Result;
use crate::store::{ComplaintRow, ReadScope, Store};
use siteline_model::access;
use siteline_model::api::UserInfo;
use siteline_model::sync::SyncedEvent;
use siteline_model::{Complaint, ComplaintId, Role};
use std::collections::HashMap;

/// What `user` may read, as storage filters it.
pub fn scope_of(user: &UserInfo) -> ReadScope {
    match user.role {
        Role::Admin => ReadScope::All,
        Role::Supervisor | Role::Staff => ReadScope::Sites(user.sites.clone()),
        Role::Handler => match &user.department {
            Some(d) => ReadScope::Department {
                sites: user.sites.clone(),
                department: d.clone(),
            },
            // A handler always has a department; without one they read nothing.
            None => ReadScope::Sites(Vec::new()),
        },
    }
}

/// Whether a signed-in user may see a complaint row (its resolved site and folded state).
pub fn may_see(user: &UserInfo, row: &ComplaintRow) -> bool {
    access::may_read(user, &row.site_code, &row.state)
}

/// The state as the user may see it (personal details blanked).
pub fn redacted(user: &UserInfo, mut state: Complaint) -> Complaint {
    access::redact_complaint(user, &mut state);
    state
}

/// Whether the user sees every personal detail of what they may read (admins, supervisors): their
/// events need no redaction, so a pull sends stored bodies as they are.
pub fn sees_everything(user: &UserInfo) -> bool {
    matches!(user.role, Role::Admin | Role::Supervisor)
}

/// Blanks the personal details of pulled or listed events the user may not see, by the current
/// state of their complaints (`states`; an event of a complaint not there is blanked wholly).
pub fn redact_events(
    user: &UserInfo,
    states: &HashMap<ComplaintId, Complaint>,
    events: &mut [SyncedEvent],
) {
    if sees_everything(user) {
        return;
    }
    for e in events {
        match states.get(&e.event.complaint_id) {
            Some(c) => access::redact_event(user, c, &mut e.event),
            None => access::redact_event_as(access::Personal::NONE, &mut e.event),
        }
    }
}

/// Whether any event carries personal details (so redaction needs the complaints' states).
pub fn has_personal(events: &[SyncedEvent]) -> bool {
    events.iter().any(|e| match &e.event.kind {
        siteline_model::EventKind::Created(_) => true,
        siteline_model::EventKind::Edited(p) => p.complainant.is_some(),
        _ => false,
    })
}

/// Whether a user may fetch an attachment: only if some complaint they may see references it
/// in its current state. An attachment nobody references (or does not exist) is not found.
pub async fn may_see_attachment(store: &dyn Store, user: &UserInfo, sha256: &str) -> Result<bool> {
    let rows = store.complaints_with_attachment(sha256).await?;
    Ok(rows.iter().any(|r| may_see(user, r)))
}
