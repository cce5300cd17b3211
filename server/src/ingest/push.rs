//! A pushed batch, storage-independent: each event answered as before if its id is stored,
//! else gated against its complaint's state (its stored projection, or its stored events, plus
//! those accepted earlier in the batch) and stored; then numbers for new complaints,
//! projections and 二次投诉 escalation.

use super::projection::{ProjectionRow, Sites};
use super::tx::{IngestTx, StoredEvent};
use super::{escalate, numbers};
use crate::store::error::{Result, StoreError};
use crate::store::{BatchStates, ImportInfo, PushGate};
use siteline_model::api::SiteInfo;
use siteline_model::sync::PushResult;
use siteline_model::timelimit::Clock;
use siteline_model::{ComplaintId, Event, EventId, EventKind, Timestamp};
use std::collections::{HashMap, HashSet};

/// The answer for an event whose id is already stored: as the first time, or `id_conflict`.
fn answer_stored(same: bool, seq: u64, received_at: Timestamp) -> PushResult {
    if same {
        PushResult::Accepted { seq, received_at }
    } else {
        PushResult::Rejected {
            code: "id_conflict".into(),
            message: "another event with this id and different content is already stored".into(),
        }
    }
}

/// One event's answer: known now, or that of the `i`-th stored event (its seq, once inserted).
enum Answer {
    Now(PushResult),
    Stored(usize),
}

/// Runs a batch in the caller's transaction (the caller commits). `site_list`: the sites the
/// gate was built from; their clocks time the batch.
pub async fn push(
    tx: &mut dyn IngestTx,
    events: &[Event],
    site_list: &[SiteInfo],
    default_site: &str,
    gate: &dyn PushGate,
    import: Option<&ImportInfo>,
    now: Timestamp,
) -> Result<Vec<PushResult>> {
    let clocks: HashMap<String, Clock> = site_list
        .iter()
        .map(|s| (s.code.clone(), Clock::for_site(s)))
        .collect();
    let mut known: Vec<String> = clocks.keys().cloned().collect();
    known.sort();
    let sites = Sites {
        known: &known,
        default_site,
        clocks: &clocks,
    };
    let ids: Vec<EventId> = events.iter().map(|e| e.id).collect();
    let stored: HashMap<EventId, StoredEvent> = tx.stored_events(&ids).await?;
    // Every complaint this batch may add to, loaded once.
    let mut wanted: Vec<ComplaintId> = Vec::new();
    let mut seen: HashSet<ComplaintId> = HashSet::new();
    for ev in events {
        if !stored.contains_key(&ev.id) && seen.insert(ev.complaint_id) {
            wanted.push(ev.complaint_id);
        }
        // A merge target: the gate checks it exists and the author may see it.
        if let EventKind::Merged { into } = &ev.kind {
            if seen.insert(*into) {
                wanted.push(*into);
            }
        }
    }
    // Their stored projections first (the fold of every stored event: folding on from it makes
    // a long history cost no more than a short one); the events only of those without one.
    let projected = tx.projections(&wanted).await?;
    let rest: Vec<ComplaintId> = wanted
        .iter()
        .filter(|c| !projected.contains_key(c))
        .copied()
        .collect();
    let mut loaded = tx.complaint_events(&rest).await?;
    let mut states = BatchStates::default();
    // Complaints with no stored event before this push: no number, projection or attachments.
    let mut fresh: HashSet<ComplaintId> = HashSet::new();
    let mut first_received: HashMap<ComplaintId, Timestamp> = HashMap::new();
    for (cid, (state, received_at)) in projected {
        first_received.insert(cid, received_at);
        states.load_state(cid, state);
    }
    for cid in &rest {
        let events = loaded.remove(cid).unwrap_or_default();
        if events.is_empty() {
            fresh.insert(*cid);
        }
        if let Some(c) = events
            .iter()
            .find(|e| matches!(e.event.kind, EventKind::Created(_)))
        {
            first_received.insert(*cid, c.received_at);
        }
        states.load(*cid, events.into_iter().map(|e| e.event).collect());
    }
    // Gated in memory first; the accepted events are then stored together.
    let mut accepted: HashMap<EventId, usize> = HashMap::new();
    let mut to_store: Vec<&Event> = Vec::new();
    let mut answers: Vec<Option<Answer>> = events.iter().map(|_| None).collect();
    let mut touched: Vec<ComplaintId> = Vec::new();
    seen.clear();
    let mut created: Vec<&Event> = Vec::new();
    // `created` events first (in batch order), then the rest: an update sent in the same batch
    // before its complaint's `created` still finds the complaint. Answers keep the batch order.
    let is_created = |e: &Event| matches!(e.kind, EventKind::Created(_));
    let order = (0..events.len())
        .filter(|&i| is_created(&events[i]))
        .chain((0..events.len()).filter(|&i| !is_created(&events[i])));
    for i in order {
        let ev = &events[i];
        let answer = &mut answers[i];
        if let Some(s) = stored.get(&ev.id) {
            *answer = Some(Answer::Now(answer_stored(
                s.event == *ev,
                s.seq,
                s.received_at,
            )));
            continue;
        }
        if let Some(&first) = accepted.get(&ev.id) {
            // The same id twice in one batch: the first is stored, the second answered like it.
            *answer = Some(if to_store[first] == ev {
                Answer::Stored(first)
            } else {
                Answer::Now(answer_stored(false, 0, now))
            });
            continue;
        }
        let cid = ev.complaint_id;
        if let Some(rejected) = gate.check(ev, &states) {
            *answer = Some(Answer::Now(rejected));
            continue;
        }
        states.accept(ev);
        accepted.insert(ev.id, to_store.len());
        *answer = Some(Answer::Stored(to_store.len()));
        to_store.push(ev);
        if seen.insert(cid) {
            touched.push(cid);
        }
        if is_created(ev) {
            created.push(ev);
            first_received.entry(cid).or_insert(now);
        }
    }
    // Every event is stored with its complaint's site (the scoped pull reads by it).
    let site_of: HashMap<ComplaintId, String> = touched
        .iter()
        .filter_map(|id| Some((*id, sites.of(states.state(*id)?).to_string())))
        .collect();
    let seqs = tx.insert_events(&to_store, now, &site_of).await?;
    if seqs.len() != to_store.len() {
        return Err(StoreError::Internal(
            "an event appeared during the push".into(),
        ));
    }
    if let Some(import) = import {
        for ev in &to_store {
            tx.record_import(ev.id, import, now).await?;
        }
    }
    let results = answers
        .into_iter()
        .map(
            |a| match a.ok_or_else(|| StoreError::Internal("event left unanswered".into()))? {
                Answer::Now(answer) => Ok(answer),
                Answer::Stored(i) => {
                    let seq = to_store
                        .get(i)
                        .and_then(|ev| seqs.get(&ev.id))
                        .ok_or_else(|| StoreError::Internal("stored event has no seq".into()))?;
                    Ok(PushResult::Accepted {
                        seq: *seq,
                        received_at: now,
                    })
                }
            },
        )
        .collect::<Result<Vec<_>>>()?;
    for ev in numbers::assign(tx, &created, &sites, &fresh, now, &site_of).await? {
        states.accept(&ev);
    }
    // The batch's states are the folds of every stored event of their complaints.
    let mut rows = Vec::with_capacity(touched.len());
    for id in &touched {
        if let Some(state) = states.state(*id) {
            let received_at = first_received.get(id).copied().unwrap_or(Timestamp(0));
            rows.push((
                ProjectionRow::new(state, received_at, &sites)?,
                !fresh.contains(id),
            ));
        }
    }
    tx.write_projections(&rows).await?;
    // 二次投诉, once per new complaint, against the projections just written.
    seen.clear();
    let mut new_states = Vec::new();
    for ev in &created {
        if seen.insert(ev.complaint_id) {
            if let Some(state) = states.state(ev.complaint_id) {
                new_states.push(state);
            }
        }
    }
    escalate::repeats(tx, &new_states, &sites, now).await?;
    Ok(results)
}
