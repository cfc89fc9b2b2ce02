//! The browser transport for `main-api` (runs only in a browser): sends the `RequestSpec`s that
//! `endpoint.rs` builds over `fetch` (gloo-net), with a timeout and optional caller abort, and
//! hands the bytes back to `endpoint.rs` to interpret. Works in pages, content scripts and
//! service workers (it uses the global `fetch`, not `window`).

use crate::endpoint::{
    decode_conditional, decode_response, ClientConfig, Fetched, ListQuery, RequestSpec,
};
use crate::error::ApiError;
use crate::model::{CancelRequest, CancelResponse, DeleteResponse, Job, JobListBody};
use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::{AbortSignal, RequestCache};

/// A typed client for one API. Cloning is cheap; `abortable` gives a copy whose requests stop
/// when the caller's signal fires (navigation, dialog closed).
#[derive(Clone)]
pub struct ApiClient {
    config: Rc<ClientConfig>,
    signal: Option<AbortSignal>,
}

/// A response as bytes, before interpretation.
struct RawResponse {
    status: u16,
    etag: Option<String>,
    body: String,
}

impl ApiClient {
    pub fn new(config: ClientConfig) -> ApiClient {
        ApiClient {
            config: Rc::new(config),
            signal: None,
        }
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// A client whose requests are aborted when `signal` fires.
    pub fn abortable(&self, signal: &AbortSignal) -> ApiClient {
        ApiClient {
            config: Rc::clone(&self.config),
            signal: Some(signal.clone()),
        }
    }

    /// `GET /jobs`; with an `ETag` from a previous call, `NotModified` when nothing changed.
    pub async fn list_jobs(
        &self,
        query: &ListQuery,
        if_none_match: Option<&str>,
    ) -> Result<Fetched<Vec<Job>>, ApiError> {
        let raw = self
            .send(self.config.list_jobs(query, if_none_match))
            .await?;
        let fetched: Fetched<JobListBody> = decode_conditional(raw.status, raw.etag, &raw.body)?;
        Ok(match fetched {
            Fetched::Fresh { value, etag } => Fetched::Fresh {
                value: value.into_jobs(),
                etag,
            },
            Fetched::NotModified => Fetched::NotModified,
        })
    }

    /// `GET /jobs/{id}`.
    pub async fn get_job(
        &self,
        job_id: &str,
        if_none_match: Option<&str>,
    ) -> Result<Fetched<Job>, ApiError> {
        let raw = self
            .send(self.config.get_job(job_id, if_none_match)?)
            .await?;
        decode_conditional(raw.status, raw.etag, &raw.body)
    }

    /// `POST /jobs/{id}/cancel` (idempotent on the server).
    pub async fn cancel_job(
        &self,
        job_id: &str,
        reason: Option<&str>,
        notes: Option<&str>,
    ) -> Result<CancelResponse, ApiError> {
        let request = CancelRequest {
            reason: reason.map(str::to_string),
            notes: notes.map(str::to_string),
        };
        let raw = self.send(self.config.cancel_job(job_id, &request)?).await?;
        decode_response(raw.status, &raw.body)
    }

    /// `DELETE /jobs/{id}?force=…`; an active job without `force` is `ApiError::Conflict`.
    pub async fn delete_job(&self, job_id: &str, force: bool) -> Result<DeleteResponse, ApiError> {
        let raw = self.send(self.config.delete_job(job_id, force)?).await?;
        decode_response(raw.status, &raw.body)
    }

    async fn send(&self, spec: RequestSpec) -> Result<RawResponse, ApiError> {
        let timeout = AbortSignal::timeout_with_u32(self.config.timeout_ms);
        let signal = match &self.signal {
            Some(caller) => {
                AbortSignal::any(&js_sys::Array::of2(caller.as_ref(), timeout.as_ref()).into())
            }
            None => timeout.clone(),
        };
        let method = match spec.method {
            crate::endpoint::Method::Get => HttpMethod::GET,
            crate::endpoint::Method::Post => HttpMethod::POST,
            crate::endpoint::Method::Delete => HttpMethod::DELETE,
        };
        let mut builder = RequestBuilder::new(&spec.url)
            .method(method)
            .cache(RequestCache::NoStore)
            .abort_signal(Some(&signal))
            .header("Accept", "application/json");
        if let Some(token) = &self.config.bearer_token {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        if let Some(etag) = &spec.if_none_match {
            builder = builder.header("If-None-Match", etag);
        }
        let request = match spec.json_body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(JsValue::from_str(&body)),
            None => builder.build(),
        }
        .map_err(|e| ApiError::Network(e.to_string()))?;

        let classify = |error: gloo_net::Error| {
            if timeout.aborted() {
                ApiError::Timeout {
                    after_ms: self.config.timeout_ms,
                }
            } else if self.signal.as_ref().is_some_and(AbortSignal::aborted) {
                ApiError::Aborted
            } else {
                ApiError::Network(error.to_string())
            }
        };
        let response = request.send().await.map_err(classify)?;
        let status = response.status();
        let etag = response.headers().get("ETag");
        let body = response.text().await.map_err(classify)?;
        Ok(RawResponse { status, etag, body })
    }
}
