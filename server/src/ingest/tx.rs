//! The narrow steps of one ingest transaction that a storage backend implements in SQL (and
//! nothing else): the rules that decide what the steps do live in the ingest core.

use super::projection::ProjectionRow;
use crate::store::error::Result;
use crate::store::ImportInfo;
use async_trait::async_trait;
use siteline_model::sync::SyncedEvent;
use siteline_model::{Complaint, ComplaintId, Event, EventId, Timestamp};
use std::collections::HashMap;

/// A stored event as a push finds it again (for idempotent answers).
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEvent {
    pub seq: u64,
    pub received_at: Timestamp,
    pub event: Event,
}

/// A canonical number to record for a complaint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberRow {
    pub complaint: ComplaintId,
    pub site: String,
    pub year: i32,
    pub seq: u64,
    pub number: String,
}

/// Complaints of one site captured in `[since, until]`, other than `exclude`, with the same
/// phone (when `phone` is given) or the same place and category (when `place` is not empty):
/// the candidates a new complaint may repeat (the rule itself is `Clock::repeat_of`).
#[derive(Clone, Debug)]
pub struct RepeatQuery<'a> {
    pub site: &'a str,
    pub phone: Option<&'a str>,
    pub place: &'a str,
    pub category: &'a str,
    pub since: Timestamp,
    pub until: Timestamp,
    pub exclude: ComplaintId,
}

/// One transaction of the ingest core. Every call runs inside the same transaction, which the
/// backend opens before the core runs (serialising writers as its pull cursor requires) and
/// commits after.
#[async_trait]
pub trait IngestTx: Send {
    /// The stored events among `ids`, by id.
    async fn stored_events(&mut self, ids: &[EventId]) -> Result<HashMap<EventId, StoredEvent>>;
    /// The stored projections of those of `complaints` that have one at the current fold
    /// version: each one's state (the fold of all its stored events) and when its `Created` was
    /// received. A push folds on from them instead of re-reading their events.
    async fn projections(
        &mut self,
        complaints: &[ComplaintId],
    ) -> Result<HashMap<ComplaintId, (Complaint, Timestamp)>>;
    /// Every stored event of `complaints`, each complaint's in commit (seq) order.
    async fn complaint_events(
        &mut self,
        complaints: &[ComplaintId],
    ) -> Result<HashMap<ComplaintId, Vec<SyncedEvent>>>;
    /// Stores events whose ids are not stored, in the given order (their seqs ascend in it),
    /// each with its complaint's site from `site_of`; answers the seq of each one stored.
    async fn insert_events(
        &mut self,
        events: &[&Event],
        received_at: Timestamp,
        site_of: &HashMap<ComplaintId, String>,
    ) -> Result<HashMap<EventId, u64>>;
    /// Records that an event came in through an import.
    async fn record_import(
        &mut self,
        event: EventId,
        import: &ImportInfo,
        now: Timestamp,
    ) -> Result<()>;
    /// The canonical number a complaint already has.
    async fn number_of(&mut self, complaint: ComplaintId) -> Result<Option<String>>;
    /// Reserves the next `n` numbers of a site and year; answers the first of them (from 1).
    async fn take_numbers(&mut self, site: &str, year: i32, n: u64) -> Result<u64>;
    async fn insert_numbers(&mut self, rows: &[NumberRow]) -> Result<()>;
    /// Upserts complaints' projections (each id once): their rows, their attachment
    /// references (when `had_rows`, the row's flag, or it has any) and each department it ever
    /// had (from the complaint's last seq).
    async fn write_projections(&mut self, rows: &[(ProjectionRow<'_>, bool)]) -> Result<()>;
    /// The projected states matching `q`.
    async fn repeat_candidates(&mut self, q: &RepeatQuery<'_>) -> Result<Vec<Complaint>>;
    /// [`Self::repeat_candidates`] of several queries, in their order (a backend may answer
    /// them in one statement).
    async fn repeat_candidates_each(
        &mut self,
        qs: &[RepeatQuery<'_>],
    ) -> Result<Vec<Vec<Complaint>>> {
        let mut out = Vec::with_capacity(qs.len());
        for q in qs {
            out.push(self.repeat_candidates(q).await?);
        }
        Ok(out)
    }
    /// Marks a complaint a 二次投诉 in reports (never unmarked).
    async fn mark_repeat(&mut self, complaint: ComplaintId) -> Result<()>;
    /// The greatest lamport stored for a complaint (0 when none).
    async fn max_lamport(&mut self, complaint: ComplaintId) -> Result<u64>;
    /// Claims `rule` for a complaint with the event that fires it; `false` if it already fired.
    async fn claim_escalation(
        &mut self,
        complaint: ComplaintId,
        rule: &str,
        event: EventId,
        now: Timestamp,
    ) -> Result<bool>;
    /// Projected open effective complaints below 重大 captured at or before `cutoff`, with
    /// their site: the candidates of the unresolved-month rule.
    async fn unresolved_candidates(
        &mut self,
        cutoff: Timestamp,
    ) -> Result<Vec<(String, Complaint)>>;
}
