//! Keeps the site data (locations, time limits, calendar, own categories) fresh for offline use:
//! fetched after a successful sync at most every few minutes, and right after login.

use crate::api::Api;
use crate::ctx::{now, AppCtx};
use leptos::prelude::*;

/// Minimum time between two fetches.
const EVERY_MS: i64 = 5 * 60_000;

/// Fetches `GET /api/v1/sites` if the cached copy is older than `EVERY_MS` (or was never fetched).
/// A failure keeps the cached copy; it is only logged.
pub async fn refresh_if_due(ctx: AppCtx, api: &Api) {
    let last = ctx.sites_fetched_at.get_value();
    let t = now();
    if last.0 > 0 && t.0 >= last.0 && t.0 - last.0 < EVERY_MS {
        return;
    }
    match api.sites().await {
        Ok(sites) => ctx.set_sites(sites),
        Err(e) => leptos::logging::warn!("sites not refreshed: {e}"),
    }
}
