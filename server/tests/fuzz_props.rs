//! The fuzz target's inputs as a stable proptest: push bodies built from hostile event streams
//! (any author, site, clock, id, kind order), then optionally corrupted byte by byte, through
//! `siteline_server::fuzz::push_pipeline` (decode, checks, gate, commit-order fold).

use proptest::prelude::*;
use siteline_model::sync::{PushRequest, SCHEMA_VERSION};
use siteline_model::{
    ComplaintId, ComplaintPatch, DeviceId, Event, EventId, EventKind, NewComplaint, Severity,
    Timestamp,
};
use siteline_server::fuzz::{push_pipeline, NOW};

fn kind(k: u8, site: &str) -> EventKind {
    match k % 7 {
        0 => EventKind::Created(Box::new(NewComplaint {
            provisional_number: "P-0707-0001".into(),
            description: "漏水".into(),
            location: "1栋".into(),
            category: "facility.lift".into(),
            site: site.into(),
            channel: siteline_model::Channel::Phone,
            complainant: siteline_model::Complainant {
                name: Some("王女士".into()),
                phone: Some("13800138000".into()),
                ..Default::default()
            },
            ..Default::default()
        })),
        1 => EventKind::NoteAdded {
            text: "跟进".into(),
        },
        2 => EventKind::Withdrawn {
            reason: "撤".into(),
            voluntary: true,
        },
        3 => EventKind::Edited(Box::new(ComplaintPatch {
            severity: Some(Severity::Minor),
            ..Default::default()
        })),
        4 => EventKind::Closed {
            summary: String::new(),
        },
        5 => EventKind::Dispatched {
            department: "engineering".into(),
            instructions: String::new(),
        },
        _ => EventKind::Escalated {
            to: Severity::Major,
            rule: "x".into(),
            related: None,
        },
    }
}

prop_compose! {
    fn event()(k in any::<u8>(), site in 0u8..3, c in 0u8..3, author in 0u8..3, lamport in 0u64..5,
               dt in -100i64..100, nil in prop::bool::weighted(0.05), id in any::<[u8; 10]>()) -> Event {
        let site = ["SL", "B", ""][site as usize];
        let at = NOW.millis() + dt * 86_400_000 / 10;
        Event {
            id: if nil { EventId(uuid::Uuid::nil()) } else { EventId::new_v7(at, id) },
            complaint_id: ComplaintId::new_v7(NOW.millis(), [c; 10]),
            device_id: DeviceId::new_v7(NOW.millis(), [7; 10]),
            author: ["staff1", "admin", "mallory"][author as usize].into(),
            captured_at: Timestamp(at),
            lamport,
            kind: kind(k, site),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn hostile_push_bodies_never_break_the_pipeline(
        events in prop::collection::vec(event(), 0..30),
        flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..4),
    ) {
        let req = PushRequest { schema_version: SCHEMA_VERSION, events };
        let mut body = serde_json::to_vec(&req).expect("json");
        push_pipeline(&body);
        for (at, byte) in flips {
            if !body.is_empty() {
                let i = at % body.len();
                body[i] = byte;
            }
        }
        push_pipeline(&body);
    }
}

#[test]
fn an_honest_stream_is_accepted() {
    let c = ComplaintId::new_v7(NOW.millis(), [1; 10]);
    let ev = |n: u8, lamport, kind| Event {
        id: EventId::new_v7(NOW.millis(), [n; 10]),
        complaint_id: c,
        device_id: DeviceId::new_v7(NOW.millis(), [7; 10]),
        author: "staff1".into(),
        captured_at: NOW,
        lamport,
        kind,
    };
    let req = PushRequest {
        schema_version: SCHEMA_VERSION,
        events: vec![
            ev(1, 1, kind(0, "SL")),
            ev(2, 2, kind(1, "")),
            ev(3, 0, kind(2, "")),
        ],
    };
    assert_eq!(push_pipeline(&serde_json::to_vec(&req).expect("json")), 3);
}
