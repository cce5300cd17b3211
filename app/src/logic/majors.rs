//! The weekly 重大 report (重大投诉周报) from this device's replica, so a supervisor has it in a
//! meeting room without signal; the rows and their order are `siteline_model::majors`, the
//! same as the server's export.

use siteline_model::majors::{self, MajorRow};
use siteline_model::replica::Replica;
use siteline_model::timelimit::Clock;
use siteline_model::Timestamp;

/// Open 重大 complaints, oldest first.
pub fn open_majors(r: &Replica, clock: &Clock, now: Timestamp) -> Vec<MajorRow> {
    let mut rows: Vec<MajorRow> = r
        .complaints()
        .filter(|c| majors::is_open_major(c))
        .map(|c| {
            let events = r.events_of(&c.id);
            majors::row(
                c,
                events.into_iter().map(|s| &s.event),
                &clock.deadlines(c, now),
                now,
            )
        })
        .collect();
    majors::sort(&mut rows);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use siteline_model::{EventKind, Severity};

    const DAY_MS: i64 = 86_400_000;
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
