//! `Deserialize` for `Event` without serde's `flatten` (which buffers every field of every
//! event): the shape stays the derived one, `{"id", …, "lamport", "type", "data"}`. With `type`
//! before `data`, as every Siteline writer puts them, `data` decodes straight into its variant;
//! in another order it is buffered once, so any JSON the derived form took is still taken.

use super::{Event, EventKind};
use serde::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, Visitor,
};
use serde::Deserialize;
use std::fmt;

/// The keys of an event object.
enum Field {
    Id,
    ComplaintId,
    DeviceId,
    Author,
    CapturedAt,
    Lamport,
    Type,
    Data,
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an event field")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                Ok(match v {
                    "id" => Field::Id,
                    "complaint_id" => Field::ComplaintId,
                    "device_id" => Field::DeviceId,
                    "author" => Field::Author,
                    "captured_at" => Field::CapturedAt,
                    "lamport" => Field::Lamport,
                    "type" => Field::Type,
                    "data" => Field::Data,
                    _ => Field::Other,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

fn set<T, E: de::Error>(slot: &mut Option<T>, v: T, name: &'static str) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(v);
    Ok(())
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EventVisitor)
    }
}

struct EventVisitor;

impl<'de> Visitor<'de> for EventVisitor {
    type Value = Event;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
        let (mut id, mut complaint_id, mut device_id) = (None, None, None);
        let (mut author, mut captured_at, mut lamport) = (None, None, None);
        let mut tag: Option<String> = None;
        let mut kind: Option<EventKind> = None;
        // `data` seen before `type`: kept until the type is known.
        let mut early: Option<serde_json::Value> = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Id => set(&mut id, map.next_value()?, "id")?,
                Field::ComplaintId => set(&mut complaint_id, map.next_value()?, "complaint_id")?,
                Field::DeviceId => set(&mut device_id, map.next_value()?, "device_id")?,
                Field::Author => set(&mut author, map.next_value()?, "author")?,
                Field::CapturedAt => set(&mut captured_at, map.next_value()?, "captured_at")?,
                Field::Lamport => set(&mut lamport, map.next_value()?, "lamport")?,
                Field::Type => {
                    if tag.is_some() || kind.is_some() {
                        return Err(de::Error::duplicate_field("type"));
                    }
                    let t: String = map.next_value()?;
                    match early.take() {
                        Some(data) => kind = Some(buffered(t, data)?),
                        None => tag = Some(t),
                    }
                }
                Field::Data => {
                    if kind.is_some() || early.is_some() {
                        return Err(de::Error::duplicate_field("data"));
                    }
                    match tag.take() {
                        Some(t) => {
                            kind = Some(EventKind::deserialize(KindDe {
                                tag: t,
                                data: Some(&mut map),
                            })?)
                        }
                        None => early = Some(map.next_value()?),
                    }
                }
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let kind = match (kind, tag, early) {
            (Some(k), _, _) => k,
            // A variant without data (`accepted`, `started`).
            (None, Some(t), _) => EventKind::deserialize(KindDe::<A> { tag: t, data: None })?,
            (None, None, _) => return Err(de::Error::missing_field("type")),
        };
        Ok(Event {
            id: id.ok_or_else(|| de::Error::missing_field("id"))?,
            complaint_id: complaint_id.ok_or_else(|| de::Error::missing_field("complaint_id"))?,
            device_id: device_id.ok_or_else(|| de::Error::missing_field("device_id"))?,
            author: author.ok_or_else(|| de::Error::missing_field("author"))?,
            captured_at: captured_at.ok_or_else(|| de::Error::missing_field("captured_at"))?,
            lamport: lamport.ok_or_else(|| de::Error::missing_field("lamport"))?,
            kind,
        })
    }
}

/// The rare order: `data` before `type`.
fn buffered<E: de::Error>(tag: String, data: serde_json::Value) -> Result<EventKind, E> {
    let v = serde_json::json!({ "type": tag, "data": data });
    EventKind::deserialize(v).map_err(E::custom)
}

/// Presents `{"type": tag, "data": <the outer map's next value>}` to the derived (adjacently
/// tagged) `EventKind`, reading the data from the event's own map without buffering it.
struct KindDe<'a, A> {
    tag: String,
    data: Option<&'a mut A>,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for KindDe<'_, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(KindMap {
            tag: Some(self.tag),
            data: self.data,
            step: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct KindMap<'a, A> {
    tag: Option<String>,
    data: Option<&'a mut A>,
    step: u8,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for KindMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let key = match (self.step, &self.data) {
            (0, _) => "type",
            (1, Some(_)) => "data",
            _ => return Ok(None),
        };
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.step += 1;
        match (self.step, self.tag.take(), self.data.as_mut()) {
            (1, Some(tag), _) => seed.deserialize(tag.into_deserializer()),
            (2, _, Some(outer)) => outer.next_value_seed(seed),
            _ => Err(de::Error::custom("event kind read out of order")),
        }
    }
}
