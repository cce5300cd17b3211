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
    /// 已回访: followed up, complainant (basically) satisfied; ready to close.
    FollowedUp,
    Closed,
    Withdrawn,
    /// Merged into another complaint as a duplicate.
    Merged,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Received,
        Status::Dispatched,
        Status::Accepted,
        Status::InProgress,
        Status::Handled,
        Status::Replied,
        Status::FollowedUp,
        Status::Closed,
        Status::Withdrawn,
        Status::Merged,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Dispatched => "dispatched",
            Status::Accepted => "accepted",
            Status::InProgress => "in_progress",
            Status::Handled => "handled",
            Status::Replied => "replied",
            Status::FollowedUp => "followed_up",
            Status::Closed => "closed",
            Status::Withdrawn => "withdrawn",
            Status::Merged => "merged",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Status::Closed | Status::Withdrawn | Status::Merged)
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
    /// The more severe of two (重大 > 重要 > 轻微).
    pub fn max_severity(self, other: Severity) -> Severity {
        self.min(other)
    }
}

/// 投诉性质: an effective complaint (a real failure) or a communication complaint (沟通性).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    /// 有效投诉
    #[default]
    Effective,
    /// 求助型
    Help,
    /// 咨询型
    Enquiry,
    /// 发泄型
    Venting,
}

impl Nature {
    pub const ALL: [Nature; 4] = [
        Nature::Effective,
        Nature::Help,
        Nature::Enquiry,
        Nature::Venting,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Nature::Effective => "effective",
            Nature::Help => "help",
            Nature::Enquiry => "enquiry",
            Nature::Venting => "venting",
        }
    }
    pub fn parse(code: &str) -> Option<Nature> {
        Nature::ALL.into_iter().find(|s| s.code() == code)
    }
    pub fn is_communication(self) -> bool {
        self != Nature::Effective
    }
}

/// 客户类型
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CustomerType {
    #[default]
    Owner,
    Tenant,
    Visitor,
    Other,
}

impl CustomerType {
    pub const ALL: [CustomerType; 4] = [
        CustomerType::Owner,
        CustomerType::Tenant,
        CustomerType::Visitor,
        CustomerType::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            CustomerType::Owner => "owner",
            CustomerType::Tenant => "tenant",
            CustomerType::Visitor => "visitor",
            CustomerType::Other => "other",
        }
    }
    pub fn parse(code: &str) -> Option<CustomerType> {
        CustomerType::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// 满意度 at follow-up (回访).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    Satisfied,
    Basic,
    Unsatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] = [
        Satisfaction::Satisfied,
        Satisfaction::Basic,
        Satisfaction::Unsatisfied,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::Basic => "basic",
            Satisfaction::Unsatisfied => "unsatisfied",
        }
    }
    pub fn parse(code: &str) -> Option<Satisfaction> {
        Satisfaction::ALL.into_iter().find(|s| s.code() == code)
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
    /// 班组 / department handler: signs for, handles and returns dispatched complaints.
    Handler,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Staff => "staff",
            Role::Handler => "handler",
        }
    }
    pub fn parse(code: &str) -> Option<Role> {
        [Role::Admin, Role::Supervisor, Role::Staff, Role::Handler]
            .into_iter()
            .find(|r| r.code() == code)
    }
    /// Supervisors and admins watch the whole board.
    pub fn sees_board(self) -> bool {
        matches!(self, Role::Admin | Role::Supervisor)
    }
}

/// 投诉人: may be anonymous (匿名).
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Complainant {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// 房号 unit / room.
    #[serde(default)]
    pub unit: Option<String>,
    /// 客户类型 of a known complainant; none for an anonymous one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_type: Option<CustomerType>,
    #[serde(default)]
    pub anonymous: bool,
}

/// A photo or file kept by content hash (uploaded separately from the events).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AttachmentRef {
    pub sha256: String,
    pub size: u64,
    pub content_type: String,
}

/// GPS position in 1e-7 degrees (integers keep the record exactly comparable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Gps {
    pub lat_e7: i32,
    pub lon_e7: i32,
}

/// An event the fold could not apply (e.g. a second dispatch made offline on another tablet).
/// It stays in the timeline, marked, so nothing anyone did is hidden.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub event_id: EventId,
    pub code: String,
}

/// An automatic escalation recorded on the complaint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    pub event_id: EventId,
    pub to: Severity,
    pub rule: String,
    pub at: Timestamp,
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
    /// site › building › floor › area, chosen from the site's location tree (may be empty).
    pub location_path: Vec<String>,
    pub site: String,
    pub gps: Option<Gps>,
    /// 业主要求
    pub wants: String,
    /// 被投诉部门/人
    pub against: String,
    pub nature: Nature,
    /// 承诺答复时间
    pub promised_reply_at: Option<Timestamp>,
    pub attachments: Vec<AttachmentRef>,
    /// Department currently responsible (after 派单 / 转派).
    pub department: Option<String>,
    /// Every department it was ever dispatched or transferred to, first first (who may read it).
    #[serde(default)]
    pub departments: Vec<String>,
    pub dispatched_at: Option<Timestamp>,
    pub accepted_at: Option<Timestamp>,
    pub handled_at: Option<Timestamp>,
    pub replied_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    /// 补救措施 and 纠正措施, recorded separately.
    pub remedial: String,
    pub corrective: String,
    pub reply: String,
    pub satisfaction: Option<Satisfaction>,
    pub reopen_count: u32,
    /// Reason when withdrawn (撤诉) or returned (退单).
    pub reason: String,
    pub withdrawn_voluntarily: Option<bool>,
    pub merged_into: Option<ComplaintId>,
    pub escalations: Vec<Escalation>,
    pub conflicts: Vec<Conflict>,
}

impl Complaint {
    /// The number to show: canonical once assigned, else the provisional one.
    pub fn display_number(&self) -> &str {
        self.number.as_deref().unwrap_or(&self.provisional_number)
    }
}
