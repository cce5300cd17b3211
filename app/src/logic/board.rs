//! Board and work lists: columns by status (closed, withdrawn and merged share one "已结束" column),
//! the filter bar, and who sees what on `/` (handlers: their department's; others: their own).

use siteline_model::api::UserInfo;
use siteline_model::overdue;
use siteline_model::timelimit::{Clock, DeadlineState};
use siteline_model::{Complaint, Role, Status, Timestamp};

pub use super::board_filter::Filter;

/// A board column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Open(Status),
    /// 已结束: closed, withdrawn or merged.
    Ended,
}

impl Column {
    pub fn code(self) -> &'static str {
        match self {
            Column::Open(s) => s.code(),
            Column::Ended => "ended",
        }
    }
}

/// The board's columns, in lifecycle order.
pub fn columns() -> Vec<Column> {
    Status::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(Column::Open)
        .chain([Column::Ended])
        .collect()
}

pub fn column_of(s: Status) -> Column {
    if s.is_open() {
        Column::Open(s)
    } else {
        Column::Ended
    }
}

/// One card: the complaint and its deadline summary as of the board's clock tick.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub complaint: Complaint,
    pub worst: Option<DeadlineState>,
    /// Some deadline is running and already overdue.
    pub overdue_now: bool,
}

/// Cards for complaints, with deadlines computed on the site's clock at `now`; most severe and most
/// urgent first, then newest.
pub fn cards<'a>(
    complaints: impl IntoIterator<Item = &'a Complaint>,
    clock: &Clock,
    now: Timestamp,
) -> Vec<Card> {
    let mut v: Vec<Card> = complaints
        .into_iter()
        .map(|c| {
            let summary = overdue::summarize(c, &clock.deadlines(c, now), now);
            Card {
                worst: summary.worst,
                overdue_now: summary.overdue_now,
                complaint: c.clone(),
            }
        })
        .collect();
    v.sort_by(|a, b| {
        let urgency = |c: &Card| std::cmp::Reverse(c.worst.map_or(0, overdue::badness));
        a.complaint
            .severity
            .cmp(&b.complaint.severity)
            .then(urgency(a).cmp(&urgency(b)))
            .then(b.complaint.captured_at.cmp(&a.complaint.captured_at))
    });
    v
}

/// Which list `/` shows a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkList {
    /// A handler's department's complaints.
    Department,
    /// What the user captured.
    Own,
}

pub fn work_list_kind(user: &UserInfo) -> WorkList {
    if user.role == Role::Handler {
        WorkList::Department
    } else {
        WorkList::Own
    }
}

/// The complaints on a user's `/` list: open ones first, then newest first.
pub fn work_list<'a>(
    user: &UserInfo,
    complaints: impl IntoIterator<Item = &'a Complaint>,
) -> Vec<&'a Complaint> {
    let kind = work_list_kind(user);
    let mut v: Vec<&Complaint> = complaints
        .into_iter()
        .filter(|c| match kind {
            WorkList::Department => {
                user.department.is_some() && c.department.as_deref() == user.department.as_deref()
            }
            WorkList::Own => c.created_by == user.username,
        })
        .collect();
    v.sort_by(|a, b| {
        b.status
            .is_open()
            .cmp(&a.status.is_open())
            .then(b.captured_at.cmp(&a.captured_at))
            .then(b.id.cmp(&a.id))
    });
    v
}
