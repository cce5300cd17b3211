//! The admin calls of the typed client: users (list, create, edit) and sites (create).

use super::{decode, Api, ApiError};
use gloo_net::http::Request;
use siteline_model::api::{
    CreateSiteRequest, CreateUserRequest, SiteInfo, UpdateUserRequest, UserInfo,
};

impl Api {
    pub async fn users(&self) -> Result<Vec<UserInfo>, ApiError> {
        decode(self.auth(Request::get("/api/v1/users")).send().await).await
    }

    pub async fn create_user(&self, req: &CreateUserRequest) -> Result<UserInfo, ApiError> {
        let r = self
            .auth(Request::post("/api/v1/users"))
            .json(req)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(r.send().await).await
    }

    pub async fn update_user(
        &self,
        username: &str,
        req: &UpdateUserRequest,
    ) -> Result<UserInfo, ApiError> {
        let r = self
            .auth(Request::patch(&format!("/api/v1/users/{username}")))
            .json(req)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(r.send().await).await
    }

    pub async fn create_site(&self, req: &CreateSiteRequest) -> Result<SiteInfo, ApiError> {
        let r = self
            .auth(Request::post("/api/v1/sites"))
            .json(req)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(r.send().await).await
    }
}
