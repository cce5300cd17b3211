//! 编号: provisional numbers given offline by a device, canonical ones given by the server.

use crate::ids::DeviceId;

/// Provisional number: `P-<device short>-<local counter>`, e.g. `P-3F9A-0007`. Shown as provisional.
pub fn provisional(device: &DeviceId, counter: u32) -> String {
    format!("P-{}-{counter:04}", device.short())
}

/// Canonical number: `<site code>-<year>-<6-digit sequence>`, e.g. `DEMO-2026-000042`.
pub fn canonical(site_code: &str, year: i32, seq: u64) -> String {
    format!("{site_code}-{year}-{seq:06}")
}

pub fn is_provisional(number: &str) -> bool {
    number.starts_with("P-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let d = DeviceId::new_v7(1, [0x3f; 10]);
        let p = provisional(&d, 7);
        assert!(p.starts_with("P-") && p.ends_with("-0007"), "{p}");
        assert!(is_provisional(&p));
        assert_eq!(canonical("DEMO", 2026, 42), "DEMO-2026-000042");
        assert!(!is_provisional("DEMO-2026-000042"));
    }
}
