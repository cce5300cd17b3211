//! The Chinese and English names of the register's enums (status, severity, channel), one
//! definition for the app's labels and the server's exports.

use crate::complaint::{Channel, Severity, Status};

/// `(zh, en)` of a status.
pub fn status(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Received => ("已受理", "Received"),
        Status::Dispatched => ("已派单", "Dispatched"),
        Status::Accepted => ("已签收", "Signed for"),
        Status::InProgress => ("处理中", "In progress"),
        Status::Handled => ("已处理", "Handled"),
        Status::Replied => ("已答复", "Replied"),
        Status::FollowedUp => ("已回访", "Followed up"),
        Status::Closed => ("已完结", "Closed"),
        Status::Withdrawn => ("已撤诉", "Withdrawn"),
        Status::Merged => ("已合并", "Merged"),
    }
}

/// `(zh, en)` of a severity.
pub fn severity(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::Major => ("重大", "Major"),
        Severity::Important => ("重要", "Important"),
        Severity::Minor => ("轻微", "Minor"),
    }
}

/// `(zh, en)` of a channel.
pub fn channel(c: Channel) -> (&'static str, &'static str) {
    match c {
        Channel::Phone => ("来电", "Phone"),
        Channel::Visit => ("来访", "Visit"),
        Channel::Letter => ("来函", "Letter"),
        Channel::Fax => ("传真", "Fax"),
        Channel::CommentBox => ("意见箱", "Comment box"),
        Channel::Online => ("网上", "Online"),
        Channel::Patrol => ("巡查", "Patrol"),
        Channel::Other => ("其他", "Other"),
    }
}

/// `(zh, en)` of a follow-up's satisfaction.
pub fn satisfaction(s: crate::complaint::Satisfaction) -> (&'static str, &'static str) {
    use crate::complaint::Satisfaction;
    match s {
        Satisfaction::Satisfied => ("满意", "Satisfied"),
        Satisfaction::Basic => ("基本满意", "Basically satisfied"),
        Satisfaction::Unsatisfied => ("不满意", "Unsatisfied"),
    }
}

/// `(zh, en)` of what an event did, by its kind's code (`EventKind::code`), without its details
/// (exports name the last action so); `None` for an unknown code.
pub fn event_code(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "created" => ("受理登记", "Recorded"),
        "edited" => ("修改登记内容", "Edited"),
        "status_changed" => ("状态变更", "Status changed"),
        "note_added" => ("备注", "Note"),
        "number_assigned" => ("分配编号", "Number assigned"),
        "dispatched" => ("派单", "Dispatched"),
        "accepted" => ("部门签收", "Signed for"),
        "started" => ("开始处理", "Work started"),
        "handled" => ("处理完成", "Handled"),
        "replied" => ("答复投诉人", "Replied"),
        "followed_up" => ("回访", "Follow-up"),
        "closed" => ("已完结", "Closed"),
        "transferred" => ("转派", "Transferred"),
        "returned" => ("退单", "Returned"),
        "withdrawn" => ("撤诉", "Withdrawn"),
        "merged" => ("合并", "Merged"),
        "escalated" => ("自动升级", "Escalated"),
        "attachments_added" => ("添加照片", "Photos added"),
        _ => return None,
    })
}
