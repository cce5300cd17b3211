//! The 常用答复 calls of the typed client: add, change and delete a site's reply templates.

use super::{decode, Api, ApiError};
use gloo_net::http::Request;
use siteline_model::replies::{ReplyTemplate, ReplyTemplateInput};

impl Api {
    pub async fn add_reply(
        &self,
        site: &str,
        req: &ReplyTemplateInput,
    ) -> Result<ReplyTemplate, ApiError> {
        let r = self
            .auth(Request::post(&format!("/api/v1/sites/{site}/replies")))
            .json(req)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(r.send().await).await
    }

    pub async fn change_reply(
        &self,
        site: &str,
        id: &str,
        req: &ReplyTemplateInput,
    ) -> Result<ReplyTemplate, ApiError> {
        let r = self
            .auth(Request::put(&format!("/api/v1/sites/{site}/replies/{id}")))
            .json(req)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(r.send().await).await
    }

    pub async fn delete_reply(&self, site: &str, id: &str) -> Result<(), ApiError> {
        let r = self
            .auth(Request::delete(&format!(
                "/api/v1/sites/{site}/replies/{id}"
            )))
            .send()
            .await;
        super::expect_no_content(r).await
    }
}
