//! Canonical numbers (编号) for newly created complaints: once per complaint, one counter
//! reservation per site and year, numbers in the order of the batch.

use super::projection::Sites;
use super::tx::{IngestTx, NumberRow};
use crate::store::error::{Result, StoreError};
use crate::store::{number_event, resolve_site};
use siteline_model::numbering::canonical;
use siteline_model::time::CHINA_OFFSET_MINUTES;
use siteline_model::{ComplaintId, Event, EventKind, Timestamp};
use std::collections::{HashMap, HashSet};

/// Numbers each complaint created in the batch that has none, stores the server's
/// `NumberAssigned` events and answers them (to advance the batch's states).
/// `fresh`: complaints with nothing stored before this batch (so certainly unnumbered).
pub async fn assign(
    tx: &mut dyn IngestTx,
    created: &[&Event],
    sites: &Sites<'_>,
    fresh: &HashSet<ComplaintId>,
    now: Timestamp,
    site_of: &HashMap<ComplaintId, String>,
) -> Result<Vec<Event>> {
    let mut need: Vec<(&Event, &str, i32)> = Vec::new();
    let mut once: HashSet<ComplaintId> = HashSet::new();
    for ev in created {
        let cid = ev.complaint_id;
        if !once.insert(cid) {
            continue;
        }
        // A complaint with earlier stored events may have been numbered already.
        if !fresh.contains(&cid) && tx.number_of(cid).await?.is_some() {
            continue;
        }
        let named = match &ev.kind {
            EventKind::Created(new) => new.site.as_str(),
            _ => "",
        };
        let site = resolve_site(named, sites.known, sites.default_site);
        need.push((ev, site, ev.captured_at.year(CHINA_OFFSET_MINUTES)));
    }
    let mut counters: Vec<((&str, i32), u64)> = Vec::new();
    for (_, site, year) in &need {
        match counters.iter_mut().find(|(k, _)| *k == (*site, *year)) {
            Some((_, n)) => *n += 1,
            None => counters.push(((*site, *year), 1)),
        }
    }
    let mut next: HashMap<(&str, i32), u64> = HashMap::new();
    for ((site, year), n) in counters {
        next.insert((site, year), tx.take_numbers(site, year, n).await?);
    }
    let mut rows = Vec::with_capacity(need.len());
    let mut out = Vec::with_capacity(need.len());
    for (created, site, year) in need {
        let slot = next.entry((site, year)).or_insert(1);
        let seq = *slot;
        *slot += 1;
        let number = canonical(site, year, seq);
        out.push(number_event(created, number.clone(), now));
        rows.push(NumberRow {
            complaint: created.complaint_id,
            site: site.to_string(),
            year,
            seq,
            number,
        });
    }
    tx.insert_numbers(&rows).await?;
    let server_events: Vec<&Event> = out.iter().collect();
    if tx.insert_events(&server_events, now, site_of).await?.len() != out.len() {
        return Err(StoreError::Internal("server event id collided".into()));
    }
    Ok(out)
}
