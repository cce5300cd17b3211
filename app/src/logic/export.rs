//! "Export unsynced records": which events go in (pending and rejected, in logical order), the
//! photos they reference, `events.json` (the model's `ExportFile`), and the file name.

use crate::logic::record::photos_of;
use crate::logic::zip::{ZipError, ZipWriter};
use siteline_model::api::ExportFile;
use siteline_model::replica::{StoredEvent, SyncState};
use siteline_model::sync::SCHEMA_VERSION;
use siteline_model::time::CHINA_OFFSET_MINUTES;
use siteline_model::{DeviceId, Event, Timestamp};

/// Events not on the server (pending or rejected), in logical order.
pub fn unsynced(stored: &[StoredEvent]) -> Vec<Event> {
    let mut v: Vec<&Event> = stored
        .iter()
        .filter(|s| !matches!(s.sync, SyncState::Synced { .. }))
        .map(|s| &s.event)
        .collect();
    v.sort_by_key(|e| (e.lamport, e.id));
    v.into_iter().cloned().collect()
}

/// Hashes of the photos the events reference, each once.
pub fn photo_hashes(events: &[Event]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in events {
        for a in photos_of(&e.kind) {
            if !out.contains(&a.sha256) {
                out.push(a.sha256.clone());
            }
        }
    }
    out
}

/// `siteline-unsynced-<device>-<YYYYMMDD-HHMM>.zip` (China time).
pub fn file_name(device: &DeviceId, at: Timestamp) -> String {
    let (y, mo, d, h, mi, _) = at.civil(CHINA_OFFSET_MINUTES);
    format!(
        "siteline-unsynced-{}-{y:04}{mo:02}{d:02}-{h:02}{mi:02}.zip",
        device.short()
    )
}

/// The archive: `events.json` and `attachments/<sha256>` for each photo given.
pub fn archive(
    device: DeviceId,
    at: Timestamp,
    events: Vec<Event>,
    photos: &[(String, Vec<u8>)],
) -> Result<Vec<u8>, ZipError> {
    let file = ExportFile {
        schema_version: SCHEMA_VERSION,
        device_id: device,
        exported_at: at,
        events,
    };
    let json = serde_json::to_vec_pretty(&file).expect("events serialise");
    let mut z = ZipWriter::new(at);
    z.add("events.json", &json)?;
    for (sha, bytes) in photos {
        z.add(&format!("attachments/{sha}"), bytes)?;
    }
    z.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use siteline_model::replica::{Replica, ReplicaMeta};
    use siteline_model::sync::{PushOutcome, PushResult};
    use siteline_model::{AttachmentRef, NewComplaint};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn pending_and_rejected_events_are_exported_with_their_photos() {
        let device = DeviceId::new_v7(1, [1; 10]);
        let mut r = Replica::load(ReplicaMeta::new(device), vec![]);
        let mut stored = vec![];
        for i in 0..3u8 {
            let ch = r.prepare_new(
                NewComplaint {
                    description: "漏水".into(),
                    location: "B2".into(),
                    category: "facility.water".into(),
                    attachments: vec![AttachmentRef {
                        sha256: format!("{i:02x}").repeat(32),
                        size: 3,
                        content_type: "image/jpeg".into(),
                    }],
                    ..Default::default()
                },
                "a",
                Timestamp(1_000 + i64::from(i)),
                [i; 10],
            );
            r.apply(ch);
        }
        let ids: Vec<_> = r.pending_batch(10).iter().map(|e| e.id).collect();
        let answers = vec![
            PushOutcome {
                id: ids[0],
                result: PushResult::Accepted {
                    seq: 1,
                    received_at: Timestamp(5),
                },
            },
            PushOutcome {
                id: ids[1],
                result: PushResult::Rejected {
                    code: "validation".into(),
                    message: "x".into(),
                },
            },
        ];
        let ch = r.ack(&answers);
        r.apply(ch);
        for id in r.complaint_ids() {
            stored.extend(r.events_of(id).into_iter().cloned());
        }
        let out = unsynced(&stored);
        assert_eq!(
            out.iter().map(|e| e.id).collect::<Vec<_>>(),
            ids[1..].to_vec()
        );
        let hashes = photo_hashes(&out);
        assert_eq!(hashes, vec!["01".repeat(32), "02".repeat(32)]);
        let photos: Vec<(String, Vec<u8>)> =
            hashes.iter().map(|h| (h.clone(), vec![1, 2, 3])).collect();
        let zip = archive(device, Timestamp(9), out.clone(), &photos).unwrap();
        // events.json parses back as the model's ExportFile.
        let start = 30 + "events.json".len();
        let len = u32::from_le_bytes(zip[18..22].try_into().unwrap()) as usize;
        let back: ExportFile = serde_json::from_slice(&zip[start..start + len]).unwrap();
        assert_eq!(back.schema_version, SCHEMA_VERSION);
        assert_eq!(back.device_id, device);
        assert_eq!(back.events, out);
        assert!(file_name(&device, Timestamp(1_772_418_031_000)).ends_with("-20260302-1020.zip"));
    }
}
