//! What the in-browser store tests share: complaint fields and a fresh database.

use siteline_app::store::LocalStore;
use siteline_model::{Channel, Complainant, NewComplaint, Severity};

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
