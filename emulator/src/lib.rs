//! A stand-in for `main-api`: the job API with the PRD's exact semantics, a worker that moves
//! jobs through their phases, and the app's own server-rendered job pages, which know nothing of
//! the extension. Two more hosts built on other conventions share the API: a card-based
//! single-page app under `/spa/` (`spa`, issue #8) and an ops console under `/ops/` (`ops`,
//! issue #19). Switches make the API behave like other real apps: `--list-shape` (`list_shape`)
//! and `--csrf` (`csrf`). `app(state)` builds the whole service so tests run it in-process.

pub mod admin;
pub mod api;
pub mod auth;
pub mod clock;
pub mod config;
pub mod csrf;
pub mod db;
pub mod error;
pub mod etag;
pub mod faults;
pub mod html;
pub mod list_shape;
pub mod ops;
pub mod pages;
pub mod rate_limit;
pub mod request_log;
pub mod seed;
pub mod spa;
pub mod worker;

use axum::Router;
use std::sync::Arc;

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub db: Arc<db::Db>,
    pub auth: Arc<auth::AuthConfig>,
    pub requests: Arc<request_log::RequestLog>,
    pub faults: Arc<faults::Faults>,
    pub worker: Arc<worker::WorkerControl>,
    pub pages: pages::PageOptions,
    /// The CSRF token writes to `/api` need (`--csrf`); off by default.
    pub csrf: Arc<csrf::Csrf>,
    /// How `GET /api/jobs` answers (`--list-shape`); `{"jobs": [...]}` by default.
    pub list_shape: Arc<list_shape::ListShapeSetting>,
    /// At most N `/api` requests a second (`--rate-limit`); off by default.
    pub rate_limit: Arc<rate_limit::RateLimit>,
}

impl AppState {
    /// A state over `db` with no auth, no CSRF check, no faults, a paused worker, relaxed pages and
    /// `main-api`'s list shape.
    pub fn new(db: db::Db) -> AppState {
        AppState {
            db: Arc::new(db),
            auth: Arc::new(auth::AuthConfig::default()),
            requests: Arc::new(request_log::RequestLog::default()),
            faults: Arc::new(faults::Faults::default()),
            worker: Arc::new(worker::WorkerControl::new(worker::DEFAULT_TICK_MS, true)),
            pages: pages::PageOptions::default(),
            csrf: Arc::new(csrf::Csrf::default()),
            list_shape: Arc::new(list_shape::ListShapeSetting::default()),
            rate_limit: Arc::new(rate_limit::RateLimit::default()),
        }
    }
}

/// The whole service: API, admin endpoints and pages.
pub fn app(state: AppState) -> Router {
    let api = api::router(state.clone());
    Router::new()
        .nest("/api", api)
        .merge(
            pages::router()
                .merge(spa::router())
                .merge(ops::router())
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    auth::sign_in,
                ))
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    csrf::set_cookie,
                )),
        )
        .merge(request_log::admin_router())
        .merge(faults::admin_router())
        .merge(worker::admin_router())
        .merge(admin::admin_router())
        .merge(list_shape::admin_router())
        .merge(csrf::admin_router())
        .merge(rate_limit::admin_router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            request_log::record,
        ))
        .layer(
            tower_http::cors::CorsLayer::very_permissive().expose_headers([
                axum::http::header::ETAG,
                axum::http::header::RETRY_AFTER,
                axum::http::header::DATE,
            ]),
        )
        .with_state(state)
}
