//! Measurement hooks for the device benchmark (`tests/src/devbench`): User Timing entries only.
//!
//! The app records, and never reads back:
//! - `siteline:store-write` — a measure around every IndexedDB commit of events (a save, an ack, a
//!   pulled page), `detail.events` = how many events it wrote;
//! - `siteline:store-load` — a measure around reading the replica from IndexedDB at start-up
//!   (`detail.events`), of which `siteline:store-read` is the IndexedDB part (the rest is parsing);
//!   `siteline:replica-built` — a measure of building the in-memory replica;
//! - `siteline:start` — a mark when the app's code starts running (its wasm fetched, compiled and
//!   instantiated);
//! - `siteline:render` — a measure from handing the loaded replica to the page to the frame
//!   that shows it;
//! - `siteline:interactive` — a mark once the first page has rendered with the replica loaded;
//! - `siteline:decode` — a measure around decoding a pulled page's JSON (`detail.events`);
//! - `siteline:store-encode` — per commit of events, the time spent merging and encoding the
//!   complaint records it writes (the measure ends at the commit's end and lasts that long; the
//!   rest of a `store-write` is IndexedDB);
//! - `siteline:replica-apply` — a measure around applying a committed change to the in-memory
//!   replica (folding what it touched), before anything re-renders.
//!
//! The bench reads them with `performance.getEntriesByName(…)`. Each costs microseconds; they
//! change no behaviour. Measures are cleared by the bench, and only the last 1000 of the per-write
//! ones are kept so that a long-running tab does not grow the timeline without bound.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;

pub const STORE_WRITE: &str = "siteline:store-write";
pub const STORE_LOAD: &str = "siteline:store-load";
pub const STORE_READ: &str = "siteline:store-read";
pub const REPLICA_BUILT: &str = "siteline:replica-built";
pub const INTERACTIVE: &str = "siteline:interactive";
pub const START: &str = "siteline:start";
pub const RENDER: &str = "siteline:render";
pub const DECODE: &str = "siteline:decode";
pub const STORE_ENCODE: &str = "siteline:store-encode";
pub const REPLICA_APPLY: &str = "siteline:replica-apply";
const KEEP_WRITES: u32 = 1000;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn perf_now() -> f64;
    #[wasm_bindgen(js_namespace = performance, js_name = mark, catch)]
    fn perf_mark(name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = performance, js_name = measure, catch)]
    fn perf_measure(name: &str, options: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = performance, js_name = clearMeasures)]
    fn perf_clear_measures(name: &str);
    #[wasm_bindgen(js_namespace = window, js_name = requestAnimationFrame)]
    fn request_animation_frame(f: &Closure<dyn FnMut()>) -> JsValue;
}

thread_local! {
    static WRITES: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// `performance.now()` in milliseconds.
pub fn now() -> f64 {
    perf_now()
}

/// Records `name` from `start` (a `now()` value) to now, with `detail.events = events`.
pub fn measure(name: &str, start: f64, events: usize) {
    if matches!(name, STORE_WRITE | DECODE | STORE_ENCODE | REPLICA_APPLY) {
        let n = WRITES.with(|w| {
            w.set(w.get() + 1);
            w.get()
        });
        if n > KEEP_WRITES {
            for n in [STORE_WRITE, DECODE, STORE_ENCODE, REPLICA_APPLY] {
                perf_clear_measures(n);
            }
            WRITES.with(|w| w.set(1));
        }
    }
    let detail = crate::web::object(&[("events", JsValue::from_f64(events as f64))]);
    let options = crate::web::object(&[
        ("start", JsValue::from_f64(start)),
        ("end", JsValue::from_f64(perf_now())),
        ("detail", detail.into()),
    ]);
    let _ = perf_measure(name, &options.into());
}

/// Marks that the app's code has started.
pub fn mark_start() {
    let _ = perf_mark(START);
}

/// Marks `siteline:interactive` at the next animation frame, i.e. after the reactive updates
/// that the replica just triggered have rendered (they run as microtasks before it), and
/// measures `siteline:render` from `shown` (when the replica was handed to the page). Once.
pub fn mark_interactive_after_render(shown: f64) {
    thread_local! {
        static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if DONE.with(|d| d.replace(true)) {
        return;
    }
    let f = Closure::<dyn FnMut()>::new(move || {
        let _ = perf_mark(INTERACTIVE);
        measure(RENDER, shown, 0);
    });
    let _ = request_animation_frame(&f);
    f.forget();
}
