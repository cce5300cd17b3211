//! The history calls of the typed client: what the device window leaves on the server (one
//! complaint with its events, and searching what it holds).

use super::{decode, Api, ApiError};
use gloo_net::http::Request;
use serde::Deserialize;
use siteline_model::api::ComplaintSummary;
use siteline_model::sync::SyncedEvent;
use siteline_model::ComplaintId;

/// The part of `GET /api/v1/complaints/{id}` a device keeps: the events (it folds them itself;
/// the answer's other fields sit beside them, the detail being flattened into it).
#[derive(Deserialize)]
struct Events {
    events: Vec<SyncedEvent>,
}

impl Api {
    /// A complaint's events as the server holds them (redacted as for this user).
    pub async fn complaint_events(&self, id: ComplaintId) -> Result<Vec<SyncedEvent>, ApiError> {
        let url = format!("/api/v1/complaints/{id}");
        let d: Events = decode(self.auth(Request::get(&url)).send().await).await?;
        Ok(d.events)
    }

    /// The complaints on the server matching a search (`logic::history::search_query`), newest
    /// first, as this user may see them.
    pub async fn search_history(&self, query: &str) -> Result<Vec<ComplaintSummary>, ApiError> {
        let url = format!("/api/v1/complaints?{query}");
        decode(self.auth(Request::get(&url)).send().await).await
    }
}
