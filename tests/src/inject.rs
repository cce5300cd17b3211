//! Puts records straight into the app's IndexedDB (in its exact storage format, built with the real
//! model code), for tests that need hundreds of records or ones the UI would never produce.

use crate::browser::Browser;
use serde_json::{json, Value};
use siteline_model::replica::{Replica, ReplicaMeta, StoredEvent};
use siteline_model::{DeviceId, NewComplaint, Timestamp};

/// `n` new complaints by `author` on a made-up device, as pending local records.
pub fn pending_complaints(author: &str, n: usize, category: &str) -> Vec<StoredEvent> {
    let device = DeviceId::new_v7(1_700_000_000_000, [0x5e; 10]);
    let mut r = Replica::load(ReplicaMeta::new(device), vec![]);
    let mut out = Vec::new();
    // Captured just now (the server refuses capture times far from its own clock).
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
        - n as i64 * 1000;
    for i in 0..n {
        let fields = NewComplaint {
            description: format!("批量记录 {i}"),
            // Distinct places: otherwise the server rightly escalates them as 二次投诉 (same place + category).
            location: format!("1栋 {}F {i}号", i % 30 + 1),
            category: category.to_string(),
            ..Default::default()
        };
        let mut rnd = [0u8; 10];
        rnd[..8].copy_from_slice(&(i as u64).to_be_bytes());
        rnd[8] = 0xab;
        let ch = r.prepare_new(fields, author, Timestamp(start + i as i64 * 1000), rnd);
        out.extend(ch.events.iter().cloned());
        r.apply(ch);
    }
    out
}

impl Browser {
    /// Writes the records into the page's `siteline` database; reload afterwards so the app reads them.
    pub async fn inject_events(&self, events: &[StoredEvent]) {
        let records: Vec<Value> = events
            .iter()
            .map(|s| {
                json!([
                    s.event.id.to_string(),
                    serde_json::to_string(s).expect("json")
                ])
            })
            .collect();
        let script = r#"
            const records = arguments[0], done = arguments[arguments.length - 1];
            const req = indexedDB.open('siteline');
            req.onerror = () => done('open failed: ' + req.error);
            req.onsuccess = () => {
                const db = req.result;
                const tx = db.transaction(['events'], 'readwrite');
                const st = tx.objectStore('events');
                for (const [key, value] of records) st.put(value, key);
                tx.oncomplete = () => { db.close(); done('ok'); };
                tx.onerror = () => done('transaction failed: ' + tx.error);
                tx.onabort = () => done('transaction aborted: ' + tx.error);
            };"#;
        match self
            .client()
            .execute_async(script, vec![Value::Array(records)])
            .await
        {
            Ok(Value::String(s)) if s == "ok" => {}
            other => self.fail(&format!("inject_events: {other:?}")).await,
        }
    }
}
