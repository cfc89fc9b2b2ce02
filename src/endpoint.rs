//! Building requests and reading responses, as plain data: the browser transport in `client.rs`
//! only moves bytes. Everything here is tested natively.

use crate::error::{safe_detail, ApiError};
use crate::json::{decode, FromJson};
use crate::model::{CancelRequest, ErrorBody};
use crate::phase::Phase;

/// The default request timeout (issue #10: "default 15 s, configurable").
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;

/// Where the API lives and how to authenticate to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The API root without a trailing slash: `https://app.example.com/api`, or `/api` for the
    /// page's own origin (then the page's cookies authenticate).
    pub api_base: String,
    /// Sent as `Authorization: Bearer …`, only ever to `api_base`.
    pub bearer_token: Option<String>,
    pub timeout_ms: u32,
}

impl ClientConfig {
    /// Validates and normalises an API base URL.
    pub fn new(api_base: &str) -> Result<ClientConfig, String> {
        let api_base = api_base.trim().trim_end_matches('/');
        let is_absolute = api_base.starts_with("http://") || api_base.starts_with("https://");
        let is_same_origin_path = api_base.starts_with('/') && !api_base.starts_with("//");
        if !(is_absolute || is_same_origin_path) {
            return Err(format!(
                "API base `{api_base}` must start with http://, https:// or / (same origin)."
            ));
        }
        if api_base.contains(['?', '#', ' ']) {
            return Err(format!(
                "API base `{api_base}` must not contain `?`, `#` or spaces."
            ));
        }
        Ok(ClientConfig {
            api_base: api_base.to_string(),
            bearer_token: None,
            timeout_ms: DEFAULT_TIMEOUT_MS,
        })
    }

    pub fn with_token(mut self, token: Option<String>) -> ClientConfig {
        self.bearer_token = token.filter(|token| !token.trim().is_empty());
        self
    }

    pub fn with_timeout_ms(mut self, timeout_ms: u32) -> ClientConfig {
        self.timeout_ms = timeout_ms;
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// One request, fully described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSpec {
    pub method: Method,
    pub url: String,
    /// A JSON body; sent with `Content-Type: application/json`.
    pub json_body: Option<String>,
    pub if_none_match: Option<String>,
}

/// Filters for `GET /api/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListQuery {
    pub limit: Option<u32>,
    pub phase: Option<Phase>,
}

/// Percent-encodes a job id as one path segment, so that no id can leave `/api/jobs/`.
///
/// Everything but RFC 3986 unreserved characters is encoded (`/`, `?`, `#`, `%`, unicode...).
/// `.` and `..` alone are refused: URL parsers treat them (and `%2e%2e`) as dot segments.
pub fn encode_job_id(job_id: &str) -> Result<String, ApiError> {
    if job_id.is_empty() || job_id == "." || job_id == ".." {
        return Err(ApiError::InvalidId(job_id.to_string()));
    }
    Ok(percent_encode(job_id))
}

fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push('%');
            encoded.push(HEX[usize::from(byte >> 4)] as char);
            encoded.push(HEX[usize::from(byte & 0xF)] as char);
        }
    }
    encoded
}

/// Decodes a percent-encoded URL path segment (the inverse of `encode_job_id`); `None` when the
/// escapes are malformed or the bytes are not UTF-8.
pub fn decode_path_segment(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = segment.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

impl ClientConfig {
    fn job_url(&self, job_id: &str) -> Result<String, ApiError> {
        Ok(format!("{}/jobs/{}", self.api_base, encode_job_id(job_id)?))
    }

    pub fn list_jobs(&self, query: &ListQuery, if_none_match: Option<&str>) -> RequestSpec {
        let mut params = Vec::new();
        if let Some(limit) = query.limit {
            params.push(format!("limit={limit}"));
        }
        if let Some(phase) = &query.phase {
            params.push(format!("phase={}", percent_encode(phase.as_wire())));
        }
        let mut url = format!("{}/jobs", self.api_base);
        if !params.is_empty() {
            url = format!("{url}?{}", params.join("&"));
        }
        RequestSpec {
            method: Method::Get,
            url,
            json_body: None,
            if_none_match: if_none_match.map(str::to_string),
        }
    }

    pub fn get_job(
        &self,
        job_id: &str,
        if_none_match: Option<&str>,
    ) -> Result<RequestSpec, ApiError> {
        Ok(RequestSpec {
            method: Method::Get,
            url: self.job_url(job_id)?,
            json_body: None,
            if_none_match: if_none_match.map(str::to_string),
        })
    }

    pub fn cancel_job(
        &self,
        job_id: &str,
        request: &CancelRequest,
    ) -> Result<RequestSpec, ApiError> {
        Ok(RequestSpec {
            method: Method::Post,
            url: format!("{}/cancel", self.job_url(job_id)?),
            json_body: Some(request.to_json()),
            if_none_match: None,
        })
    }

    pub fn delete_job(&self, job_id: &str, force: bool) -> Result<RequestSpec, ApiError> {
        Ok(RequestSpec {
            method: Method::Delete,
            url: format!("{}?force={force}", self.job_url(job_id)?),
            json_body: None,
            if_none_match: None,
        })
    }
}

/// The outcome of a conditional GET.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched<T> {
    /// 200 with a body, and the `ETag` to send next time.
    Fresh { value: T, etag: Option<String> },
    /// 304: what the caller has is current.
    NotModified,
}

impl<T> Fetched<T> {
    pub fn fresh(self) -> Option<T> {
        match self {
            Fetched::Fresh { value, .. } => Some(value),
            Fetched::NotModified => None,
        }
    }
}

/// Maps a non-success status and its body to the error the user sees.
pub fn error_from_status(status: u16, body: &str) -> ApiError {
    let detail = decode::<ErrorBody>(body)
        .ok()
        .and_then(|error| safe_detail(&error.detail));
    match status {
        401 => ApiError::Unauthorized,
        403 => ApiError::Forbidden { detail },
        404 => ApiError::NotFound,
        409 => ApiError::Conflict { detail },
        _ => ApiError::Server { status, detail },
    }
}

/// Reads a 2xx body as `T`, or the status as an error.
pub fn decode_response<T: FromJson>(status: u16, body: &str) -> Result<T, ApiError> {
    if !(200..300).contains(&status) {
        return Err(error_from_status(status, body));
    }
    decode(body).map_err(|e| ApiError::Decode(format!("HTTP {status}: {e}")))
}

/// Like `decode_response`, for a conditional GET: 304 is `NotModified`.
pub fn decode_conditional<T: FromJson>(
    status: u16,
    etag: Option<String>,
    body: &str,
) -> Result<Fetched<T>, ApiError> {
    if status == 304 {
        return Ok(Fetched::NotModified);
    }
    decode_response(status, body).map(|value| Fetched::Fresh { value, etag })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CancelResponse, DeleteResponse, Job, JobListBody};

    fn config() -> ClientConfig {
        ClientConfig::new("http://127.0.0.1:8700/api/").unwrap()
    }

    #[track_caller]
    fn check_id(job_id: &str, expected: Option<&str>) {
        assert_eq!(
            encode_job_id(job_id).ok().as_deref(),
            expected,
            "{job_id:?}"
        );
    }

    #[test]
    fn ids_never_leave_the_jobs_path() {
        check_id("3f6c-11aa", Some("3f6c-11aa"));
        check_id("../x", Some("..%2Fx"));
        check_id("../../admin", Some("..%2F..%2Fadmin"));
        check_id("a/b", Some("a%2Fb"));
        check_id("a%2Fb", Some("a%252Fb"));
        check_id("a?force=true", Some("a%3Fforce%3Dtrue"));
        check_id("a#frag", Some("a%23frag"));
        check_id("a b", Some("a%20b"));
        check_id("ü", Some("%C3%BC"));
        check_id(".x", Some(".x"));
        check_id("...", Some("..."));
        check_id("", None);
        check_id(".", None);
        check_id("..", None);
    }

    #[test]
    fn decoding_inverts_encoding() {
        for id in ["3f6c-11aa", "../x", "a/b", "a%2Fb", "ü", "a?b#c d"] {
            assert_eq!(
                decode_path_segment(&encode_job_id(id).unwrap()).as_deref(),
                Some(id)
            );
        }
        assert_eq!(decode_path_segment("%2"), None);
        assert_eq!(decode_path_segment("%zz"), None);
        assert_eq!(decode_path_segment("%FF"), None, "not UTF-8");
        assert_eq!(decode_path_segment("%C3%"), None);
    }

    #[track_caller]
    fn check_base(input: &str, expected: Result<&str, &str>) {
        let got = ClientConfig::new(input).map(|config| config.api_base);
        assert_eq!(got.as_deref().map_err(String::as_str), expected, "{input}");
    }

    #[test]
    fn api_base_is_validated() {
        check_base(
            "http://127.0.0.1:8700/api/",
            Ok("http://127.0.0.1:8700/api"),
        );
        check_base(" https://a.example/api ", Ok("https://a.example/api"));
        check_base("/api", Ok("/api"));
        check_base(
            "ftp://a/api",
            Err("API base `ftp://a/api` must start with http://, https:// or / (same origin)."),
        );
        check_base(
            "//evil.example/api",
            Err("API base `//evil.example/api` must start with http://, https:// or / (same origin)."),
        );
        check_base(
            "/api?x=1",
            Err("API base `/api?x=1` must not contain `?`, `#` or spaces."),
        );
    }

    #[test]
    fn requests_are_built_as_the_prd_says() {
        let config = config();
        let list = config.list_jobs(
            &ListQuery {
                limit: Some(20),
                phase: Some(Phase::Cancelled),
            },
            Some("\"abc\""),
        );
        assert_eq!(
            list.url,
            "http://127.0.0.1:8700/api/jobs?limit=20&phase=cancelled"
        );
        assert_eq!(list.if_none_match.as_deref(), Some("\"abc\""));
        assert_eq!(
            config.list_jobs(&ListQuery::default(), None).url,
            "http://127.0.0.1:8700/api/jobs"
        );

        let cancel = config
            .cancel_job("a/b", &CancelRequest::from_user_text("stuck").unwrap())
            .unwrap();
        assert_eq!(cancel.method, Method::Post);
        assert_eq!(cancel.url, "http://127.0.0.1:8700/api/jobs/a%2Fb/cancel");
        assert_eq!(
            cancel.json_body.as_deref(),
            Some(r#"{"reason":"user_request","notes":"stuck"}"#)
        );

        let delete = config.delete_job("j1", false).unwrap();
        assert_eq!(
            (delete.method, delete.url.as_str()),
            (
                Method::Delete,
                "http://127.0.0.1:8700/api/jobs/j1?force=false"
            )
        );
        assert_eq!(
            config.delete_job("j1", true).unwrap().url,
            "http://127.0.0.1:8700/api/jobs/j1?force=true"
        );
        assert_eq!(
            config.get_job("..", None),
            Err(ApiError::InvalidId("..".into()))
        );
    }

    #[test]
    fn blank_tokens_are_dropped() {
        assert_eq!(config().with_token(Some("  ".into())).bearer_token, None);
        assert_eq!(
            config()
                .with_token(Some("t".into()))
                .bearer_token
                .as_deref(),
            Some("t")
        );
    }

    #[track_caller]
    fn check_error(status: u16, body: &str, expected: ApiError) {
        assert_eq!(error_from_status(status, body), expected, "{status} {body}");
    }

    #[test]
    fn statuses_map_to_errors() {
        check_error(404, r#"{"detail":"Job not found"}"#, ApiError::NotFound);
        check_error(
            409,
            r#"{"detail":"Job is still active. Cancel it first or use force=true"}"#,
            ApiError::Conflict {
                detail: Some("Job is still active. Cancel it first or use force=true".into()),
            },
        );
        check_error(401, "", ApiError::Unauthorized);
        check_error(
            403,
            r#"{"detail":"Read-only token"}"#,
            ApiError::Forbidden {
                detail: Some("Read-only token".into()),
            },
        );
        check_error(
            500,
            r#"{"detail":"Queue unavailable"}"#,
            ApiError::Server {
                status: 500,
                detail: Some("Queue unavailable".into()),
            },
        );
        check_error(
            502,
            "<html>Bad Gateway</html>",
            ApiError::Server {
                status: 502,
                detail: None,
            },
        );
        check_error(
            500,
            r#"{"detail":"<script>alert(1)</script>"}"#,
            ApiError::Server {
                status: 500,
                detail: None,
            },
        );
        check_error(
            500,
            r#"{"detail":{"loc":["x"]}}"#,
            ApiError::Server {
                status: 500,
                detail: None,
            },
        );
    }

    #[test]
    fn success_bodies_decode_or_fail_clearly() {
        let job: Job =
            decode_response(200, r#"{"id":"a","title":"T","phase":"matching"}"#).unwrap();
        assert_eq!(job.phase, Phase::Matching);
        let deleted: DeleteResponse = decode_response(
            200,
            r#"{"job_id":"a","status":"deleted","deleted_at":"2025-11-18T10:35:00Z"}"#,
        )
        .unwrap();
        assert_eq!(deleted.status, "deleted");
        let cancelled: CancelResponse = decode_response(
            200,
            r#"{"job_id":"a","phase":"cancelled","cancelled_at":"2025-11-18T10:30:00Z","reason":"user_request","notes":null}"#,
        )
        .unwrap();
        assert_eq!(cancelled.phase, Phase::Cancelled);
        let broken = decode_response::<Job>(200, "{not json").unwrap_err();
        assert!(
            matches!(broken, ApiError::Decode(ref m) if m.starts_with("HTTP 200:")),
            "{broken:?}"
        );
        let list: Fetched<JobListBody> = decode_conditional(304, None, "").unwrap();
        assert_eq!(list, Fetched::NotModified);
        let list: Fetched<JobListBody> =
            decode_conditional(200, Some("\"e\"".into()), "[]").unwrap();
        assert_eq!(
            list,
            Fetched::Fresh {
                value: JobListBody(vec![]),
                etag: Some("\"e\"".into())
            }
        );
    }
}
