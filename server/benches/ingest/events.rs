//! The benchmark's events: complaints of 5 legal events each, deterministic ids.

use siteline_model::time::days_from_civil;
use siteline_model::{
    Channel, Complainant, ComplaintId, DeviceId, Event, EventId, EventKind, NewComplaint, Severity,
    Timestamp,
};

pub const PER_COMPLAINT: usize = 5;

/// Distinct, deterministic ids: the counter in the random bits, so runs never collide.
fn rnd(n: &mut u64) -> [u8; 10] {
    *n += 1;
    let mut r = [0u8; 10];
    r[2..].copy_from_slice(&n.to_be_bytes());
    r
}

/// `complaints` complaints × 5 events, complaint by complaint, each a legal sequence.
pub fn generate(complaints: usize) -> Vec<Event> {
    let t0 = days_from_civil(2026, 3, 2) * 86_400_000 + 2 * 3_600_000;
    let mut n = 0u64;
    let staff = DeviceId::new_v7(t0, rnd(&mut n));
    let handler = DeviceId::new_v7(t0, rnd(&mut n));
    let mut out = Vec::with_capacity(complaints * PER_COMPLAINT);
    for i in 0..complaints {
        // A minute apart; distinct phone and place, so no complaint is another's 二次投诉.
        let at = t0 + i as i64 * 60_000;
        let cid = ComplaintId::new_v7(at, rnd(&mut n));
        let mut ev = |lamport: u64, minutes: i64, author: &str, device, kind| Event {
            id: EventId::new_v7(at + minutes * 60_000, rnd(&mut n)),
            complaint_id: cid,
            device_id: device,
            author: String::from(author),
            captured_at: Timestamp(at + minutes * 60_000),
            lamport,
            kind,
        };
        out.push(ev(
            1,
            0,
            "zhang",
            staff,
            EventKind::Created(Box::new(NewComplaint {
                provisional_number: format!("P-{}-{:04}", staff.short(), i % 10_000),
                description: format!("电梯异响，第 {i} 次测试投诉"),
                location: format!("{}栋 › {}F › {}室", i % 20 + 1, i % 30 + 1, i),
                category: "facility.lift".into(),
                severity: Severity::Important,
                channel: Channel::Phone,
                complainant: Complainant {
                    name: Some("王女士".into()),
                    phone: Some(format!("138{:08}", i)),
                    ..Default::default()
                },
                ..Default::default()
            })),
        ));
        let dispatch = EventKind::Dispatched {
            department: "engineering".into(),
            instructions: "尽快处理".into(),
        };
        out.push(ev(3, 5, "zhang", staff, dispatch));
        out.push(ev(4, 8, "wang", handler, EventKind::Accepted));
        out.push(ev(5, 20, "wang", handler, EventKind::Started));
        let handled = EventKind::Handled {
            remedial: "更换导轮".into(),
            corrective: "加入月度保养清单".into(),
        };
        out.push(ev(6, 90, "wang", handler, handled));
    }
    out
}
