//! The weekly 重大 report (重大投诉周报): every open major complaint this device holds, oldest
//! first, with its age, its deadline summary and its last action — computed on the device, so
//! a supervisor has it in a meeting room without signal.

use siteline_model::overdue::{self, DeadlineSummary};
use siteline_model::replica::Replica;
use siteline_model::timelimit::Clock;
use siteline_model::{ComplaintId, EventKind, Severity, Timestamp};

const DAY_MS: i64 = 86_400_000;

/// One line of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct MajorRow {
    pub id: ComplaintId,
    pub number: String,
    pub site: String,
    pub location: String,
    pub category: String,
    pub department: Option<String>,
    /// Whole days since capture.
    pub age_days: i64,
    pub summary: DeadlineSummary,
    /// The earliest limit still running.
    pub next_due: Option<Timestamp>,
    /// The last event (not the server's numbering) and when it was captured.
    pub last: Option<(EventKind, Timestamp)>,
}

/// Open 重大 complaints, oldest first.
pub fn open_majors(r: &Replica, clock: &Clock, now: Timestamp) -> Vec<MajorRow> {
    let mut rows: Vec<MajorRow> = r
        .complaints()
        .values()
        .filter(|c| c.severity == Severity::Major && c.status.is_open())
        .map(|c| {
            let deadlines = clock.deadlines(c, now);
            let last = r
                .events_of(&c.id)
                .into_iter()
                .rev()
                .map(|s| &s.event)
                .find(|e| !matches!(e.kind, EventKind::NumberAssigned { .. }))
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
                age_days: (now.millis() - c.captured_at.millis()).max(0) / DAY_MS,
                summary: overdue::summarize(c, &deadlines, now),
                next_due: overdue::next_due(c, &deadlines),
                last,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.age_days.cmp(&a.age_days).then(a.number.cmp(&b.number)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use siteline_model::replica::ReplicaMeta;
    use siteline_model::{DeviceId, NewComplaint};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn only_open_major_complaints_oldest_first_with_their_last_action() {
        let mut r = Replica::load(ReplicaMeta::new(DeviceId::new_v7(1, [1; 10])), vec![]);
        let day = DAY_MS;
        let mut ids = Vec::new();
        for (i, sev) in [Severity::Major, Severity::Minor, Severity::Major]
            .iter()
            .enumerate()
        {
            let ch = r.prepare_new(
                NewComplaint {
                    provisional_number: format!("P-{i}"),
                    description: "电梯困人".into(),
                    location: "1栋 电梯".into(),
                    category: "facility.lift".into(),
                    severity: *sev,
                    ..Default::default()
                },
                "staff",
                Timestamp(1_000 + i as i64 * day),
                [i as u8 + 1; 10],
            );
            ids.push(ch.events[0].event.complaint_id);
            r.apply(ch);
        }
        let note = r.prepare(
            ids[0],
            EventKind::NoteAdded {
                text: "已联系维保".into(),
            },
            "boss",
            Timestamp(1_000 + 3 * day),
            [9; 10],
        );
        r.apply(note);
        let now = Timestamp(1_000 + 10 * day);
        let rows = open_majors(&r, &Clock::china(), now);
        assert_eq!(rows.len(), 2, "the minor one is not in it");
        assert_eq!((rows[0].id, rows[0].age_days), (ids[0], 10));
        assert_eq!(rows[1].age_days, 8);
        assert!(matches!(
            rows[0].last,
            Some((EventKind::NoteAdded { .. }, _))
        ));
        assert!(
            rows[0].summary.overdue_now,
            "ten days on, its limits have passed"
        );
        assert!(rows[0].next_due.is_some_and(|d| d < now));
    }
}
