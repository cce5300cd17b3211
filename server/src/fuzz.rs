//! The push pipeline without storage, for fuzzing: decode a push body, run the stateless checks
//! and the gate against in-memory states, fold what is accepted in commit order, and check the
//! invariants that must hold whatever arrives. Driven by `fuzz/` (cargo fuzz) and by a proptest
//! in the normal suite.

use crate::http::auth::AuthUser;
use crate::http::sync::{check_event, Source};
use crate::rules::PushRules;
use crate::store::{BatchStates, PushGate};
use siteline_model::api::{SiteInfo, UserInfo};
use siteline_model::sync::{PushRequest, PushResult};
use siteline_model::{fold_in_order, ComplaintId, Event, Role, Timestamp};
use std::collections::HashMap;

/// A fixed receipt time for the pipeline (capture times are checked against it).
pub const NOW: Timestamp = Timestamp(1_796_000_000_000);

/// The caller pushing: a staff member of site `SL`.
fn caller() -> AuthUser {
    AuthUser {
        id: 1,
        info: UserInfo {
            username: "staff1".into(),
            display_name: "张三".into(),
            role: Role::Staff,
            department: None,
            sites: vec!["SL".into()],
            disabled: false,
        },
        token_hash: String::new(),
    }
}

fn sites() -> Vec<SiteInfo> {
    ["SL", "B"]
        .into_iter()
        .map(|code| SiteInfo {
            code: code.into(),
            name: code.into(),
            locations: Vec::new(),
            policy: Default::default(),
            hours: Default::default(),
            days: Vec::new(),
            categories: Vec::new(),
            people: Vec::new(),
            replies: Vec::new(),
        })
        .collect()
}

/// Runs one push body through decode, checks, gate and fold; answers how many events were
/// accepted. Panics only when an invariant breaks (that is what a fuzzer looks for).
pub fn push_pipeline(data: &[u8]) -> usize {
    let Ok(req) = serde_json::from_slice::<PushRequest>(data) else {
        return 0;
    };
    let user = caller();
    let rules = PushRules::new(user.info.clone(), &sites(), "SL");
    let mut states = BatchStates::default();
    let mut log: HashMap<ComplaintId, Vec<Event>> = HashMap::new();
    let mut accepted = 0;
    let mut seen = std::collections::HashSet::new();
    for ev in req.events.iter().take(siteline_model::sync::MAX_PUSH) {
        // The same id twice in one push is stored once (the store answers the copy like it).
        if !seen.insert(ev.id) {
            continue;
        }
        if !states.is_loaded(ev.complaint_id) {
            states.load(ev.complaint_id, Vec::new());
        }
        let verdict = check_event(ev, &user, Source::Push, NOW, 60 * 86_400_000)
            .or_else(|| rules.check(ev, &states));
        match verdict {
            Some(PushResult::Rejected { code, message }) => {
                assert!(
                    !code.is_empty() && !message.is_empty(),
                    "a refusal explains itself"
                );
            }
            Some(PushResult::Accepted { .. }) => panic!("the gate only refuses"),
            None => {
                let before = states.state(ev.complaint_id).cloned();
                states.accept(ev);
                accepted += 1;
                let evs = log.entry(ev.complaint_id).or_default();
                evs.push(ev.clone());
                let after = states.state(ev.complaint_id);
                // The batch state is the commit-order fold of what was accepted.
                assert_eq!(after, fold_in_order(evs.iter()).as_ref());
                // An accepted event never rewrites what came before it: the complaint exists,
                // and its event count grows by exactly one.
                let after = after.expect("an accepted event has a complaint");
                let had = before.map_or(0, |b| b.event_count);
                assert_eq!(after.event_count, had + 1);
                assert_eq!(
                    after.created_by, evs[0].author,
                    "one created, never replaced"
                );
            }
        }
    }
    accepted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_valid_bodies_pass_through() {
        assert_eq!(push_pipeline(b"not json"), 0);
        assert_eq!(push_pipeline(br#"{"schema_version":2,"events":[]}"#), 0);
    }
}
