//! The localStorage lease that keeps one sync at a time across tabs when `navigator.locks` is
//! missing: a holder (tab id) and an expiry, renewed while syncing, taken over once expired.

use serde::{Deserialize, Serialize};

/// How long a lease lasts without renewal (a crashed tab frees it after this).
pub const LEASE_MS: i64 = 30_000;
/// How often the holder renews it while syncing.
pub const RENEW_MS: i64 = 10_000;

/// The lease as stored: who holds it until when (device clock, ms).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    pub owner: String,
    pub expires_at: i64,
}

impl Lease {
    /// The lease `me` may write now, or `None` if another tab holds a live one. Taking a free or
    /// expired lease and renewing one's own are the same operation.
    pub fn acquire(current: Option<&Lease>, me: &str, now: i64, ttl: i64) -> Option<Lease> {
        match current {
            Some(l) if l.owner != me && l.expires_at > now && l.expires_at - now <= 2 * ttl => None,
            // A lease far in the future means a wrong clock somewhere: treat it as stale.
            _ => Some(Lease {
                owner: me.to_string(),
                expires_at: now + ttl,
            }),
        }
    }

    /// Whether `me` holds the stored lease (checked after writing it, in case two tabs raced).
    pub fn held_by(current: Option<&Lease>, me: &str, now: i64) -> bool {
        current.is_some_and(|l| l.owner == me && l.expires_at > now)
    }

    /// Whether `me` should remove the stored lease when done (only its own).
    pub fn release(current: Option<&Lease>, me: &str) -> bool {
        current.is_some_and(|l| l.owner == me)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn a_free_lease_is_taken() {
        let l = Lease::acquire(None, "tab-a", 1_000, LEASE_MS).unwrap();
        assert_eq!(l.owner, "tab-a");
        assert_eq!(l.expires_at, 1_000 + LEASE_MS);
        assert!(Lease::held_by(Some(&l), "tab-a", 1_001));
        assert!(!Lease::held_by(Some(&l), "tab-b", 1_001));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_live_lease_of_another_tab_blocks_until_it_expires() {
        let a = Lease::acquire(None, "tab-a", 0, LEASE_MS).unwrap();
        assert_eq!(Lease::acquire(Some(&a), "tab-b", 10_000, LEASE_MS), None);
        assert_eq!(
            Lease::acquire(Some(&a), "tab-b", LEASE_MS - 1, LEASE_MS),
            None
        );
        let b = Lease::acquire(Some(&a), "tab-b", LEASE_MS, LEASE_MS).unwrap();
        assert_eq!(b.owner, "tab-b");
        assert!(!Lease::held_by(Some(&b), "tab-a", LEASE_MS));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_holder_renews_its_own_lease() {
        let a = Lease::acquire(None, "tab-a", 0, LEASE_MS).unwrap();
        let renewed = Lease::acquire(Some(&a), "tab-a", RENEW_MS, LEASE_MS).unwrap();
        assert_eq!(renewed.expires_at, RENEW_MS + LEASE_MS);
        assert_eq!(
            Lease::acquire(Some(&renewed), "tab-b", LEASE_MS + 1, LEASE_MS),
            None,
            "renewal keeps others out past the first expiry"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn only_the_holder_releases_and_far_future_leases_are_stale() {
        let a = Lease::acquire(None, "tab-a", 0, LEASE_MS).unwrap();
        assert!(Lease::release(Some(&a), "tab-a"));
        assert!(!Lease::release(Some(&a), "tab-b"));
        assert!(!Lease::release(None, "tab-a"));
        let wrong_clock = Lease {
            owner: "tab-x".into(),
            expires_at: 10 * LEASE_MS,
        };
        assert!(Lease::acquire(Some(&wrong_clock), "tab-b", 0, LEASE_MS).is_some());
    }
}
