//! Events: the append-only stream a complaint is made of. Each carries author, device and capture time.

use crate::complaint::{
    AttachmentRef, Channel, Complainant, Gps, Nature, Satisfaction, Severity, Status,
};
use crate::ids::{ComplaintId, DeviceId, EventId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

mod de;

/// One thing that happened to a complaint, as captured on a device (or by the server).
/// `Deserialize` is written by hand (`de`): the same JSON, without `flatten`'s buffering.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    pub id: EventId,
    pub complaint_id: ComplaintId,
    pub device_id: DeviceId,
    /// Username of who did it.
    pub author: String,
    /// Device clock when it was captured: data, never used for ordering.
    pub captured_at: Timestamp,
    /// Logical clock: greater than every event the device had seen when it wrote this one.
    pub lamport: u64,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What happened. The intake's and a correction's fields are boxed: every other kind is a few
/// words, and a device keeps tens of thousands of events in memory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum EventKind {
    /// 受理: the complaint is recorded.
    Created(Box<NewComplaint>),
    /// Fields corrected after capture; `None` leaves a field as it was.
    Edited(Box<ComplaintPatch>),
    /// Direct status change (kept for schema-1 events; admins only).
    StatusChanged {
        to: Status,
        #[serde(default)]
        reason: Option<String>,
    },
    /// A progress note.
    NoteAdded { text: String },
    /// The server's canonical 编号, written once on first receipt.
    NumberAssigned { number: String },
    /// 派单: the 《投诉处理通知单》 goes to a department.
    Dispatched {
        department: String,
        #[serde(default)]
        instructions: String,
    },
    /// 签收: the department signs for the notice.
    Accepted,
    /// 处理中: the department starts work.
    Started,
    /// 已处理: remedial (this case) and corrective (stop it recurring) actions.
    Handled {
        remedial: String,
        corrective: String,
    },
    /// 已答复: the result is reported to the complainant.
    Replied { content: String },
    /// 回访: follow-up with satisfaction; 不满意 reopens to the department.
    FollowedUp {
        satisfaction: Satisfaction,
        #[serde(default)]
        note: String,
    },
    /// 已完结
    Closed {
        #[serde(default)]
        summary: String,
    },
    /// 转派: to another department.
    Transferred { department: String, reason: String },
    /// 退单: the department returns it to the desk.
    Returned { reason: String },
    /// 撤诉, with the reason and whether it was checked to be voluntary.
    Withdrawn { reason: String, voluntary: bool },
    /// A duplicate merged into another complaint.
    Merged { into: ComplaintId },
    /// Automatic escalation written by the server (`unresolved_month`, `repeat_complaint`).
    Escalated {
        to: Severity,
        rule: String,
        #[serde(default)]
        related: Option<ComplaintId>,
    },
    /// Photos added after capture (e.g. "after" photos when handled).
    AttachmentsAdded { attachments: Vec<AttachmentRef> },
}

impl EventKind {
    pub fn code(&self) -> &'static str {
        match self {
            EventKind::Created(_) => "created",
            EventKind::Edited(_) => "edited",
            EventKind::StatusChanged { .. } => "status_changed",
            EventKind::NoteAdded { .. } => "note_added",
            EventKind::NumberAssigned { .. } => "number_assigned",
            EventKind::Dispatched { .. } => "dispatched",
            EventKind::Accepted => "accepted",
            EventKind::Started => "started",
            EventKind::Handled { .. } => "handled",
            EventKind::Replied { .. } => "replied",
            EventKind::FollowedUp { .. } => "followed_up",
            EventKind::Closed { .. } => "closed",
            EventKind::Transferred { .. } => "transferred",
            EventKind::Returned { .. } => "returned",
            EventKind::Withdrawn { .. } => "withdrawn",
            EventKind::Merged { .. } => "merged",
            EventKind::Escalated { .. } => "escalated",
            EventKind::AttachmentsAdded { .. } => "attachments_added",
        }
    }

    /// Events only the server writes.
    pub fn is_server_only(&self) -> bool {
        matches!(
            self,
            EventKind::NumberAssigned { .. } | EventKind::Escalated { .. }
        )
    }
}

/// The register fields captured at intake.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewComplaint {
    pub provisional_number: String,
    pub description: String,
    pub location: String,
    pub category: String,
    #[serde(default)]
    pub severity: Severity,
    #[serde(default)]
    pub channel: Channel,
    #[serde(default)]
    pub complainant: Complainant,
    #[serde(default)]
    pub location_path: Vec<String>,
    #[serde(default)]
    pub site: String,
    #[serde(default)]
    pub gps: Option<Gps>,
    /// 业主要求
    #[serde(default)]
    pub wants: String,
    /// 被投诉部门/人
    #[serde(default)]
    pub against: String,
    #[serde(default)]
    pub nature: Nature,
    /// 承诺答复时间
    #[serde(default)]
    pub promised_reply_at: Option<Timestamp>,
    #[serde(default)]
    pub attachments: Vec<AttachmentRef>,
}

/// A correction of register fields. Absent fields are unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ComplaintPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complainant: Option<Complainant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nature: Option<Nature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wants: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_reply_at: Option<Timestamp>,
}
