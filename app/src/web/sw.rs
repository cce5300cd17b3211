//! Service worker: registers `/sw.js` (offline app shell), notices when a new version is
//! installed and waiting, and applies it on request (SKIP_WAITING → controllerchange → reload).
//! The first install takes over at once; later ones wait for the user (never mid-typing).

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

thread_local! {
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
}

/// How often to ask the server for a new `sw.js` while the app is open.
const CHECK_EVERY_MS: i32 = 30 * 60_000;

/// Registers the worker; `on_waiting` runs whenever a new version is ready to apply.
pub fn register(on_waiting: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if super::prop(&window.navigator(), "serviceWorker").is_none() {
        return; // insecure origin or old browser: no offline start, the app still works
    }
    let container = window.navigator().service_worker();
    let on_waiting: Rc<dyn Fn()> = Rc::new(on_waiting);
    let p = container.register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(reg) = super::await_promise(p).await else {
            return;
        };
        let Ok(reg) = reg.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        REGISTRATION.with(|r| *r.borrow_mut() = Some(reg.clone()));
        if reg.waiting().is_some() && controlled() {
            on_waiting();
        }
        let reg2 = reg.clone();
        let found = Closure::<dyn Fn()>::new(move || {
            let Some(installing) = reg2.installing() else {
                return;
            };
            watch(&installing, on_waiting.clone());
        });
        reg.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
        found.forget();
        // Look for a new version now and then (browsers also check on navigation).
        let check = Closure::<dyn Fn()>::new(move || {
            let _ = reg.update();
        });
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            check.as_ref().unchecked_ref(),
            CHECK_EVERY_MS,
        );
        check.forget();
    });
}

fn watch(worker: &ServiceWorker, on_waiting: Rc<dyn Fn()>) {
    let w = worker.clone();
    let changed = Closure::<dyn Fn()>::new(move || {
        // `installed` with a page already controlled = an update waiting; without = first install.
        if w.state() == ServiceWorkerState::Installed && controlled() {
            on_waiting();
        }
    });
    worker.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
    changed.forget();
}

fn controlled() -> bool {
    web_sys::window().is_some_and(|w| w.navigator().service_worker().controller().is_some())
}

/// Activates the waiting version; the page reloads once it controls it. Answers false if there
/// is nothing waiting.
pub fn apply_update() -> bool {
    let Some(waiting) = REGISTRATION.with(|r| r.borrow().as_ref().and_then(|r| r.waiting())) else {
        return false;
    };
    let Some(window) = web_sys::window() else {
        return false;
    };
    let container = window.navigator().service_worker();
    let reload = Closure::once_into_js(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(reload.unchecked_ref()));
    waiting
        .post_message(&JsValue::from_str("SKIP_WAITING"))
        .is_ok()
}
