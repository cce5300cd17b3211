//! The hand-written `Deserialize` of `Event` takes exactly what the derived one (with
//! `#[serde(flatten)]`) took, whatever the order of the keys, and gives the same event.

use proptest::prelude::*;
use serde::Deserialize;
use siteline_model::*;

/// The derived form the hand-written one replaces.
#[derive(Debug, PartialEq, Deserialize)]
struct Derived {
    id: EventId,
    complaint_id: ComplaintId,
    device_id: DeviceId,
    author: String,
    captured_at: Timestamp,
    lamport: u64,
    #[serde(flatten)]
    kind: EventKind,
}

impl From<Derived> for Event {
    fn from(d: Derived) -> Event {
        Event {
            id: d.id,
            complaint_id: d.complaint_id,
            device_id: d.device_id,
            author: d.author,
            captured_at: d.captured_at,
            lamport: d.lamport,
            kind: d.kind,
        }
    }
}

fn kinds() -> Vec<EventKind> {
    vec![
        EventKind::Created(Box::new(NewComplaint {
            provisional_number: "P-AB12-0001".into(),
            description: "地下车库 B2 渗水".into(),
            location: "B2 › 12 号车位".into(),
            category: "facility.water".into(),
            complainant: Complainant {
                name: Some("王女士".into()),
                phone: Some("13800000000".into()),
                ..Default::default()
            },
            ..Default::default()
        })),
        EventKind::Edited(Box::new(ComplaintPatch {
            severity: Some(Severity::Major),
            ..Default::default()
        })),
        EventKind::StatusChanged {
            to: Status::Closed,
            reason: Some("重复".into()),
        },
        EventKind::NoteAdded {
            text: "{\"type\": \"x\"}".into(),
        },
        EventKind::NumberAssigned {
            number: "SL-2026-0001".into(),
        },
        EventKind::Dispatched {
            department: "engineering".into(),
            instructions: String::new(),
        },
        EventKind::Accepted,
        EventKind::Started,
        EventKind::Handled {
            remedial: "修补".into(),
            corrective: "巡检".into(),
        },
        EventKind::Replied {
            content: "已处理".into(),
        },
        EventKind::FollowedUp {
            satisfaction: Satisfaction::Basic,
            note: String::new(),
        },
        EventKind::Closed {
            summary: String::new(),
        },
        EventKind::Transferred {
            department: "security".into(),
            reason: "r".into(),
        },
        EventKind::Returned { reason: "r".into() },
        EventKind::Withdrawn {
            reason: "r".into(),
            voluntary: true,
        },
        EventKind::Merged {
            into: ComplaintId::new_v7(5, [5; 10]),
        },
        EventKind::Escalated {
            to: Severity::Important,
            rule: "repeat_complaint".into(),
            related: None,
        },
        EventKind::AttachmentsAdded {
            attachments: vec![AttachmentRef {
                sha256: "a".repeat(64),
                size: 3,
                content_type: "image/jpeg".into(),
            }],
        },
    ]
}

fn event(kind: EventKind) -> Event {
    Event {
        id: EventId::new_v7(1_000, [1; 10]),
        complaint_id: ComplaintId::new_v7(1_000, [2; 10]),
        device_id: DeviceId::new_v7(1_000, [3; 10]),
        author: "zhang".into(),
        captured_at: Timestamp(1_772_416_800_000),
        lamport: 7,
        kind,
    }
}

/// The event's JSON with its keys in the order `perm` picks (and an unknown key).
fn reordered(e: &Event, perm: &[usize]) -> String {
    let serde_json::Value::Object(map) = serde_json::to_value(e).expect("to value") else {
        panic!("an event is an object");
    };
    let mut pairs: Vec<(String, serde_json::Value)> = map.into_iter().collect();
    pairs.push(("extra".into(), serde_json::json!({"ignored": [1, 2]})));
    let mut ordered = Vec::with_capacity(pairs.len());
    for &p in perm {
        if !pairs.is_empty() {
            ordered.push(pairs.remove(p % pairs.len()));
        }
    }
    ordered.append(&mut pairs);
    let body: Vec<String> = ordered
        .iter()
        .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), v))
        .collect();
    format!("{{{}}}", body.join(","))
}

fn both(json: &str) -> (Result<Event, String>, Result<Event, String>) {
    let new = serde_json::from_str::<Event>(json).map_err(|e| e.to_string());
    let old = serde_json::from_str::<Derived>(json)
        .map(Event::from)
        .map_err(|e| e.to_string());
    (new, old)
}

#[test]
fn every_kind_round_trips_in_the_writers_order() {
    for kind in kinds() {
        let e = event(kind);
        let json = serde_json::to_string(&e).expect("serializes");
        assert!(
            json.find("\"type\"") < json.find("\"data\"").or(Some(usize::MAX)),
            "writers put type before data: {json}"
        );
        assert_eq!(serde_json::from_str::<Event>(&json).expect("parses"), e);
        let v = serde_json::to_value(&e).expect("to value");
        assert_eq!(serde_json::from_value::<Event>(v).expect("from value"), e);
    }
}

#[test]
fn what_the_derived_form_refused_is_refused() {
    let e = serde_json::to_value(event(EventKind::Accepted)).expect("value");
    for drop in [
        "id",
        "complaint_id",
        "device_id",
        "author",
        "captured_at",
        "lamport",
        "type",
    ] {
        let mut v = e.clone();
        v.as_object_mut().expect("object").remove(drop);
        let (new, old) = both(&v.to_string());
        assert!(
            new.is_err() && old.is_err(),
            "without {drop}: {new:?} / {old:?}"
        );
    }
    for bad in [
        r#"{"type":"no_such_kind"}"#,
        r#"{"type":"note_added","data":{"txt":"x"}}"#,
        r#"{"type":"note_added"}"#,
        r#"{"type":7}"#,
    ] {
        let mut v = e.clone();
        let extra: serde_json::Value = serde_json::from_str(bad).expect("json");
        let obj = v.as_object_mut().expect("object");
        obj.remove("type");
        for (k, x) in extra.as_object().expect("object") {
            obj.insert(k.clone(), x.clone());
        }
        let (new, old) = both(&v.to_string());
        assert!(new.is_err() && old.is_err(), "{bad}: {new:?} / {old:?}");
    }
    let twice = r#"{"id":"x","id":"y"}"#;
    assert!(serde_json::from_str::<Event>(twice).is_err());
}

proptest! {
    #[test]
    fn any_key_order_reads_as_the_derived_form_did(
        which in 0usize..18,
        perm in prop::collection::vec(any::<usize>(), 0..10),
    ) {
        let e = event(kinds().swap_remove(which));
        let json = reordered(&e, &perm);
        let (new, old) = both(&json);
        prop_assert_eq!(new.as_ref().ok(), Some(&e), "{}", json);
        prop_assert_eq!(new.ok(), old.ok());
    }
}
