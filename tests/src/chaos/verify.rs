//! Final checks: every event once, unique numbers, identical folds on every device and the server.

use super::client::Api;
use super::device::Device;
use super::outbox::Rejection;
use serde_json::Value;
use sha2::{Digest, Sha256};
use siteline_model::api::ComplaintDetail;
use siteline_model::replica::SyncState;
use siteline_model::sync::{SyncedEvent, MAX_PULL};
use siteline_model::workflow::may;
use siteline_model::{
    fold_in_order, Complaint, ComplaintId, DeviceId, Event, EventId, EventKind, Role,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Problems listed in full; beyond this only counted.
const MAX_LISTED: usize = 30;

/// What the checks found.
#[derive(Debug, Default)]
pub struct Verdict {
    pub server_events: usize,
    pub numbers: usize,
    pub escalations: usize,
    pub complaints: usize,
    /// Complaint states compared (devices x complaints, plus the server's projection).
    pub states_compared: usize,
    /// Events carried by pushes a kill cut, and how many of them the server had stored before
    /// the kill (committed, answer lost: the device pushed them again and got the same receipt).
    pub cut_push_events: usize,
    pub stored_before_kill: usize,
    /// Actions the fold kept as conflicts (concurrent offline actions that lost).
    pub conflicts: usize,
    /// Refusals the rules call for (e.g. a handler's action on a complaint another device had
    /// meanwhile transferred to another department).
    pub rightful_rejections: usize,
    pub problems: Vec<String>,
    pub unlisted_problems: usize,
}

impl Verdict {
    fn problem(&mut self, p: String) {
        if self.problems.len() < MAX_LISTED {
            self.problems.push(p);
        } else {
            self.unlisted_problems += 1;
        }
    }
}

/// SHA-256 of the canonical JSON of a complaint state (hex, first 16 digits are plenty).
/// Notes are left out: a device's replica keeps its states without them (its timeline reads the
/// events, which are compared one by one).
pub fn state_hash(c: &Complaint) -> String {
    let mut c = c.clone();
    c.notes.clear();
    let bytes = serde_json::to_vec(&c).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Every event on the server, from cursor 0.
pub async fn pull_all(api: &Api, token: &str) -> Result<Vec<SyncedEvent>, String> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = api
            .pull(token, after, MAX_PULL)
            .await
            .map_err(|e| format!("pull everything (after {after}): {e}"))?;
        out.extend(page.events);
        if !page.has_more || page.next_cursor == after {
            return Ok(out);
        }
        after = page.next_cursor;
    }
}

/// Runs every check. `kill_times` are the kills' wall-clock times (unix ms), in order.
pub async fn verify(
    api: &Api,
    token: &str,
    devices: &[&Device],
    kill_times: &[i64],
    forged: &BTreeSet<EventId>,
) -> Result<Verdict, String> {
    let mut v = Verdict::default();
    let server = pull_all(api, token).await?;
    v.server_events = server.len();

    // (1) Every event exactly once, unchanged; nothing unknown but the server's own events.
    let mut by_id: HashMap<EventId, &SyncedEvent> = HashMap::new();
    let mut last_seq = 0;
    for se in &server {
        if se.seq <= last_seq {
            v.problem(format!("pull order: seq {} after {last_seq}", se.seq));
        }
        last_seq = se.seq;
        if let Some(first) = by_id.insert(se.event.id, se) {
            v.problem(format!(
                "event {} stored twice (seq {} and {})",
                se.event.id, first.seq, se.seq
            ));
        }
    }
    // Forgeries the server stored as void conflicts are known too (checked by the adversary).
    let mut written: BTreeSet<EventId> = forged.clone();
    for d in devices {
        for (id, ev) in &d.written {
            written.insert(*id);
            let stored = by_id.get(id);
            if d.discarded.contains(id) {
                if stored.is_some() {
                    v.problem(format!(
                        "device {}: refused event {id} is on the server",
                        d.index
                    ));
                }
                continue;
            }
            match stored {
                None => v.problem(format!(
                    "device {}: event {id} ({}) lost",
                    d.index,
                    ev.kind.code()
                )),
                Some(se) if se.event != *ev => v.problem(format!(
                    "device {}: event {id} stored with different content",
                    d.index
                )),
                Some(_) => {}
            }
        }
    }
    for se in server.iter().filter(|se| !written.contains(&se.event.id)) {
        if !se.event.kind.is_server_only() || se.event.device_id != DeviceId::SERVER {
            v.problem(format!(
                "unknown event {} ({}) by {} on the server",
                se.event.id,
                se.event.kind.code(),
                se.event.author
            ));
        }
    }

    for d in devices {
        for user in &d.tokens_refused {
            v.problem(format!(
                "device {}: the server refused {user}'s token",
                d.index
            ));
        }
        for (kill, ids) in &d.cut_pushes {
            let killed_at = usize::try_from(*kill)
                .ok()
                .and_then(|k| k.checked_sub(1))
                .and_then(|k| kill_times.get(k));
            for id in ids {
                v.cut_push_events += 1;
                let stored_at = by_id.get(id).map(|se| se.received_at.0);
                if let (Some(at), Some(killed)) = (stored_at, killed_at) {
                    if at <= *killed {
                        v.stored_before_kill += 1;
                    }
                }
            }
        }
    }

    // (3) Canonical numbers: one per complaint, unique.
    let mut numbers: BTreeMap<ComplaintId, Vec<String>> = BTreeMap::new();
    let mut owner: HashMap<String, ComplaintId> = HashMap::new();
    for se in &server {
        match &se.event.kind {
            EventKind::NumberAssigned { number } => {
                v.numbers += 1;
                numbers
                    .entry(se.event.complaint_id)
                    .or_default()
                    .push(number.clone());
                if let Some(other) = owner.insert(number.clone(), se.event.complaint_id) {
                    v.problem(format!(
                        "number {number} given to {other} and {}",
                        se.event.complaint_id
                    ));
                }
            }
            EventKind::Escalated { .. } => v.escalations += 1,
            _ => {}
        }
    }

    // (2) States: model fold of the server's events, the server's projection, every device.
    // In the server's commit order (seq), the order of record.
    let mut by_complaint: BTreeMap<ComplaintId, Vec<&Event>> = BTreeMap::new();
    let mut in_seq: Vec<&SyncedEvent> = server.iter().collect();
    in_seq.sort_by_key(|se| se.seq);
    for se in in_seq {
        by_complaint
            .entry(se.event.complaint_id)
            .or_default()
            .push(&se.event);
    }
    let folded: BTreeMap<ComplaintId, Complaint> = by_complaint
        .into_iter()
        .filter_map(|(id, evs)| fold_in_order(evs).map(|c| (id, c)))
        .collect();
    v.complaints = folded.len();
    let mut hashes: BTreeMap<ComplaintId, String> = BTreeMap::new();
    for (id, c) in &folded {
        v.conflicts += c.conflicts.len();
        match numbers.get(id).map(Vec::as_slice) {
            Some([n]) if c.number.as_ref() == Some(n) => {}
            other => v.problem(format!(
                "complaint {id}: numbers {other:?}, state {:?}",
                c.number
            )),
        }
        let hash = state_hash(c);
        let detail: ComplaintDetail = api
            .get(token, &format!("/api/v1/complaints/{id}"))
            .await
            .map_err(|e| format!("GET complaint {id}: {e}"))?;
        v.states_compared += 1;
        let served = state_hash(&detail.state);
        if served != hash {
            v.problem(format!(
                "complaint {id}: server projection {served} != fold of its events {hash}"
            ));
        }
        hashes.insert(*id, hash);
    }
    for id in numbers.keys().filter(|id| !folded.contains_key(id)) {
        v.problem(format!(
            "number for {id}, which has no creation on the server"
        ));
    }
    let listed: Vec<Value> = api
        .get(token, "/api/v1/complaints?limit=10000")
        .await
        .map_err(|e| format!("GET complaints: {e}"))?;
    if listed.len() != folded.len() {
        v.problem(format!(
            "the register lists {} complaints, the events make {}",
            listed.len(),
            folded.len()
        ));
    }
    for d in devices {
        check_device(&mut v, d, &hashes, &by_id);
    }

    // (4) Refusals: only those the rules call for, on a state the server may have seen.
    let mut per_complaint: HashMap<ComplaintId, Vec<&SyncedEvent>> = HashMap::new();
    for se in &server {
        per_complaint
            .entry(se.event.complaint_id)
            .or_default()
            .push(se);
    }
    for d in devices {
        for r in &d.rejections {
            let history = per_complaint
                .get(&r.event.complaint_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let target_missing = || match &r.event.kind {
                // `merged.into` must be a complaint the server holds (its `created` received
                // before the answer); an offline merge into one still on another tablet waits.
                EventKind::Merged { into } => !per_complaint.get(into).is_some_and(|evs| {
                    evs.iter().any(|se| {
                        matches!(se.event.kind, EventKind::Created(_))
                            && se.received_at <= r.answered
                    })
                }),
                _ => false,
            };
            let rightful = match r.code.as_str() {
                "forbidden" => refused_by_rules(r, history),
                "unknown_merge_target" => target_missing(),
                _ => false,
            };
            if rightful {
                v.rightful_rejections += 1;
            } else {
                v.problem(format!(
                    "device {}: {} by {} refused though the rules allow it: {} ({})",
                    d.index,
                    r.event.kind.code(),
                    r.event.author,
                    r.code,
                    r.message
                ));
            }
        }
    }
    Ok(v)
}

fn check_device(
    v: &mut Verdict,
    d: &Device,
    hashes: &BTreeMap<ComplaintId, String>,
    server: &HashMap<EventId, &SyncedEvent>,
) {
    let r = &d.replica;
    if r.event_count() != server.len() {
        v.problem(format!(
            "device {} holds {} events, the server {}",
            d.index,
            r.event_count(),
            server.len()
        ));
    }
    // Every event synced, with the server's receipt (a re-push answers the first receipt).
    let mut unsynced = 0;
    for id in r.complaint_ids() {
        for s in r.events_of(id) {
            match (&s.sync, server.get(&s.event.id)) {
                (SyncState::Synced { seq, received_at }, Some(se))
                    if *seq == se.seq && *received_at == se.received_at => {}
                (SyncState::Synced { .. }, Some(_)) => v.problem(format!(
                    "device {}: its receipt of event {} differs from the server's",
                    d.index, s.event.id
                )),
                (SyncState::Synced { .. }, None) => v.problem(format!(
                    "device {}: event {} synced but not on the server",
                    d.index, s.event.id
                )),
                _ => unsynced += 1,
            }
        }
    }
    if unsynced > 0 {
        v.problem(format!(
            "device {}: {unsynced} events still unsynced",
            d.index
        ));
    }
    for (id, hash) in hashes {
        v.states_compared += 1;
        match r.complaint(id) {
            None => v.problem(format!("device {}: complaint {id} missing", d.index)),
            Some(c) => {
                let h = state_hash(c);
                if &h != hash {
                    v.problem(format!(
                        "device {}: complaint {id} folds to {h}, the server to {hash}",
                        d.index
                    ));
                }
            }
        }
    }
    for id in r.complaint_ids().filter(|id| !hashes.contains_key(id)) {
        v.problem(format!(
            "device {}: complaint {id} unknown to the server",
            d.index
        ));
    }
}

/// Whether the push rules (the model's `may`, and a handler acts only on complaints dispatched
/// to their department, notes aside, and not at all on one their department never had) refuse
/// `r` on some state the server held while deciding:
/// its stored events before the push was sent, plus any prefix (in seq order) of those stored
/// until it was answered.
pub(super) fn refused_by_rules(r: &Rejection, history: &[&SyncedEvent]) -> bool {
    let refuses = |c: Option<&Complaint>| {
        if may(r.role, c, &r.event.kind).is_err() {
            return true;
        }
        let department = c.and_then(|c| c.department.as_deref());
        // A handler may not even read a complaint their department never had (notes too).
        let never_had = c.is_none_or(|c| {
            !r.department
                .as_deref()
                .is_some_and(|d| c.departments.iter().any(|x| x == d))
        });
        r.role == Role::Handler
            && (never_had
                || (!matches!(r.event.kind, EventKind::NoteAdded { .. })
                    && (r.department.is_none() || department != r.department.as_deref())))
    };
    let before: Vec<&Event> = history
        .iter()
        .filter(|se| se.received_at < r.sent)
        .map(|se| &se.event)
        .collect();
    let during: Vec<&Event> = history
        .iter()
        .filter(|se| se.received_at >= r.sent && se.received_at <= r.answered)
        .map(|se| &se.event)
        .collect();
    (0..=during.len()).any(|n| {
        let state = fold_in_order(before.iter().chain(&during[..n]).copied());
        refuses(state.as_ref())
    })
}
