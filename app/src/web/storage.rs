//! `navigator.storage`: ask that the browser keep this site's data under pressure (`persist`),
//! whether it will (`persisted`), and how much space is used and left (`estimate`).

use super::await_promise;
use crate::logic::readiness::Estimate;

fn manager() -> Option<web_sys::StorageManager> {
    let nav = web_sys::window()?.navigator();
    // Missing on old browsers and insecure origins.
    super::prop(&nav, "storage")?;
    Some(nav.storage())
}

/// Asks for persistent storage; answers whether it was granted (`None`: API missing).
pub async fn persist() -> Option<bool> {
    let p = manager()?.persist().ok()?;
    await_promise(p).await.ok()?.as_bool()
}

pub async fn persisted() -> Option<bool> {
    let p = manager()?.persisted().ok()?;
    await_promise(p).await.ok()?.as_bool()
}

pub async fn estimate() -> Option<Estimate> {
    let p = manager()?.estimate().ok()?;
    let e: web_sys::StorageEstimate =
        wasm_bindgen::JsCast::unchecked_into(await_promise(p).await.ok()?);
    Some(Estimate {
        usage: e.get_usage().unwrap_or(0.0),
        quota: e.get_quota().unwrap_or(0.0),
    })
}
