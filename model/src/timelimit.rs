//! Time limits of the procedures: a per-site policy, deadlines computed from capture time on a
//! working-day calendar, their states (ok / due soon / overdue / met), and automatic escalation rules.
//! The same code runs on the tablet (so a basement shows "overdue") and on the server.

use crate::calendar::{add_working_minutes, Calendar, WorkingHours};
use crate::complaint::{Channel, Complaint, Nature, Severity};
use crate::ids::ComplaintId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

/// A site's time limits. Defaults are the procedures' (DOMAIN.md "Time limits").
/// Missing fields take the default, so stored policies survive new fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// 通知单 to the department: clock minutes after receipt.
    pub notice_minutes: i64,
    /// Reply to a verbal complaint (来电/来访): working days.
    pub reply_verbal_working_days: i64,
    /// Reply to any complaint at most: working days.
    pub reply_max_working_days: i64,
    /// 重大: first response, clock hours.
    pub major_respond_hours: i64,
    /// 重大: clear answer, working days.
    pub major_answer_working_days: i64,
    /// 重大: closed, working days.
    pub major_close_working_days: i64,
    /// An effective complaint unresolved this many calendar days becomes 重大.
    pub escalate_unresolved_days: i64,
    /// A new complaint from the same complainant, or at the same location + category, within this
    /// many days is a 二次投诉 and at least 重要.
    pub repeat_window_days: i64,
    /// "Due soon" once this share (percent) of the window is used…
    pub due_soon_percent: i64,
    /// …or this many minutes are left, whichever comes first.
    pub due_soon_minutes: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            notice_minutes: 10,
            reply_verbal_working_days: 1,
            reply_max_working_days: 3,
            major_respond_hours: 3,
            major_answer_working_days: 2,
            major_close_working_days: 10,
            escalate_unresolved_days: 30,
            repeat_window_days: 30,
            due_soon_percent: 80,
            due_soon_minutes: 60,
        }
    }
}

/// Which limit a deadline is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// 派单 within 10 minutes.
    Dispatch,
    /// Reply to the complainant (1 working day for verbal, at most 3).
    Reply,
    /// The reply time promised to the complainant at intake.
    Promised,
    /// 重大: respond within 3 hours.
    MajorRespond,
    /// 重大: clear answer within 2 days.
    MajorAnswer,
    /// 重大: closed within 10 days.
    MajorClose,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    Ok,
    DueSoon,
    Overdue,
    /// Done in time.
    Met,
}

impl DeadlineState {
    pub fn code(self) -> &'static str {
        match self {
            DeadlineState::Ok => "ok",
            DeadlineState::DueSoon => "due_soon",
            DeadlineState::Overdue => "overdue",
            DeadlineState::Met => "met",
        }
    }
}

impl DeadlineKind {
    pub fn code(self) -> &'static str {
        match self {
            DeadlineKind::Dispatch => "dispatch",
            DeadlineKind::Reply => "reply",
            DeadlineKind::Promised => "promised",
            DeadlineKind::MajorRespond => "major_respond",
            DeadlineKind::MajorAnswer => "major_answer",
            DeadlineKind::MajorClose => "major_close",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub due_at: Timestamp,
    pub state: DeadlineState,
    /// When it was done, if it was.
    pub done_at: Option<Timestamp>,
}

/// Everything deadlines depend on besides the complaint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    pub policy: Policy,
    pub calendar: Calendar,
    pub hours: WorkingHours,
}

impl Clock {
    /// The national calendar with default hours and policy.
    pub fn china() -> Clock {
        Clock {
            policy: Policy::default(),
            calendar: Calendar::china(),
            hours: WorkingHours::default(),
        }
    }

    /// A site's clock: the national calendar plus the site's own days, its hours and policy.
    pub fn for_site(site: &crate::api::SiteInfo) -> Clock {
        let mut calendar = Calendar::china();
        for d in &site.days {
            if let Some(day) = crate::calendar::parse_date(&d.date) {
                calendar.set(day, d.kind);
            }
        }
        Clock {
            policy: site.policy.clone(),
            calendar,
            hours: site.hours,
        }
    }

    fn working_days(&self, from: Timestamp, days: i64) -> Timestamp {
        add_working_minutes(
            &self.calendar,
            &self.hours,
            from,
            days * self.hours.day_minutes(),
        )
    }

    /// The deadlines of a complaint as of `now`, from its capture time (受理时间).
    pub fn deadlines(&self, c: &Complaint, now: Timestamp) -> Vec<Deadline> {
        let p = &self.policy;
        let t0 = c.captured_at;
        let closed_or_replied = c.replied_at.or(c.closed_at);
        let mut out = Vec::new();
        let mut push = |kind, due_at: Timestamp, done_at: Option<Timestamp>| {
            out.push(Deadline {
                kind,
                due_at,
                state: self.state(t0, due_at, done_at, now),
                done_at,
            });
        };
        // Answered at the desk without dispatch (communication complaints): no dispatch limit applies.
        let dispatch_done = c.dispatched_at.or(if c.nature != Nature::Effective {
            closed_or_replied
        } else {
            None
        });
        if c.status.is_open() || c.dispatched_at.is_some() {
            push(
                DeadlineKind::Dispatch,
                Timestamp(t0.0 + p.notice_minutes * MIN),
                dispatch_done,
            );
        }
        let verbal = matches!(c.channel, Channel::Phone | Channel::Visit);
        let days = if verbal {
            p.reply_verbal_working_days
        } else {
            p.reply_max_working_days
        };
        let reply_done = c.replied_at.or(if c.status.is_open() {
            None
        } else {
            c.closed_at
        });
        push(DeadlineKind::Reply, self.working_days(t0, days), reply_done);
        if let Some(promised) = c.promised_reply_at {
            push(DeadlineKind::Promised, promised, reply_done);
        }
        if c.severity == Severity::Major {
            // Severity may have been raised later: the major clock starts at the escalation.
            let from = c
                .escalations
                .iter()
                .filter(|e| e.to == Severity::Major)
                .map(|e| e.at)
                .min()
                .unwrap_or(t0);
            let respond = c.accepted_at.or(c.replied_at).or(c.closed_at);
            push(
                DeadlineKind::MajorRespond,
                Timestamp(from.0 + p.major_respond_hours * HOUR),
                respond,
            );
            push(
                DeadlineKind::MajorAnswer,
                self.working_days(from, p.major_answer_working_days),
                reply_done,
            );
            push(
                DeadlineKind::MajorClose,
                self.working_days(from, p.major_close_working_days),
                c.closed_at,
            );
        }
        out
    }

    fn state(
        &self,
        start: Timestamp,
        due: Timestamp,
        done: Option<Timestamp>,
        now: Timestamp,
    ) -> DeadlineState {
        match done {
            Some(d) if d <= due => DeadlineState::Met,
            Some(_) => DeadlineState::Overdue,
            None if now > due => DeadlineState::Overdue,
            None => {
                let window = (due.0 - start.0).max(1);
                let used = now.0 - start.0;
                let soon = used * 100 >= window * self.policy.due_soon_percent
                    || due.0 - now.0 <= self.policy.due_soon_minutes * MIN;
                if soon {
                    DeadlineState::DueSoon
                } else {
                    DeadlineState::Ok
                }
            }
        }
    }

    /// 有效投诉 unresolved for a month → 重大 (if not already).
    pub fn unresolved_escalation_due(&self, c: &Complaint, now: Timestamp) -> bool {
        c.status.is_open()
            && c.nature == Nature::Effective
            && c.severity != Severity::Major
            && now.0 - c.captured_at.0 >= self.policy.escalate_unresolved_days * DAY
    }

    /// 二次投诉: an earlier complaint (within the window before `c`) from the same complainant phone,
    /// or at the same location with the same category. Returns the most recent such complaint.
    pub fn repeat_of<'a>(
        &self,
        c: &Complaint,
        others: impl IntoIterator<Item = &'a Complaint>,
    ) -> Option<ComplaintId> {
        let window = self.policy.repeat_window_days * DAY;
        // Compare phones as normalised numbers ("138 0013 8000" is "13800138000").
        let norm = |p: &str| {
            crate::validation::Phone::parse(p)
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|_| p.trim().to_string())
        };
        let phone = c
            .complainant
            .phone
            .as_deref()
            .filter(|p| !p.trim().is_empty())
            .map(norm);
        others
            .into_iter()
            .filter(|o| {
                o.id != c.id
                    && o.captured_at <= c.captured_at
                    && c.captured_at.0 - o.captured_at.0 <= window
            })
            .filter(|o| o.status != crate::complaint::Status::Merged)
            .filter(|o| {
                let same_person =
                    phone.is_some() && o.complainant.phone.as_deref().map(norm) == phone;
                let same_place = !c.location.trim().is_empty()
                    && o.location.trim() == c.location.trim()
                    && o.category == c.category;
                same_person || same_place
            })
            .max_by_key(|o| (o.captured_at, o.id))
            .map(|o| o.id)
    }
}

/// Open complaints at the same location and category as a complaint being typed (duplicate hint).
pub fn possible_duplicates<'a>(
    location: &str,
    category: &str,
    open: impl IntoIterator<Item = &'a Complaint>,
) -> Vec<&'a Complaint> {
    let loc = location.trim();
    if loc.is_empty() || category.is_empty() {
        return vec![];
    }
    let mut v: Vec<&Complaint> = open
        .into_iter()
        .filter(|c| c.status.is_open() && c.location.trim() == loc && c.category == category)
        .collect();
    v.sort_by_key(|c| std::cmp::Reverse(c.captured_at));
    v
}

#[cfg(test)]
#[path = "timelimit_tests.rs"]
mod tests;
