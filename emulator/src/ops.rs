//! The third host (issue #19, "real apps"): an ops console under `/ops/`, a client-side-routed
//! app (`static/ops.js`) built on other conventions than `/jobs` and `/spa/` and knowing nothing of
//! the extension — no `data-job-*` attributes, no `.job-title` or `.job-phase`. Its list
//! (`/ops/jobs`) is a `<table>` whose rows are keyed by a generic `data-id` and re-fetched every
//! 5 s, patched in place by id as a keyed framework does; a job's page (`/ops/jobs/{id}`) draws
//! `<header class="page-header"><h1>…</h1><span class="pill">…</span></header>` only once the API
//! has answered (`?title=div` draws the title as a `<div class="heading">` instead, so no
//! conventional title selector matches; `?title_after_ms=N` draws the header N ms after the
//! rest). Tests reach it only through the extension's built-in conventions profile, never a
//! profile of its own. It always sends the strict CSP (`default-src 'self'`, no
//! `'wasm-unsafe-eval'`). Every path under `/ops/` serves the same shell; the script routes.

use crate::html::{strict_asset, strict_shell};
use crate::AppState;
use axum::extract::State;
use axum::response::{Redirect, Response};
use axum::routing::get;
use axum::Router;

/// The list page, where `/ops` and `/ops/` go.
pub const LIST: &str = "/ops/jobs";

const SHELL: &str = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Ops console</title>\n\
<link rel=\"stylesheet\" href=\"/ops-static/ops.css\">\n</head>\n<body>\n\
<div class=\"topbar\"><a class=\"brand\" href=\"/ops/jobs\">Ops console</a>\
<span class=\"env\">production</span></div>\n\
<main id=\"view\"></main>\n\
<script src=\"/ops-static/ops.js\"></script>\n</body>\n</html>\n";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ops", get(|| async { Redirect::to(LIST) }))
        .route("/ops/", get(|| async { Redirect::to(LIST) }))
        .route("/ops/{*rest}", get(shell))
        .route(
            "/ops-static/ops.js",
            get(|| async {
                asset(
                    "text/javascript; charset=utf-8",
                    include_str!("../static/ops.js"),
                )
            }),
        )
        .route(
            "/ops-static/ops.css",
            get(|| async { asset("text/css; charset=utf-8", include_str!("../static/ops.css")) }),
        )
}

async fn shell(State(state): State<AppState>) -> Response {
    strict_shell(&state, SHELL)
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    strict_asset(kind, body)
}
