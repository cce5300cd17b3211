//! In-browser tests of the IndexedDB store: what is committed survives a reopen, with sync state and meta.

use siteline_app::store::LocalStore;
use siteline_model::replica::{Replica, SyncState};
use siteline_model::sync::{PushOutcome, PushResult};
use siteline_model::{Channel, Complainant, DeviceId, NewComplaint, Severity, Timestamp};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fields(desc: &str) -> NewComplaint {
    NewComplaint {
        provisional_number: String::new(),
        description: desc.into(),
        location: "3栋 电梯厅".into(),
        category: "facility.lift".into(),
        severity: Severity::Important,
        channel: Channel::Phone,
        complainant: Complainant {
            name: Some("王女士".into()),
            phone: Some("13800138000".into()),
            ..Default::default()
        },
        ..Default::default()
    }
}

async fn fresh(name: &str) -> LocalStore {
    let factory = idb::Factory::new().unwrap();
    factory.delete(name).unwrap().await.unwrap();
    LocalStore::open_named(name).await.unwrap()
}

#[wasm_bindgen_test]
async fn committed_records_survive_reopen_with_sync_state() {
    let name = "siteline-test-reopen";
    let store = fresh(name).await;
    let device = DeviceId::new_v7(1, [7; 10]);
    let (meta, events) = store.load(|| device).await.unwrap();
    assert_eq!(meta.device_id, device);
    assert!(events.is_empty());

    let mut r = Replica::load(meta, events);
    for i in 0..3u8 {
        let ch = r.prepare_new(
            fields(&format!("电梯异响 {i}")),
            "staff1",
            Timestamp(1_000 + i64::from(i)),
            [i; 10],
        );
        store.write(&ch).await.unwrap();
        r.apply(ch);
    }
    // The server acknowledges one of them.
    let first = r.pending_batch(1)[0].id;
    let ack = r.ack(&[PushOutcome {
        id: first,
        result: PushResult::Accepted {
            seq: 1,
            received_at: Timestamp(5_000),
        },
    }]);
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
    assert_eq!(reloaded.complaints(), r.complaints());
    assert_eq!(reloaded.pending_records(), 2);
    let synced = reloaded
        .complaints()
        .values()
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
