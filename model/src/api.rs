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
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The department of a handler (班组), e.g. `engineering`.
    #[serde(default)]
    pub department: Option<String>,
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
