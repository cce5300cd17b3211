//! Adversarial clients, by seeded random streams: forged clocks and authors, nil and replayed
//! ids, second `created`s, severity edits after escalation, events for other sites. Whatever
//! they send, an accepted event's effect never changes afterwards, another site's data never
//! reaches them, and the server's states are the fold of its events in commit order.

use crate::common::*;
use reqwest::Method;
use serde_json::{json, Value};
use siteline_model::sync::{PushResult, SyncedEvent};
use siteline_model::{
    fold_in_order, Complaint, ComplaintId, ComplaintPatch, Event, EventId, EventKind, Severity,
};
use std::collections::BTreeMap;

/// xorshift64*: reproducible streams from a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn bytes(&mut self) -> [u8; 10] {
        let mut b = [0u8; 10];
        b[..8].copy_from_slice(&self.next().to_be_bytes());
        b[8..].copy_from_slice(&(self.next() as u16).to_be_bytes());
        b
    }
}

fn fresh_id(rng: &mut Rng, at: i64) -> EventId {
    EventId::new_v7(at, rng.bytes())
}

/// The states of every complaint after each of its events, in commit order (by event id).
fn effects(events: &[SyncedEvent]) -> BTreeMap<EventId, Complaint> {
    let mut sorted: Vec<&SyncedEvent> = events.iter().collect();
    sorted.sort_by_key(|e| e.seq);
    let mut by: BTreeMap<ComplaintId, Vec<&Event>> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for se in sorted {
        let evs = by.entry(se.event.complaint_id).or_default();
        evs.push(&se.event);
        if let Some(state) = fold_in_order(evs.iter().copied()) {
            out.insert(se.event.id, state);
        }
    }
    out
}

async fn one_run(seed: u64) {
    let mut rng = Rng(seed | 1);
    let s = start().await;
    let admin = s.admin().await;
    let (status, _) = s
        .send(
            Method::POST,
            &admin,
            "/api/v1/sites",
            Some(&json!({ "code": "B", "name": "二期" })),
        )
        .await;
    assert_eq!(status, 201);
    let honest = s.user_at("honest", "staff", None, &["SL"]).await;
    let sup = s.user_at("sup", "supervisor", None, &["SL"]).await;
    let mallory = s.user_at("mallory", "staff", None, &["SL"]).await;
    let outsider = s.user_at("outsider", "staff", None, &["B"]).await;
    let d = device();
    let now = s.state.clock.now().millis();
    let mut complaints: Vec<Event> = Vec::new();
    let mut accepted: Vec<Event> = Vec::new();
    let mut lamport = 10u64;
    for step in 0..30 {
        let at = siteline_model::Timestamp(now - 3_600_000 + step * 1000);
        let op = if complaints.is_empty() {
            0
        } else {
            rng.below(9)
        };
        let target = (!complaints.is_empty())
            .then(|| complaints[rng.below(complaints.len() as u64) as usize].clone());
        lamport += 1;
        let (token, ev, must_refuse): (&str, Event, Option<&str>) = match (op, &target) {
            (0, _) | (_, None) => {
                // Honest: a new complaint (same phone each time: the server escalates repeats).
                let mut c = created("honest", d, "漏水", at);
                c.id = fresh_id(&mut rng, at.millis());
                c.complaint_id = ComplaintId::new_v7(at.millis(), rng.bytes());
                complaints.push(c.clone());
                (&honest, c, None)
            }
            (1, Some(c)) => (
                &honest,
                then(
                    c,
                    d,
                    "honest",
                    lamport,
                    1,
                    EventKind::NoteAdded {
                        text: format!("跟进 {step}"),
                    },
                ),
                None,
            ),
            (2, Some(c)) => {
                // Mallory back-dates an action: allowed or not, it can only come after what is there.
                let kind = if rng.below(2) == 0 {
                    EventKind::Withdrawn {
                        reason: "改写".into(),
                        voluntary: true,
                    }
                } else {
                    EventKind::Edited(Box::new(ComplaintPatch {
                        description: Some("改写的描述".into()),
                        ..Default::default()
                    }))
                };
                (&mallory, then(c, device(), "mallory", 0, 0, kind), None)
            }
            (3, Some(c)) => {
                let mut again = created("mallory", d, "第二个 created", at);
                again.complaint_id = c.complaint_id;
                again.lamport = 0;
                (&mallory, again, Some("duplicate_created"))
            }
            (4, Some(c)) => (
                &outsider,
                then(
                    c,
                    device(),
                    "outsider",
                    lamport,
                    1,
                    EventKind::NoteAdded {
                        text: "越界".into(),
                    },
                ),
                Some("forbidden"),
            ),
            (5, Some(c)) => {
                let mut forged = then(
                    c,
                    d,
                    "honest",
                    lamport,
                    1,
                    EventKind::NoteAdded {
                        text: "冒名".into(),
                    },
                );
                forged.author = "honest".into();
                (&mallory, forged, Some("author_mismatch"))
            }
            (6, Some(c)) => {
                let mut nil = then(
                    c,
                    d,
                    "mallory",
                    lamport,
                    1,
                    EventKind::NoteAdded { text: "空".into() },
                );
                nil.id = EventId(uuid::Uuid::nil());
                (&mallory, nil, Some("validation"))
            }
            (7, Some(_)) if !accepted.is_empty() => {
                // Replay an accepted id with other content.
                let mut replay = accepted[rng.below(accepted.len() as u64) as usize].clone();
                replay.kind = EventKind::NoteAdded {
                    text: "重放".into(),
                };
                // Refused (as someone else's event, or as an id with other content).
                (&mallory, replay, Some("*"))
            }
            (_, Some(c)) => {
                // Lowering the severity of an escalated complaint is not the desk's to do.
                let edit = EventKind::Edited(Box::new(ComplaintPatch {
                    severity: Some(Severity::Minor),
                    ..Default::default()
                }));
                (
                    &mallory,
                    then(c, device(), "mallory", lamport, 1, edit),
                    None,
                )
            }
        };
        let r = s.push(token, std::slice::from_ref(&ev)).await;
        let result = &r.results[0].result;
        match must_refuse {
            Some("*") => assert!(
                rejection(result).is_some(),
                "seed {seed} step {step}: {ev:?}"
            ),
            Some(code) => {
                assert_eq!(
                    rejection(result),
                    Some(code),
                    "seed {seed} step {step}: {ev:?}"
                )
            }
            None => {}
        }
        if matches!(result, PushResult::Accepted { .. }) {
            accepted.push(ev.clone());
        }
        // The outsider never reads site SL: not by pull, list or detail.
        if step % 10 == 9 {
            let page = s.pull(&outsider, 0, 5000).await;
            assert!(
                page.events.iter().all(|e| !complaints
                    .iter()
                    .any(|c| c.complaint_id == e.event.complaint_id)),
                "seed {seed}: leak by pull"
            );
            assert!(
                s.list_ids(&outsider, "").await.is_empty(),
                "seed {seed}: leak by list"
            );
            let (status, _) = s
                .get(
                    &outsider,
                    &format!("/api/v1/complaints/{}", ev.complaint_id),
                )
                .await;
            assert_eq!(status, 404, "seed {seed}: leak by detail");
        }
    }
    // The effect of every accepted event, computed again at the end from the whole log, is what
    // the server's projection showed; and every state is the fold of its events in commit order.
    let log = s.pull_all(&sup, 5000).await;
    let after = effects(&log);
    for c in &complaints {
        let detail = s.detail(&sup, c.complaint_id).await;
        let last = log
            .iter()
            .filter(|e| e.event.complaint_id == c.complaint_id)
            .max_by_key(|e| e.seq)
            .expect("has events");
        let want: Value = serde_json::to_value(&after[&last.event.id]).expect("json");
        assert_eq!(
            detail["state"], want,
            "seed {seed}: projection is the fold in commit order"
        );
        // Nobody but a supervisor lowered an escalated severity.
        let state = &after[&last.event.id];
        if !state.escalations.is_empty() {
            assert_ne!(
                state.severity,
                Severity::Minor,
                "seed {seed}: escalation undone"
            );
        }
    }
    // An accepted event's effect is fixed once committed: the prefix folds never change.
    let mut replayed = log.clone();
    replayed.sort_by_key(|e| e.seq);
    for n in 1..=replayed.len() {
        let prefix = effects(&replayed[..n]);
        let id = replayed[n - 1].event.id;
        if let Some(state) = prefix.get(&id) {
            assert_eq!(
                Some(state),
                after.get(&id),
                "seed {seed}: a later event changed an earlier effect"
            );
        }
    }
}

#[tokio::test]
async fn adversarial_clients_never_rewrite_accepted_effects_or_read_other_sites() {
    for seed in [1u64, 7, 42, 1234, 99_991, 0x5173_e11e] {
        one_run(seed).await;
    }
}
