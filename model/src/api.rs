//! HTTP API payloads other than sync: login, complaint listing, and the error body.

use crate::calendar::{DayKind, WorkingHours};
use crate::complaint::{AttachmentRef, Channel, Complaint, Role, Severity, Status};
use crate::ids::ComplaintId;
use crate::sync::SyncedEvent;
use crate::time::Timestamp;
use crate::timelimit::{Deadline, Policy};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/auth/login`
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The device logging in: it then also gets a `device_key` bound to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<crate::ids::DeviceId>,
}

/// `POST /api/v1/auth/device`: a new session from a device key (after an offline login).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceLoginRequest {
    pub username: String,
    pub device_id: crate::ids::DeviceId,
    pub device_key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The department of a handler (班组), e.g. `engineering`.
    #[serde(default)]
    pub department: Option<String>,
    /// Codes of the sites the user works at (admins: every site, listed empty).
    #[serde(default)]
    pub sites: Vec<String>,
    /// A disabled user cannot sign in; their sessions were revoked when it was set.
    #[serde(default)]
    pub disabled: bool,
}

/// `POST /api/v1/users` (admin).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateUserRequest {
    pub username: String,
    pub password: String,
    /// `admin` | `supervisor` | `staff` | `handler`
    pub role: String,
    #[serde(default)]
    pub display_name: Option<String>,
    /// Required for handlers: a department code.
    #[serde(default)]
    pub department: Option<String>,
    /// Site codes the user belongs to: required (non-empty) except for admins, who see all.
    #[serde(default)]
    pub sites: Option<Vec<String>>,
}

/// `PATCH /api/v1/users/{username}` (admin): what is absent stays as it is. Disabling revokes
/// every session of the user at once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    /// A department code; `""` clears it (not allowed for handlers).
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub sites: Option<Vec<String>>,
    #[serde(default)]
    pub disabled: Option<bool>,
    /// A new password set by the admin (reset); the user's sessions end.
    #[serde(default)]
    pub password: Option<String>,
}

/// `POST /api/v1/auth/password`: change one's own password; the user's other sessions end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangePasswordRequest {
    pub current: String,
    pub new: String,
}

/// One node of a site's location tree as an admin sends it: a label (`"1栋 › 3F › 电梯厅"`,
/// levels split on `›`) or a named node with children.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LocationInput {
    Label(String),
    Node {
        name: String,
        #[serde(default)]
        children: Vec<LocationInput>,
    },
}

/// `PUT /api/v1/sites/{code}/policy` (admin): what is absent stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<WorkingHours>,
}

/// `PUT /api/v1/sites/{code}/days/{date}` (admin): a holiday or a made-up working day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayUpdate {
    pub kind: DayKind,
}

/// `POST /api/v1/sites` (admin).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSiteRequest {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub locations: Option<Vec<LocationInput>>,
}

/// `PATCH /api/v1/sites/{code}` (admin): a new name, and places added to the site's tree (merged
/// by name under the same parent; nothing is removed, since complaints name their places).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_locations: Vec<LocationInput>,
}

/// `GET /api/v1/setup` (admin): whether the first-run setup is still to be done (only admins so
/// far and a default site without places), the site it sets up, and how many users exist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupStatus {
    pub needed: bool,
    pub site: String,
    pub users: u64,
}

/// A site's own day off or working day on top of the national calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteDay {
    /// `YYYY-MM-DD`
    pub date: String,
    pub kind: DayKind,
}

/// A category a site added (code `custom.<slug>`), under a built-in top-level category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomCategory {
    pub code: String,
    pub parent: String,
    pub zh: String,
    pub en: String,
}

/// `GET /api/v1/sites`: what a device needs to work offline for a site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub code: String,
    pub name: String,
    /// Location labels, `1栋 › 3F › 电梯厅`.
    pub locations: Vec<String>,
    #[serde(default)]
    pub policy: Policy,
    #[serde(default)]
    pub hours: WorkingHours,
    #[serde(default)]
    pub days: Vec<SiteDay>,
    #[serde(default)]
    pub categories: Vec<CustomCategory>,
    /// Who works at the site (admins included), so devices show display names offline.
    #[serde(default)]
    pub people: Vec<Person>,
    /// 常用答复: the site's reply templates, so devices offer them offline.
    #[serde(default)]
    pub replies: Vec<crate::replies::ReplyTemplate>,
}

/// A user as others see them: the login name events carry and the name shown for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub username: String,
    pub display_name: String,
}

/// `GET /api/v1/complaints/{id}`: the summary fields, the folded state, deadlines and the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintDetail {
    #[serde(flatten)]
    pub summary: ComplaintSummary,
    pub captured_at: Timestamp,
    pub state: Complaint,
    pub deadlines: Vec<Deadline>,
    pub attachments: Vec<AttachmentRef>,
    pub events: Vec<SyncedEvent>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub expires_at: Timestamp,
    pub user: UserInfo,
    /// With a `device_id` in the login: a key (64 hex digits) that gets this user a new session
    /// on this device only (`POST /api/v1/auth/device`), valid for 60 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
}

/// One row of `GET /api/v1/complaints`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintSummary {
    pub id: ComplaintId,
    pub number: String,
    pub provisional_number: String,
    pub status: Status,
    pub severity: Severity,
    pub category: String,
    pub channel: Channel,
    pub location: String,
    pub description: String,
    pub created_by: String,
    /// Capture time on the device (受理时间).
    pub created_at: Timestamp,
    /// When the server first received it.
    pub received_at: Timestamp,
}

/// Every error answer: `{"error": {"code": ..., "message": ...}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

/// `events.json` inside an "export unsynced records" ZIP (with `attachments/<sha256>` files beside
/// it), written by the app and imported by a supervisor with `POST /api/v1/import`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportFile {
    pub schema_version: u32,
    pub device_id: crate::ids::DeviceId,
    pub exported_at: Timestamp,
    pub events: Vec<crate::event::Event>,
}

/// `POST /api/v1/shares` (supervisors, admins): a read-only link to a report. `from`/`to` are
/// whole months `yyyy-mm` (`to` exclusive), `period` the breakdown (`month`, `quarter`, `half`,
/// `year`); no `site`: all of the creator's sites.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateShareRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub period: crate::report::Period,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_days: Option<u32>,
}

/// The answer to `POST /api/v1/shares`: the token is shown this once (only its hash is kept).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareCreated {
    pub id: String,
    pub token: String,
    /// The public page, `…/r/{token}`.
    pub url: String,
    pub expires_at: Timestamp,
}

/// A link as its creator lists it (`GET /api/v1/shares`); never the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareInfo {
    pub id: String,
    pub created_by: String,
    pub site: Option<String>,
    /// `yyyy-mm`, `to` exclusive.
    pub from: String,
    pub to: String,
    pub period: crate::report::Period,
    pub label: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub open_count: u64,
    pub last_opened_at: Option<Timestamp>,
}

/// `GET /api/v1/shared/{token}` (no login): the report of a link, aggregates only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedReport {
    pub label: String,
    /// The site's name for a one-site report.
    pub site_name: Option<String>,
    pub expires_at: Timestamp,
    pub report: crate::report::Report,
}
