//! The existing app's own pages — a job list and a job detail page — server-rendered and knowing
//! nothing of the extension. The extension finds rows by `data-job-id` and the title by
//! `.job-title`; everything else here is ordinary app markup.

use crate::html::escape;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use job_actions::api::endpoint::encode_job_id;
use job_actions::Job;
use serde::Deserialize;

use crate::html::STRICT_CSP;

#[derive(Debug, Clone, Copy, Default)]
pub struct PageOptions {
    pub strict_csp: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    csp: Option<String>,
    /// On the list page: re-render the rows every this many ms (see static/rerender.js).
    rerender: Option<u32>,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/jobs") }))
        .route("/jobs", get(list_page))
        .route("/jobs/{job_id}", get(detail_page))
        .route("/static/app.css", get(stylesheet))
        .route("/static/rerender.js", get(rerender_script))
}

fn job_href(job: &Job) -> String {
    match encode_job_id(&job.id) {
        Ok(encoded) => format!("/jobs/{encoded}"),
        Err(_) => "/jobs".into(),
    }
}

fn page(
    state: &AppState,
    params: &PageParams,
    status: StatusCode,
    title: &str,
    body: &str,
) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n{csrf}\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · Jobs</title>\n<link rel=\"stylesheet\" href=\"/static/app.css\">\n</head>\n\
         <body>\n<nav class=\"app-nav\"><a href=\"/jobs\" class=\"app-brand\">Jobs</a></nav>\n\
         <main class=\"app-main\">\n{body}\n</main>\n</body>\n</html>\n",
        title = escape(title),
        csrf = state.csrf.meta_tag(),
    );
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response();
    if state.pages.strict_csp || params.csp.as_deref() == Some("strict") {
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(STRICT_CSP),
        );
    }
    response
}

async fn list_page(State(state): State<AppState>, Query(params): Query<PageParams>) -> Response {
    let jobs = match state.db.list_jobs(crate::api::MAX_LIMIT, None) {
        Ok(jobs) => jobs,
        Err(error) => return server_error(&state, &params, &error.to_string()),
    };
    let mut rows = String::new();
    for job in &jobs {
        rows.push_str(&format!(
            "<tr data-job-id=\"{id}\"><td class=\"job-title\">{title}</td>\
             <td class=\"job-phase\">{phase}</td><td class=\"job-created\">{created}</td>\
             <td><a href=\"{href}\">View</a></td></tr>\n",
            id = escape(&job.id),
            title = escape(&job.title),
            phase = escape(job.phase.as_wire()),
            created = escape(job.created_at.as_deref().unwrap_or("")),
            href = escape(&job_href(job)),
        ));
    }
    let mut body = if jobs.is_empty() {
        "<h1>Jobs</h1>\n<p class=\"empty\">No jobs yet.</p>".to_string()
    } else {
        format!(
            "<h1>Jobs</h1>\n<table class=\"jobs\">\n<thead><tr><th>Title</th><th>Phase</th>\
             <th>Created</th><th></th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>"
        )
    };
    if let Some(interval_ms) = params.rerender {
        // A same-origin script file, so it also runs under the strict CSP.
        body.push_str(&format!(
            "\n<script src=\"/static/rerender.js\" data-interval=\"{}\"></script>",
            interval_ms.max(10)
        ));
    }
    page(&state, &params, StatusCode::OK, "Jobs", &body)
}

async fn detail_page(
    State(state): State<AppState>,
    Path(job_id): Path<String>,
    Query(params): Query<PageParams>,
) -> Response {
    let job = match state.db.get_job(&job_id) {
        Ok(Some(job)) => job,
        Ok(None) => {
            let body = "<h1>Job not found</h1>\n<p>This job does not exist or was deleted. \
                        <a href=\"/jobs\">Back to all jobs</a></p>";
            return page(
                &state,
                &params,
                StatusCode::NOT_FOUND,
                "Job not found",
                body,
            );
        }
        Err(error) => return server_error(&state, &params, &error.to_string()),
    };
    let optional = |label: &str, value: &Option<String>| match value {
        Some(value) => format!("<dt>{label}</dt><dd>{}</dd>", escape(value)),
        None => String::new(),
    };
    let body = format!(
        "<header class=\"job-header\"><h1 class=\"job-title\">{title}</h1>\
         <span class=\"job-phase\">{phase}</span></header>\n\
         <dl class=\"job-details\"><dt>Job id</dt><dd class=\"job-id\">{id}</dd>{created}{updated}</dl>\n\
         <p><a href=\"/jobs\">Back to all jobs</a></p>",
        title = escape(&job.title),
        phase = escape(job.phase.as_wire()),
        id = escape(&job.id),
        created = optional("Created", &job.created_at),
        updated = optional("Updated", &job.updated_at),
    );
    page(&state, &params, StatusCode::OK, &job.title, &body)
}

fn server_error(state: &AppState, params: &PageParams, cause: &str) -> Response {
    eprintln!("emulator: page failed: {cause}");
    let body = "<h1>Something went wrong</h1><p>Reload the page in a moment.</p>";
    page(
        state,
        params,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Error",
        body,
    )
}

async fn rerender_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../static/rerender.js"),
    )
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../static/app.css"),
    )
}
