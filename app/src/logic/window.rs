//! The device-window setting: which spans of finished complaints a tablet may keep.

use siteline_model::window::WindowDays;

/// The spans offered (days): a month, the default quarter, half a year, a year — and the one
/// set now if it is none of these (set by an earlier version or by hand), ascending.
pub fn choices(current: WindowDays) -> Vec<WindowDays> {
    let mut v: Vec<WindowDays> = [30, 90, 180, 365]
        .into_iter()
        .filter_map(WindowDays::new)
        .collect();
    if !v.contains(&current) {
        v.push(current);
        v.sort();
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn the_default_is_offered_and_an_odd_setting_stays_in_order() {
        let d = |n| WindowDays::new(n).unwrap();
        let days = |v: Vec<WindowDays>| v.into_iter().map(WindowDays::days).collect::<Vec<_>>();
        assert_eq!(days(choices(WindowDays::DEFAULT)), vec![30, 90, 180, 365]);
        assert_eq!(days(choices(d(60))), vec![30, 60, 90, 180, 365]);
        assert_eq!(days(choices(d(3650))), vec![30, 90, 180, 365, 3650]);
    }
}
