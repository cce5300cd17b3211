//! Pushes to complaints with a long history: a push adding one note to each of 100 complaints
//! that have 5 stored events, against one to 100 complaints that have 500. Folding on from the
//! stored projection makes both cost the same; re-folding the history would not.

use crate::push::{admin_token, bodies, push_all};
use siteline_model::time::days_from_civil;
use siteline_model::{ComplaintId, DeviceId, Event, EventId, EventKind, NewComplaint, Timestamp};
use std::time::Duration;

/// Complaints a measured push touches (one new note each).
pub const COMPLAINTS: usize = 100;
/// Stored events per complaint: the short and the long history.
pub const HISTORIES: [usize; 2] = [5, 500];

fn rnd(n: &mut u64) -> [u8; 10] {
    *n += 1;
    let mut r = [0u8; 10];
    r[2..].copy_from_slice(&n.to_be_bytes());
    r[0] = 0xB1;
    r
}

/// The stored history (`history` events a complaint, created + notes) and `rounds` pushes of
/// one further note to each complaint.
fn generate(history: usize, rounds: usize) -> (Vec<Event>, Vec<Vec<Event>>) {
    let t0 = days_from_civil(2026, 3, 2) * 86_400_000;
    let mut n = 0u64;
    let device = DeviceId::new_v7(t0, rnd(&mut n));
    let ids: Vec<ComplaintId> = (0..COMPLAINTS)
        .map(|i| ComplaintId::new_v7(t0 + i as i64, rnd(&mut n)))
        .collect();
    let ev = |n: &mut u64, cid: ComplaintId, lamport: u64, kind| Event {
        id: EventId::new_v7(t0 + lamport as i64 * 1_000, rnd(n)),
        complaint_id: cid,
        device_id: device,
        author: "admin".into(),
        captured_at: Timestamp(t0 + lamport as i64 * 1_000),
        lamport,
        kind,
    };
    let note = |k: usize| EventKind::NoteAdded {
        text: format!("第 {k} 次巡查记录：现场已拍照，等待工程部回复"),
    };
    let mut stored = Vec::with_capacity(COMPLAINTS * history);
    for (i, cid) in ids.iter().enumerate() {
        stored.push(ev(
            &mut n,
            *cid,
            1,
            EventKind::Created(Box::new(NewComplaint {
                provisional_number: format!("P-HIST-{i:04}"),
                description: format!("地下车库渗水，第 {i} 号"),
                location: format!("B2 › {i} 号车位"),
                category: "facility.lift".into(),
                ..Default::default()
            })),
        ));
        for k in 1..history {
            stored.push(ev(&mut n, *cid, 1 + k as u64, note(k)));
        }
    }
    let pushes = (0..rounds)
        .map(|r| {
            ids.iter()
                .map(|cid| ev(&mut n, *cid, (history + r + 1) as u64, note(history + r)))
                .collect()
        })
        .collect();
    (stored, pushes)
}

/// Median time of one push (one note to each of the complaints) on a fresh server whose
/// complaints have `history` stored events each.
pub async fn run(base: &str, history: usize, rounds: usize) -> Duration {
    let http = reqwest::Client::new();
    let token = admin_token(&http, base).await;
    let (stored, pushes) = generate(history, rounds);
    let (_, accepted) = push_all(&http, base, &token, bodies(&stored, 1000)).await;
    assert_eq!(accepted, stored.len(), "the history is stored");
    let mut times = Vec::with_capacity(rounds);
    for batch in pushes {
        let (took, accepted) = push_all(&http, base, &token, bodies(&batch, COMPLAINTS)).await;
        assert_eq!(accepted, COMPLAINTS, "every note accepted");
        times.push(took);
    }
    times.sort();
    times[times.len() / 2]
}
