//! The admin calls of the typed client: users (list, create, edit) and sites (create; policy,
//! working hours, calendar days, categories).

use super::{decode, Api, ApiError};
use gloo_net::http::Request;
use siteline_model::api::{
    CreateSiteRequest, CreateUserRequest, CustomCategory, DayUpdate, PolicyUpdate, SetupStatus,
    SiteInfo, SiteUpdate, UpdateUserRequest, UserInfo,
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

    pub async fn set_site_policy(
        &self,
        code: &str,
        req: &PolicyUpdate,
    ) -> Result<SiteInfo, ApiError> {
        let r = self
            .auth(Request::put(&format!("/api/v1/sites/{code}/policy")))
            .json(req)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(r.send().await).await
    }

    pub async fn set_site_day(
        &self,
        code: &str,
        date: &str,
        req: &DayUpdate,
    ) -> Result<SiteInfo, ApiError> {
        let r = self
            .auth(Request::put(&format!("/api/v1/sites/{code}/days/{date}")))
            .json(req)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(r.send().await).await
    }

    pub async fn delete_site_day(&self, code: &str, date: &str) -> Result<(), ApiError> {
        let r = self
            .auth(Request::delete(&format!(
                "/api/v1/sites/{code}/days/{date}"
            )))
            .send()
            .await;
        super::expect_no_content(r).await
    }

    pub async fn add_site_category(
        &self,
        code: &str,
        req: &CustomCategory,
    ) -> Result<CustomCategory, ApiError> {
        let r = self
            .auth(Request::post(&format!("/api/v1/sites/{code}/categories")))
            .json(req)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(r.send().await).await
    }

    /// `GET /api/v1/setup`: whether this server still needs its first-run setup.
    pub async fn setup_status(&self) -> Result<SetupStatus, ApiError> {
        decode(self.auth(Request::get("/api/v1/setup")).send().await).await
    }

    /// `PATCH /api/v1/sites/{code}`: renames a site and adds places to its tree.
    pub async fn update_site(&self, code: &str, req: &SiteUpdate) -> Result<SiteInfo, ApiError> {
        let r = self
            .auth(Request::patch(&format!("/api/v1/sites/{code}")))
            .json(req)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(r.send().await).await
    }
}
