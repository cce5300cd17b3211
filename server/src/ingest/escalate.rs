//! Escalation rules over the ingest steps: a 二次投诉 on first receipt (→ 重要) and an effective
//! complaint unresolved for its site's window (→ 重大), each at most once per complaint.

use super::projection::{refresh, Sites};
use super::tx::{IngestTx, RepeatQuery};
use crate::store::error::{Result, StoreError};
use crate::store::{escalation_event, RULE_REPEAT, RULE_UNRESOLVED};
use siteline_model::api::SiteInfo;
use siteline_model::timelimit::Clock;
use siteline_model::{Complaint, ComplaintId, Severity, Timestamp};
use std::collections::HashMap;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Appends the server's `Escalated` event, unless `rule` already fired for this complaint,
/// one lamport above the greatest stored for it. Answers whether it wrote.
async fn write_escalation(
    tx: &mut dyn IngestTx,
    cid: ComplaintId,
    site: &str,
    to: Severity,
    rule: &str,
    related: Option<ComplaintId>,
    now: Timestamp,
) -> Result<bool> {
    let max = tx.max_lamport(cid).await?;
    let ev = escalation_event(cid, max, to, rule, related, now);
    if !tx.claim_escalation(cid, rule, ev.id, now).await? {
        return Ok(false);
    }
    let site_of = HashMap::from([(cid, site.to_string())]);
    if tx.insert_events(&[&ev], now, &site_of).await?.len() != 1 {
        return Err(StoreError::Internal("server event id collided".into()));
    }
    Ok(true)
}

/// The query for the complaints `state` may be a 二次投诉 of: same site, phone or place and
/// category, captured within the site's repeat window before it.
fn repeat_query<'a>(state: &'a Complaint, sites: &'a Sites<'a>) -> RepeatQuery<'a> {
    let site = sites.of(state);
    let china = Clock::china();
    let clock = sites.clocks.get(site).unwrap_or(&china);
    let until = state.captured_at.millis();
    let since = until.saturating_sub(clock.policy.repeat_window_days.saturating_mul(DAY_MS));
    RepeatQuery {
        site,
        phone: state.complainant.phone.as_deref().filter(|p| !p.is_empty()),
        place: state.location.trim(),
        category: &state.category,
        since: Timestamp(since),
        until: Timestamp(until),
        exclude: state.id,
    }
}

/// For each new complaint of a push, in order: if it repeats an earlier one (二次投诉), marks it
/// repeat for reports and, if it is 轻微 and open, escalates it to 重要 and re-projects it. The
/// candidates of all are read at once (the projections of the push are written already, and an
/// escalation changes no candidate's status). Answers how many escalated.
pub async fn repeats(
    tx: &mut dyn IngestTx,
    states: &[&Complaint],
    sites: &Sites<'_>,
    now: Timestamp,
) -> Result<usize> {
    let queries: Vec<RepeatQuery<'_>> = states.iter().map(|s| repeat_query(s, sites)).collect();
    let candidates = tx.repeat_candidates_each(&queries).await?;
    let mut escalated = 0;
    for (state, found) in states.iter().zip(candidates) {
        escalated += usize::from(repeat(tx, state, &found, sites, now).await?);
    }
    Ok(escalated)
}

/// One complaint's 二次投诉 rule, given its candidates. Answers whether it escalated.
async fn repeat(
    tx: &mut dyn IngestTx,
    state: &Complaint,
    candidates: &[Complaint],
    sites: &Sites<'_>,
    now: Timestamp,
) -> Result<bool> {
    let site = sites.of(state);
    let china = Clock::china();
    let clock = sites.clocks.get(site).unwrap_or(&china);
    let Some(earlier) = clock.repeat_of(state, candidates) else {
        return Ok(false);
    };
    // Every 二次投诉 counts in reports (重复投诉率); only a minor open one is raised to 重要.
    tx.mark_repeat(state.id).await?;
    if state.severity != Severity::Minor || !state.status.is_open() {
        return Ok(false);
    }
    let wrote = write_escalation(
        tx,
        state.id,
        site,
        Severity::Important,
        RULE_REPEAT,
        Some(earlier),
        now,
    )
    .await?;
    if wrote {
        refresh(tx, state.id, sites).await?;
    }
    Ok(wrote)
}

/// Every open effective complaint unresolved for its site's window becomes 重大, once; runs in
/// the caller's transaction. Answers how many were escalated.
pub async fn unresolved(
    tx: &mut dyn IngestTx,
    site_list: &[SiteInfo],
    now: Timestamp,
) -> Result<u64> {
    let clocks: HashMap<String, Clock> = site_list
        .iter()
        .map(|s| (s.code.clone(), Clock::for_site(s)))
        .collect();
    let mut known: Vec<String> = clocks.keys().cloned().collect();
    known.sort();
    let fallback = Clock::china();
    // Only rows old enough for the shortest window of any site are candidates.
    let shortest = clocks
        .values()
        .map(|c| c.policy.escalate_unresolved_days)
        .chain([fallback.policy.escalate_unresolved_days])
        .min()
        .unwrap_or(30)
        .max(0);
    let cutoff = Timestamp(now.millis().saturating_sub(shortest.saturating_mul(DAY_MS)));
    let mut n = 0;
    for (site, state) in tx.unresolved_candidates(cutoff).await? {
        let clock = clocks.get(&site).unwrap_or(&fallback);
        if !clock.unresolved_escalation_due(&state, now) {
            continue;
        }
        let cid = state.id;
        if write_escalation(tx, cid, &site, Severity::Major, RULE_UNRESOLVED, None, now).await? {
            // The row keeps the site it is stored under (a complaint naming an unknown site
            // stays under the default it was given).
            let sites = Sites {
                known: &known,
                default_site: &site,
                clocks: &clocks,
            };
            refresh(tx, cid, &sites).await?;
            n += 1;
        }
    }
    Ok(n)
}
