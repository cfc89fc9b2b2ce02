//! The browser transport for `main-api` (runs only in a browser): sends the `RequestSpec`s that
//! `endpoint.rs` builds over `fetch`, with a timeout and optional caller abort, and hands the
//! bytes back to `endpoint.rs` to interpret. Works in pages, content scripts and service workers
//! (it calls the global `fetch`, not `window.fetch`).
//!
//! It calls `fetch` through web-sys directly rather than gloo-net: gloo-net's request builder
//! re-parses every URL and pulls in the `http` crate, about 2 KB gzipped of the content script's
//! 40 KB budget, for nothing this module needs.
//!
//! Two guards against an API that is not what it should be (issue #20): a request carrying a
//! token or a body, and every action, is sent with `redirect: "manual"`, and a redirect answer is
//! `ApiError::Redirected` (`RequestSpec::follows_redirects`); and an answer is read in counted
//! chunks up to its request's limit, refused at once when its `Content-Length` is over it, so a
//! hostile API cannot exhaust the tab (`endpoint::check_head`, `endpoint::check_read`).

use crate::api::endpoint::{
    check_head, check_read, decode_conditional, decode_response, error_from_status, ClientConfig,
    Fetched, ListQuery, Method, RequestSpec,
};
use crate::api::error::ApiError;
use crate::api::model::{CancelRequest, CancelResponse, Job, JobListBody};
use crate::api::retry_after;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, Headers, ReadableStreamDefaultReader, Request, RequestCache, RequestInit,
    RequestRedirect, Response, ResponseType, TextDecoder,
};

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
    csrf: Option<CsrfSource>,
}

/// Reads the page's CSRF header (`csrf::header_for`) at the moment a write is sent: apps rotate
/// the token.
pub type CsrfSource = Rc<dyn Fn() -> Option<(String, String)>>;

/// A response as bytes, before interpretation.
struct RawResponse {
    status: u16,
    etag: Option<String>,
    /// `Retry-After` and `Date` of a 429 or 503 (a busy server's pause; read by the writes alone,
    /// `RawResponse::retry_after_s`, so that only the builds that send them carry the reading).
    retry_after: Option<(String, Option<String>)>,
    body: String,
}

impl RawResponse {
    /// The pause in whole seconds the busy server asked for (`retry_after::seconds`).
    fn retry_after_s(&self) -> Option<u64> {
        let (value, date) = self.retry_after.as_ref()?;
        let now_ms = crate::jobs::time::whole_ms(js_sys::Date::now());
        retry_after::seconds(value, date.as_deref(), now_ms)
    }
}

impl ApiClient {
    pub fn new(config: ClientConfig) -> ApiClient {
        ApiClient {
            config: Rc::new(config),
            signal: None,
            csrf: None,
        }
    }

    /// A client that sends the page's CSRF header with every write (POST, DELETE). Give it only
    /// for an API on the page's own origin: the token is that app's.
    pub fn with_csrf(mut self, source: CsrfSource) -> ApiClient {
        self.csrf = Some(source);
        self
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// A client whose requests are aborted when `signal` fires.
    pub fn abortable(&self, signal: &AbortSignal) -> ApiClient {
        ApiClient {
            config: Rc::clone(&self.config),
            signal: Some(signal.clone()),
            csrf: self.csrf.clone(),
        }
    }

    /// `GET /jobs`; with an `ETag` from a previous call, `NotModified` when nothing changed.
    ///
    /// Like every request here, it leaves when this is called, not when the answer is first
    /// awaited (`start`).
    pub fn list_jobs(
        &self,
        query: &ListQuery,
        if_none_match: Option<&str>,
    ) -> impl Future<Output = Result<Fetched<Vec<Job>>, ApiError>> + 'static {
        let sent = self.start(self.config.list_jobs(query, if_none_match));
        async move {
            let raw = sent?.answer().await?;
            let fetched: Fetched<JobListBody> =
                decode_conditional(raw.status, raw.etag, &raw.body)?;
            Ok(match fetched {
                Fetched::Fresh { value, etag } => Fetched::Fresh {
                    value: value.into_jobs(),
                    etag,
                },
                Fetched::NotModified => Fetched::NotModified,
            })
        }
    }

    /// `GET /jobs/{id}`.
    pub fn get_job(
        &self,
        job_id: &str,
        if_none_match: Option<&str>,
    ) -> impl Future<Output = Result<Fetched<Job>, ApiError>> + 'static {
        let sent = self
            .config
            .get_job(job_id, if_none_match)
            .and_then(|spec| self.start(spec));
        async move {
            let raw = sent?.answer().await?;
            decode_conditional(raw.status, raw.etag, &raw.body)
        }
    }

    /// `POST /jobs/{id}/cancel` (idempotent on the server).
    pub fn cancel_job(
        &self,
        job_id: &str,
        request: &CancelRequest,
    ) -> impl Future<Output = Result<CancelResponse, ApiError>> + 'static {
        let sent = self
            .config
            .cancel_job(job_id, request)
            .and_then(|spec| self.start(spec));
        async move {
            let raw = sent?.answer().await?;
            decode_response(raw.status, &raw.body)
                .map_err(|error| error.with_retry_after(raw.retry_after_s()))
        }
    }

    /// `DELETE /jobs/{id}?force=…`; an active job without `force` is `ApiError::Conflict`. Any
    /// 2xx is done (its body is not read: `RequestSpec::reads_success`).
    pub fn delete_job(
        &self,
        job_id: &str,
        force: bool,
    ) -> impl Future<Output = Result<(), ApiError>> + 'static {
        let sent = self
            .config
            .delete_job(job_id, force)
            .and_then(|spec| self.start(spec));
        async move {
            let raw = sent?.answer().await?;
            if (200..300).contains(&raw.status) {
                return Ok(());
            }
            Err(error_from_status(raw.status, &raw.body).with_retry_after(raw.retry_after_s()))
        }
    }

    /// Builds the request and hands it to the browser (`fetch`) now; its answer is read when
    /// awaited (`InFlight::answer`). Starting it here rather than on the first poll matters to a
    /// click: a spawned task is first polled after the click's own work and whatever else waits
    /// in the page's queue (measured: the request left 5–6 ms after the click on a job's page,
    /// and its answer then waited for that work too).
    fn start(&self, spec: RequestSpec) -> Result<InFlight, ApiError> {
        let timeout = AbortSignal::timeout_with_u32(self.config.timeout_ms);
        let signal = match &self.signal {
            Some(caller) => {
                AbortSignal::any(&js_sys::Array::of2(caller.as_ref(), timeout.as_ref()).into())
            }
            None => timeout.clone(),
        };
        // The token goes to URLs under the configured API base only, over https (http only to
        // this machine); a cookie-auth profile has none and sends the page's cookies.
        let token =
            self.config.bearer_token.as_deref().filter(|_| {
                crate::sites::origin::token_may_go_to(&self.config.api_base, &spec.url)
            });
        let csrf = match (&self.csrf, spec.method.as_str()) {
            (_, "GET" | "HEAD") | (None, _) => None,
            (Some(source), _) => source(),
        };
        let request = build_request(&spec, token, csrf, &signal)
            .map_err(|error| ApiError::Network(describe(&error)))?;
        Ok(InFlight {
            response: JsFuture::from(global_fetch(&request)),
            spec,
            timeout,
            timeout_ms: self.config.timeout_ms,
            caller: self.signal.clone(),
        })
    }
}

/// A request the browser has: its answer, and what reading it needs.
struct InFlight {
    response: JsFuture,
    spec: RequestSpec,
    timeout: AbortSignal,
    timeout_ms: u32,
    /// The caller's own signal (`ApiClient::abortable`).
    caller: Option<AbortSignal>,
}

impl InFlight {
    async fn answer(self) -> Result<RawResponse, ApiError> {
        let InFlight {
            response,
            spec,
            timeout,
            timeout_ms,
            caller,
        } = self;
        let classify = |error: JsValue| {
            if timeout.aborted() {
                ApiError::Timeout {
                    after_ms: timeout_ms,
                }
            } else if caller.as_ref().is_some_and(AbortSignal::aborted) {
                ApiError::Aborted
            } else {
                ApiError::Network(describe(&error))
            }
        };
        let response: Response = response.await.map_err(classify)?.unchecked_into();
        let status = response.status();
        let headers = response.headers();
        // A body left unread has no size to check.
        let reads = spec.reads_body(status);
        let length = reads
            .then(|| headers.get("Content-Length").ok().flatten())
            .flatten();
        let opaque_redirect = response.type_() == ResponseType::Opaqueredirect;
        if let Err(refused) =
            check_head(status, opaque_redirect, length.as_deref(), spec.limit_bytes)
        {
            // Nothing of it is read; let the browser drop the rest.
            if let Some(body) = response.body() {
                let _ = body.cancel();
            }
            return Err(refused);
        }
        // Only a GET's answer has an ETag worth keeping (`If-None-Match` next time).
        let etag = (spec.method == Method::Get)
            .then(|| headers.get("ETag").ok().flatten())
            .flatten();
        // A date is measured against the answer's own `Date` (both must be readable: an API on
        // another origin exposes them with `Access-Control-Expose-Headers`).
        let retry_after = matches!(status, 429 | 503)
            .then(|| headers.get("Retry-After").ok().flatten())
            .flatten()
            .map(|value| (value, headers.get("Date").ok().flatten()));
        // A success whose body says nothing needed is done at its headers; the body is left to
        // the browser (cancelling it could cost the connection).
        let body = if reads {
            read_limited(&response, spec.limit_bytes, &classify).await?
        } else {
            String::new()
        };
        Ok(RawResponse {
            status,
            etag,
            retry_after,
            body,
        })
    }
}

/// Reads the body chunk by chunk, counting bytes, and stops — cancelling the stream — once it
/// passes `limit_bytes`: an answer without `Content-Length`, or a compressed one that grows when
/// decoded, cannot make the tab hold more than that. The chunks stay in JavaScript, joined into
/// one array when there are several, and a `TextDecoder` decodes them as `Response.text()` would
/// (UTF-8, invalid bytes replaced, a byte-order mark dropped): copying them into wasm memory and
/// validating UTF-8 here would cost the content script code for nothing, and a `Blob` read back
/// through a `Response` (how this read them before) costs a registration with the browser
/// process per answer — 0.5 ms of the page's main thread each, measured in a 500-job bulk run.
async fn read_limited(
    response: &Response,
    limit_bytes: u32,
    classify: &dyn Fn(JsValue) -> ApiError,
) -> Result<String, ApiError> {
    let Some(stream) = response.body() else {
        return Ok(String::new());
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut chunks = Vec::new();
    let mut read_bytes = 0usize;
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(classify)?;
        if js_sys::Reflect::get(&chunk, &"done".into())
            .map_err(classify)?
            .is_truthy()
        {
            break;
        }
        let value: js_sys::Uint8Array = js_sys::Reflect::get(&chunk, &"value".into())
            .map_err(classify)?
            .unchecked_into();
        read_bytes += value.length() as usize;
        if let Err(too_large) = check_read(read_bytes, limit_bytes) {
            let _ = reader.cancel();
            return Err(too_large);
        }
        chunks.push(value);
    }
    let whole = match chunks.len() {
        0 => return Ok(String::new()),
        1 => chunks.swap_remove(0),
        _ => {
            let whole = js_sys::Uint8Array::new_with_length(read_bytes as u32);
            let mut at = 0;
            for chunk in &chunks {
                whole.set(chunk, at);
                at += chunk.length();
            }
            whole
        }
    };
    TextDecoder::new()
        .and_then(|decoder| decoder.decode_with_js_u8_array(&whole))
        .map_err(classify)
}

fn build_request(
    spec: &RequestSpec,
    token: Option<&str>,
    csrf: Option<(String, String)>,
    signal: &AbortSignal,
) -> Result<Request, JsValue> {
    let headers = Headers::new()?;
    headers.set("Accept", "application/json")?;
    if let Some((name, value)) = csrf {
        headers.set(&name, &value)?;
    }
    if let Some(token) = token {
        headers.set("Authorization", &format!("Bearer {token}"))?;
    }
    if let Some(etag) = &spec.if_none_match {
        headers.set("If-None-Match", etag)?;
    }
    let init = RequestInit::new();
    init.set_method(spec.method.as_str());
    if !spec.follows_redirects(token.is_some()) {
        init.set_redirect(RequestRedirect::Manual);
    }
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
