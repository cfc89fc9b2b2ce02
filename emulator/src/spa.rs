//! The second host (issue #8): a client-side-routed single-page app under `/spa/` that looks
//! nothing like `/jobs` — cards, the job id only in a link's href (`/spa/runs/{id}/overview`), a
//! different header, rows re-rendered on its own timer (`static/spa.js`) — and always sends a
//! strict CSP (`default-src 'self'`, no `'wasm-unsafe-eval'`). Every path under `/spa/` serves the
//! same shell; the script routes.

use crate::html::{strict_asset, strict_shell};
use crate::AppState;
use axum::extract::State;
use axum::response::{Redirect, Response};
use axum::routing::get;
use axum::Router;

const SHELL: &str = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Runs</title>\n\
<link rel=\"stylesheet\" href=\"/spa-static/spa.css\">\n</head>\n<body>\n<div class=\"shell\">\n\
<aside class=\"side\"><a href=\"/spa/runs\">⚙ Pipeline</a></aside>\n\
<main id=\"app\" aria-live=\"polite\"></main>\n</div>\n\
<script src=\"/spa-static/spa.js\"></script>\n</body>\n</html>\n";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/spa", get(|| async { Redirect::to("/spa/runs") }))
        .route("/spa/", get(|| async { Redirect::to("/spa/runs") }))
        .route("/spa/{*rest}", get(shell))
        .route(
            "/spa-static/spa.js",
            get(|| async { asset("text/javascript", include_str!("../static/spa.js")) }),
        )
        .route(
            "/spa-static/spa.css",
            get(|| async { asset("text/css", include_str!("../static/spa.css")) }),
        )
}

async fn shell(State(state): State<AppState>) -> Response {
    strict_shell(&state, SHELL)
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    strict_asset(kind, body)
}
