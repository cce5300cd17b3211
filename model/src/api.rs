//! HTTP API payloads other than sync: login, complaint listing, and the error body.

use crate::complaint::{Channel, Role, Severity, Status};
use crate::ids::ComplaintId;
use crate::time::Timestamp;
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
