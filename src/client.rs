//! The browser transport for `main-api` (runs only in a browser): sends the `RequestSpec`s that
//! `endpoint.rs` builds over `fetch`, with a timeout and optional caller abort, and hands the
//! bytes back to `endpoint.rs` to interpret. Works in pages, content scripts and service workers
//! (it calls the global `fetch`, not `window.fetch`).
//!
//! It calls `fetch` through web-sys directly rather than gloo-net: gloo-net's request builder
//! re-parses every URL and pulls in the `http` crate, about 2 KB gzipped of the content script's
//! 40 KB budget, for nothing this module needs.

use crate::endpoint::{
    decode_conditional, decode_response, ClientConfig, Fetched, ListQuery, RequestSpec,
};
use crate::error::ApiError;
use crate::model::{CancelRequest, CancelResponse, DeleteResponse, Job, JobListBody};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, Request, RequestCache, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, present in windows, content scripts and workers alike.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &Request) -> js_sys::Promise;
}

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
        // The token goes to URLs under the configured API base only (a same-origin `/api` base
        // sends the page's cookies instead, never a token).
        let token = self
            .config
            .bearer_token
            .as_deref()
            .filter(|_| crate::origin::token_may_go_to(&self.config.api_base, &spec.url));
        let request = build_request(&spec, token, &signal)
            .map_err(|error| ApiError::Network(describe(&error)))?;
        let classify = |error: JsValue| {
            if timeout.aborted() {
                ApiError::Timeout {
                    after_ms: self.config.timeout_ms,
                }
            } else if self.signal.as_ref().is_some_and(AbortSignal::aborted) {
                ApiError::Aborted
            } else {
                ApiError::Network(describe(&error))
            }
        };
        let response: Response = JsFuture::from(global_fetch(&request))
            .await
            .map_err(classify)?
            .unchecked_into();
        let status = response.status();
        let etag = response.headers().get("ETag").ok().flatten();
        let text = response.text().map_err(classify)?;
        let body = JsFuture::from(text).await.map_err(classify)?;
        Ok(RawResponse {
            status,
            etag,
            body: body.as_string().unwrap_or_default(),
        })
    }
}

fn build_request(
    spec: &RequestSpec,
    token: Option<&str>,
    signal: &AbortSignal,
) -> Result<Request, JsValue> {
    let headers = Headers::new()?;
    headers.set("Accept", "application/json")?;
    if let Some(token) = token {
        headers.set("Authorization", &format!("Bearer {token}"))?;
    }
    if let Some(etag) = &spec.if_none_match {
        headers.set("If-None-Match", etag)?;
    }
    let init = RequestInit::new();
    init.set_method(spec.method.as_str());
    init.set_cache(RequestCache::NoStore);
    init.set_signal(Some(signal));
    if let Some(body) = &spec.json_body {
        headers.set("Content-Type", "application/json")?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    Request::new_with_str_and_init(&spec.url, &init)
}

/// A JS error's message (for logs; users see `ApiError::user_message`).
fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
