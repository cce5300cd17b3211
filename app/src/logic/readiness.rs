//! Storage safety and the pre-shift readiness check: is free space low, and what stops this
//! tablet from working offline for a shift (unsent records, stale site data, photos not uploaded,
//! storage not persistent…). Pure: the status page gathers the facts.

use siteline_model::Timestamp;

/// Warn below this much free space…
pub const LOW_FREE_BYTES: f64 = 200.0 * 1024.0 * 1024.0;
/// …or below this share of the quota.
pub const LOW_FREE_SHARE: f64 = 0.10;
/// Site data (locations, time limits, calendar) older than this is stale.
pub const SITE_DATA_MAX_AGE_MS: i64 = 24 * 3600 * 1000;

/// `navigator.storage.estimate()`, in bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub usage: f64,
    pub quota: f64,
}

impl Estimate {
    pub fn free(&self) -> f64 {
        (self.quota - self.usage).max(0.0)
    }

    /// Less than 10 % or less than 200 MB left.
    pub fn is_low(&self) -> bool {
        self.quota > 0.0
            && (self.free() < LOW_FREE_BYTES || self.free() < self.quota * LOW_FREE_SHARE)
    }
}

/// Bytes as staff read them: `1.5 GB`, `820 MB`, `12 KB`.
pub fn bytes_text(b: f64) -> String {
    const K: f64 = 1024.0;
    if b >= K * K * K {
        format!("{:.1} GB", b / (K * K * K))
    } else if b >= K * K {
        format!("{:.0} MB", b / (K * K))
    } else {
        format!("{:.0} KB", (b / K).ceil())
    }
}

/// What the readiness check found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// The sync just run succeeded (pushed and pulled).
    pub sync_ok: bool,
    pub update_required: bool,
    /// Records not on the server, all users.
    pub pending_records: usize,
    pub rejected_records: usize,
    /// Users whose records wait for them to log in.
    pub waiting_users: Vec<String>,
    pub sites_fetched_at: Timestamp,
    pub now: Timestamp,
    /// Photos taken here not yet uploaded, and refused ones.
    pub photos_pending: usize,
    pub photos_rejected: usize,
    pub persisted: Option<bool>,
    pub estimate: Option<Estimate>,
}

/// One thing wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    SyncFailed,
    UpdateRequired,
    PendingRecords(usize),
    RejectedRecords(usize),
    WaitingLogin(String),
    SiteDataStale,
    PhotosPending(usize),
    PhotosRejected(usize),
    NotPersisted,
    LowSpace,
    NoEstimate,
}

pub fn check(f: &Facts) -> Vec<Problem> {
    let mut p = vec![];
    if f.update_required {
        p.push(Problem::UpdateRequired);
    }
    if !f.sync_ok {
        p.push(Problem::SyncFailed);
    }
    if f.pending_records > 0 {
        p.push(Problem::PendingRecords(f.pending_records));
    }
    if f.rejected_records > 0 {
        p.push(Problem::RejectedRecords(f.rejected_records));
    }
    p.extend(f.waiting_users.iter().cloned().map(Problem::WaitingLogin));
    let age = f.now.0 - f.sites_fetched_at.0;
    if f.sites_fetched_at.0 <= 0 || !(0..SITE_DATA_MAX_AGE_MS).contains(&age) {
        p.push(Problem::SiteDataStale);
    }
    if f.photos_pending > 0 {
        p.push(Problem::PhotosPending(f.photos_pending));
    }
    if f.photos_rejected > 0 {
        p.push(Problem::PhotosRejected(f.photos_rejected));
    }
    if f.persisted != Some(true) {
        p.push(Problem::NotPersisted);
    }
    match f.estimate {
        Some(e) if e.is_low() => p.push(Problem::LowSpace),
        Some(_) => {}
        None => p.push(Problem::NoEstimate),
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    const GB: f64 = 1024.0 * 1024.0 * 1024.0;

    fn ready() -> Facts {
        Facts {
            sync_ok: true,
            sites_fetched_at: Timestamp(1_000),
            now: Timestamp(2_000),
            persisted: Some(true),
            estimate: Some(Estimate {
                usage: GB,
                quota: 10.0 * GB,
            }),
            ..Default::default()
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn low_space_is_under_ten_percent_or_200_mb() {
        let e = |usage: f64, quota: f64| Estimate { usage, quota };
        assert!(!e(GB, 10.0 * GB).is_low());
        assert!(e(9.5 * GB, 10.0 * GB).is_low(), "5 % left");
        assert!(e(0.9 * GB, GB).is_low(), "100 MB left");
        assert!(!e(0.0, 0.0).is_low(), "unknown quota is not a warning");
        assert_eq!(bytes_text(1.5 * GB), "1.5 GB");
        assert_eq!(bytes_text(200.0 * 1024.0 * 1024.0), "200 MB");
        assert_eq!(bytes_text(1.0), "1 KB");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_ready_tablet_has_no_problems() {
        assert_eq!(check(&ready()), vec![]);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn every_problem_is_listed() {
        let f = Facts {
            sync_ok: false,
            pending_records: 2,
            rejected_records: 1,
            waiting_users: vec!["张三".into()],
            sites_fetched_at: Timestamp(0),
            photos_pending: 3,
            photos_rejected: 1,
            persisted: Some(false),
            estimate: Some(Estimate {
                usage: 9.9 * GB,
                quota: 10.0 * GB,
            }),
            ..ready()
        };
        assert_eq!(
            check(&f),
            vec![
                Problem::SyncFailed,
                Problem::PendingRecords(2),
                Problem::RejectedRecords(1),
                Problem::WaitingLogin("张三".into()),
                Problem::SiteDataStale,
                Problem::PhotosPending(3),
                Problem::PhotosRejected(1),
                Problem::NotPersisted,
                Problem::LowSpace,
            ]
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn site_data_older_than_a_day_is_stale() {
        let mut f = ready();
        f.now = Timestamp(f.sites_fetched_at.0 + SITE_DATA_MAX_AGE_MS - 1);
        assert_eq!(check(&f), vec![]);
        f.now = Timestamp(f.sites_fetched_at.0 + SITE_DATA_MAX_AGE_MS);
        assert_eq!(check(&f), vec![Problem::SiteDataStale]);
    }
}
