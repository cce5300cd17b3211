//! The weekly 重大 report (重大投诉周报): every open major complaint with its age, deadline
//! summary and last action, oldest first — one definition for the device (offline, from its
//! replica) and the server (`GET /api/v1/reports/majors`, its CSV and XLSX).

use crate::complaint::{Complaint, Severity};
use crate::event::{Event, EventKind};
use crate::ids::ComplaintId;
use crate::overdue::{self, DeadlineSummary};
use crate::time::Timestamp;
use crate::timelimit::{Deadline, DeadlineState};
use serde::{Deserialize, Serialize};

const DAY_MS: i64 = 86_400_000;

/// One line of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct MajorRow {
    pub id: ComplaintId,
    /// The canonical number, else the provisional one.
    pub number: String,
    pub site: String,
    pub location: String,
    pub category: String,
    pub department: Option<String>,
    pub captured_at: Timestamp,
    /// Whole days since capture.
    pub age_days: i64,
    pub summary: DeadlineSummary,
    /// The earliest limit still running.
    pub next_due: Option<Timestamp>,
    /// The last event that is somebody's action (not the server's numbering), and when it was
    /// captured.
    pub last: Option<(EventKind, Timestamp)>,
}

/// Whether a complaint belongs in the report.
pub fn is_open_major(c: &Complaint) -> bool {
    c.severity == Severity::Major && c.status.is_open()
}

/// The report's line for one complaint, from its events (any order is fine: the last action is
/// the latest by capture time, ties broken by position).
pub fn row<'a>(
    c: &Complaint,
    events: impl IntoIterator<Item = &'a Event>,
    deadlines: &[Deadline],
    now: Timestamp,
) -> MajorRow {
    let last = events
        .into_iter()
        .filter(|e| !matches!(e.kind, EventKind::NumberAssigned { .. }))
        .fold(None::<&Event>, |best, e| match best {
            Some(b) if b.captured_at > e.captured_at => Some(b),
            _ => Some(e),
        })
        .map(|e| (e.kind.clone(), e.captured_at));
    MajorRow {
        id: c.id,
        number: c
            .number
            .clone()
            .unwrap_or_else(|| c.provisional_number.clone()),
        site: c.site.clone(),
        location: c.location.clone(),
        category: c.category.clone(),
        department: c.department.clone(),
        captured_at: c.captured_at,
        age_days: (now.millis() - c.captured_at.millis()).max(0) / DAY_MS,
        summary: overdue::summarize(c, deadlines, now),
        next_due: overdue::next_due(c, deadlines),
        last,
    }
}

/// The report's order: oldest first, then by number.
pub fn sort(rows: &mut [MajorRow]) {
    rows.sort_by(|a, b| {
        a.captured_at
            .cmp(&b.captured_at)
            .then_with(|| a.number.cmp(&b.number))
    });
}

/// A line on the wire (`GET /api/v1/reports/majors`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MajorLine {
    pub id: ComplaintId,
    pub number: String,
    pub site: String,
    pub location: String,
    pub category: String,
    pub department: Option<String>,
    pub captured_at: Timestamp,
    pub age_days: i64,
    /// The worst state of its limits (`None`: no limits).
    pub worst: Option<DeadlineState>,
    pub overdue_now: bool,
    pub next_due: Option<Timestamp>,
    /// What the last action was (`EventKind::code`, named by `names::event_code`): only the
    /// kind, never its text, so the report carries no complainant's words or phone.
    pub last_action: Option<String>,
    pub last_action_at: Option<Timestamp>,
}

impl From<MajorRow> for MajorLine {
    fn from(r: MajorRow) -> MajorLine {
        let (last_action, last_action_at) = match r.last {
            Some((k, at)) => (Some(k.code().to_string()), Some(at)),
            None => (None, None),
        };
        MajorLine {
            id: r.id,
            number: r.number,
            site: r.site,
            location: r.location,
            category: r.category,
            department: r.department,
            captured_at: r.captured_at,
            age_days: r.age_days,
            worst: r.summary.worst,
            overdue_now: r.summary.overdue_now,
            next_due: r.next_due,
            last_action,
            last_action_at,
        }
    }
}

/// The whole report on the wire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MajorReport {
    pub generated_at: Timestamp,
    /// `None`: every site the reader may see.
    pub site: Option<String>,
    pub rows: Vec<MajorLine>,
    /// More open major complaints exist than the report lists (`MAJORS_LIMIT`).
    pub truncated: bool,
}

/// Most lines one report lists.
pub const MAJORS_LIMIT: u32 = 2_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complaint::Status;
    use crate::event::NewComplaint;
    use crate::fold::fold_one;
    use crate::ids::{DeviceId, EventId};
    use crate::timelimit::Clock;

    fn event(kind: EventKind, at: i64) -> Event {
        Event {
            id: EventId::new_v7(at, [at as u8; 10]),
            complaint_id: ComplaintId::new_v7(0, [2; 10]),
            device_id: DeviceId::new_v7(1, [1; 10]),
            author: "boss".into(),
            captured_at: Timestamp(at),
            lamport: 1,
            kind,
        }
    }

    fn major(at: i64, number: Option<&str>) -> Complaint {
        let created = event(
            EventKind::Created(Box::new(NewComplaint {
                provisional_number: "P-1".into(),
                description: "电梯困人".into(),
                location: "1栋 电梯".into(),
                category: "facility.lift".into(),
                severity: Severity::Major,
                ..Default::default()
            })),
            at,
        );
        let mut c = fold_one([&created]).expect("created folds");
        c.number = number.map(String::from);
        c
    }

    #[test]
    fn the_last_action_is_the_latest_capture_but_never_the_numbering() {
        let c = major(0, None);
        assert!(is_open_major(&c));
        let note = EventKind::NoteAdded {
            text: "已联系维保".into(),
        };
        let events = [
            event(note.clone(), 5 * DAY_MS),
            event(EventKind::Accepted, 2 * DAY_MS),
            event(
                EventKind::NumberAssigned {
                    number: "SL-1".into(),
                },
                9 * DAY_MS,
            ),
        ];
        let now = Timestamp(10 * DAY_MS + 5);
        let deadlines = Clock::china().deadlines(&c, now);
        let r = row(&c, &events, &deadlines, now);
        assert_eq!(r.last, Some((note, Timestamp(5 * DAY_MS))));
        assert_eq!((r.age_days, r.number.as_str()), (10, "P-1"));
        assert!(r.summary.overdue_now, "ten days on, its limits have passed");
        let line = MajorLine::from(r);
        assert_eq!(line.last_action.as_deref(), Some("note_added"));
        assert_eq!(line.last_action_at, Some(Timestamp(5 * DAY_MS)));
        let text = serde_json::to_string(&line).expect("json");
        assert!(
            !text.contains("已联系维保"),
            "the line carries no free text: {text}"
        );
        let minor = Complaint {
            severity: Severity::Minor,
            ..c.clone()
        };
        let closed = Complaint {
            status: Status::Closed,
            ..c
        };
        assert!(!is_open_major(&minor) && !is_open_major(&closed));
    }

    #[test]
    fn oldest_first_then_by_number() {
        let mk = |n: &str, at: i64| row(&major(at, Some(n)), [], &[], Timestamp(at));
        let mut rows = vec![mk("B", 5), mk("C", 1), mk("A", 5)];
        sort(&mut rows);
        let order: Vec<_> = rows.iter().map(|r| r.number.as_str()).collect();
        assert_eq!(order, ["C", "A", "B"]);
    }
}
