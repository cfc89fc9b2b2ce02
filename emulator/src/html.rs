//! Escaping for the server-rendered pages: every piece of job data goes through `escape`; and
//! the responses of the client-side-routed hosts.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The page CSP of `--strict-csp` (or `?csp=strict`): no `'wasm-unsafe-eval'`, so Chromium
/// refuses WebAssembly in content scripts on these pages.
pub const STRICT_CSP: &str = "default-src 'self'";

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A client-side-routed host's shell (the second and third hosts): the same page for every path,
/// under the strict CSP, with the CSRF meta tag when the session has one.
pub fn strict_shell(state: &crate::AppState, shell: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, STRICT_CSP),
        ],
        state.csrf.into_head(shell),
    )
        .into_response()
}

/// One of those hosts' static files, under the strict CSP.
pub fn strict_asset(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CONTENT_SECURITY_POLICY, STRICT_CSP),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            escape(r#"<img src=x onerror="alert(1)">&'"#),
            "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;"
        );
        assert_eq!(escape("Nightly import — ü"), "Nightly import — ü");
    }
}
