//! The complaint record (《客户投诉登记表》) as folded from its events, and its enumerations.

use crate::ids::{ComplaintId, DeviceId, EventId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Where a complaint is in its lifecycle (受理 → 派单 → 签收 → 处理中 → 已处理 → 已答复 → 已完结 / 撤诉).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Received,
    Dispatched,
    Accepted,
    InProgress,
    Handled,
    Replied,
    Closed,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Received,
        Status::Dispatched,
        Status::Accepted,
        Status::InProgress,
        Status::Handled,
        Status::Replied,
        Status::Closed,
        Status::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Dispatched => "dispatched",
            Status::Accepted => "accepted",
            Status::InProgress => "in_progress",
            Status::Handled => "handled",
            Status::Replied => "replied",
            Status::Closed => "closed",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Status::Closed | Status::Withdrawn)
    }
}

/// 级别: 重大 major · 重要 important · 轻微 minor.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Major,
    Important,
    #[default]
    Minor,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Major, Severity::Important, Severity::Minor];
    pub fn code(self) -> &'static str {
        match self {
            Severity::Major => "major",
            Severity::Important => "important",
            Severity::Minor => "minor",
        }
    }
    pub fn parse(code: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// 渠道: how the complaint reached staff.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Phone,
    #[default]
    Visit,
    Letter,
    Fax,
    CommentBox,
    Online,
    Patrol,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 8] = [
        Channel::Visit,
        Channel::Phone,
        Channel::Letter,
        Channel::Fax,
        Channel::CommentBox,
        Channel::Online,
        Channel::Patrol,
        Channel::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Visit => "visit",
            Channel::Letter => "letter",
            Channel::Fax => "fax",
            Channel::CommentBox => "comment_box",
            Channel::Online => "online",
            Channel::Patrol => "patrol",
            Channel::Other => "other",
        }
    }
    pub fn parse(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Who may do what. `Admin` may do everything any role may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Supervisor,
    Staff,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Staff => "staff",
        }
    }
    pub fn parse(code: &str) -> Option<Role> {
        [Role::Admin, Role::Supervisor, Role::Staff]
            .into_iter()
            .find(|r| r.code() == code)
    }
    /// Supervisors and admins watch the whole board.
    pub fn sees_board(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor)
    }
}

/// 投诉人: may be anonymous (both fields empty).
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Complainant {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A progress note on the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub event_id: EventId,
    pub author: String,
    pub captured_at: Timestamp,
    pub text: String,
}

/// The current state of one complaint: a deterministic fold of its events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    pub id: ComplaintId,
    /// Canonical 编号, assigned by the server on first sync.
    pub number: Option<String>,
    /// Provisional number given offline by the capturing device.
    pub provisional_number: String,
    pub status: Status,
    pub severity: Severity,
    pub category: String,
    pub channel: Channel,
    pub location: String,
    pub description: String,
    pub complainant: Complainant,
    /// 受理人: who captured it.
    pub created_by: String,
    pub device_id: DeviceId,
    /// 受理时间: device time when staff saved it.
    pub captured_at: Timestamp,
    /// Latest capture time among its events.
    pub updated_at: Timestamp,
    pub notes: Vec<Note>,
    pub event_count: u32,
    pub last_lamport: u64,
}

impl Complaint {
    /// The number to show: canonical once assigned, else the provisional one.
    pub fn display_number(&self) -> &str {
        self.number.as_deref().unwrap_or(&self.provisional_number)
    }
}
