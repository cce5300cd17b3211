//! A clock signal that ticks on a timer, so deadlines and countdowns stay current (also offline).

use crate::ctx::now;
use leptos::prelude::*;
use siteline_model::Timestamp;
use std::time::Duration;

/// The device time now, updated every `every`; the timer stops when the owner is cleaned up.
pub fn use_now(every: Duration) -> ReadSignal<Timestamp> {
    let (t, set_t) = signal(now());
    if let Ok(handle) = set_interval_with_handle(move || set_t.set(now()), every) {
        on_cleanup(move || handle.clear());
    }
    t
}
