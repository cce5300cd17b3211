//! Events: the append-only stream a complaint is made of. Each carries author, device and capture time.

use crate::complaint::{Channel, Complainant, Severity, Status};
use crate::ids::{ComplaintId, DeviceId, EventId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// One thing that happened to a complaint, as captured on a device (or by the server).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum EventKind {
    /// 受理: the complaint is recorded.
    Created(NewComplaint),
    /// Fields corrected after capture; `None` leaves a field as it was.
    Edited(ComplaintPatch),
    /// Lifecycle step.
    StatusChanged {
        to: Status,
        #[serde(default)]
        reason: Option<String>,
    },
    /// A progress note.
    NoteAdded { text: String },
    /// The server's canonical 编号, written once on first receipt.
    NumberAssigned { number: String },
}

impl EventKind {
    pub fn code(&self) -> &'static str {
        match self {
            EventKind::Created(_) => "created",
            EventKind::Edited(_) => "edited",
            EventKind::StatusChanged { .. } => "status_changed",
            EventKind::NoteAdded { .. } => "note_added",
            EventKind::NumberAssigned { .. } => "number_assigned",
        }
    }
}

/// The register fields captured at intake.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
}
