//! One sync at a time across tabs: `navigator.locks.request("siteline-sync", {ifAvailable:true})`
//! where the browser has it, else a lease in localStorage (owner tab id + expiry, renewed while
//! syncing; see `logic::lease`). A tab that does not get the lock skips this round.

use super::{call, object, prop};
use crate::logic::lease::{Lease, LEASE_MS, RENEW_MS};
use gloo_storage::{LocalStorage, Storage};
use std::cell::{Cell, OnceCell};
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

const LOCK_NAME: &str = "siteline-sync";
const LEASE_KEY: &str = "siteline.sync-lease";

thread_local! {
    static TAB_ID: OnceCell<String> = const { OnceCell::new() };
}

/// A random id of this tab (page load).
pub fn tab_id() -> String {
    TAB_ID.with(|t| {
        t.get_or_init(|| {
            let mut b = [0u8; 8];
            let _ = getrandom::fill(&mut b);
            super::hex(&b)
        })
        .clone()
    })
}

/// Runs `f` holding the sync lock; `None` (without running it) if another tab holds it.
pub async fn with_sync_lock<T, Fut: Future<Output = T>>(f: impl FnOnce() -> Fut) -> Option<T> {
    let nav = web_sys::window()?.navigator();
    match prop(&nav, "locks") {
        Some(locks) => with_web_lock(&locks, f).await,
        None => with_lease(f).await,
    }
}

async fn with_web_lock<T, Fut: Future<Output = T>>(
    locks: &JsValue,
    f: impl FnOnce() -> Fut,
) -> Option<T> {
    let (tx, rx) = futures::channel::oneshot::channel::<Option<js_sys::Function>>();
    let cb = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        if lock.is_null() || lock.is_undefined() {
            let _ = tx.send(None);
            return JsValue::UNDEFINED;
        }
        // The lock is held until this promise settles, i.e. until the sync is done.
        let mut release = None;
        let held = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
        let _ = tx.send(release);
        held.into()
    });
    let opts = object(&[("ifAvailable", JsValue::TRUE)]);
    if let Err(e) = call(locks, "request", &[LOCK_NAME.into(), opts.into(), cb]) {
        leptos::logging::warn!("navigator.locks failed ({e}); using the lease");
        return with_lease(f).await;
    }
    let release = rx.await.ok().flatten()?;
    let out = f().await;
    let _ = release.call0(&JsValue::NULL);
    Some(out)
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn read_lease() -> Option<Lease> {
    LocalStorage::get(LEASE_KEY).ok()
}

/// Takes or renews the lease; answers whether this tab holds it.
fn take_lease(me: &str) -> bool {
    let Some(l) = Lease::acquire(read_lease().as_ref(), me, now_ms(), LEASE_MS) else {
        return false;
    };
    if LocalStorage::set(LEASE_KEY, &l).is_err() {
        // No localStorage: nothing to coordinate with.
        return true;
    }
    Lease::held_by(read_lease().as_ref(), me, now_ms())
}

async fn with_lease<T, Fut: Future<Output = T>>(f: impl FnOnce() -> Fut) -> Option<T> {
    let me = tab_id();
    if !take_lease(&me) {
        return None;
    }
    let done = Rc::new(Cell::new(false));
    {
        let (done, me) = (done.clone(), me.clone());
        leptos::task::spawn_local(async move {
            loop {
                gloo_timers::future::TimeoutFuture::new(RENEW_MS as u32).await;
                if done.get() {
                    break;
                }
                take_lease(&me);
            }
        });
    }
    let out = f().await;
    done.set(true);
    if Lease::release(read_lease().as_ref(), &me) {
        LocalStorage::delete(LEASE_KEY);
    }
    Some(out)
}
