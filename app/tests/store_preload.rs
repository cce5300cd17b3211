//! In-browser tests of the start-up read `index.html` begins before the app's code has loaded:
//! the app builds the same replica from it as from its own read, takes it only once, and reads
//! itself when the start script found schema 1–2 events still to move.

mod common;

use common::{accept_first, fields, fresh, save_complaints};
use siteline_app::store::LocalStore;
use siteline_model::device_record::WritePlan;
use siteline_model::replica::{Change, Replica, ReplicaMeta, StoredEvent};
use siteline_model::{DeviceId, Timestamp};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The start script of `index.html`, run as the page runs it.
fn run_start_script() {
    let html = include_str!("../../index.html");
    let start = html.find("<script>").expect("a start script") + "<script>".len();
    let end = start + html[start..].find("</script>").expect("its end");
    js_sys::eval(&html[start..end]).expect("the start script runs");
}

fn preload_pending() -> bool {
    let v = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("sitelinePreload"));
    v.is_ok_and(|v| !v.is_undefined())
}

/// Three pending creations and a receipt acknowledging the first, stored in "siteline".
async fn stored_device() -> (LocalStore, Replica) {
    let store = fresh("siteline").await;
    let mut r = Replica::load(ReplicaMeta::new(DeviceId::new_v7(1, [7; 10])), vec![]);
    save_complaints(&store, &mut r, 3).await;
    let ack = accept_first(&r, 2_000);
    let plan = WritePlan::of(&ack.events, |c, id| r.stored(c, id));
    assert!(!plan.receipt.is_empty(), "the ack is stored as a receipt");
    store.write_plan(&plan, &ack.meta, &[], &[]).await.unwrap();
    r.apply(ack);
    (store, r)
}

/// Puts an event into schema 2's `events` store, as that app wrote it (a JSON string by id).
async fn put_legacy_event(s: &StoredEvent) {
    let db = idb::Factory::new()
        .unwrap()
        .open("siteline", None)
        .unwrap()
        .await
        .unwrap();
    let tx = db
        .transaction(&["events"], idb::TransactionMode::ReadWrite)
        .unwrap();
    let json = JsValue::from_str(&serde_json::to_string(s).unwrap());
    let key = JsValue::from_str(&s.event.id.to_string());
    tx.object_store("events")
        .unwrap()
        .put(&json, Some(&key))
        .unwrap();
    assert!(tx.commit().unwrap().await.unwrap().is_committed());
    db.close();
}

fn events(r: &Replica) -> Vec<StoredEvent> {
    let mut v: Vec<StoredEvent> = r
        .complaint_ids()
        .flat_map(|id| r.events_of(id))
        .cloned()
        .collect();
    v.sort_by_key(|s| s.event.id);
    v
}

#[wasm_bindgen_test]
async fn the_start_scripts_read_builds_the_same_replica_once() {
    let (store, want) = stored_device().await;
    run_start_script();
    let promise = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("sitelinePreload"))
        .unwrap()
        .dyn_into::<js_sys::Promise>()
        .expect("the start script left its read");
    let preloaded = store.load_replica(|| unreachable!()).await.unwrap();
    assert!(!preload_pending(), "taken once");
    // What it read was usable (not a fallback to the app's own read).
    let read = wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    let get = |k: &str| js_sys::Reflect::get(&read, &JsValue::from_str(k)).unwrap();
    assert_eq!(
        get("version").as_f64(),
        Some(f64::from(siteline_app::store::DB_VERSION))
    );
    assert_eq!(get("old").as_f64(), Some(0.0));
    let chunks = js_sys::Array::from(&get("chunks"));
    assert_eq!(chunks.length(), 1, "one chunk of up to 500 records");
    let first = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(chunks.get(0)))
        .await
        .unwrap();
    assert_eq!(js_sys::Array::from(&first).length(), 3);
    let own = store.load_replica(|| unreachable!()).await.unwrap();
    for got in [&preloaded, &own] {
        assert_eq!(got.meta(), want.meta());
        assert_eq!(events(got), events(&want));
        assert_eq!(got.pending_records(), 2, "the receipt applied");
    }
    store.close();
}

#[wasm_bindgen_test]
async fn a_device_with_old_events_to_move_reads_itself() {
    let (store, want) = stored_device().await;
    // An event in schema 2's one-record-per-event store, as an older app left it.
    let extra = want.prepare_new(fields("旧版本"), "staff1", Timestamp(3_000), [9; 10]);
    put_legacy_event(&extra.events[0]).await;
    run_start_script();
    let r = store.load_replica(|| unreachable!()).await.unwrap();
    assert!(!preload_pending());
    assert_eq!(r.complaints().len(), 4, "the old event was moved and read");
    store.close();
}

#[wasm_bindgen_test]
async fn no_database_yet_is_left_for_the_app_to_create() {
    let factory = idb::Factory::new().unwrap();
    factory.delete("siteline").unwrap().await.unwrap();
    run_start_script();
    let store = LocalStore::open().await.expect("the app creates it");
    let r = store
        .load_replica(|| DeviceId::new_v7(5, [5; 10]))
        .await
        .unwrap();
    assert_eq!(r.complaints().len(), 0);
    assert_eq!(r.meta().device_id, DeviceId::new_v7(5, [5; 10]));
    store.close();
}

#[wasm_bindgen_test]
async fn records_read_in_chunks_build_the_whole_replica() {
    let store = fresh("siteline").await;
    let mut r = Replica::load(ReplicaMeta::new(DeviceId::new_v7(1, [8; 10])), vec![]);
    let mut all = Vec::new();
    for i in 0..1_201u32 {
        let b = i.to_be_bytes();
        let ch = r.prepare_new(
            fields(&format!("投诉 {i}")),
            "staff1",
            Timestamp(1_000 + i64::from(i)),
            [b[0], b[1], b[2], b[3], 1, 2, 3, 4, 5, 6],
        );
        all.extend(ch.events.iter().cloned());
        r.apply(ch);
    }
    store
        .write(&Change {
            events: all,
            meta: r.meta().clone(),
        })
        .await
        .unwrap();
    run_start_script();
    let promise = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("sitelinePreload"))
        .unwrap()
        .dyn_into::<js_sys::Promise>()
        .unwrap();
    let preloaded = store.load_replica(|| unreachable!()).await.unwrap();
    assert!(!preload_pending());
    let read = wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    let chunks = js_sys::Reflect::get(&read, &JsValue::from_str("chunks")).unwrap();
    assert_eq!(js_sys::Array::from(&chunks).length(), 3);
    assert_eq!(
        preloaded.complaints().len(),
        1_201,
        "three chunks, none lost"
    );
    assert_eq!(events(&preloaded), events(&r));
    store.close();
}
