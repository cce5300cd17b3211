//! Sync on every backend: idempotent pushes, numbering, 二次投诉 and unresolved-month
//! escalation, scoped pull pages, and a gap-free pull while several pushers write.

use super::COUNTER;
use crate::store::{BatchStates, PushGate, ReadScope, SyncStore};
use siteline_model::api::SiteInfo;
use siteline_model::sync::PushResult;
use siteline_model::{
    Complainant, ComplaintId, DeviceId, Event, EventId, EventKind, NewComplaint, Severity,
    Timestamp,
};
use std::collections::{BTreeSet, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Accepts every event (the gate's rules have their own tests; this suite is about storage).
struct Open;

impl PushGate for Open {
    fn check(&self, _: &Event, _: &BatchStates) -> Option<PushResult> {
        None
    }
}

fn rnd() -> [u8; 10] {
    let mut r = [0u8; 10];
    r[..8].copy_from_slice(&COUNTER.fetch_add(1, Ordering::Relaxed).to_be_bytes());
    r[8..].copy_from_slice(&(std::process::id() as u16).to_be_bytes());
    r
}

/// 2026-03-02 10:00 in China.
const T0: Timestamp = Timestamp(1_772_416_800_000);
const DAY: i64 = 86_400_000;

fn sites() -> Vec<SiteInfo> {
    ["SL", "B"]
        .iter()
        .map(|c| SiteInfo {
            code: c.to_string(),
            name: c.to_string(),
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

/// A new complaint at a place of its own (so only a shared phone makes it a repeat).
fn created(site: &str, phone: Option<&str>, at: Timestamp) -> Event {
    let place = format!("1栋 › {}号电梯", COUNTER.fetch_add(1, Ordering::Relaxed));
    Event {
        id: EventId::new_v7(at.millis(), rnd()),
        complaint_id: ComplaintId::new_v7(at.millis(), rnd()),
        device_id: DeviceId::new_v7(at.millis(), [7; 10]),
        author: "zhang".into(),
        captured_at: at,
        lamport: 1,
        kind: EventKind::Created(Box::new(NewComplaint {
            provisional_number: "P-1".into(),
            description: "电梯异响".into(),
            location: place,
            category: "facility.lift".into(),
            site: site.into(),
            severity: Severity::Minor,
            complainant: Complainant {
                phone: phone.map(String::from),
                ..Default::default()
            },
            ..Default::default()
        })),
    }
}

fn note(of: &Event, lamport: u64, text: &str) -> Event {
    Event {
        id: EventId::new_v7(of.captured_at.millis() + 60_000, rnd()),
        complaint_id: of.complaint_id,
        device_id: of.device_id,
        author: of.author.clone(),
        captured_at: Timestamp(of.captured_at.millis() + 60_000),
        lamport,
        kind: EventKind::NoteAdded { text: text.into() },
    }
}

async fn push(s: &dyn SyncStore, events: &[Event], now: Timestamp) -> Vec<PushResult> {
    s.push(events, &sites(), "SL", &Open, None, now)
        .await
        .expect("push")
}

async fn pull_all(s: &dyn SyncStore, scope: &ReadScope, page: u32) -> Vec<Event> {
    let (mut out, mut after) = (Vec::new(), 0);
    loop {
        let (events, more, cursor) = s.pull(after, page, scope, None).await.expect("pull");
        out.extend(events.into_iter().map(|e| e.event));
        after = cursor;
        if !more {
            return out;
        }
    }
}

fn seq(r: &PushResult) -> u64 {
    match r {
        PushResult::Accepted { seq, .. } => *seq,
        PushResult::Rejected { code, .. } => panic!("rejected: {code}"),
    }
}

/// Pushes answer idempotently, numbers count per site and year, the pull pages through every
/// event in seq order and a site scope reads only its site.
async fn pushes_numbers_and_pulls<S: SyncStore>(s: &S) {
    let a = created("SL", None, T0);
    let b = created("SL", None, Timestamp(T0.millis() + 1000));
    let c = created("B", None, Timestamp(T0.millis() + 2000));
    let n = note(&a, 2, "已派维保");
    let first = push(s, &[a.clone(), b.clone(), c.clone(), n.clone()], T0).await;
    let seqs: Vec<u64> = first.iter().map(seq).collect();
    assert_eq!(
        push(s, &[n.clone(), a.clone()], T0).await[0],
        first[3],
        "answered again"
    );
    let mut forged = n.clone();
    forged.kind = EventKind::NoteAdded {
        text: "改过".into(),
    };
    assert!(matches!(
        &push(s, &[forged], T0).await[0],
        PushResult::Rejected { code, .. } if code == "id_conflict"
    ));
    let all = pull_all(s, &ReadScope::All, 2).await;
    let numbers: Vec<String> = all
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::NumberAssigned { number } => Some(number.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(numbers.len(), 3, "{numbers:?}");
    assert!(
        numbers[0].starts_with("SL-2026-") && numbers[0].ends_with("0001"),
        "{numbers:?}"
    );
    assert!(
        numbers[1].starts_with("SL-2026-") && numbers[1].ends_with("0002"),
        "{numbers:?}"
    );
    assert!(
        numbers[2].starts_with("B-2026-") && numbers[2].ends_with("0001"),
        "{numbers:?}"
    );
    assert_eq!(all.len(), 7, "four pushed, three numbers");
    let ids: Vec<EventId> = all.iter().map(|e| e.id).collect();
    for (e, want) in [&a, &b, &c, &n].iter().zip(&seqs) {
        assert!(ids.contains(&e.id), "{want} pulled");
    }
    let b_only = pull_all(s, &ReadScope::Sites(vec!["B".into()]), 10).await;
    assert!(
        b_only.iter().all(|e| e.complaint_id == c.complaint_id),
        "{b_only:?}"
    );
    assert_eq!(b_only.len(), 2);
}

/// A second complaint with the same phone within the window is raised to 重要 once; an
/// effective complaint unresolved for a month becomes 重大 once.
async fn escalates_repeats_and_unresolved<S: SyncStore>(s: &S) {
    let first = created("SL", Some("13800138000"), T0);
    let again = created("SL", Some("13800138000"), Timestamp(T0.millis() + DAY));
    push(s, std::slice::from_ref(&first), T0).await;
    push(
        s,
        std::slice::from_ref(&again),
        Timestamp(T0.millis() + DAY),
    )
    .await;
    let events = pull_all(s, &ReadScope::All, 100).await;
    let escalated: Vec<&Event> = events
        .iter()
        .filter(|e| {
            matches!(
                &e.kind,
                EventKind::Escalated {
                    to: Severity::Important,
                    ..
                }
            )
        })
        .collect();
    assert_eq!(escalated.len(), 1, "{events:?}");
    assert_eq!(escalated[0].complaint_id, again.complaint_id);
    let later = Timestamp(T0.millis() + 40 * DAY);
    let n = s
        .escalate_unresolved(&sites(), later)
        .await
        .expect("escalate");
    assert_eq!(n, 2, "both are effective and unresolved after 40 days");
    assert_eq!(
        s.escalate_unresolved(&sites(), later).await.expect("again"),
        0
    );
    let majors = pull_all(s, &ReadScope::All, 100)
        .await
        .into_iter()
        .filter(|e| {
            matches!(
                &e.kind,
                EventKind::Escalated {
                    to: Severity::Major,
                    ..
                }
            )
        })
        .count();
    assert_eq!(majors, 2);
}

/// Pushers write concurrently while a puller follows its cursor: at the end the puller has
/// every event exactly once (a cursor never passed an event that committed later). Without
/// PostgreSQL's ingest lock this fails: in three runs the follower missed 125–135 of 400.
async fn pulls_without_gaps_while_pushing<S: SyncStore + 'static>(s: Arc<S>) {
    let (pushers, batches, per) = (4, 10, 5);
    let done = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for p in 0..pushers {
        let (s, done) = (s.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            for b in 0..batches {
                let at = Timestamp(T0.millis() + (p * 1000 + b) as i64);
                let evs: Vec<Event> = (0..per).map(|_| created("SL", None, at)).collect();
                for r in push(&*s, &evs, at).await {
                    seq(&r);
                }
            }
            done.fetch_add(1, Ordering::SeqCst);
        }));
    }
    let (mut seen, mut after) = (Vec::new(), 0u64);
    loop {
        let finished = done.load(Ordering::SeqCst) == pushers as u64;
        let (events, more, cursor) = s.pull(after, 7, &ReadScope::All, None).await.expect("pull");
        seen.extend(events.into_iter().map(|e| e.event.id));
        after = cursor;
        if finished && !more {
            break;
        }
        if !more {
            tokio::task::yield_now().await;
        }
    }
    for t in tasks {
        t.await.expect("pusher");
    }
    let unique: HashSet<EventId> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no event twice");
    let stored: BTreeSet<EventId> = pull_all(&*s, &ReadScope::All, 1000)
        .await
        .into_iter()
        .map(|e| e.id)
        .collect();
    let expected = pushers * batches * per * 2; // each creation and its number
    assert_eq!(stored.len(), expected);
    assert_eq!(unique.len(), expected, "the follower missed none");
}

/// An event of `of`'s complaint, a minute after `at`.
fn step(of: &Event, at: Timestamp, lamport: u64, kind: EventKind) -> Event {
    Event {
        id: EventId::new_v7(at.millis(), rnd()),
        captured_at: Timestamp(at.millis() + 60_000),
        lamport,
        kind,
        ..of.clone()
    }
}

/// A device window leaves out the events of complaints finished before it, on every reader
/// scope (also a department's history that arrives with a grant), and keeps open ones and
/// those finished within it; without a window everything comes.
async fn pulls_only_the_device_window<S: SyncStore>(s: &S) {
    let withdrawn = || EventKind::Withdrawn {
        reason: "业主撤回".into(),
        voluntary: true,
    };
    let dispatched = || EventKind::Dispatched {
        department: "engineering".into(),
        instructions: String::new(),
    };
    let late = Timestamp(T0.millis() + 100 * DAY);
    // Finished at T0; finished 100 days later; still open since T0. Each dispatched.
    let old = created("SL", None, T0);
    let recent = created("SL", None, T0);
    let open = created("SL", None, T0);
    let mut evs = Vec::new();
    for c in [&old, &recent, &open] {
        evs.push(c.clone());
        evs.push(step(c, T0, 2, dispatched()));
    }
    evs.push(step(&old, T0, 3, withdrawn()));
    evs.push(step(&recent, late, 3, withdrawn()));
    for r in push(s, &evs, late).await {
        seq(&r);
    }
    let since = Timestamp(T0.millis() + 50 * DAY);
    let scopes = [
        ReadScope::All,
        ReadScope::Sites(vec!["SL".into()]),
        ReadScope::Department {
            sites: vec!["SL".into()],
            department: "engineering".into(),
        },
    ];
    for scope in &scopes {
        for window in [Some(since), None] {
            let (mut got, mut after) = (BTreeSet::new(), 0);
            let mut events = 0;
            loop {
                let (page, more, cursor) = s.pull(after, 2, scope, window).await.expect("pull");
                events += page.len();
                got.extend(page.iter().map(|e| e.event.complaint_id));
                after = cursor;
                if !more {
                    break;
                }
            }
            let want: BTreeSet<ComplaintId> = match window {
                Some(_) => [recent.complaint_id, open.complaint_id].into(),
                None => [old.complaint_id, recent.complaint_id, open.complaint_id].into(),
            };
            assert_eq!(got, want, "{scope:?} {window:?}");
            // Each complaint: created, its number, dispatched (and withdrawn).
            let expected = if window.is_some() { 7 } else { 11 };
            assert_eq!(events, expected, "{scope:?} {window:?}");
        }
    }
    // A window before every finishing time holds everything.
    let (page, _, _) = s
        .pull(0, 100, &ReadScope::All, Some(Timestamp(T0.millis() - DAY)))
        .await
        .expect("pull");
    assert_eq!(page.len(), 11);
}

super::on_both!(
    pulls_only_the_device_window => pulls_only_the_device_window,
    pushes_numbers_and_pulls => pushes_numbers_and_pulls,
    escalates_repeats_and_unresolved => escalates_repeats_and_unresolved,
    pulls_without_gaps_while_pushing => pulls_without_gaps_while_pushing(arc),
);
