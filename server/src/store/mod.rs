//! The storage interface the HTTP layer needs; SQL dialects live only in the implementations.

mod cells;
#[cfg(test)]
mod conformance;
pub mod error;
pub mod postgres;
mod rows;
mod shared;
pub mod sqlite;
mod traits;

use crate::store::error::Result;
use siteline_model::api::{ComplaintSummary, CustomCategory, SiteDay, SiteInfo, UserInfo};
use siteline_model::calendar::WorkingHours;
use siteline_model::sync::{PushResult, SyncedEvent};
use siteline_model::timelimit::Policy;
use siteline_model::{
    AttachmentRef, Complaint, ComplaintId, DeviceId, Event, Role, Severity, Status, Timestamp,
};

pub use postgres::PgStore;
pub(crate) use shared::parse_code;
pub use shared::{
    escalation_event, number_event, resolve_site, summary_of, BatchStates, FOLD_VERSION,
    RULE_REPEAT, RULE_UNRESOLVED, SYSTEM_AUTHOR,
};
pub use sqlite::SqliteStore;
pub use traits::*;

/// A stored event as a pull reads it: its seq, receipt time and JSON body as stored, which a
/// reader that needs no redaction sends on without decoding it (`http::pull_wire`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawEvent {
    pub seq: u64,
    pub received_at: Timestamp,
    pub body: String,
}

impl RawEvent {
    /// The event decoded (for readers whose copy is redacted, and for tests).
    pub fn parse(&self) -> Result<SyncedEvent> {
        Ok(SyncedEvent {
            seq: self.seq,
            received_at: self.received_at,
            event: rows::parse_event(&self.body)?,
        })
    }
}

/// A stored report with its user.
#[derive(Clone, Debug)]
pub struct FleetRow {
    pub report: siteline_model::fleet::DeviceReport,
    pub username: String,
    pub display_name: String,
    pub last_seen: Timestamp,
}

/// A user row as the auth layer needs it.
#[derive(Clone, Debug)]
pub struct UserRecord {
    pub id: i64,
    pub info: UserInfo,
    pub password_hash: String,
}

/// A user to create (the password is already hashed).
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// A department code (required for handlers, checked by the caller).
    pub department: Option<String>,
    pub password_hash: String,
    /// Codes of the sites the user works at (known sites; empty for admins).
    pub sites: Vec<String>,
}

/// An admin's edit of a user: `None` keeps a field. A new password hash or disabling revokes
/// the user's sessions.
#[derive(Clone, Debug, Default)]
pub struct UserUpdate {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    /// `Some(None)` clears the department.
    pub department: Option<Option<String>>,
    pub sites: Option<Vec<String>>,
    pub disabled: Option<bool>,
    pub password_hash: Option<String>,
}

/// The user a bearer token belongs to, and when the token expires.
#[derive(Clone, Debug)]
pub struct Session {
    pub user: UserRecord,
    pub expires_at: Timestamp,
}

/// A node of a site's location tree (building › floor › area).
#[derive(Clone, Debug)]
pub struct LocationNode {
    pub name: String,
    pub children: Vec<LocationNode>,
}

impl LocationNode {
    pub fn leaf(name: &str) -> LocationNode {
        LocationNode {
            name: name.into(),
            children: Vec::new(),
        }
    }
    pub fn branch(name: &str, children: Vec<LocationNode>) -> LocationNode {
        LocationNode {
            name: name.into(),
            children,
        }
    }
    /// This node and every node under it.
    pub fn count(&self) -> usize {
        1 + self.children.iter().map(LocationNode::count).sum::<usize>()
    }
}

/// Separator between the levels of a location label.
pub const LOCATION_SEPARATOR: &str = " › ";

/// Which complaints a reader may see, as storage filters them (the rule is
/// `siteline_model::access`; this is its storage form, built by `visibility::scope_of`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ReadScope {
    /// Every complaint (admins).
    #[default]
    All,
    /// The complaints of these sites.
    Sites(Vec<String>),
    /// The complaints of these sites that the department ever had.
    Department {
        sites: Vec<String>,
        department: String,
    },
}

/// Filters of `GET /api/v1/complaints` that storage applies (overdue is computed by the caller).
#[derive(Clone, Debug, Default)]
pub struct ComplaintFilter {
    /// Who is reading: only what they may see.
    pub scope: ReadScope,
    /// Only this site's complaints.
    pub site: Option<String>,
    /// Any of these statuses (empty = all).
    pub statuses: Vec<Status>,
    pub severity: Option<Severity>,
    /// A category code; a top-level code also matches its sub-categories.
    pub category: Option<String>,
    /// Further codes `category` matches: the site categories added under it.
    pub category_children: Vec<String>,
    /// Department currently responsible.
    pub department: Option<String>,
    /// Substring of the description, location or number (canonical or provisional).
    pub q: Option<String>,
    /// Captured at or after.
    pub from: Option<Timestamp>,
    /// Captured before.
    pub to: Option<Timestamp>,
    /// Only complaints overdue at this time: a limit still running was due before it (each
    /// complaint's next due instant, `model::overdue::next_due`, is kept indexed).
    pub overdue_at: Option<Timestamp>,
    /// At most this many rows (`None`: all, the caller pages).
    pub limit: Option<u32>,
    pub offset: u32,
    /// Only rows after this one in the list's order (newest capture first): `(captured_at, id)`.
    pub before: Option<(Timestamp, ComplaintId)>,
}

/// A shared report link as stored (its token only as a hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareRecord {
    pub id: String,
    pub created_by: i64,
    pub created_by_name: String,
    pub site: Option<String>,
    /// The creator's sites when the link was made (`None`: an admin's link, every site).
    pub scope_sites: Option<Vec<String>>,
    /// `yyyymm`, `to_month` exclusive.
    pub from_month: u32,
    pub to_month: u32,
    pub period: siteline_model::report::Period,
    pub label: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub open_count: u64,
    pub last_opened_at: Option<Timestamp>,
}

/// A link to store: its record (counters zero) and the hash of its token.
#[derive(Clone, Debug)]
pub struct NewShare {
    pub record: ShareRecord,
    pub token_hash: String,
}

/// What `GET /api/v1/reports/summary` asks storage to aggregate.
#[derive(Clone, Debug)]
pub struct ReportQuery {
    /// Start of the first month (China time).
    pub from: Timestamp,
    /// Start of the month after the last.
    pub to: Timestamp,
    /// The same range as `yyyymm` months, `to_month` exclusive (reports cover whole months).
    pub from_month: u32,
    pub to_month: u32,
    /// One site, or all.
    pub site: Option<String>,
    /// The sites the reader may see (`None`: all).
    pub scope_sites: Option<Vec<String>>,
    pub period: siteline_model::report::Period,
    /// Open complaints past a limit at this time count as late.
    pub now: Timestamp,
    /// At most this many recurring problems.
    pub recurring_limit: u32,
}

/// A complaint's projection: its summary, the site it belongs to and its folded state.
#[derive(Clone, Debug)]
pub struct ComplaintRow {
    pub summary: ComplaintSummary,
    pub site_code: String,
    pub state: Complaint,
}

/// One complaint with everything known about it.
#[derive(Clone, Debug)]
pub struct StoredComplaint {
    pub row: ComplaintRow,
    /// Its events in server order.
    pub events: Vec<SyncedEvent>,
}

/// A resumable upload under way: one per user and file. Its chunks are staged in the
/// database, so any server process can take the next one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadRecord {
    /// 32 lowercase hex digits, made by the server.
    pub id: String,
    pub user_id: i64,
    pub sha256: String,
    /// Declared size of the whole file.
    pub size: u64,
    /// Bytes staged so far (the next chunk starts here).
    pub received: u64,
    pub created_at: Timestamp,
}

/// What appending a chunk to an upload did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Appended {
    /// Stored: the upload now holds this many bytes.
    To(u64),
    /// The upload stands elsewhere (another request took this offset first): nothing stored.
    Mismatch { received: u64 },
    /// No such upload (finished, expired or discarded meanwhile).
    Gone,
}

/// Where imported events came from; recorded with each event an import stores.
#[derive(Clone, Debug)]
pub struct ImportInfo {
    /// Username of the supervisor or admin who imported the export.
    pub imported_by: String,
    /// The exporting device and time, as the export says.
    pub device_id: DeviceId,
    pub exported_at: Timestamp,
}

/// Rules a new pushed event must pass given the current states (folded from the stored events
/// and the accepted events of the same batch): its complaint's, and any complaint it names (a
/// merge target). Checked inside the push transaction; an accepted event is applied on top of
/// exactly the state checked (the fold follows the commit order).
pub trait PushGate: Send + Sync {
    /// Why `ev` may not be stored, or `None` if it may.
    fn check(&self, ev: &Event, states: &BatchStates) -> Option<PushResult>;
}
