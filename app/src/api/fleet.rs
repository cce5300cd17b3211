//! The fleet calls of the typed client: this tablet's report at each sync, the supervisors' list.

use super::{decode, expect_no_content, Api, ApiError};
use gloo_net::http::Request;
use siteline_model::fleet::{DeviceReport, FleetResponse};

impl Api {
    pub async fn report_device(&self, r: &DeviceReport) -> Result<(), ApiError> {
        let req = self
            .auth(Request::post("/api/v1/devices/report"))
            .json(r)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        expect_no_content(req.send().await).await
    }

    pub async fn fleet(&self) -> Result<FleetResponse, ApiError> {
        decode(self.auth(Request::get("/api/v1/fleet")).send().await).await
    }
}
