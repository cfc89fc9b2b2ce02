//! One error type for the API; each variant says which status it returns. Every error body is
//! `{"detail": "..."}` as `main-api` sends it.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use job_actions::api::model::ErrorBody;

/// PRD §5.1/§5.2's 404 text.
pub const NOT_FOUND: &str = "Job not found";
/// PRD §5.2's 409 text.
pub const STILL_ACTIVE: &str = "Job is still active. Cancel it first or use force=true";

#[derive(Debug)]
pub enum Failure {
    /// 404.
    NotFound,
    /// 409: delete of an active job without force.
    StillActive,
    /// 401.
    Unauthorized,
    /// 403 with a reason.
    Forbidden(&'static str),
    /// 400 with a specific message.
    BadRequest(String),
    /// 500; the cause is logged, not sent.
    Internal(String),
}

impl Failure {
    pub fn status(&self) -> StatusCode {
        match self {
            Failure::NotFound => StatusCode::NOT_FOUND,
            Failure::StillActive => StatusCode::CONFLICT,
            Failure::Unauthorized => StatusCode::UNAUTHORIZED,
            Failure::Forbidden(_) => StatusCode::FORBIDDEN,
            Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn detail(&self) -> String {
        match self {
            Failure::NotFound => NOT_FOUND.into(),
            Failure::StillActive => STILL_ACTIVE.into(),
            Failure::Unauthorized => "Not authenticated".into(),
            Failure::Forbidden(reason) => (*reason).into(),
            Failure::BadRequest(message) => message.clone(),
            Failure::Internal(_) => "Internal server error".into(),
        }
    }
}

impl From<rusqlite::Error> for Failure {
    fn from(error: rusqlite::Error) -> Failure {
        Failure::Internal(error.to_string())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        if let Failure::Internal(cause) = &self {
            eprintln!("emulator: internal error: {cause}");
        }
        let mut response = (
            self.status(),
            Json(ErrorBody {
                detail: self.detail(),
            }),
        )
            .into_response();
        if matches!(self, Failure::Unauthorized) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
