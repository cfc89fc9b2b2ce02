//! Fault injection for tests and users' own test suites: for requests matching a method and path,
//! delay them, hold the real answer, answer with a given status and `detail` or a raw body (e.g.
//! malformed JSON, or a job with an unknown `phase`), drop the connection, redirect them
//! elsewhere (`redirect_to`: 307 with a `Location`, as an API that moved — or a hostile one —
//! answers), or make the answer huge (`pad_to_bytes`, with or without `Content-Length`:
//! `chunked`) — for the next N matches, or a given percentage of them. Off until a rule is added
//! (`POST /_emulator/faults`, or `--faults FILE` at start); the request log records what each
//! request got, and every path is logged, so a test sees whether a client followed a redirect.

use crate::request_log::InjectedFault;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use job_actions::api::model::ErrorBody;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// `GET`, `POST`, `DELETE`...; any method when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// The request path as received (percent-encoded); a trailing `*` matches any suffix.
    pub path: String,
    /// Wait this long before answering (or before passing the request on).
    #[serde(default)]
    pub delay_ms: u64,
    /// Run the real handler at once, then hold its answer this long: a stale answer, as a slow
    /// network or a lagging replica delivers it.
    #[serde(default)]
    pub hold_response_ms: u64,
    /// Answer with this status instead of the real handler.
    #[serde(default)]
    pub status: Option<u16>,
    /// With `status`: the body is `{"detail": detail}`.
    #[serde(default)]
    pub detail: Option<String>,
    /// With `status`: this raw body instead (e.g. malformed JSON or an HTML error page).
    #[serde(default)]
    pub body: Option<String>,
    /// Send the answer's headers, then break the connection instead of the body: the client
    /// sees a network failure (as a proxy dropping the connection produces).
    #[serde(default)]
    pub drop: bool,
    /// Answer `307 Temporary Redirect` with `Location: <redirect_to>` instead of the real handler
    /// (with `status` 301, 302, 303 or 308: that status): a client that follows it re-sends the
    /// request there — for a 307/308 with its method, body and, on the same origin, its
    /// `Authorization` — and the request log shows where it went.
    #[serde(default)]
    pub redirect_to: Option<String>,
    /// Make the answer's body this many bytes: the real (or injected) answer, then spaces up to
    /// the size (JSON stays valid, so only a client's size limit stops it reading them all). The
    /// body is generated as it is sent, never held in memory.
    #[serde(default)]
    pub pad_to_bytes: Option<u64>,
    /// With `pad_to_bytes`: send no `Content-Length` (chunked transfer), so a client learns the
    /// size only by reading; without it, `Content-Length` says the padded size up front.
    #[serde(default)]
    pub chunked: bool,
    /// With `status`: this `Retry-After`, as given (whole seconds, an HTTP date, or whatever
    /// else a server might send).
    #[serde(default)]
    pub retry_after: Option<String>,
    /// With `status`: a `Retry-After` HTTP date this many seconds after the answer's own `Date`.
    #[serde(default)]
    pub retry_after_date_s: Option<i64>,
    /// Apply to this share of the matching requests (1–100), spread evenly and reproducibly
    /// (with 25: the 4th, 8th, 12th… match); every match when absent.
    #[serde(default)]
    pub percent: Option<u8>,
    /// How many matching requests this rule applies to; forever when absent.
    #[serde(default)]
    pub times: Option<u32>,
    /// How many requests matched so far (for `percent`).
    #[serde(skip)]
    pub seen: u32,
}

impl FaultRule {
    pub fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = self
            .method
            .as_deref()
            .is_none_or(|wanted| wanted.eq_ignore_ascii_case(method));
        let path_ok = match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => path == self.path,
        };
        method_ok && path_ok && self.times != Some(0)
    }

    /// The `Retry-After` an injected status carries, if the rule gives one.
    fn retry_after_value(&self) -> Option<String> {
        self.status?;
        match self.retry_after_date_s {
            Some(seconds) => Some(crate::clock::http_date_in(seconds)),
            None => self.retry_after.clone(),
        }
    }

    /// What the request log says of the rule, with the `Retry-After` it sent (`retry_after`:
    /// made once per answer, so a date shows as sent).
    fn describe(&self, retry_after: Option<&str>) -> String {
        let mut parts = Vec::new();
        if self.delay_ms > 0 {
            parts.push(format!("delay {} ms", self.delay_ms));
        }
        if self.hold_response_ms > 0 {
            parts.push(format!("hold response {} ms", self.hold_response_ms));
        }
        if let Some(status) = self.status {
            parts.push(format!("status {status}"));
        }
        if self.body.is_some() {
            parts.push("raw body".into());
        }
        if let Some(value) = retry_after {
            parts.push(format!("Retry-After: {value}"));
        }
        if self.drop {
            parts.push("dropped connection".into());
        }
        if let Some(location) = &self.redirect_to {
            parts.push(format!("redirect to {location}"));
        }
        if let Some(size) = self.pad_to_bytes {
            parts.push(format!("padded to {size} bytes"));
            if self.chunked {
                parts.push("chunked".into());
            }
        }
        parts.join(", ")
    }
}

#[derive(Default)]
pub struct Faults {
    rules: Mutex<Vec<FaultRule>>,
}

impl Faults {
    pub fn add(&self, rule: FaultRule) {
        self.rules
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(rule);
    }

    pub fn clear(&self) {
        self.rules.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// The first rule matching the request that applies to it (its `percent`), counted against
    /// its `times`.
    pub fn take(&self, method: &str, path: &str) -> Option<FaultRule> {
        let mut rules = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        let rule = rules.iter_mut().find(|rule| rule.matches(method, path))?;
        rule.seen = rule.seen.saturating_add(1);
        if let Some(percent) = rule.percent {
            let share = |n: u32| u64::from(n) * u64::from(percent.min(100)) / 100;
            if share(rule.seen) == share(rule.seen - 1) {
                return None;
            }
        }
        if let Some(times) = rule.times.as_mut() {
            *times -= 1;
        }
        Some(rule.clone())
    }

    /// Rules from a JSON file (an array of rules, as `POST /_emulator/faults` takes one).
    pub fn load(&self, path: &std::path::Path) -> Result<usize, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("--faults {}: cannot read it: {e}", path.display()))?;
        let rules: Vec<FaultRule> = serde_json::from_str(&text).map_err(|e| {
            format!(
                "--faults {}: not a JSON array of fault rules: {e}",
                path.display()
            )
        })?;
        let count = rules.len();
        for rule in rules {
            if rule.percent.is_some_and(|p| p == 0 || p > 100) {
                return Err(format!(
                    "--faults {}: `percent` must be 1–100",
                    path.display()
                ));
            }
            self.add(rule);
        }
        Ok(count)
    }
}

/// Middleware: applies the first matching rule.
pub async fn inject(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/_emulator") || request.method() == "OPTIONS" {
        return next.run(request).await;
    }
    let Some(rule) = state
        .faults
        .take(request.method().as_str(), request.uri().path())
    else {
        return next.run(request).await;
    };
    if rule.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(rule.delay_ms)).await;
    }
    let mut response = match rule.status {
        _ if rule.drop => {
            let broken = broken_body();
            let mut response = Response::new(axum::body::Body::from_stream(broken));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        status if rule.redirect_to.is_some() => {
            let location = rule.redirect_to.as_deref().unwrap_or_default();
            redirect(status, location)
        }
        None => {
            let response = next.run(request).await;
            if rule.hold_response_ms > 0 {
                tokio::time::sleep(Duration::from_millis(rule.hold_response_ms)).await;
            }
            response
        }
        Some(status) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            match (&rule.body, &rule.detail) {
                (Some(body), _) => (
                    status,
                    [(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    )],
                    body.clone(),
                )
                    .into_response(),
                (None, Some(detail)) => (
                    status,
                    Json(ErrorBody {
                        detail: detail.clone(),
                    }),
                )
                    .into_response(),
                (None, None) => status.into_response(),
            }
        }
    };
    let retry_after = rule.retry_after_value().filter(|_| !rule.drop);
    if let Some(value) = retry_after.as_deref() {
        if let Ok(value) = HeaderValue::from_str(value) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
    if let Some(size) = rule.pad_to_bytes.filter(|_| !rule.drop) {
        response = padded(response, size, rule.chunked).await;
    }
    response
        .extensions_mut()
        .insert(InjectedFault(rule.describe(retry_after.as_deref())));
    response
}

/// A redirect to `location`: 307 unless `status` names another redirect status.
fn redirect(status: Option<u16>, location: &str) -> Response {
    let status = match status {
        Some(code @ (301 | 302 | 303 | 308)) => {
            StatusCode::from_u16(code).unwrap_or(StatusCode::TEMPORARY_REDIRECT)
        }
        _ => StatusCode::TEMPORARY_REDIRECT,
    };
    match HeaderValue::from_str(location) {
        Ok(location) => (status, [(header::LOCATION, location)]).into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(ErrorBody {
                detail: "fault rule: redirect_to is not a valid header value".into(),
            }),
        )
            .into_response(),
    }
}

/// `response` with its body made `size` bytes long: the body as it was, then spaces, generated
/// as they are sent. `Content-Length` says `size`, or is absent when `chunked`.
async fn padded(response: Response, size: u64, chunked: bool) -> Response {
    let (mut parts, body) = response.into_parts();
    let head = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let spaces = size.saturating_sub(head.len() as u64);
    parts.headers.remove(header::CONTENT_LENGTH);
    if !chunked {
        parts.headers.insert(
            header::CONTENT_LENGTH,
            HeaderValue::from(head.len() as u64 + spaces),
        );
    }
    let body = Padding {
        head: Some(head),
        spaces,
    };
    Response::from_parts(parts, axum::body::Body::from_stream(body))
}

/// A body stream: `head`, then `spaces` spaces in chunks of at most 64 KiB.
struct Padding {
    head: Option<axum::body::Bytes>,
    spaces: u64,
}

impl futures_core::Stream for Padding {
    type Item = Result<axum::body::Bytes, std::io::Error>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        static SPACES: [u8; 64 * 1024] = [b' '; 64 * 1024];
        if let Some(head) = self.head.take().filter(|head| !head.is_empty()) {
            return std::task::Poll::Ready(Some(Ok(head)));
        }
        if self.spaces == 0 {
            return std::task::Poll::Ready(None);
        }
        let chunk = self.spaces.min(SPACES.len() as u64) as usize;
        self.spaces -= chunk as u64;
        std::task::Poll::Ready(Some(Ok(axum::body::Bytes::from_static(&SPACES[..chunk]))))
    }
}

/// A body that starts, then fails: the client has the headers and a first byte, then the
/// connection breaks. (A body failing before any byte is written makes browsers silently retry
/// the request on a fresh connection — a different fault than the one asked for.)
fn broken_body() -> impl futures_core::Stream<Item = Result<axum::body::Bytes, std::io::Error>> {
    use std::pin::Pin;
    use std::task::{Context, Poll};
    struct Broken {
        step: u8,
        pause: Pin<Box<tokio::time::Sleep>>,
    }
    impl futures_core::Stream for Broken {
        type Item = Result<axum::body::Bytes, std::io::Error>;
        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            match self.step {
                0 => {
                    self.step = 1;
                    Poll::Ready(Some(Ok(axum::body::Bytes::from_static(b"{"))))
                }
                1 => {
                    // Long enough for the first byte to leave.
                    if self.pause.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    self.step = 2;
                    Poll::Ready(Some(Err(std::io::Error::other(
                        "connection dropped by a fault rule",
                    ))))
                }
                _ => Poll::Ready(None),
            }
        }
    }
    Broken {
        step: 0,
        pause: Box::pin(tokio::time::sleep(Duration::from_millis(100))),
    }
}

pub fn admin_router() -> Router<AppState> {
    Router::new().route(
        "/_emulator/faults",
        post(
            |State(state): State<AppState>, Json(rule): Json<FaultRule>| async move {
                state.faults.add(rule);
                StatusCode::NO_CONTENT
            },
        )
        .delete(|State(state): State<AppState>| async move {
            state.faults.clear();
            StatusCode::NO_CONTENT
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(method: Option<&str>, path: &str, times: Option<u32>) -> FaultRule {
        FaultRule {
            method: method.map(str::to_string),
            path: path.into(),
            delay_ms: 0,
            hold_response_ms: 0,
            status: Some(500),
            detail: None,
            body: None,
            drop: false,
            redirect_to: None,
            pad_to_bytes: None,
            chunked: false,
            retry_after: None,
            retry_after_date_s: None,
            percent: None,
            times,
            seen: 0,
        }
    }

    #[test]
    fn percent_applies_to_an_even_share_of_matches() {
        let faults = Faults::default();
        let mut quarter = rule(None, "/api/jobs", None);
        quarter.percent = Some(25);
        faults.add(quarter);
        let applied: Vec<bool> = (0..8)
            .map(|_| faults.take("GET", "/api/jobs").is_some())
            .collect();
        assert_eq!(
            applied,
            [false, false, false, true, false, false, false, true]
        );
    }

    #[test]
    fn rules_match_method_and_path() {
        let exact = rule(Some("post"), "/api/jobs/a/cancel", None);
        assert!(exact.matches("POST", "/api/jobs/a/cancel"));
        assert!(!exact.matches("GET", "/api/jobs/a/cancel"));
        assert!(!exact.matches("POST", "/api/jobs/a/cancel/x"));
        let prefix = rule(None, "/api/jobs/*", None);
        assert!(prefix.matches("DELETE", "/api/jobs/a"));
        assert!(!prefix.matches("GET", "/api/jobs"));
    }

    #[test]
    fn times_counts_down_to_nothing() {
        let faults = Faults::default();
        faults.add(rule(None, "/api/jobs", Some(2)));
        assert!(faults.take("GET", "/api/jobs").is_some());
        assert!(faults.take("GET", "/api/jobs").is_some());
        assert!(faults.take("GET", "/api/jobs").is_none());
    }
}
