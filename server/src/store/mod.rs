//! The storage interface the HTTP layer needs; SQL dialects live only in the implementations.

mod shared;
pub mod sqlite;
mod sqlite_attach;
mod sqlite_escalate;
mod sqlite_fleet;
mod sqlite_pull;
mod sqlite_push;
mod sqlite_query;
mod sqlite_report;
mod sqlite_shares;
mod sqlite_sites;
mod sqlite_sync;
mod sqlite_users;

use crate::error::Result;
use async_trait::async_trait;
use siteline_model::api::{ComplaintSummary, CustomCategory, SiteDay, SiteInfo, UserInfo};
use siteline_model::calendar::WorkingHours;
use siteline_model::sync::{PushResult, SyncedEvent};
use siteline_model::timelimit::Policy;
use siteline_model::{
    AttachmentRef, Complaint, ComplaintId, DeviceId, Event, Role, Severity, Status, Timestamp,
};

pub(crate) use shared::parse_code;
pub use shared::{
    escalation_event, number_event, resolve_site, summary_of, BatchStates, FOLD_VERSION,
    RULE_REPEAT, RULE_UNRESOLVED, SYSTEM_AUTHOR,
};
pub use sqlite::SqliteStore;
pub use sqlite_fleet::FleetRow;

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

/// A resumable upload under way: one per user and file (its bytes are staged by the caller).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadRecord {
    /// 32 lowercase hex digits, made by the server.
    pub id: String,
    pub user_id: i64,
    pub sha256: String,
    /// Declared size of the whole file.
    pub size: u64,
    pub created_at: Timestamp,
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

/// Everything the HTTP layer asks of storage. Object-safe: the app holds an `Arc<dyn Store>`.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Cheap liveness check of the database.
    async fn ping(&self) -> Result<()>;

    // --- users and sessions ---
    async fn count_users(&self) -> Result<u64>;
    /// Fails with `Error::Conflict` if the username is taken.
    async fn create_user(&self, user: NewUser, now: Timestamp) -> Result<UserRecord>;
    async fn list_users(&self) -> Result<Vec<UserInfo>>;
    async fn find_user(&self, username: &str) -> Result<Option<UserRecord>>;
    /// Applies an edit in one transaction (`Error::Validation` for an unknown site); a new
    /// password or disabling revokes every session of the user but `keep_session` (a token
    /// hash). `None` if there is no such user.
    async fn update_user(
        &self,
        username: &str,
        update: &UserUpdate,
        keep_session: Option<&str>,
    ) -> Result<Option<UserRecord>>;
    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()>;
    /// The session of a token hash, expired or not (the caller decides); none for a disabled user.
    async fn find_session(&self, token_hash: &str) -> Result<Option<Session>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    /// Records a device key (its hash) for the user's device.
    async fn create_device_key(
        &self,
        key_hash: &str,
        user_id: i64,
        device_id: DeviceId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()>;
    /// The user a device key belongs to, if it is the given device's, not expired, and the
    /// user is not disabled.
    async fn find_device_key(
        &self,
        key_hash: &str,
        device_id: DeviceId,
        now: Timestamp,
    ) -> Result<Option<UserRecord>>;
    /// Forgets sessions that expired before `before`.
    async fn purge_sessions(&self, before: Timestamp) -> Result<u64>;

    // --- sites ---
    async fn count_sites(&self) -> Result<u64>;
    async fn create_site(
        &self,
        code: &str,
        name: &str,
        is_default: bool,
        locations: &[LocationNode],
        now: Timestamp,
    ) -> Result<()>;
    /// Code of the default site (numbers complaints of no known site), if any site exists.
    async fn default_site_code(&self) -> Result<Option<String>>;
    /// Every site with its locations, policy, hours, own days and categories.
    async fn list_sites(&self) -> Result<Vec<SiteInfo>>;
    async fn get_site(&self, code: &str) -> Result<Option<SiteInfo>>;
    /// Replaces what is given (`None` keeps it). `Error::NotFound` for an unknown site.
    async fn set_site_policy(
        &self,
        code: &str,
        policy: Option<&Policy>,
        hours: Option<&WorkingHours>,
    ) -> Result<()>;
    /// Adds or replaces a site day (`date` canonical `YYYY-MM-DD`). `Error::NotFound` for an unknown site.
    async fn set_site_day(&self, code: &str, day: &SiteDay) -> Result<()>;
    /// `Error::NotFound` for an unknown site or a date the site has no own entry for.
    async fn delete_site_day(&self, code: &str, date: &str) -> Result<()>;
    /// `Error::NotFound` for an unknown site, `Error::Conflict` if the site has the code.
    async fn add_site_category(&self, code: &str, category: &CustomCategory) -> Result<()>;

    // --- fleet sync health ---
    /// Stores a tablet's report for `user_id` (one row per tablet and user), seen at `now`.
    async fn record_device_report(
        &self,
        user_id: i64,
        report: &siteline_model::fleet::DeviceReport,
        now: Timestamp,
    ) -> Result<()>;
    /// Reports of users working at one of `sites` (`None`: all), newest first, at most `limit`.
    async fn fleet(&self, sites: Option<&[String]>, limit: u32) -> Result<Vec<FleetRow>>;

    // --- shared report links ---
    async fn create_share(&self, share: &NewShare) -> Result<()>;
    /// Links made by `created_by` (`None`: everyone's), newest first, at most `limit`.
    async fn list_shares(&self, created_by: Option<i64>, limit: u32) -> Result<Vec<ShareRecord>>;
    async fn get_share(&self, id: &str) -> Result<Option<ShareRecord>>;
    async fn find_share_by_token(&self, token_hash: &str) -> Result<Option<ShareRecord>>;
    /// Marks a link revoked (keeps the first revocation time); `false` if there is no such link.
    async fn revoke_share(&self, id: &str, now: Timestamp) -> Result<bool>;
    /// Counts an opening of a link.
    async fn record_share_open(&self, id: &str, now: Timestamp) -> Result<()>;
    /// Links of `created_by` neither revoked nor expired at `now`.
    async fn count_live_shares(&self, created_by: i64, now: Timestamp) -> Result<u64>;

    // --- sync ---
    /// Stores events idempotently in one serialized transaction: one result per event in order.
    /// An event already stored answers as the first time (or `rejected` `id_conflict` if its
    /// content differs); a new one must pass `gate` first. Newly created complaints get their
    /// canonical number (a server `NumberAssigned` event, under their site, or `default_site`)
    /// and, if they repeat an earlier complaint, a server `Escalated` event; the projection of
    /// every touched complaint is refreshed.
    /// `import`: the events come from an import; each newly stored one is recorded with it.
    /// `sites`: the site list the gate was built from (`list_sites`); their clocks time the batch.
    async fn push(
        &self,
        events: &[Event],
        sites: &[SiteInfo],
        default_site: &str,
        gate: &dyn PushGate,
        import: Option<&ImportInfo>,
        now: Timestamp,
    ) -> Result<Vec<PushResult>>;
    /// Events with `seq > after` in seq order, at most `limit`; and whether more follow.
    /// A cursor is only safe if no smaller seq can commit later: SQLite guarantees it by
    /// serializing writers; a Postgres implementation must too (e.g. a push-wide advisory lock).
    /// `scope` bounds what is returned: a site-scoped reader gets the events of their sites'
    /// complaints; a handler those of complaints their department ever had, where the events
    /// before the department got one are ordered at that moment (`since_seq`), so a cursor
    /// taken earlier still receives them. Answers the page, whether more follow and the cursor.
    async fn pull(
        &self,
        after: u64,
        limit: u32,
        scope: &ReadScope,
    ) -> Result<(Vec<SyncedEvent>, bool, u64)>;

    // --- escalation ---
    /// Escalates to 重大 every open effective complaint unresolved for its site's window, once
    /// per complaint (server `Escalated` events, rule `unresolved_month`). Answers how many.
    async fn escalate_unresolved(&self, now: Timestamp) -> Result<u64>;

    // --- complaints (projection) ---
    /// Newest capture first.
    async fn list_complaints(&self, filter: &ComplaintFilter) -> Result<Vec<ComplaintRow>>;
    async fn get_complaint(&self, id: ComplaintId) -> Result<Option<StoredComplaint>>;
    /// The projection rows of those of `ids` that exist (in no particular order).
    async fn complaint_rows(&self, ids: &[ComplaintId]) -> Result<Vec<ComplaintRow>>;
    /// Counts and rates over the projection (no names or phones).
    async fn report(&self, query: &ReportQuery) -> Result<siteline_model::report::Report>;

    // --- attachments ---
    /// The attachments among `hashes` whose bytes are stored (in no particular order).
    async fn stored_attachments(&self, hashes: &[String]) -> Result<Vec<AttachmentRef>>;
    /// Records that an attachment's bytes are stored; `false` if it already was (the first
    /// record stands).
    async fn record_attachment(
        &self,
        attachment: &AttachmentRef,
        stored_by: &str,
        now: Timestamp,
    ) -> Result<bool>;
    /// The complaints whose current state references the attachment.
    async fn complaints_with_attachment(&self, sha256: &str) -> Result<Vec<ComplaintRow>>;

    // --- resumable uploads ---
    async fn find_upload(&self, user_id: i64, sha256: &str) -> Result<Option<UploadRecord>>;
    async fn get_upload(&self, id: &str) -> Result<Option<UploadRecord>>;
    /// How many uploads the user has under way and their declared bytes in all.
    async fn uploads_of(&self, user_id: i64) -> Result<(u64, u64)>;
    /// `Error::Conflict` if the user already has an upload of that file.
    async fn create_upload(&self, upload: &UploadRecord) -> Result<()>;
    async fn delete_upload(&self, id: &str) -> Result<()>;
    /// Uploads created before `before` (abandoned: the caller removes their bytes and rows).
    async fn uploads_created_before(&self, before: Timestamp) -> Result<Vec<UploadRecord>>;
}
