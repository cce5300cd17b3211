//! A pull's answer on the wire: the same JSON as `siteline_model::sync::PullResponse`, with
//! each stored event body copied as stored (checked to be JSON, not decoded and encoded again),
//! or the decoded and redacted events of a reader who may not see everything.

use crate::error::{Error, Result};
use crate::store::RawEvent;
use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use siteline_model::sync::SyncedEvent;

/// The events of one page, as stored or as decoded.
pub enum PageEvents {
    Stored(Vec<RawEvent>),
    Decoded(Vec<SyncedEvent>),
}

/// `GET /api/v1/sync/pull`'s answer (field for field `PullResponse`).
#[derive(Serialize)]
pub struct PullAnswer {
    pub events: PageEvents,
    pub next_cursor: u64,
    pub has_more: bool,
    pub sites: Vec<String>,
    pub scope: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_since: Option<siteline_model::Timestamp>,
}

/// One stored event as `SyncedEvent` serializes, its body spliced in.
#[derive(Serialize)]
struct Spliced<'a> {
    seq: u64,
    received_at: i64,
    event: &'a RawValue,
}

impl Serialize for PageEvents {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            PageEvents::Decoded(events) => events.serialize(s),
            PageEvents::Stored(events) => {
                let mut seq = s.serialize_seq(Some(events.len()))?;
                for e in events {
                    let body: &RawValue = serde_json::from_str(&e.body).map_err(|err| {
                        serde::ser::Error::custom(format!(
                            "stored event {} is not JSON: {err}",
                            e.seq
                        ))
                    })?;
                    seq.serialize_element(&Spliced {
                        seq: e.seq,
                        received_at: e.received_at.millis(),
                        event: body,
                    })?;
                }
                seq.end()
            }
        }
    }
}

impl PageEvents {
    /// Decodes stored bodies (for a reader whose copy is redacted).
    pub fn decode(raw: Vec<RawEvent>) -> Result<Vec<SyncedEvent>> {
        raw.iter().map(|r| r.parse().map_err(Error::from)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use siteline_model::sync::PullResponse;
    use siteline_model::{
        ComplaintId, DeviceId, Event, EventId, EventKind, NewComplaint, Timestamp,
    };

    fn event(n: u8, kind: EventKind) -> SyncedEvent {
        SyncedEvent {
            seq: u64::from(n),
            received_at: Timestamp(1_772_416_900_000 + i64::from(n)),
            event: Event {
                id: EventId::new_v7(1_772_416_800_000, [n; 10]),
                complaint_id: ComplaintId::new_v7(1_772_416_800_000, [1; 10]),
                device_id: DeviceId::new_v7(1_772_416_800_000, [2; 10]),
                author: "zhang".into(),
                captured_at: Timestamp(1_772_416_800_000),
                lamport: u64::from(n),
                kind,
            },
        }
    }

    #[test]
    fn stored_bodies_answer_the_same_json_as_decoded_events() {
        let events = vec![
            event(
                1,
                EventKind::Created(Box::new(NewComplaint {
                    provisional_number: "P-1".into(),
                    description: "电梯异响 \"引号\" \u{2028}".into(),
                    site: "SL".into(),
                    ..Default::default()
                })),
            ),
            event(
                2,
                EventKind::NoteAdded {
                    text: "备注".into(),
                },
            ),
        ];
        let raw: Vec<RawEvent> = events
            .iter()
            .map(|e| RawEvent {
                seq: e.seq,
                received_at: e.received_at,
                body: serde_json::to_string(&e.event).expect("json"),
            })
            .collect();
        let answer = |events| PullAnswer {
            events,
            next_cursor: 2,
            has_more: false,
            sites: vec!["SL".into()],
            scope: "s".into(),
            window_since: Some(Timestamp(1_772_000_000_000)),
        };
        let spliced =
            serde_json::to_string(&answer(PageEvents::Stored(raw.clone()))).expect("json");
        let decoded =
            serde_json::to_string(&answer(PageEvents::Decoded(events.clone()))).expect("json");
        assert_eq!(spliced, decoded);
        let read: PullResponse = serde_json::from_str(&spliced).expect("the app reads it");
        assert_eq!(read.events, events);
        assert_eq!(read.window_since, Some(Timestamp(1_772_000_000_000)));
        assert_eq!(PageEvents::decode(raw).expect("decodes"), events);
    }

    #[test]
    fn a_stored_body_that_is_not_json_fails_the_answer_instead_of_breaking_the_page() {
        let raw = vec![RawEvent {
            seq: 7,
            received_at: Timestamp(1),
            body: "{\"id\": ".into(),
        }];
        let err = serde_json::to_string(&PageEvents::Stored(raw)).expect_err("refused");
        assert!(err.to_string().contains("stored event 7"), "{err}");
    }
}
