//! What a complaint's projection row holds besides its folded state: its site, the receipt of
//! its `Created`, the derived keys and the report facts — decided here once for every backend.
//!
//! The stored state leaves out the notes: they grow with every 备注 and nothing the server
//! decides reads them, so a push to a complaint with 500 notes parses and writes no more than
//! one with none. The detail page takes them from the events it returns ([`with_notes`]).

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
            state_json: stored_json(state)?,
            site,
            received_at,
            phone: state.complainant.phone.as_deref().filter(|p| !p.is_empty()),
            location_key: state.location.trim(),
            facts,
            fold_version: FOLD_VERSION,
        })
    }
}

/// The columns of a projection row, in the order both backends bind a [`ProjectionRow`].
pub const COLUMNS: [&str; 30] = [
    "id",
    "site_code",
    "number",
    "provisional_number",
    "status",
    "severity",
    "category",
    "channel",
    "location",
    "description",
    "created_by",
    "captured_at",
    "received_at",
    "updated_at",
    "state_json",
    "department",
    "nature",
    "phone",
    "location_key",
    "fold_version",
    "category_top",
    "month",
    "replied_at",
    "closed_at",
    "satisfaction",
    "late",
    "open_due_at",
    "is_repeat",
    "reply_work_min",
    "close_work_min",
];

/// `INSERT INTO complaints (…) ` and the upsert's `ON CONFLICT` clause: every column takes the
/// new row's value except `is_repeat`, which is never unmarked (`repeat`: the dialect's "either
/// is set", given `complaints.is_repeat` and `excluded.is_repeat`).
pub fn upsert_sql(repeat: &str) -> (String, String) {
    let head = format!("INSERT INTO complaints ({}) ", COLUMNS.join(", "));
    let set: Vec<String> = COLUMNS
        .iter()
        .filter(|c| **c != "id")
        .map(|c| match *c {
            "is_repeat" => format!("is_repeat = {repeat}"),
            c => format!("{c} = excluded.{c}"),
        })
        .collect();
    (
        head,
        format!(" ON CONFLICT (id) DO UPDATE SET {}", set.join(", ")),
    )
}

/// What a push's projection writes besides the rows, decided once for every backend: whose
/// attachment references are replaced, the references they have now, and each department a
/// complaint ever had (a department reads the complaint from the moment it first had it: its
/// history up to then reaches that department's handlers at the complaint's last seq).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct References {
    /// Complaints whose references are replaced: stored before this push, or with photos.
    pub replaced: Vec<String>,
    /// `(complaint, sha256)` of every photo of those.
    pub attachments: Vec<(String, String)>,
    /// `(complaint, department, site)`.
    pub grants: Vec<(String, String, String)>,
}

impl References {
    /// Of projection rows and whether each complaint had rows before this push.
    pub fn of(rows: &[(ProjectionRow<'_>, bool)]) -> References {
        let mut out = References::default();
        for (row, had_rows) in rows {
            let id = row.state.id.to_string();
            if *had_rows || !row.state.attachments.is_empty() {
                out.replaced.push(id.clone());
            }
            for a in &row.state.attachments {
                out.attachments.push((id.clone(), a.sha256.clone()));
            }
            for d in &row.state.departments {
                out.grants
                    .push((id.clone(), d.clone(), row.site.to_string()));
            }
        }
        out
    }
}

/// The state as the projection stores it: without its notes. A state folded on from a stored
/// projection holds only the notes of the events just applied, so this clone is small.
fn stored_json(state: &Complaint) -> Result<String> {
    let json = if state.notes.is_empty() {
        serde_json::to_string(state)
    } else {
        let mut bare = state.clone();
        bare.notes.clear();
        serde_json::to_string(&bare)
    };
    json.map_err(|e| StoreError::Internal(format!("state does not serialize: {e}")))
}

/// A stored projection's state with its notes again, folded from the complaint's own events
/// (all of them, in commit order). Unchanged if they fold to nothing.
pub fn with_notes<'e>(
    mut state: Complaint,
    events: impl IntoIterator<Item = &'e siteline_model::Event>,
) -> Complaint {
    if let Some(full) = siteline_model::fold_in_order(events) {
        state.notes = full.notes;
    }
    state
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

#[cfg(test)]
mod tests {
    use super::*;

    use siteline_model::{ComplaintId, DeviceId, Event, EventId, EventKind, NewComplaint};

    fn event(complaint: ComplaintId, n: u8, kind: EventKind) -> Event {
        Event {
            id: EventId::new_v7(1_772_416_800_000 + i64::from(n), [n; 10]),
            complaint_id: complaint,
            device_id: DeviceId::new_v7(1_772_416_800_000, [7; 10]),
            author: "zhang".into(),
            captured_at: Timestamp(1_772_416_800_000 + i64::from(n)),
            lamport: u64::from(n),
            kind,
        }
    }

    /// The creation of complaint `id` at site SL.
    fn created(id: ComplaintId) -> Event {
        event(
            id,
            1,
            EventKind::Created(Box::new(NewComplaint {
                provisional_number: "P-1".into(),
                description: "电梯异响".into(),
                site: "SL".into(),
                ..Default::default()
            })),
        )
    }

    /// Calls `f` with `state` projected at site SL (no site clocks: China's calendar).
    fn with_row<T>(state: &Complaint, f: impl FnOnce(ProjectionRow<'_>) -> T) -> T {
        let clocks = HashMap::new();
        let known = vec!["SL".to_string()];
        let sites = Sites {
            known: &known,
            default_site: "SL",
            clocks: &clocks,
        };
        f(ProjectionRow::new(state, Timestamp(1), &sites).expect("row"))
    }

    fn refs(state: &Complaint, had_rows: bool) -> References {
        with_row(state, |row| References::of(&[(row, had_rows)]))
    }

    #[test]
    fn references_replace_photos_of_stored_or_photographed_complaints_and_grant_departments() {
        let id = ComplaintId::new_v7(1_772_416_800_000, [1; 10]);
        let mut state = siteline_model::fold_in_order([created(id)].iter()).expect("created");
        state.departments = vec!["engineering".into()];
        let fresh = refs(&state, false);
        assert!(fresh.replaced.is_empty() && fresh.attachments.is_empty());
        let grant = (id.to_string(), "engineering".to_string(), "SL".to_string());
        assert_eq!(fresh.grants, vec![grant.clone()]);
        assert_eq!(refs(&state, true).replaced, vec![id.to_string()]);
        let mut state = state.clone();
        state.attachments = vec![siteline_model::AttachmentRef {
            sha256: "ab".repeat(32),
            size: 1,
            content_type: "image/jpeg".into(),
        }];
        let photographed = refs(&state, false);
        assert_eq!(photographed.replaced, vec![id.to_string()]);
        assert_eq!(
            photographed.attachments,
            vec![(id.to_string(), "ab".repeat(32))]
        );
        assert_eq!(photographed.grants, vec![grant]);
    }

    #[test]
    fn the_upsert_names_every_column_and_never_unmarks_a_repeat() {
        let (head, tail) = upsert_sql("max(complaints.is_repeat, excluded.is_repeat)");
        assert!(
            head.starts_with("INSERT INTO complaints (id, site_code, "),
            "{head}"
        );
        assert_eq!(head.matches(", ").count(), COLUMNS.len() - 1);
        assert_eq!(
            tail.matches(" = ").count(),
            COLUMNS.len() - 1,
            "all but the id: {tail}"
        );
        assert!(tail.contains("state_json = excluded.state_json"), "{tail}");
        assert!(
            tail.contains("is_repeat = max(complaints.is_repeat, excluded.is_repeat)"),
            "{tail}"
        );
        assert!(!tail.contains("id = excluded.id,"), "{tail}");
    }

    #[test]
    fn the_stored_state_leaves_the_notes_out_and_the_detail_folds_them_back() {
        let id = ComplaintId::new_v7(1_772_416_800_000, [1; 10]);
        let note = |n, text: &str| event(id, n, EventKind::NoteAdded { text: text.into() });
        let events = [created(id), note(2, "先到的备注"), note(3, "第二条")];
        let state = siteline_model::fold_in_order(events.iter()).expect("created");
        assert_eq!(state.notes.len(), 2);
        let json = with_row(&state, |row| row.state_json);
        let stored: Complaint = serde_json::from_str(&json).expect("decodes");
        assert!(stored.notes.is_empty(), "{json}");
        assert!(!json.contains("先到的备注"));
        let shown = with_notes(stored, events.iter());
        assert_eq!(shown, state, "the detail shows what the fold holds");
    }
}
