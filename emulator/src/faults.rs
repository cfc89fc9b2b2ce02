//! Fault injection for tests and users' own test suites: for requests matching a method and path,
//! delay them, answer with a given status and `detail`, or with a raw body, for the next N
//! matches. Off until a rule is added (`POST /_emulator/faults`).

use crate::request_log::InjectedFault;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use job_actions::model::ErrorBody;
use serde::{Deserialize, Serialize};
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
    /// How many matching requests this rule applies to; forever when absent.
    #[serde(default)]
    pub times: Option<u32>,
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

    fn describe(&self) -> String {
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

    /// The first rule matching the request, counted against its `times`.
    pub fn take(&self, method: &str, path: &str) -> Option<FaultRule> {
        let mut rules = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        let rule = rules.iter_mut().find(|rule| rule.matches(method, path))?;
        if let Some(times) = rule.times.as_mut() {
            *times -= 1;
        }
        Some(rule.clone())
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
    response
        .extensions_mut()
        .insert(InjectedFault(rule.describe()));
    response
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
            times,
        }
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
