//! A log of every request the API and pages received, with its body and status, so end-to-end
//! tests can assert what the server actually got (e.g. exactly one POST after a double click).

use crate::{clock, AppState};
use axum::body::{to_bytes, Body};
use axum::extract::{Query, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// Oldest entries are dropped past this many.
pub const CAPACITY: usize = 10_000;
/// Bodies larger than this are not kept (the request is still served).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedRequest {
    pub seq: u64,
    /// When the request arrived, and when its answer was written (or the client gave up): a
    /// test reads from them how many requests were in flight at once.
    pub at_ms: u64,
    #[serde(default)]
    pub done_ms: u64,
    pub method: String,
    /// The path as received, still percent-encoded.
    pub path: String,
    pub query: Option<String>,
    pub body: Option<String>,
    pub status: u16,
    /// The fault injected into this request, if any.
    pub fault: Option<String>,
    /// Whether it carried an `Authorization` header (its value is never logged): tests check
    /// that a token reaches only the API it belongs to.
    #[serde(default)]
    pub authorization: bool,
}

/// Set on a response by the fault injector, read by the logger.
#[derive(Debug, Clone)]
pub struct InjectedFault(pub String);

#[derive(Default)]
pub struct RequestLog {
    inner: Mutex<LogInner>,
}

#[derive(Default)]
struct LogInner {
    next_seq: u64,
    entries: VecDeque<LoggedRequest>,
}

impl RequestLog {
    pub fn push(&self, mut entry: LoggedRequest) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.next_seq += 1;
        entry.seq = inner.next_seq;
        if inner.entries.len() == CAPACITY {
            inner.entries.pop_front();
        }
        inner.entries.push_back(entry);
    }

    /// Entries with a sequence number above `since`.
    pub fn since(&self, since: u64) -> Vec<LoggedRequest> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner
            .entries
            .iter()
            .filter(|entry| entry.seq > since)
            .cloned()
            .collect()
    }

    pub fn clear(&self) {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entries
            .clear();
    }
}

fn is_logged(path: &str) -> bool {
    !(path.starts_with("/_emulator") || path.starts_with("/static/") || path == "/favicon.ico")
}

/// Middleware: records the request (with its body) and the final status.
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if !is_logged(&path) {
        return next.run(request).await;
    }
    let method = request.method().to_string();
    let query = request.uri().query().map(str::to_string);
    let authorization = request
        .headers()
        .contains_key(axum::http::header::AUTHORIZATION);
    let (parts, body) = request.into_parts();
    let (body_text, body) = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => {
            let text = (!bytes.is_empty()).then(|| String::from_utf8_lossy(&bytes).into_owned());
            (text, Body::from(bytes))
        }
        Err(_) => (Some("<body too large to log>".into()), Body::empty()),
    };
    // Logged even when the answer never leaves: a client that gives up (a timeout, a closed
    // tab) drops this future, and the guard records the request with status 0.
    let mut pending = Unanswered {
        log: Arc::clone(&state.requests),
        entry: Some(LoggedRequest {
            seq: 0,
            at_ms: clock::now_ms(),
            done_ms: 0,
            method,
            path,
            query,
            body: body_text,
            status: 0,
            fault: None,
            authorization,
        }),
    };
    let response = next.run(Request::from_parts(parts, body)).await;
    if let Some(mut entry) = pending.entry.take() {
        entry.status = response.status().as_u16();
        entry.done_ms = clock::now_ms();
        entry.fault = response
            .extensions()
            .get::<InjectedFault>()
            .map(|fault| fault.0.clone());
        state.requests.push(entry);
    }
    response
}

/// A request whose answer is not written yet; logged with status 0 if it never is.
struct Unanswered {
    log: Arc<RequestLog>,
    entry: Option<LoggedRequest>,
}

impl Drop for Unanswered {
    fn drop(&mut self) {
        if let Some(mut entry) = self.entry.take() {
            entry.fault = Some("no answer: the client went away first".into());
            entry.done_ms = clock::now_ms();
            self.log.push(entry);
        }
    }
}

#[derive(Debug, Deserialize)]
struct SinceParams {
    since: Option<u64>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct RequestList {
    pub requests: Vec<LoggedRequest>,
}

pub fn admin_router() -> Router<AppState> {
    Router::new().route(
        "/_emulator/requests",
        get(
            |State(state): State<AppState>, Query(params): Query<SinceParams>| async move {
                Json(RequestList {
                    requests: state.requests.since(params.since.unwrap_or(0)),
                })
            },
        )
        .delete(|State(state): State<AppState>| async move {
            state.requests.clear();
            axum::http::StatusCode::NO_CONTENT
        }),
    )
}
