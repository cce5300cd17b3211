//! What this tablet reports of itself at a sync (nothing personal): records not yet on the
//! server (refused ones too) and the capture time of the oldest, storage, persistence.

use crate::logic::readiness::Estimate;
use siteline_model::fleet::DeviceReport;
use siteline_model::replica::Replica;

/// The app's version, as the fleet page shows it.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn device_report(
    r: &Replica,
    estimate: Option<Estimate>,
    persisted: Option<bool>,
) -> DeviceReport {
    let oldest = r.pending_events().map(|e| e.captured_at).min();
    let unsynced = r.pending_records() + r.rejected_records();
    DeviceReport {
        device_id: r.meta().device_id,
        app_version: APP_VERSION.to_string(),
        pending_records: u32::try_from(unsynced).unwrap_or(u32::MAX),
        oldest_pending_at: oldest,
        storage_used: estimate.map(|e| e.usage.max(0.0) as u64),
        storage_quota: estimate.map(|e| e.quota.max(0.0) as u64),
        persisted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use siteline_model::replica::ReplicaMeta;
    use siteline_model::{DeviceId, NewComplaint, Timestamp};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn a_report_counts_unsynced_records_and_the_oldest_capture() {
        let mut r = Replica::load(ReplicaMeta::new(DeviceId::new_v7(1, [1; 10])), vec![]);
        let empty = device_report(&r, None, None);
        assert_eq!((empty.pending_records, empty.oldest_pending_at), (0, None));
        for (i, at) in [5_000, 3_000].iter().enumerate() {
            let ch = r.prepare_new(
                NewComplaint {
                    description: "漏水".into(),
                    location: "B2".into(),
                    category: "facility.water".into(),
                    ..Default::default()
                },
                "staff",
                Timestamp(*at),
                [i as u8 + 1; 10],
            );
            r.apply(ch);
        }
        let e = Estimate {
            usage: 2_000_000.0,
            quota: 50_000_000.0,
        };
        let rep = device_report(&r, Some(e), Some(true));
        assert_eq!(rep.pending_records, 2);
        assert_eq!(rep.oldest_pending_at, Some(Timestamp(3_000)));
        assert_eq!(
            (rep.storage_used, rep.storage_quota, rep.persisted),
            (Some(2_000_000), Some(50_000_000), Some(true))
        );
        assert_eq!(rep.app_version, APP_VERSION);
    }
}
