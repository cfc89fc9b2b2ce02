//! `--csrf` (issue #19, "real apps"): an app whose cookie session demands a CSRF token on writes.
//! A random token is made at start; every HTML page carries it in
//! `<meta name="csrf-token" content="…">` and sets it as the `XSRF-TOKEN` cookie (readable by
//! scripts, as Angular's and Laravel's are), and every `POST`/`PUT`/`PATCH`/`DELETE` under `/api`
//! must send it back in `X-CSRF-Token` (Rails), `X-XSRF-TOKEN` (Angular, Laravel) or `X-CSRFToken`
//! (Django) — else 403. Reads are never checked, nor are the `/_emulator` endpoints (they are not
//! under `/api`). Off by default.

use crate::error::Failure;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// The headers a token is accepted in (matched case-insensitively, as all header names are).
pub const HEADERS: [&str; 3] = ["X-CSRF-Token", "X-XSRF-TOKEN", "X-CSRFToken"];
/// The cookie the pages set.
pub const COOKIE: &str = "XSRF-TOKEN";
/// The `<meta name>` the pages carry.
pub const META_NAME: &str = "csrf-token";
/// 403 for a write without any of `HEADERS`.
pub const MISSING: &str =
    "Missing CSRF token: send X-CSRF-Token (from <meta name=\"csrf-token\">), \
X-XSRF-TOKEN (from the XSRF-TOKEN cookie) or X-CSRFToken.";
/// 403 for a write whose token is not this session's.
pub const MISMATCH: &str = "CSRF token does not match this session.";

/// The token, when `--csrf` is on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Csrf {
    token: Option<String>,
}

impl Csrf {
    /// On, with a fresh random token.
    pub fn generate() -> Csrf {
        Csrf::with_token(uuid::Uuid::new_v4().simple().to_string())
    }

    /// On, with this token (letters and digits, so it needs no escaping anywhere).
    pub fn with_token(token: impl Into<String>) -> Csrf {
        Csrf {
            token: Some(token.into()),
        }
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Whether a request may go on: reads always; writes only with the token in one of `HEADERS`.
    pub fn check(&self, method: &Method, headers: &HeaderMap) -> Result<(), Failure> {
        let Some(token) = &self.token else {
            return Ok(());
        };
        if !matches!(
            *method,
            Method::POST | Method::PUT | Method::PATCH | Method::DELETE
        ) {
            return Ok(());
        }
        let mut presented = HEADERS
            .iter()
            .flat_map(|name| headers.get_all(*name))
            .peekable();
        if presented.peek().is_none() {
            return Err(Failure::Forbidden(MISSING));
        }
        if presented.any(|value| crate::auth::constant_time_eq(value.as_bytes(), token.as_bytes()))
        {
            Ok(())
        } else {
            Err(Failure::Forbidden(MISMATCH))
        }
    }

    /// The `<meta>` line for a page's `<head>`; empty when off.
    pub fn meta_tag(&self) -> String {
        match &self.token {
            Some(token) => format!(
                "<meta name=\"{META_NAME}\" content=\"{}\">\n",
                crate::html::escape(token)
            ),
            None => String::new(),
        }
    }

    /// `html` with the `<meta>` line right after its `<meta charset="utf-8">` line.
    pub fn into_head(&self, html: &str) -> String {
        const CHARSET: &str = "<meta charset=\"utf-8\">\n";
        match html.split_once(CHARSET) {
            Some((before, after)) if self.token.is_some() => {
                format!("{before}{CHARSET}{}{after}", self.meta_tag())
            }
            _ => html.to_string(),
        }
    }
}

/// Middleware for `/api`: refuses a write without the token.
pub async fn verify(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, Failure> {
    state.csrf.check(request.method(), request.headers())?;
    Ok(next.run(request).await)
}

/// Middleware for the pages: every HTML page sets the `XSRF-TOKEN` cookie (not `HttpOnly`: the
/// app's scripts read it).
pub async fn set_cookie(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if let (Some(token), true) = (state.csrf.token(), is_html) {
        let cookie = format!("{COOKIE}={token}; Path=/; SameSite=Lax");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[derive(Debug, Serialize, Deserialize)]
pub struct TokenBody {
    pub token: Option<String>,
}

/// `GET /_emulator/csrf` → `{"token": "…"}`, or `{"token": null}` when off.
pub fn admin_router() -> Router<AppState> {
    Router::new().route(
        "/_emulator/csrf",
        get(|State(state): State<AppState>| async move {
            Json(TokenBody {
                token: state.csrf.token().map(str::to_string),
            })
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    #[track_caller]
    fn refused(result: Result<(), Failure>) -> &'static str {
        match result {
            Err(Failure::Forbidden(reason)) => reason,
            other => panic!("expected 403, got {other:?}"),
        }
    }

    #[test]
    fn writes_need_the_token_in_any_of_the_headers() {
        let csrf = Csrf::with_token("t0k");
        for name in HEADERS.iter().chain(&["x-csrf-token", "x-xsrf-token"]) {
            for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
                assert!(csrf.check(&method, &headers(&[(name, "t0k")])).is_ok());
            }
        }
        assert_eq!(refused(csrf.check(&Method::POST, &headers(&[]))), MISSING);
        let other = headers(&[("x-csrf", "t0k"), ("cookie", "XSRF-TOKEN=t0k")]);
        assert_eq!(refused(csrf.check(&Method::DELETE, &other)), MISSING);
        for wrong in ["t0", "t0kk", ""] {
            let sent = headers(&[("x-xsrf-token", wrong)]);
            assert_eq!(refused(csrf.check(&Method::POST, &sent)), MISMATCH);
        }
        let one_right = headers(&[("x-csrf-token", "old"), ("x-csrftoken", "t0k")]);
        assert!(csrf.check(&Method::POST, &one_right).is_ok());
        for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
            assert!(csrf.check(&method, &headers(&[])).is_ok());
        }
        assert!(Csrf::default().check(&Method::POST, &headers(&[])).is_ok());
    }

    #[test]
    fn the_meta_tag_goes_after_the_charset() {
        let html = "<head>\n<meta charset=\"utf-8\">\n<title>x</title>";
        assert_eq!(Csrf::default().into_head(html), html);
        assert_eq!(
            Csrf::with_token("abc").into_head(html),
            "<head>\n<meta charset=\"utf-8\">\n<meta name=\"csrf-token\" content=\"abc\">\n<title>x</title>"
        );
        let token = Csrf::generate();
        assert_eq!(token.token().unwrap().len(), 32);
        assert_ne!(token, Csrf::generate());
    }
}
