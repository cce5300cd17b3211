//! In-browser tests of the IndexedDB store: what is committed survives a reopen (and the upgrades
//! from versions 1 and 2), with sync state and meta; photos and their upload state round-trip;
//! two tabs writing one complaint keep both writes.

use idb::DatabaseEvent;
use siteline_app::logic::upload::{UploadRecord, UploadState};
use siteline_app::store::{LocalStore, StoreError};
use siteline_model::replica::{Replica, ReplicaMeta, SyncState};
use siteline_model::sync::{PushOutcome, PushResult};
use siteline_model::{AttachmentRef, DeviceId, Timestamp};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

mod common;

use common::{accept_first, fields, fresh, save_complaints};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn committed_records_survive_reopen_with_sync_state() {
    let name = "siteline-test-reopen";
    let store = fresh(name).await;
    let device = DeviceId::new_v7(1, [7; 10]);
    let (meta, events) = store.load(|| device).await.unwrap();
    assert_eq!(meta.device_id, device);
    assert!(events.is_empty());

    let mut r = Replica::load(meta, events);
    save_complaints(&store, &mut r, 3).await;
    // The server acknowledges one of them.
    let ack = accept_first(&r, 5_000);
    store.write(&ack).await.unwrap();
    r.apply(ack);

    // A different connection (as after a reload) reads exactly what was committed.
    let again = LocalStore::open_named(name).await.unwrap();
    let (meta2, events2) = again.load(|| DeviceId::new_v7(2, [9; 10])).await.unwrap();
    assert_eq!(
        meta2.device_id, device,
        "device id must be stable across reloads"
    );
    assert_eq!(meta2.counter, 3);
    let reloaded = Replica::load(meta2, events2);
    assert_eq!(
        reloaded.complaints().collect::<Vec<_>>(),
        r.complaints().collect::<Vec<_>>()
    );
    assert_eq!(reloaded.pending_records(), 2);
    let synced = reloaded
        .complaints()
        .filter(|c| reloaded.record_sync(&c.id) == siteline_model::replica::RecordSync::Synced)
        .count();
    assert_eq!(synced, 1);
    let stored = reloaded.events_of(&r.pending_batch(1)[0].complaint_id);
    assert!(matches!(stored[0].sync, SyncState::Pending));
}

#[wasm_bindgen_test]
async fn unicode_and_long_text_round_trip() {
    let store = fresh("siteline-test-unicode").await;
    let (meta, _) = store.load(|| DeviceId::new_v7(1, [1; 10])).await.unwrap();
    let r = Replica::load(meta, vec![]);
    let text = "业主反映：B2 停车场漏水🚗，\"引号\" 'quote' \\ 反斜杠\n第二行".repeat(20);
    let ch = r.prepare_new(fields(&text), "staff1", Timestamp(1), [3; 10]);
    store.write(&ch).await.unwrap();
    let (_, events) = store.load(|| DeviceId::new_v7(1, [1; 10])).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0], ch.events[0]);
}

/// A database as version 1 of the app left it: `events` and `meta` only, JSON strings.
async fn make_v1(name: &str, stored: &[siteline_model::replica::StoredEvent], meta: &ReplicaMeta) {
    let factory = idb::Factory::new().unwrap();
    factory.delete(name).unwrap().await.unwrap();
    let mut req = factory.open(name, Some(1)).unwrap();
    req.on_upgrade_needed(|event| {
        let db = event.database().unwrap();
        db.create_object_store("events", idb::ObjectStoreParams::new())
            .unwrap();
        db.create_object_store("meta", idb::ObjectStoreParams::new())
            .unwrap();
    });
    let db = req.await.unwrap();
    let tx = db
        .transaction(&["events", "meta"], idb::TransactionMode::ReadWrite)
        .unwrap();
    let events = tx.object_store("events").unwrap();
    for s in stored {
        events
            .put(
                &JsValue::from_str(&serde_json::to_string(s).unwrap()),
                Some(&JsValue::from_str(&s.event.id.to_string())),
            )
            .unwrap();
    }
    tx.object_store("meta")
        .unwrap()
        .put(
            &JsValue::from_str(&serde_json::to_string(meta).unwrap()),
            Some(&JsValue::from_str("replica")),
        )
        .unwrap();
    assert!(tx.commit().unwrap().await.unwrap().is_committed());
    db.close();
}

#[wasm_bindgen_test]
async fn upgrading_from_version_1_keeps_events_and_meta_and_adds_photo_stores() {
    let name = "siteline-test-upgrade";
    let device = DeviceId::new_v7(3, [3; 10]);
    let mut r = Replica::load(ReplicaMeta::new(device), vec![]);
    let ch = r.prepare_new(fields("旧版本记录"), "staff1", Timestamp(10), [1; 10]);
    r.apply(ch.clone());
    make_v1(name, &ch.events, r.meta()).await;

    let store = LocalStore::open_named(name).await.unwrap();
    let (meta, events) = store.load(|| DeviceId::new_v7(4, [4; 10])).await.unwrap();
    assert_eq!(meta.device_id, device, "meta survives the upgrade");
    assert_eq!(meta.counter, 1);
    assert_eq!(events, ch.events, "events survive the upgrade");
    // The new stores exist and work.
    let blob = web_sys::Blob::new().unwrap();
    store
        .put_photo(&"ab".repeat(32), &blob, None)
        .await
        .unwrap();
    assert_eq!(store.blob_keys().await.unwrap(), vec!["ab".repeat(32)]);
    assert!(store.uploads().await.unwrap().is_empty());
}

fn jpeg_blob(bytes: &[u8]) -> web_sys::Blob {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/jpeg");
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).unwrap()
}

async fn bytes_of(b: &web_sys::Blob) -> Vec<u8> {
    let buf = wasm_bindgen_futures::JsFuture::from(b.array_buffer())
        .await
        .unwrap();
    js_sys::Uint8Array::new(&buf).to_vec()
}

#[wasm_bindgen_test]
async fn photos_round_trip_and_a_record_needs_its_photos_stored() {
    let store = fresh("siteline-test-blobs").await;
    let (meta, _) = store.load(|| DeviceId::new_v7(1, [1; 10])).await.unwrap();
    let r = Replica::load(meta, vec![]);
    let full = jpeg_blob(&[0xff, 0xd8, 0xff, 1, 2, 3]);
    let thumb = jpeg_blob(&[0xff, 0xd8, 0xff, 9]);
    let sha = "cd".repeat(32);
    store.put_photo(&sha, &full, Some(&thumb)).await.unwrap();
    let back = store.get_blob(&sha).await.unwrap().expect("stored");
    assert_eq!(bytes_of(&back).await, vec![0xff, 0xd8, 0xff, 1, 2, 3]);
    assert_eq!(back.type_(), "image/jpeg");
    let t = store.get_thumb(&sha).await.unwrap().expect("thumb");
    assert_eq!(bytes_of(&t).await, vec![0xff, 0xd8, 0xff, 9]);
    assert!(store.get_blob(&"00".repeat(32)).await.unwrap().is_none());

    // A record with a photo: events and upload state in one transaction.
    let att = AttachmentRef {
        sha256: sha.clone(),
        size: 6,
        content_type: "image/jpeg".into(),
    };
    let mut f = fields("有照片");
    f.attachments = vec![att.clone()];
    let ch = r.prepare_new(f, "staff1", Timestamp(1), [2; 10]);
    store
        .write_with(&ch, &[UploadRecord::new(&att, "staff1")], &[])
        .await
        .unwrap();
    let ups = store.uploads().await.unwrap();
    assert_eq!(ups.len(), 1);
    assert_eq!(ups[0].state, UploadState::Pending);

    // A photo that is not stored: nothing of the record is written.
    let missing = AttachmentRef {
        sha256: "ef".repeat(32),
        ..att.clone()
    };
    let ch2 = r.prepare_new(fields("照片丢失"), "staff1", Timestamp(2), [3; 10]);
    let err = store
        .write_with(&ch2, &[UploadRecord::new(&missing, "staff1")], &[])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::MissingPhoto(_)), "{err:?}");
    let (_, events) = store.load(|| DeviceId::new_v7(1, [1; 10])).await.unwrap();
    assert_eq!(events.len(), 1, "the refused write left nothing behind");

    // Discarding removes events in the same transaction as the change.
    let meta_only = siteline_model::replica::Change {
        events: vec![],
        meta: ch.meta.clone(),
    };
    store
        .write_with(
            &meta_only,
            &[],
            &[(ch.events[0].event.complaint_id, ch.events[0].event.id)],
        )
        .await
        .unwrap();
    let (_, events) = store.load(|| DeviceId::new_v7(1, [1; 10])).await.unwrap();
    assert!(events.is_empty());
    store
        .delete_photos(std::slice::from_ref(&sha))
        .await
        .unwrap();
    assert!(store.get_blob(&sha).await.unwrap().is_none());
    assert!(store.uploads().await.unwrap().is_empty());
}

#[wasm_bindgen_test]
fn a_quota_error_reads_as_a_full_device() {
    let e = web_sys::DomException::new_with_message_and_name(
        "The quota has been exceeded.",
        "QuotaExceededError",
    )
    .unwrap();
    let err: StoreError = idb::Error::DomException(e).into();
    assert!(err.is_full(), "{err}");
    let other = web_sys::DomException::new_with_message_and_name("x", "DataError").unwrap();
    assert!(!StoreError::from(idb::Error::DomException(other)).is_full());
}

/// A database as version 2 of the app left it (one record per event, photos and upload states),
/// filled the way that app wrote it.
async fn make_v2(
    name: &str,
    stored: &[siteline_model::replica::StoredEvent],
    meta: &ReplicaMeta,
    upload: &UploadRecord,
) {
    make_v1(name, stored, meta).await;
    let factory = idb::Factory::new().unwrap();
    let mut req = factory.open(name, Some(2)).unwrap();
    req.on_upgrade_needed(|event| {
        let db = event.database().unwrap();
        for s in ["blobs", "thumbs", "uploads"] {
            db.create_object_store(s, idb::ObjectStoreParams::new())
                .unwrap();
        }
    });
    let db = req.await.unwrap();
    let tx = db
        .transaction(&["blobs", "uploads"], idb::TransactionMode::ReadWrite)
        .unwrap();
    let key = JsValue::from_str(&upload.sha256);
    tx.object_store("blobs")
        .unwrap()
        .put(&jpeg_blob(&[0xff, 0xd8, 0xff, 7]).into(), Some(&key))
        .unwrap();
    tx.object_store("uploads")
        .unwrap()
        .put(
            &JsValue::from_str(&serde_json::to_string(upload).unwrap()),
            Some(&key),
        )
        .unwrap();
    assert!(tx.commit().unwrap().await.unwrap().is_committed());
    db.close();
}

fn sorted(
    mut v: Vec<siteline_model::replica::StoredEvent>,
) -> Vec<siteline_model::replica::StoredEvent> {
    v.sort_by_key(|s| s.event.id);
    v
}

#[wasm_bindgen_test]
async fn upgrading_from_version_2_keeps_every_pending_record_photo_and_receipt() {
    let name = "siteline-test-upgrade-v2";
    let device = DeviceId::new_v7(5, [5; 10]);
    let mut r = Replica::load(ReplicaMeta::new(device), vec![]);
    let att = AttachmentRef {
        sha256: "ab".repeat(32),
        size: 4,
        content_type: "image/jpeg".into(),
    };
    let mut with_photo = fields("有照片的旧记录");
    with_photo.attachments = vec![att.clone()];
    for (i, f) in [with_photo, fields("已同步"), fields("被拒绝")]
        .into_iter()
        .enumerate()
    {
        let ch = r.prepare_new(f, "staff1", Timestamp(10 + i as i64), [i as u8 + 1; 10]);
        let id = ch.events[0].event.complaint_id;
        r.apply(ch);
        let note = r.prepare(
            id,
            siteline_model::EventKind::NoteAdded {
                text: format!("补充 {i}"),
            },
            "staff1",
            Timestamp(20 + i as i64),
            [i as u8 + 9; 10],
        );
        r.apply(note);
    }
    // Receipts: record 1's events synced, record 2's refused, record 0's still pending (capture
    // times 10+i and 20+i tell them apart).
    let batch = r.pending_batch(10);
    let outcomes: Vec<PushOutcome> = batch
        .iter()
        .enumerate()
        .filter(|(_, e)| e.captured_at.0 % 10 != 0)
        .map(|(i, e)| PushOutcome {
            id: e.id,
            result: if e.captured_at.0 % 10 == 1 {
                PushResult::Accepted {
                    seq: i as u64 + 1,
                    received_at: Timestamp(9_000),
                }
            } else {
                PushResult::Rejected {
                    code: "forbidden".into(),
                    message: "不在本项目".into(),
                }
            },
        })
        .collect();
    let ack = r.ack(&outcomes);
    r.apply(ack);
    let all: Vec<_> = r
        .complaint_ids()
        .flat_map(|id| r.events_of(id).into_iter().cloned().collect::<Vec<_>>())
        .collect();
    assert_eq!(all.len(), 6);
    assert!(all.iter().any(|s| matches!(s.sync, SyncState::Pending)));
    assert!(all
        .iter()
        .any(|s| matches!(s.sync, SyncState::Synced { .. })));
    assert!(all
        .iter()
        .any(|s| matches!(s.sync, SyncState::Rejected { .. })));
    let upload = UploadRecord::new(&att, "staff1");
    make_v2(name, &all, r.meta(), &upload).await;

    let store = LocalStore::open_named(name).await.unwrap();
    let (meta, events) = store.load(|| DeviceId::new_v7(6, [6; 10])).await.unwrap();
    assert_eq!(meta, *r.meta(), "meta survives the upgrade");
    assert_eq!(
        sorted(events),
        sorted(all.clone()),
        "every event and mark survives"
    );
    let again = Replica::load(meta, store.load(|| device).await.unwrap().1);
    assert_eq!(
        again.complaints().collect::<Vec<_>>(),
        r.complaints().collect::<Vec<_>>()
    );
    assert_eq!(again.pending_records(), r.pending_records());
    assert_eq!(again.rejected_records(), r.rejected_records());
    assert_eq!(store.blob_keys().await.unwrap(), vec![att.sha256.clone()]);
    assert_eq!(store.uploads().await.unwrap(), vec![upload]);
    // A reopen reads the same from the complaint records alone.
    let reopened = LocalStore::open_named(name).await.unwrap();
    let (_, events) = reopened.load(|| device).await.unwrap();
    assert_eq!(sorted(events), sorted(all));
}

#[wasm_bindgen_test]
async fn two_tabs_writing_one_complaint_keep_both_events() {
    let name = "siteline-test-two-tabs";
    let a = fresh(name).await;
    let b = LocalStore::open_named(name).await.unwrap();
    let (meta, _) = a.load(|| DeviceId::new_v7(1, [1; 10])).await.unwrap();
    let mut r = Replica::load(meta, vec![]);
    let ch = r.prepare_new(fields("两个标签页"), "staff1", Timestamp(1), [1; 10]);
    a.write(&ch).await.unwrap();
    r.apply(ch);
    let id = *r.complaint_ids().next().unwrap();
    let note = |text: &str, rnd: u8| {
        r.prepare(
            id,
            siteline_model::EventKind::NoteAdded { text: text.into() },
            "staff1",
            Timestamp(2),
            [rnd; 10],
        )
    };
    // Each tab knows only the creation and writes its own note, at the same time.
    let (na, nb) = (note("甲", 2), note("乙", 3));
    let (ra, rb) = futures::join!(a.write(&na), b.write(&nb));
    ra.unwrap();
    rb.unwrap();
    let (_, events) = a.load(|| DeviceId::new_v7(1, [1; 10])).await.unwrap();
    assert_eq!(events.len(), 3, "neither tab's note is lost: {events:?}");
}

#[wasm_bindgen_test]
async fn an_acknowledgement_is_one_receipt_applied_at_load_and_folded_in_later() {
    use siteline_model::device_record::WritePlan;
    let name = "siteline-test-receipts";
    let store = fresh(name).await;
    let device = DeviceId::new_v7(1, [4; 10]);
    let (meta, events) = store.load(|| device).await.unwrap();
    let mut r = Replica::load(meta, events);
    for i in 0..3u8 {
        let ch = r.prepare_new(
            fields(&format!("回执 {i}")),
            "staff1",
            Timestamp(1),
            [i; 10],
        );
        store.write(&ch).await.unwrap();
        r.apply(ch);
    }
    let outcomes: Vec<PushOutcome> = r
        .pending_batch(2)
        .iter()
        .enumerate()
        .map(|(i, e)| PushOutcome {
            id: e.id,
            result: PushResult::Accepted {
                seq: 10 + i as u64,
                received_at: Timestamp(5_000),
            },
        })
        .collect();
    let ack = r.ack(&outcomes);
    let plan = WritePlan::of(&ack.events, |c, id| r.stored(c, id));
    assert!(
        plan.records.is_empty(),
        "an ack rewrites no complaint record"
    );
    assert_eq!(plan.receipt.marks.len(), 2);
    store.write_plan(&plan, &ack.meta, &[], &[]).await.unwrap();
    r.apply(ack);

    // Another connection reads the receipt with the records.
    let synced = |events: Vec<siteline_model::replica::StoredEvent>| {
        events
            .iter()
            .filter(|s| matches!(s.sync, SyncState::Synced { .. }))
            .count()
    };
    let again = LocalStore::open_named(name).await.unwrap();
    let (_, events) = again.load(|| device).await.unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(synced(events), 2);
    // Folded in: one receipt, then none left; the marks stay.
    assert!(again.compact_receipt().await.unwrap());
    assert!(!again.compact_receipt().await.unwrap());
    let (_, events) = store.load(|| device).await.unwrap();
    assert_eq!(synced(events), 2);
}
