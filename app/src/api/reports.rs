//! The report calls of the typed client: the report, downloads with progress, shared links.

use super::{decode, error_of, expect_no_content, Api, ApiError};
use gloo_net::http::Request;
use siteline_model::api::{CreateShareRequest, ShareCreated, ShareInfo};
use siteline_model::report::Report;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

impl Api {
    /// `GET /api/v1/reports/summary?<query>`.
    pub async fn report(&self, query: &str) -> Result<Report, ApiError> {
        let url = format!("/api/v1/reports/summary?{query}");
        decode(self.auth(Request::get(&url)).send().await).await
    }

    pub async fn shares(&self) -> Result<Vec<ShareInfo>, ApiError> {
        decode(self.auth(Request::get("/api/v1/shares")).send().await).await
    }

    pub async fn create_share(&self, req: &CreateShareRequest) -> Result<ShareCreated, ApiError> {
        let r = self
            .auth(Request::post("/api/v1/shares"))
            .json(req)
            .map_err(|e| ApiError::Decode(e.to_string()))?;
        decode(r.send().await).await
    }

    pub async fn revoke_share(&self, id: &str) -> Result<(), ApiError> {
        let r = self
            .auth(Request::delete(&format!("/api/v1/shares/{id}")))
            .send()
            .await;
        expect_no_content(r).await
    }

    /// Downloads `path` (an export), telling `progress` the bytes received so far.
    pub async fn download(&self, path: &str, progress: impl Fn(u64)) -> Result<Vec<u8>, ApiError> {
        let net = |e: wasm_bindgen::JsValue| ApiError::Network(format!("{e:?}"));
        let resp = self
            .auth(Request::get(path))
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        if !resp.ok() {
            return Err(error_of(resp).await);
        }
        let raw: web_sys::Response = resp.into();
        let Some(body) = raw.body() else {
            return Ok(Vec::new());
        };
        let reader: web_sys::ReadableStreamDefaultReader = body
            .get_reader()
            .dyn_into()
            .map_err(|_| ApiError::Decode("no stream reader".into()))?;
        let mut out = Vec::new();
        loop {
            let chunk = JsFuture::from(reader.read()).await.map_err(net)?;
            let done = js_sys::Reflect::get(&chunk, &"done".into())
                .map_err(net)?
                .as_bool()
                .unwrap_or(true);
            if done {
                break;
            }
            let value = js_sys::Reflect::get(&chunk, &"value".into()).map_err(net)?;
            out.extend(js_sys::Uint8Array::new(&value).to_vec());
            progress(out.len() as u64);
        }
        Ok(out)
    }
}
