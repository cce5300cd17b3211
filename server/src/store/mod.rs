//! The storage interface the HTTP layer needs; SQL dialects live only in the implementations.

pub mod sqlite;
mod sqlite_sync;

use crate::error::Result;
use async_trait::async_trait;
use serde::Serialize;
use siteline_model::api::{ComplaintSummary, UserInfo};
use siteline_model::sync::{PushResult, SyncedEvent};
use siteline_model::{
    Complaint, ComplaintId, DeviceId, Event, EventId, EventKind, Role, Severity, Status, Timestamp,
};

pub use sqlite::SqliteStore;

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
    pub password_hash: String,
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

/// One site as `GET /api/v1/sites` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SiteInfo {
    pub code: String,
    pub name: String,
    /// Every node of the location tree as a full label, e.g. `1栋 › 3F 电梯厅`, in tree order.
    pub locations: Vec<String>,
}

/// Separator between the levels of a location label.
pub const LOCATION_SEPARATOR: &str = " › ";

/// Optional filters of `GET /api/v1/complaints`.
#[derive(Clone, Debug, Default)]
pub struct ComplaintFilter {
    pub status: Option<Status>,
    pub severity: Option<Severity>,
    pub category: Option<String>,
    pub limit: u32,
}

/// One complaint with everything known about it.
#[derive(Clone, Debug)]
pub struct ComplaintDetail {
    pub summary: ComplaintSummary,
    pub state: Complaint,
    pub events: Vec<SyncedEvent>,
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
    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()>;
    /// The session of a token hash, expired or not (the caller decides).
    async fn find_session(&self, token_hash: &str) -> Result<Option<Session>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
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
    /// Code of the default site (numbers complaints), if any site exists.
    async fn default_site_code(&self) -> Result<Option<String>>;
    async fn list_sites(&self) -> Result<Vec<SiteInfo>>;

    // --- sync ---
    /// Stores already-validated events idempotently, in one serialized transaction: one result
    /// per event in order (`accepted` with the stored seq, or `rejected` `id_conflict`), assigns
    /// canonical numbers (site `site_code`) to newly created complaints by appending server
    /// `NumberAssigned` events, and refreshes the projection of every touched complaint.
    async fn push(
        &self,
        events: &[Event],
        site_code: &str,
        now: Timestamp,
    ) -> Result<Vec<PushResult>>;
    /// Events with `seq > after` in seq order, at most `limit`; and whether more follow.
    /// A cursor is only safe if no smaller seq can commit later: SQLite guarantees it by
    /// serializing writers; a Postgres implementation must too (e.g. a push-wide advisory lock).
    async fn pull(&self, after: u64, limit: u32) -> Result<(Vec<SyncedEvent>, bool)>;

    // --- complaints (projection) ---
    async fn list_complaints(&self, filter: &ComplaintFilter) -> Result<Vec<ComplaintSummary>>;
    async fn get_complaint(&self, id: ComplaintId) -> Result<Option<ComplaintDetail>>;
}

/// The projection row of a folded complaint (shared by every implementation).
pub fn summary_of(state: &Complaint, received_at: Timestamp) -> ComplaintSummary {
    ComplaintSummary {
        id: state.id,
        number: state.display_number().to_string(),
        provisional_number: state.provisional_number.clone(),
        status: state.status,
        severity: state.severity,
        category: state.category.clone(),
        channel: state.channel,
        location: state.location.clone(),
        description: state.description.clone(),
        created_by: state.created_by.clone(),
        created_at: state.captured_at,
        received_at,
    }
}

/// Parses an enum code stored in a text column.
pub(crate) fn parse_code<T>(what: &str, code: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(code)
        .ok_or_else(|| crate::error::Error::Internal(format!("stored {what} is unknown: {code}")))
}

/// The server's `NumberAssigned` event for a newly stored `Created` event: a new UUIDv7,
/// device `DeviceId::SERVER`, author `system`, captured now, one logical tick after the creation.
pub fn number_event(created: &Event, number: String, now: Timestamp) -> Event {
    Event {
        id: EventId::new_v7(now.millis(), rand::random()),
        complaint_id: created.complaint_id,
        device_id: DeviceId::SERVER,
        author: SYSTEM_AUTHOR.into(),
        captured_at: now,
        lamport: created.lamport.saturating_add(1),
        kind: EventKind::NumberAssigned { number },
    }
}

/// Author of the events the server writes itself.
pub const SYSTEM_AUTHOR: &str = "system";
