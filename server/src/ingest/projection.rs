//! What a complaint's projection row holds besides its folded state: its site, the receipt of
//! its `Created`, the derived keys and the report facts — decided here once for every backend.

use crate::store::error::{Result, StoreError};
use crate::store::{resolve_site, FOLD_VERSION};
use siteline_model::report::ReportFacts;
use siteline_model::timelimit::Clock;
use siteline_model::{Complaint, Timestamp};
use std::collections::HashMap;

/// The projection row of a folded complaint, ready to be written.
#[derive(Clone, Debug)]
pub struct ProjectionRow<'a> {
    pub state: &'a Complaint,
    /// The state as stored (JSON).
    pub state_json: String,
    /// The site it is stored under: the one it names if known, else the default.
    pub site: &'a str,
    /// When its `Created` was received (0 while unknown).
    pub received_at: Timestamp,
    /// The complainant's phone, `None` when absent or empty (an absent phone matches nothing).
    pub phone: Option<&'a str>,
    /// The place as repeat detection and recurring problems compare it.
    pub location_key: &'a str,
    pub facts: ReportFacts,
    pub fold_version: i64,
}

/// The sites a batch knows, the default one and each site's clock.
#[derive(Clone, Copy, Debug)]
pub struct Sites<'a> {
    pub known: &'a [String],
    pub default_site: &'a str,
    pub clocks: &'a HashMap<String, Clock>,
}

impl Sites<'_> {
    /// The site a complaint is stored under.
    pub fn of<'s>(&'s self, state: &'s Complaint) -> &'s str {
        resolve_site(&state.site, self.known, self.default_site)
    }
}

impl<'a> ProjectionRow<'a> {
    pub fn new(state: &'a Complaint, received_at: Timestamp, sites: &Sites<'a>) -> Result<Self> {
        let site = resolve_site(&state.site, sites.known, sites.default_site);
        let facts = match sites.clocks.get(site) {
            Some(clock) => ReportFacts::of(state, clock),
            None => ReportFacts::of(state, &Clock::china()),
        };
        Ok(ProjectionRow {
            state,
            state_json: serde_json::to_string(state)
                .map_err(|e| StoreError::Internal(format!("state does not serialize: {e}")))?,
            site,
            received_at,
            phone: state.complainant.phone.as_deref().filter(|p| !p.is_empty()),
            location_key: state.location.trim(),
            facts,
            fold_version: FOLD_VERSION,
        })
    }
}

/// Re-folds one complaint from all its stored events and writes its projection; `None` while
/// its `Created` has not arrived.
pub async fn refresh(
    tx: &mut dyn super::IngestTx,
    id: siteline_model::ComplaintId,
    sites: &Sites<'_>,
) -> Result<Option<Complaint>> {
    let events = tx
        .complaint_events(&[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let Some(state) = siteline_model::fold_in_order(events.iter().map(|e| &e.event)) else {
        return Ok(None);
    };
    let received_at = events
        .iter()
        .find(|e| matches!(e.event.kind, siteline_model::EventKind::Created(_)))
        .map_or(Timestamp(0), |e| e.received_at);
    let row = ProjectionRow::new(&state, received_at, sites)?;
    tx.write_projections(&[(row, true)]).await?;
    Ok(Some(state))
}
