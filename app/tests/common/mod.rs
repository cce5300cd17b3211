//! What the in-browser store tests share: complaint fields and a fresh database.

use siteline_app::store::LocalStore;
use siteline_model::replica::{Change, Replica};
use siteline_model::sync::{PushOutcome, PushResult};
use siteline_model::{Channel, Complainant, NewComplaint, Severity, Timestamp};

pub fn fields(desc: &str) -> NewComplaint {
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

pub async fn fresh(name: &str) -> LocalStore {
    let factory = idb::Factory::new().unwrap();
    factory.delete(name).unwrap().await.unwrap();
    LocalStore::open_named(name).await.unwrap()
}

/// Saves `n` complaints by staff1 (one write each), as the intake form does.
#[allow(dead_code)] // not every test file uses every helper
pub async fn save_complaints(store: &LocalStore, r: &mut Replica, n: u8) {
    for i in 0..n {
        let ch = r.prepare_new(
            fields(&format!("电梯异响 {i}")),
            "staff1",
            Timestamp(1_000 + i64::from(i)),
            [i; 10],
        );
        store.write(&ch).await.unwrap();
        r.apply(ch);
    }
}

/// The server's acceptance of the oldest pending event (received at `at`).
#[allow(dead_code)]
pub fn accept_first(r: &Replica, at: i64) -> Change {
    let first = r.pending_batch(1)[0].id;
    r.ack(&[PushOutcome {
        id: first,
        result: PushResult::Accepted {
            seq: 1,
            received_at: Timestamp(at),
        },
    }])
}
