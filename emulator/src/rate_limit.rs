//! `--rate-limit N/s`: like an API behind a rate limiter, at most N requests under `/api` per
//! one-second window; the others get `429 Too Many Requests` with `Retry-After` (the whole seconds
//! until the window ends, at least 1) and a `detail`, and the request log marks them. Off by
//! default; also `POST /_emulator/rate-limit {"per_second": N}` (`null` or 0: off), so clients'
//! backoff is exercised against the server, not a stub.

use crate::request_log::InjectedFault;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use job_actions::api::model::ErrorBody;
use serde::Deserialize;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct RateLimit {
    inner: Mutex<Limiter>,
}

#[derive(Default)]
struct Limiter {
    per_second: Option<u32>,
    window_start: Option<Instant>,
    used: u32,
}

impl RateLimit {
    pub fn new(per_second: Option<u32>) -> RateLimit {
        let limit = RateLimit::default();
        limit.set(per_second);
        limit
    }

    pub fn set(&self, per_second: Option<u32>) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *inner = Limiter {
            per_second: per_second.filter(|n| *n > 0),
            ..Limiter::default()
        };
    }

    /// Counts a request at `now`: `None` when it may pass, else the seconds to wait.
    pub fn admit(&self, now: Instant) -> Option<u64> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let limit = inner.per_second?;
        let start = match inner.window_start {
            Some(start) if now.duration_since(start) < WINDOW => start,
            _ => {
                inner.window_start = Some(now);
                inner.used = 0;
                now
            }
        };
        if inner.used < limit {
            inner.used += 1;
            return None;
        }
        let left = WINDOW.saturating_sub(now.duration_since(start));
        Some(left.as_millis().div_ceil(1000).max(1) as u64)
    }
}

/// Parses `N/s` (or `N`): requests per second, at least 1.
pub fn parse(text: &str) -> Result<u32, String> {
    let number = text.strip_suffix("/s").unwrap_or(text);
    match number.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "--rate-limit `{text}` must be requests per second, e.g. 10/s"
        )),
    }
}

/// Middleware: a request under `/api` over the limit gets 429 with `Retry-After`.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") && request.uri().path() != "/api" {
        return next.run(request).await;
    }
    let Some(wait_s) = state.rate_limit.admit(Instant::now()) else {
        return next.run(request).await;
    };
    let body = ErrorBody {
        detail: format!("rate limit exceeded; retry in {wait_s} s"),
    };
    let mut response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait_s));
    response.extensions_mut().insert(InjectedFault(format!(
        "rate limited (Retry-After: {wait_s})"
    )));
    response
}

#[derive(Debug, Deserialize)]
struct Setting {
    per_second: Option<u32>,
}

pub fn admin_router() -> Router<AppState> {
    Router::new().route(
        "/_emulator/rate-limit",
        post(
            |State(state): State<AppState>, Json(setting): Json<Setting>| async move {
                state.rate_limit.set(setting.per_second);
                StatusCode::NO_CONTENT
            },
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_requests_pass_per_window_and_the_rest_are_told_when_to_come_back() {
        let limit = RateLimit::new(Some(2));
        let start = Instant::now();
        assert_eq!(limit.admit(start), None);
        assert_eq!(limit.admit(start + Duration::from_millis(100)), None);
        assert_eq!(limit.admit(start + Duration::from_millis(200)), Some(1));
        // A new window lets two more through.
        assert_eq!(limit.admit(start + Duration::from_millis(1_000)), None);
        limit.set(None);
        for _ in 0..10 {
            assert_eq!(limit.admit(start), None);
        }
    }

    #[test]
    fn the_flag_reads_requests_per_second() {
        assert_eq!(parse("10/s"), Ok(10));
        assert_eq!(parse("3"), Ok(3));
        assert!(parse("0/s").unwrap_err().contains("e.g. 10/s"));
        assert!(parse("fast").is_err());
    }
}
