//! In-browser tests of a pulled page's write: it reads the records it merges into by key range
//! or by key, and either way keeps what another tab stored in them.

mod common;

use common::{fields, fresh};
use siteline_app::store::LocalStore;
use siteline_model::replica::{Change, Replica, ReplicaMeta, SyncState};
use siteline_model::{DeviceId, Timestamp};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// One pending creation each, for complaints captured at `at(i)`; applied to `r`.
fn creations(r: &mut Replica, n: u8, at: impl Fn(u8) -> i64) -> Vec<Change> {
    let mut out = Vec::new();
    for i in 0..n {
        let ch = r.prepare_new(
            fields(&format!("投诉 {i}")),
            "staff1",
            Timestamp(at(i)),
            [i; 10],
        );
        r.apply(ch.clone());
        out.push(ch);
    }
    out
}

/// `events` as a pulled page brings them: acknowledged by the server.
fn pulled(events: Vec<siteline_model::replica::StoredEvent>, meta: ReplicaMeta) -> Change {
    let events = events
        .into_iter()
        .enumerate()
        .map(|(i, mut s)| {
            s.sync = SyncState::Synced {
                seq: i as u64 + 1,
                received_at: Timestamp(9_000),
            };
            s
        })
        .collect();
    Change { events, meta }
}

#[wasm_bindgen_test]
async fn a_pulled_page_keeps_what_another_tab_stored_whether_read_by_range_or_by_key() {
    // (database, complaints tab A stored, which of them the page adds a note to, new ones in
    // the page): 40 stored under a page of 40 is read as one range; 100 stored under a page of
    // 16 spanning them all is read record by record.
    let cases: [(&str, u8, Vec<usize>, u8); 2] = [
        (
            "siteline-test-range-read",
            40,
            (0..40).step_by(2).collect(),
            20,
        ),
        ("siteline-test-key-read", 100, vec![0, 99], 14),
    ];
    for (name, stored, noted, new) in cases {
        let a = fresh(name).await;
        let b = LocalStore::open_named(name).await.unwrap();
        let device = DeviceId::new_v7(1, [1; 10]);
        let (meta, _) = a.load(|| device).await.unwrap();
        // Tab A: its own pending complaints, captured at even times.
        let mut ra = Replica::load(meta.clone(), vec![]);
        let held = creations(&mut ra, stored, |i| 1_000 + 2 * i64::from(i));
        for ch in &held {
            a.write(ch).await.unwrap();
        }
        // Tab B knows none of them; it pulls notes on some and complaints new to the device,
        // captured between A's (so its page's key range holds A's records).
        let mut rb = Replica::load(meta, vec![]);
        let mut page = Vec::new();
        for (n, &i) in noted.iter().enumerate() {
            let note = siteline_model::EventKind::NoteAdded {
                text: format!("服务器备注 {i}"),
            };
            let cid = held[i].events[0].event.complaint_id;
            let ch = ra.prepare(cid, note, "staff2", Timestamp(5_000), [n as u8; 10]);
            page.extend(ch.events);
        }
        let spread = i64::from(stored) / i64::from(new);
        for ch in creations(&mut rb, new, |i| 1_001 + 2 * i64::from(i) * spread) {
            page.extend(ch.events);
        }
        let want = usize::from(stored) + noted.len() + usize::from(new);
        b.write(&pulled(page, rb.meta().clone())).await.unwrap();
        let (_, events) = a.load(|| device).await.unwrap();
        assert_eq!(
            events.len(),
            want,
            "{name}: nothing either tab wrote is lost"
        );
        let pending = events
            .iter()
            .filter(|s| s.sync == SyncState::Pending)
            .count();
        assert_eq!(
            pending,
            usize::from(stored),
            "{name}: A's creations still unsent"
        );
    }
}
