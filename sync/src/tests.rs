//! The driver against an in-memory server and device: batches grow, answers are committed,
//! refused tokens wait, cut pushes are resent idempotently, pages carry the cursor, a changed
//! scope re-pulls from 0 and drops only what is neither readable nor unsent.

use crate::{pull, push_all, Failure, Local, SyncError, Transport};
use futures::executor::block_on;
use siteline_model::replica::{Change, Replica, ReplicaMeta};
use siteline_model::sync::{PullResponse, PushOutcome, PushResponse, PushResult, SyncedEvent};
use siteline_model::{ComplaintId, DeviceId, Event, EventId, NewComplaint, Timestamp};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, thiserror::Error)]
#[error("{0:?}")]
struct NetError(Failure);

#[derive(Debug, thiserror::Error)]
#[error("store failed")]
struct StoreError;

/// A server: accepts every event once (by id), numbers them, serves pages of `page` events.
#[derive(Default)]
struct Server {
    log: RefCell<Vec<SyncedEvent>>,
    batches: RefCell<Vec<usize>>,
    refused_tokens: RefCell<BTreeSet<String>>,
    /// Complaints hidden from pulls (a site taken away), and the scope fingerprint.
    hidden: RefCell<BTreeSet<ComplaintId>>,
    scope: RefCell<String>,
    page: Cell<usize>,
    /// The next push is cut after the server stored it (the answer is lost).
    cut_next_push: Cell<bool>,
    /// Answers pushes with no outcomes.
    mute: Cell<bool>,
}

impl Transport for Server {
    type Error = NetError;
    fn failure(e: &NetError) -> Failure {
        e.0
    }
    async fn push(&self, token: &str, events: Vec<Event>) -> Result<PushResponse, NetError> {
        if self.refused_tokens.borrow().contains(token) {
            return Err(NetError(Failure::Unauthorized));
        }
        self.batches.borrow_mut().push(events.len());
        let mut results = Vec::new();
        for e in events {
            let mut log = self.log.borrow_mut();
            let seq = match log.iter().find(|s| s.event.id == e.id) {
                Some(s) => s.seq,
                None => {
                    let seq = log.len() as u64 + 1;
                    log.push(SyncedEvent {
                        seq,
                        received_at: Timestamp(seq as i64),
                        event: e.clone(),
                    });
                    seq
                }
            };
            results.push(PushOutcome {
                id: e.id,
                result: PushResult::Accepted {
                    seq,
                    received_at: Timestamp(seq as i64),
                },
            });
        }
        if self.cut_next_push.replace(false) {
            return Err(NetError(Failure::Unreachable));
        }
        if self.mute.get() {
            results.clear();
        }
        Ok(PushResponse { results })
    }
    async fn pull(&self, _token: &str, cursor: u64, limit: u32) -> Result<PullResponse, NetError> {
        let log = self.log.borrow();
        let hidden = self.hidden.borrow();
        let page = self.page.get().max(1).min(limit as usize);
        let events: Vec<SyncedEvent> = log
            .iter()
            .filter(|s| s.seq > cursor && !hidden.contains(&s.event.complaint_id))
            .take(page)
            .cloned()
            .collect();
        let next_cursor = events.last().map_or(cursor, |s| s.seq);
        let has_more = log
            .iter()
            .any(|s| s.seq > next_cursor && !hidden.contains(&s.event.complaint_id));
        Ok(PullResponse {
            events,
            next_cursor,
            has_more,
            sites: vec!["A".into()],
            scope: self.scope.borrow().clone(),
            window_since: None,
        })
    }
}

/// A device: a replica, its commits, its users' tokens.
struct Device {
    replica: RefCell<Replica>,
    commits: Cell<usize>,
    tokens: BTreeMap<String, String>,
    refused: RefCell<Vec<String>>,
    made: Cell<u32>,
    n: u8,
}

impl Device {
    fn new(n: u8, users: &[&str]) -> Device {
        let meta = ReplicaMeta::new(DeviceId::new_v7(1_000 + n as i64, [n; 10]));
        Device {
            replica: RefCell::new(Replica::load(meta, vec![])),
            commits: Cell::new(0),
            tokens: users
                .iter()
                .map(|u| (u.to_string(), format!("token-{u}")))
                .collect(),
            refused: RefCell::new(Vec::new()),
            made: Cell::new(0),
            n,
        }
    }

    fn capture(&self, author: &str, n: usize) -> Vec<ComplaintId> {
        let mut r = self.replica.borrow_mut();
        (0..n)
            .map(|i| {
                let k = self.made.get() + 1;
                self.made.set(k);
                let mut rand = [0u8; 10];
                rand[..4].copy_from_slice(&k.to_be_bytes());
                rand[4] = self.n;
                let ch = r.prepare_new(
                    NewComplaint {
                        description: format!("漏水 {i}"),
                        location: "B2".into(),
                        category: "facility.water".into(),
                        ..Default::default()
                    },
                    author,
                    Timestamp(10_000 + i as i64),
                    rand,
                );
                let id = ch.events[0].event.complaint_id;
                r.apply(ch);
                id
            })
            .collect()
    }

    fn pending(&self) -> usize {
        self.replica.borrow().pending_batch(usize::MAX).len()
    }
}

impl Local for Device {
    type Error = StoreError;
    fn read<R>(&self, f: impl FnOnce(&Replica) -> R) -> Option<R> {
        Some(f(&self.replica.borrow()))
    }
    async fn commit(&self, change: Change) -> Result<(), StoreError> {
        self.commits.set(self.commits.get() + 1);
        self.replica.borrow_mut().apply(change);
        Ok(())
    }
    async fn remove(
        &self,
        change: Change,
        gone: &[(ComplaintId, EventId)],
    ) -> Result<(), StoreError> {
        let r = self.replica.borrow();
        let gone: BTreeSet<&EventId> = gone.iter().map(|(_, id)| id).collect();
        let keep = r
            .complaint_ids()
            .flat_map(|id| r.events_of(id))
            .filter(|s| !gone.contains(&s.event.id))
            .cloned()
            .collect();
        drop(r);
        *self.replica.borrow_mut() = Replica::load(change.meta, keep);
        Ok(())
    }
    fn token_of(&self, author: &str) -> Option<String> {
        self.tokens.get(author).cloned()
    }
    fn token_refused(&self, author: &str) {
        self.refused.borrow_mut().push(author.to_string());
    }
}

#[test]
fn batches_grow_and_another_device_pulls_every_page() {
    let (server, a) = (Server::default(), Device::new(1, &["staff"]));
    a.capture("staff", 350);
    let pushed = block_on(push_all(&a, &server)).expect("push");
    assert_eq!(pushed.settled, 350);
    assert_eq!(*server.batches.borrow(), vec![100, 200, 50]);
    assert_eq!(a.pending(), 0);

    server.page.set(120);
    let b = Device::new(2, &["supervisor"]);
    let pulled = block_on(pull(&b, &server, "token-supervisor")).expect("pull");
    assert_eq!((pulled.events, pulled.pages), (350, 3));
    let r = b.replica.borrow();
    assert_eq!(r.complaints().len(), 350);
    assert_eq!(r.meta().cursor, 350);
    // A second pull with nothing new writes nothing.
    drop(r);
    let commits = b.commits.get();
    block_on(pull(&b, &server, "token-supervisor")).expect("pull");
    assert_eq!(b.commits.get(), commits);
}

#[test]
fn a_refused_token_waits_and_the_other_authors_go_on() {
    let (server, d) = (Server::default(), Device::new(1, &["a", "b"]));
    d.capture("a", 3);
    d.capture("b", 2);
    server.refused_tokens.borrow_mut().insert("token-b".into());
    let pushed = block_on(push_all(&d, &server)).expect("push");
    assert_eq!(pushed.settled, 3);
    assert_eq!(pushed.refused, vec!["b".to_string()]);
    assert_eq!(*d.refused.borrow(), vec!["b".to_string()]);
    assert_eq!(d.pending(), 2, "b's records are kept for their next login");
}

#[test]
fn a_cut_push_is_sent_again_and_stored_once() {
    let (server, d) = (Server::default(), Device::new(1, &["staff"]));
    d.capture("staff", 5);
    server.cut_next_push.set(true);
    let err = block_on(push_all(&d, &server)).expect_err("the answer was lost");
    assert!(matches!(
        err,
        SyncError::Transport(NetError(Failure::Unreachable))
    ));
    assert_eq!(d.pending(), 5, "nothing is marked sent without an answer");
    block_on(push_all(&d, &server)).expect("push again");
    assert_eq!(d.pending(), 0);
    assert_eq!(
        server.log.borrow().len(),
        5,
        "the server is idempotent by event id"
    );
}

#[test]
fn an_answer_without_outcomes_stops_the_run() {
    let (server, d) = (Server::default(), Device::new(1, &["staff"]));
    d.capture("staff", 2);
    server.mute.set(true);
    let err = block_on(push_all(&d, &server)).expect_err("no progress");
    assert!(matches!(err, SyncError::NoProgress));
    assert_eq!(d.pending(), 2);
}

#[test]
fn a_new_scope_pulls_again_and_drops_only_what_is_neither_readable_nor_unsent() {
    let server = Server::default();
    *server.scope.borrow_mut() = "v1".into();
    let a = Device::new(1, &["staff"]);
    let ids = a.capture("staff", 6);
    block_on(push_all(&a, &server)).expect("push");
    let b = Device::new(2, &["supervisor"]);
    block_on(pull(&b, &server, "t")).expect("pull");
    assert_eq!(b.replica.borrow().complaints().len(), 6);
    // B keeps an unsent record of its own, then loses the site of the first three.
    let own = b.capture("supervisor", 1)[0];
    server.hidden.borrow_mut().extend(ids[..3].iter().copied());
    server.hidden.borrow_mut().insert(own);
    *server.scope.borrow_mut() = "v2".into();
    let pulled = block_on(pull(&b, &server, "t")).expect("pull");
    assert!(pulled.rescoped);
    assert_eq!(pulled.dropped, 3, "three complaints of one event each");
    let r = b.replica.borrow();
    let left: BTreeSet<ComplaintId> = r.complaint_ids().copied().collect();
    let mut want: BTreeSet<ComplaintId> = ids[3..].iter().copied().collect();
    want.insert(own);
    assert_eq!(left, want, "the unsent record stays");
    assert_eq!(r.meta().scope, "v2");
    assert_eq!(r.meta().cursor, 6);
}
