//! Fleet sync health: tablets report themselves at each sync (`POST /api/v1/devices/report`,
//! any signed-in user, for themselves); supervisors list the tablets of their sites' users
//! (`GET /api/v1/fleet`), the silent ones holding unsynced records first.

use super::auth::AuthUser;
use super::ApiJson;
use crate::error::{Error, Result};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use siteline_model::fleet::{self, DeviceReport, FleetDevice, FleetResponse, MAX_VERSION};
use siteline_model::Role;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/devices/report", post(report))
        .route("/api/v1/fleet", get(list))
}

/// The most tablets a fleet answer lists.
pub const MAX_FLEET: u32 = 2000;

async fn report(
    State(st): State<AppState>,
    user: AuthUser,
    ApiJson(r): ApiJson<DeviceReport>,
) -> Result<StatusCode> {
    if r.device_id.as_uuid().is_nil() {
        return Err(Error::Validation(
            "device_id must not be the nil UUID".into(),
        ));
    }
    let version_ok = !r.app_version.is_empty()
        && r.app_version.len() <= MAX_VERSION
        && r.app_version.bytes().all(|b| b.is_ascii_graphic());
    if !version_ok {
        return Err(Error::Validation(format!(
            "app_version must be 1 to {MAX_VERSION} visible ASCII characters"
        )));
    }
    st.store
        .record_device_report(user.id, &r, st.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list(State(st): State<AppState>, user: AuthUser) -> Result<Json<FleetResponse>> {
    if !matches!(user.role(), Role::Supervisor | Role::Admin) {
        return Err(Error::Forbidden);
    }
    let sites = (user.role() != Role::Admin).then(|| user.info.sites.clone());
    let rows = st.store.fleet(sites.as_deref(), MAX_FLEET).await?;
    let now = st.clock.now();
    let hours = st.config.fleet_silent_hours;
    let mut devices: Vec<FleetDevice> = rows
        .into_iter()
        .map(|r| FleetDevice {
            silent: fleet::is_silent(r.last_seen, r.report.pending_records, now, hours),
            device_id: r.report.device_id,
            username: r.username,
            display_name: r.display_name,
            app_version: r.report.app_version,
            last_seen: r.last_seen,
            pending_records: r.report.pending_records,
            oldest_pending_at: r.report.oldest_pending_at,
            storage_used: r.report.storage_used,
            storage_quota: r.report.storage_quota,
            persisted: r.report.persisted,
        })
        .collect();
    fleet::sort(&mut devices);
    Ok(Json(FleetResponse {
        silent_after_hours: hours,
        generated_at: now,
        devices,
    }))
}
