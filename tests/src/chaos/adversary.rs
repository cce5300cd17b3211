//! Adversarial devices in the chaos run: an insider (a staff account of the honest site) and an
//! outsider (staff of another site) push forged events while the server is being killed —
//! second `created`s, forged authors, clocks out of range, nil ids, replayed ids with other
//! content, withdrawals of closed complaints, events and creations for a site not theirs — and
//! probe the honest site's data. Every forged event must be refused (a replayed id answered with
//! its original receipt only), and the outsider must read nothing of the honest site.

use super::client::{Api, CallError};
use super::device::{now, User};
use super::rng::Rng;
use super::sync::{lock, SharedDevice};
use siteline_model::replica::SyncState;
use siteline_model::sync::PushResult;
use siteline_model::{
    ComplaintId, DeviceId, Event, EventId, EventKind, NewComplaint, Status, Timestamp,
};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::Arc;
use std::time::Duration;

/// The forgeries, each tried again and again.
pub const ATTACKS: [&str; 9] = [
    "second_created",
    "forged_author",
    "future_clock",
    "ancient_clock",
    "nil_ids",
    "replayed_id",
    "withdraw_closed",
    "outsider_event",
    "outsider_created",
];

/// The refusal codes that answer an attack (anything else means a rule is missing or wrong).
fn refusal_fits(attack: &str, code: &str) -> bool {
    let fits: &[&str] = match attack {
        "second_created" => &["duplicate_created"],
        "forged_author" => &["author_mismatch"],
        "future_clock" | "ancient_clock" => &["clock_out_of_range"],
        "nil_ids" => &["validation"],
        // The id is taken by another event: refused, or answered with the original receipt.
        "replayed_id" => &["id_conflict"],
        // A closed complaint cannot be withdrawn; a closed 重大 one not by staff either.
        "withdraw_closed" => &["invalid_transition", "forbidden"],
        // Another site's complaint is not there for the outsider at all.
        "outsider_event" => &["unknown_complaint", "forbidden"],
        "outsider_created" => &["forbidden"],
        _ => &[],
    };
    fits.contains(&code)
}

/// What the adversaries did and what they were answered.
#[derive(Debug, Default)]
pub struct AdversaryLog {
    /// Forged events answered, by attack: (harmlessly — refused, or void —, accepted).
    pub answered: BTreeMap<&'static str, (usize, usize)>,
    /// Forged withdrawals of closed complaints the server stored (or may have stored: the answer
    /// was lost) as void conflicts (offline work is never dropped): the event and its complaint,
    /// which must still be closed at the end.
    pub void: Vec<(EventId, ComplaintId)>,
    /// Forged pushes that got no answer (the server was down or killed).
    pub unanswered: usize,
    /// Outsider pulls and probes made, and what they revealed (should stay empty).
    pub probes: usize,
    pub leaks: Vec<String>,
    /// Accepted forgeries (should stay empty).
    pub breaches: Vec<String>,
}

pub struct Adversary {
    pub insider: User,
    pub outsider: User,
    /// The honest site's code (the outsider's creations name it).
    pub site: String,
    device: DeviceId,
    rng: Rng,
    lamport: u64,
    pub log: AdversaryLog,
}

/// An honest complaint the adversaries aim at: its status and one of its events on the server.
struct Victim {
    id: ComplaintId,
    status: Status,
    synced: Option<(Event, u64)>,
    author: String,
}

impl Adversary {
    pub fn new(insider: User, outsider: User, site: String, seed: u64) -> Adversary {
        let mut rng = Rng::new(seed, 20_000);
        let device = DeviceId::new_v7(now().0, rng.bytes10());
        Adversary {
            insider,
            outsider,
            site,
            device,
            rng,
            lamport: 0,
            log: AdversaryLog::default(),
        }
    }

    /// Attacks until `stop`, paced like a device; then once more each, with the server up.
    pub async fn run(
        mut self,
        honest: Vec<SharedDevice>,
        api: Api,
        stop: Arc<AtomicBool>,
    ) -> Adversary {
        while !stop.load(SeqCst) {
            let attack = self.rng.pick(&ATTACKS).copied().unwrap_or(ATTACKS[0]);
            let _had_target = self.attack(attack, &honest, &api).await;
            self.probe(&honest, &api).await;
            tokio::time::sleep(Duration::from_millis(self.rng.range((20, 120)))).await;
        }
        self
    }

    /// Every attack once (the server is up), so each one is answered at least once per run;
    /// answers the attacks that had no target (no closed complaint yet, say).
    pub async fn final_round(&mut self, honest: &[SharedDevice], api: &Api) -> Vec<&'static str> {
        let mut untried = Vec::new();
        for attack in ATTACKS {
            if !self.attack(attack, honest, api).await {
                untried.push(attack);
            }
        }
        self.probe(honest, api).await;
        untried
    }

    fn victim(&mut self, honest: &[SharedDevice], want_closed: bool) -> Option<Victim> {
        let dev = self.rng.pick(honest)?.clone();
        let d = lock(&dev);
        let candidates: Vec<ComplaintId> = d
            .replica
            .complaints()
            .filter(|c| d.replica.received_at(&c.id).is_some())
            // Closed as the server holds it: nothing of it pending here (a closure is final).
            .filter(|c| {
                !want_closed || (c.status == Status::Closed && !d.replica.has_pending(&c.id))
            })
            .map(|c| c.id)
            .collect();
        let id = *self.rng.pick(&candidates)?;
        let c = d.replica.complaint(&id)?;
        let synced = d
            .replica
            .events_of(&id)
            .into_iter()
            .find_map(|s| match s.sync {
                SyncState::Synced { seq, .. } => Some((s.event.clone(), seq)),
                _ => None,
            });
        Some(Victim {
            id,
            status: c.status,
            synced,
            author: d.users.first().map(|u| u.name.clone()).unwrap_or_default(),
        })
    }

    fn event(&mut self, complaint: ComplaintId, author: &str, kind: EventKind) -> Event {
        self.lamport += 1;
        let at = now();
        Event {
            id: EventId::new_v7(at.0, self.rng.bytes10()),
            complaint_id: complaint,
            device_id: self.device,
            author: author.to_string(),
            captured_at: at,
            lamport: self.lamport,
            kind,
        }
    }

    fn note(&mut self, complaint: ComplaintId, author: &str) -> Event {
        let kind = EventKind::NoteAdded {
            text: "forged".into(),
        };
        self.event(complaint, author, kind)
    }

    /// Makes and pushes one forgery; answers whether it had a target.
    async fn attack(&mut self, attack: &'static str, honest: &[SharedDevice], api: &Api) -> bool {
        let Some(v) = self.victim(honest, attack == "withdraw_closed") else {
            return false;
        };
        let insider = self.insider.name.clone();
        let outsider = self.outsider.name.clone();
        let (inside, outside) = (self.insider.token.clone(), self.outsider.token.clone());
        let mut replay_of = None;
        let (token, event) = match attack {
            "second_created" => {
                let kind = EventKind::Created(Box::new(NewComplaint {
                    provisional_number: "X-0001".into(),
                    description: "第二次创建".into(),
                    location: "B1".into(),
                    category: "facility.water".into(),
                    ..Default::default()
                }));
                (&inside, self.event(v.id, &insider, kind))
            }
            "forged_author" => (&inside, self.note(v.id, &v.author)),
            "future_clock" | "ancient_clock" => {
                let mut e = self.note(v.id, &insider);
                let day = 86_400_000;
                e.captured_at = Timestamp(if attack == "future_clock" {
                    now().0 + 3_600_000
                } else {
                    now().0 - 61 * day
                });
                (&inside, e)
            }
            "nil_ids" => {
                let mut e = self.note(v.id, &insider);
                e.id = EventId(uuid::Uuid::nil());
                (&inside, e)
            }
            "replayed_id" => {
                let Some((original, seq)) = v.synced else {
                    return false;
                };
                replay_of = Some(seq);
                let mut e = self.note(v.id, &insider);
                e.id = original.id;
                (&inside, e)
            }
            "withdraw_closed" => {
                debug_assert_eq!(v.status, Status::Closed);
                let kind = EventKind::Withdrawn {
                    reason: "伪造撤诉".into(),
                    voluntary: true,
                };
                let mut e = self.event(v.id, &insider, kind);
                e.lamport = 0;
                (&inside, e)
            }
            "outsider_event" => (&outside, self.note(v.id, &outsider)),
            _ => {
                let kind = EventKind::Created(Box::new(NewComplaint {
                    provisional_number: "X-0002".into(),
                    description: "外场伪造".into(),
                    location: "B1".into(),
                    category: "facility.water".into(),
                    site: self.site.clone(),
                    ..Default::default()
                }));
                let id = ComplaintId::new_v7(now().0, self.rng.bytes10());
                (&outside, self.event(id, &outsider, kind))
            }
        };
        let token = token.clone();
        let sent = event.id;
        match api.push(&token, vec![event]).await {
            Ok(answer) => {
                let entry = self.log.answered.entry(attack).or_default();
                for o in answer.results.iter().filter(|o| o.id == sent) {
                    match &o.result {
                        PushResult::Rejected { code, .. } if refusal_fits(attack, code) => {
                            entry.0 += 1
                        }
                        PushResult::Rejected { code, message } => {
                            entry.0 += 1;
                            self.log.breaches.push(format!(
                                "{attack}: refused for another reason: {code} ({message})"
                            ));
                        }
                        PushResult::Accepted { seq, .. } if replay_of == Some(*seq) => {
                            // Idempotent by id: the original receipt, the original event.
                            entry.0 += 1;
                        }
                        PushResult::Accepted { .. } if attack == "withdraw_closed" => {
                            // Kept as a conflict that changes nothing: checked at the end.
                            entry.0 += 1;
                            self.log.void.push((sent, v.id));
                        }
                        PushResult::Accepted { seq, .. } => {
                            entry.1 += 1;
                            self.log
                                .breaches
                                .push(format!("{attack}: event {sent} accepted as seq {seq}"));
                        }
                    }
                }
            }
            Err(CallError::Down { .. }) => {
                self.log.unanswered += 1;
                // The answer was lost, not necessarily the event: a withdrawal of a closed
                // complaint may have been stored as a void conflict (checked like answered ones);
                // any other forgery found on the server is still a breach.
                if attack == "withdraw_closed" {
                    self.log.void.push((sent, v.id));
                }
            }
            Err(e) => self.log.breaches.push(format!("{attack}: {e}")),
        }
        true
    }

    /// After the final sync: every complaint a void withdrawal aimed at is still closed on
    /// every device that holds it (the devices fold to the server's states, checked apart).
    pub fn check_void(&mut self, honest: &[SharedDevice]) {
        for (event, id) in &self.log.void {
            for dev in honest {
                let d = lock(dev);
                if let Some(c) = d.replica.complaint(id) {
                    if c.status != Status::Closed {
                        self.log.breaches.push(format!(
                            "withdraw_closed: event {event} made complaint {id} {:?}",
                            c.status
                        ));
                    }
                }
            }
        }
    }

    /// The outsider pulls from 0 and asks for an honest complaint: nothing may come back.
    async fn probe(&mut self, honest: &[SharedDevice], api: &Api) {
        let Some(v) = self.victim(honest, false) else {
            return;
        };
        let token = self.outsider.token.clone();
        if let Ok(page) = api.pull(&token, 0, 500).await {
            self.log.probes += 1;
            if let Some(e) = page.events.first() {
                self.log.leaks.push(format!(
                    "the outsider pulled {} events, e.g. {} of complaint {}",
                    page.events.len(),
                    e.event.id,
                    e.event.complaint_id
                ));
            }
        }
        let path = format!("/api/v1/complaints/{}", v.id);
        match api.status_of(&token, &path).await {
            Ok(404) => self.log.probes += 1,
            Ok(status) => self
                .log
                .leaks
                .push(format!("the outsider's GET {path} answered {status}")),
            Err(_) => {} // the server was down
        }
    }
}
