//! Push rules that need the complaint's current state: roles, handler departments, site categories.
//! Illegal transitions are NOT rejected: offline devices may conflict, and the fold keeps the
//! loser visible as a conflict. Only who-may-do-what rejects.

use crate::store::{resolve_site, PushGate};
use siteline_model::api::{SiteInfo, UserInfo};
use siteline_model::sync::PushResult;
use siteline_model::validation::is_custom_category_code;
use siteline_model::workflow::may;
use siteline_model::{Complaint, Event, EventKind, Role, Severity};
use std::collections::{HashMap, HashSet};

/// The rules for one signed-in user's push.
#[derive(Clone, Debug)]
pub struct PushRules {
    user: UserInfo,
    sites: Vec<String>,
    /// Custom category codes by site.
    categories: HashMap<String, HashSet<String>>,
    default_site: String,
}

fn rejected(code: &str, message: String) -> PushResult {
    PushResult::Rejected {
        code: code.into(),
        message,
    }
}

impl PushRules {
    pub fn new(user: UserInfo, sites: &[SiteInfo], default_site: &str) -> PushRules {
        PushRules {
            user,
            sites: sites.iter().map(|s| s.code.clone()).collect(),
            categories: sites
                .iter()
                .map(|s| {
                    let codes = s.categories.iter().map(|c| c.code.clone()).collect();
                    (s.code.clone(), codes)
                })
                .collect(),
            default_site: default_site.into(),
        }
    }

    fn forbidden_message(&self, current: Option<&Complaint>, kind: &EventKind) -> String {
        let role = self.user.role;
        match kind {
            _ if kind.is_server_only() => format!("only the server writes {}", kind.code()),
            EventKind::StatusChanged { .. } => "only an admin may set a status directly".into(),
            EventKind::Closed { .. } if current.is_some_and(|c| c.severity == Severity::Major) => {
                "a major (重大) complaint is closed by a supervisor".into()
            }
            _ => format!("a {} may not record {}", role.code(), kind.code()),
        }
    }

    /// Handlers act only on complaints currently dispatched to their own department (notes aside).
    fn check_department(&self, current: Option<&Complaint>, kind: &EventKind) -> Option<String> {
        if self.user.role != Role::Handler || matches!(kind, EventKind::NoteAdded { .. }) {
            return None;
        }
        let mine = self.user.department.as_deref();
        let theirs = current.and_then(|c| c.department.as_deref());
        if mine.is_some() && mine == theirs {
            return None;
        }
        Some(format!(
            "this complaint is not dispatched to your department ({}); it is with {}",
            mine.unwrap_or("none"),
            theirs.unwrap_or("no department"),
        ))
    }

    /// A `custom.<slug>` category must be one the complaint's site added.
    fn check_category(&self, ev: &Event, current: Option<&Complaint>) -> Option<PushResult> {
        let (category, named_site) = match &ev.kind {
            EventKind::Created(new) => (Some(&new.category), new.site.as_str()),
            EventKind::Edited(patch) => (
                patch.category.as_ref(),
                current.map_or("", |c| c.site.as_str()),
            ),
            _ => (None, ""),
        };
        let category = category.filter(|c| is_custom_category_code(c))?;
        let site = resolve_site(named_site, &self.sites, &self.default_site);
        if self
            .categories
            .get(site)
            .is_some_and(|codes| codes.contains(category))
        {
            return None;
        }
        Some(rejected(
            "unknown_category",
            format!("site {site} has no category {category}"),
        ))
    }
}

/// The rules for imported events: each is checked as its author's own push would have been
/// (they keep their author); events by someone who is no user here are rejected.
#[derive(Clone, Debug)]
pub struct AuthorRules {
    by_author: HashMap<String, PushRules>,
}

impl AuthorRules {
    pub fn new(authors: Vec<UserInfo>, sites: &[SiteInfo], default_site: &str) -> AuthorRules {
        AuthorRules {
            by_author: authors
                .into_iter()
                .map(|u| (u.username.clone(), PushRules::new(u, sites, default_site)))
                .collect(),
        }
    }
}

impl PushGate for AuthorRules {
    fn check(&self, ev: &Event, current: Option<&Complaint>) -> Option<PushResult> {
        match self.by_author.get(&ev.author) {
            Some(rules) => rules.check(ev, current),
            None => Some(rejected(
                "author_mismatch",
                format!("the author {:?} is no user of this server", ev.author),
            )),
        }
    }
}

impl PushGate for PushRules {
    fn check(&self, ev: &Event, current: Option<&Complaint>) -> Option<PushResult> {
        if may(self.user.role, current, &ev.kind).is_err() {
            return Some(rejected(
                "forbidden",
                self.forbidden_message(current, &ev.kind),
            ));
        }
        if let Some(message) = self.check_department(current, &ev.kind) {
            return Some(rejected("forbidden", message));
        }
        self.check_category(ev, current)
    }
}
