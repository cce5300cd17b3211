//! The storage traits: one narrow trait per concern, `Store` their sum. SQL dialects live
//! only in the backends (`sqlite/`, `postgres/`).

use super::*;
use async_trait::async_trait;

/// The sync half of storage, which every backend implements today and the conformance suite
/// (`store/conformance.rs`) runs on: ingest, escalation and the scoped pull. The rules are the
/// ingest core's (`crate::ingest`); a backend supplies its transaction steps.
#[async_trait]
pub trait SyncStore: Send + Sync {
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
    /// taken earlier still receives them. `window`: the device window's start
    /// (`siteline_model::window`); the events of complaints finished before it are left out.
    /// Answers the page (each event's body as stored), whether more follow and the cursor.
    async fn pull_raw(
        &self,
        after: u64,
        limit: u32,
        scope: &ReadScope,
        window: Option<Timestamp>,
    ) -> Result<(Vec<RawEvent>, bool, u64)>;

    /// [`Self::pull_raw`] with every event decoded.
    async fn pull(
        &self,
        after: u64,
        limit: u32,
        scope: &ReadScope,
        window: Option<Timestamp>,
    ) -> Result<(Vec<SyncedEvent>, bool, u64)> {
        let (raw, more, cursor) = self.pull_raw(after, limit, scope, window).await?;
        let events = raw.iter().map(RawEvent::parse).collect::<Result<_>>()?;
        Ok((events, more, cursor))
    }

    /// Escalates to 重大 every open effective complaint unresolved for its site's window, once
    /// per complaint (server `Escalated` events, rule `unresolved_month`); `sites` (`list_sites`)
    /// give the windows. One runner at a time, across processes. Answers how many.
    async fn escalate_unresolved(&self, sites: &[SiteInfo], now: Timestamp) -> Result<u64>;
}

/// Users, their sessions and device keys.
#[async_trait]
pub trait UserStore: Send + Sync {
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
}

/// Sites with their locations, time-limit policy, working hours, own days and categories.
#[async_trait]
pub trait SiteStore: Send + Sync {
    async fn count_sites(&self) -> Result<u64>;
    async fn create_site(
        &self,
        code: &str,
        name: &str,
        is_default: bool,
        locations: &[LocationNode],
        now: Timestamp,
    ) -> Result<()>;
    /// Renames a site (`Some`) and merges `add` into its tree: a node named like a sibling is that
    /// node, new ones go after their siblings. `Error::NotFound` for an unknown site.
    async fn update_site(&self, code: &str, name: Option<&str>, add: &[LocationNode])
        -> Result<()>;
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
    /// Applies one edit to a site's reply templates atomically (`siteline_model::replies::apply`)
    /// and answers the new list. `Error::NotFound` for an unknown site or template,
    /// `Error::Conflict` when the site's list is full.
    async fn edit_site_replies(
        &self,
        code: &str,
        edit: &siteline_model::replies::ReplyEdit,
    ) -> Result<Vec<siteline_model::replies::ReplyTemplate>>;
}

/// What tablets report of themselves at each sync (fleet sync health).
#[async_trait]
pub trait FleetStore: Send + Sync {
    /// Stores a tablet's report for `user_id` (one row per tablet and user), seen at `now`.
    async fn record_device_report(
        &self,
        user_id: i64,
        report: &siteline_model::fleet::DeviceReport,
        now: Timestamp,
    ) -> Result<()>;
    /// Reports of users working at one of `sites` (`None`: all), newest first, at most `limit`.
    async fn fleet(&self, sites: Option<&[String]>, limit: u32) -> Result<Vec<FleetRow>>;
}

/// Shared read-only report links (tokens only as hashes).
#[async_trait]
pub trait ShareStore: Send + Sync {
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
}

/// The projection: lists, details, rows and reports.
#[async_trait]
pub trait ComplaintStore: Send + Sync {
    /// Newest capture first.
    async fn list_complaints(&self, filter: &ComplaintFilter) -> Result<Vec<ComplaintRow>>;
    async fn get_complaint(&self, id: ComplaintId) -> Result<Option<StoredComplaint>>;
    /// The projection rows of those of `ids` that exist (in no particular order).
    async fn complaint_rows(&self, ids: &[ComplaintId]) -> Result<Vec<ComplaintRow>>;
    /// Counts and rates over the projection (no names or phones).
    async fn report(&self, query: &ReportQuery) -> Result<siteline_model::report::Report>;
}

/// Attachment records (bytes live in the object store).
#[async_trait]
pub trait AttachmentStore: Send + Sync {
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
}

/// Resumable uploads under way.
#[async_trait]
pub trait UploadStore: Send + Sync {
    async fn find_upload(&self, user_id: i64, sha256: &str) -> Result<Option<UploadRecord>>;
    async fn get_upload(&self, id: &str) -> Result<Option<UploadRecord>>;
    /// How many uploads the user has under way and their declared bytes in all.
    async fn uploads_of(&self, user_id: i64) -> Result<(u64, u64)>;
    /// `Error::Conflict` if the user already has an upload of that file.
    async fn create_upload(&self, upload: &UploadRecord) -> Result<()>;
    /// Appends `bytes` at `offset` only if the upload stands exactly there, atomically: of
    /// requests racing with the same chunk (on any process), one stores it.
    async fn append_upload(&self, id: &str, offset: u64, bytes: &[u8]) -> Result<Appended>;
    /// The staged bytes of an upload, in order.
    async fn upload_bytes(&self, id: &str) -> Result<Vec<u8>>;
    /// Forgets an upload and its staged bytes (none is fine).
    async fn delete_upload(&self, id: &str) -> Result<()>;
    /// Uploads created before `before` (abandoned: the caller deletes them).
    async fn uploads_created_before(&self, before: Timestamp) -> Result<Vec<UploadRecord>>;
}

/// Everything the HTTP layer asks of storage, one narrow trait per concern. Object-safe: the
/// app holds an `Arc<dyn Store>`; a backend implements each part.
#[async_trait]
pub trait Store:
    SyncStore
    + UserStore
    + SiteStore
    + FleetStore
    + ShareStore
    + ComplaintStore
    + AttachmentStore
    + UploadStore
    + Send
    + Sync
    + 'static
{
    /// Cheap liveness check of the database.
    async fn ping(&self) -> Result<()>;
}
