//! Push rules that need the complaint's current state: sites, roles, handler departments, one
//! `created` per complaint, merge targets, site categories. Illegal transitions are NOT rejected:
//! offline devices may conflict, and the fold keeps the loser visible as a conflict. Only
//! who-may-do-what (and what would rewrite history) rejects.

use crate::store::{resolve_site, BatchStates, PushGate};
use siteline_model::access;
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
            EventKind::Closed { .. } | EventKind::Withdrawn { .. } | EventKind::Merged { .. }
                if current.is_some_and(|c| c.severity == Severity::Major) =>
            {
                format!(
                    "a major (重大) complaint is {} by a supervisor",
                    match kind {
                        EventKind::Closed { .. } => "closed",
                        EventKind::Withdrawn { .. } => "withdrawn",
                        _ => "merged",
                    }
                )
            }
            EventKind::Edited(_) => {
                "the severity of an escalated complaint is lowered by a supervisor".into()
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
    /// The importer's own rules: an import does nothing the importer could not do.
    importer: Option<PushRules>,
}

impl AuthorRules {
    pub fn new(
        authors: Vec<UserInfo>,
        importer: Option<UserInfo>,
        sites: &[SiteInfo],
        default_site: &str,
    ) -> AuthorRules {
        AuthorRules {
            by_author: authors
                .into_iter()
                .map(|u| (u.username.clone(), PushRules::new(u, sites, default_site)))
                .collect(),
            importer: importer.map(|u| PushRules::new(u, sites, default_site)),
        }
    }
}

impl PushGate for AuthorRules {
    fn check(&self, ev: &Event, states: &BatchStates) -> Option<PushResult> {
        match self.by_author.get(&ev.author) {
            // What the author could not push, and what the importer could not, is refused.
            Some(rules) => rules
                .check(ev, states)
                .or_else(|| self.importer.as_ref()?.check(ev, states)),
            None => Some(rejected(
                "author_mismatch",
                format!("the author {:?} is no user of this server", ev.author),
            )),
        }
    }
}

impl PushRules {
    /// The resolved site of a complaint.
    fn site_of<'a>(&'a self, named: &'a str) -> &'a str {
        resolve_site(named, &self.sites, &self.default_site)
    }

    /// Site membership, one `created`, known complaints and merge targets.
    fn check_scope(&self, ev: &Event, states: &BatchStates) -> Option<PushResult> {
        let current = states.state(ev.complaint_id);
        match (&ev.kind, current) {
            (EventKind::Created(_), Some(_)) => {
                return Some(rejected(
                    "duplicate_created",
                    "this complaint was already created; a complaint has one created event".into(),
                ))
            }
            (EventKind::Created(new), None) => {
                let site = self.site_of(&new.site);
                if !access::belongs_to(&self.user, site) {
                    return Some(rejected(
                        "forbidden",
                        format!("you do not work at site {site}"),
                    ));
                }
                return None;
            }
            (_, None) => {
                return Some(rejected(
                    "unknown_complaint",
                    "no complaint with this id (its created event must come first)".into(),
                ))
            }
            (_, Some(c)) => {
                let site = self.site_of(&c.site);
                if !access::belongs_to(&self.user, site) {
                    return Some(rejected(
                        "forbidden",
                        format!("you do not work at site {site}"),
                    ));
                }
                if !access::may_read(&self.user, site, c) {
                    return Some(rejected(
                        "forbidden",
                        "this complaint was never dispatched to your department".into(),
                    ));
                }
            }
        }
        if let EventKind::Merged { into } = &ev.kind {
            let visible = states
                .state(*into)
                .is_some_and(|t| access::may_read(&self.user, self.site_of(&t.site), t));
            if !visible {
                return Some(rejected(
                    "unknown_merge_target",
                    format!("no complaint {into} you may see to merge into"),
                ));
            }
        }
        None
    }
}

impl PushGate for PushRules {
    fn check(&self, ev: &Event, states: &BatchStates) -> Option<PushResult> {
        if let Some(r) = self.check_scope(ev, states) {
            return Some(r);
        }
        let current = states.state(ev.complaint_id);
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
