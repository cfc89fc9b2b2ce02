//! Building requests and reading responses, as plain data: the browser transport in `client.rs`
//! only moves bytes. Everything here is tested natively.

use crate::api::error::{safe_detail, ApiError};
use crate::api::json::{decode, FromJson};
use crate::api::model::{CancelRequest, ErrorBody};
use crate::jobs::phase::Phase;

/// The default request timeout (issue #10: "default 15 s, configurable").
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;

/// The largest list answer (`GET /jobs`) the client reads: 8 MiB. The longest list the extension
/// asks for (`sync::LIST_LIMIT`, 1,000 jobs) with ordinary titles is well under 1 MiB; an answer
/// eight times that is no job list but a fault or a hostile API, and reading it whole would stall
/// the tab — and, through the background's feed, every tab that watches that API.
pub const MAX_LIST_BYTES: u32 = 8 * 1024 * 1024;

/// The largest answer about one job, or to an action (cancel, delete), the client reads: 1 MiB.
/// One job is a few hundred bytes; with the longest title, reason and notes the emulator accepts
/// (20,000 characters each) it is under a quarter of that.
pub const MAX_JOB_BYTES: u32 = 1024 * 1024;

/// Where the API lives and how to authenticate to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The API root, absolute and without a trailing slash: `https://app.example.com/api`. A
    /// same-origin base is resolved against the page's origin before it gets here
    /// (`SiteProfile::api_base_for`), never against the document's `<base href>`.
    pub api_base: String,
    /// Sent as `Authorization: Bearer …`, only ever under `api_base`
    /// (`origin::token_may_go_to`: https, or http to this machine).
    pub bearer_token: Option<String>,
    pub timeout_ms: u32,
}

impl ClientConfig {
    /// Validates an API base by the one rule (`origin::absolute_api_base`: absolute http(s), no
    /// whitespace, control characters, backslashes, user-info, `?`/`#` or dot segments) and keeps
    /// it without a trailing slash. A path such as `/api` is refused here: resolved by the
    /// browser, it would follow the document's base URL, which the page sets.
    pub fn new(api_base: &str) -> Result<ClientConfig, String> {
        Ok(ClientConfig {
            api_base: crate::sites::origin::absolute_api_base(api_base)?,
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
    /// The most bytes of the answer the client reads ([`MAX_LIST_BYTES`], [`MAX_JOB_BYTES`]).
    pub limit_bytes: u32,
    /// Whether a success's body is read. A delete's is not: any 2xx means deleted, with the
    /// PRD's JSON, an empty 204 or whatever an app sends, and the answer is done at its headers.
    pub reads_success: bool,
}

impl RequestSpec {
    /// Whether the browser may follow a redirect for this request: only a plain GET with no
    /// token. A followed redirect keeps `Authorization` on the same origin — a path outside the
    /// API base would get the token — and a 307/308 sends the method and body again to wherever
    /// it points; so a request with a token or a body, and every action, goes out with
    /// `redirect: "manual"`, and a redirect answer becomes `ApiError::Redirected`. A cookie GET
    /// follows, as the app's own requests do: the browser gives each origin only its own cookies.
    pub fn follows_redirects(&self, carries_token: bool) -> bool {
        self.method == Method::Get && self.json_body.is_none() && !carries_token
    }

    /// Whether the answer's body is read (and its size checked): always for a failure (its
    /// details), for a success only when it `reads_success`.
    pub fn reads_body(&self, status: u16) -> bool {
        self.reads_success || !(200..300).contains(&status)
    }
}

/// What the client decides from an answer's head, before it reads the body: a redirect it did not
/// follow (a `manual` fetch's `opaqueredirect`, whose status reads 0, or any other 3xx but 304) is
/// `Redirected`; a `Content-Length` over the limit is `TooLarge` at once. A smaller or missing
/// `Content-Length` proves nothing (a compressed answer is longer once decoded), so the body is
/// then read in counted chunks: [`check_read`].
pub fn check_head(
    status: u16,
    opaque_redirect: bool,
    content_length: Option<&str>,
    limit_bytes: u32,
) -> Result<(), ApiError> {
    if opaque_redirect || ((300..400).contains(&status) && status != 304) {
        return Err(ApiError::Redirected);
    }
    match content_length.and_then(|length| crate::sites::origin::decimal(length.trim())) {
        Some(length) if length > u64::from(limit_bytes) => Err(ApiError::TooLarge { limit_bytes }),
        _ => Ok(()),
    }
}

/// Whether a body read so far (`read_bytes`, the next chunk counted in) may go on being read.
pub fn check_read(read_bytes: usize, limit_bytes: u32) -> Result<(), ApiError> {
    if read_bytes > limit_bytes as usize {
        Err(ApiError::TooLarge { limit_bytes })
    } else {
        Ok(())
    }
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
        let mut url = format!("{}/jobs", self.api_base);
        // Written out rather than collected and joined (`[String]::join`: 0.9 KB of wasm).
        let mut separator = '?';
        if let Some(limit) = query.limit {
            url.push(separator);
            url.push_str(&format!("limit={limit}"));
            separator = '&';
        }
        if let Some(phase) = &query.phase {
            url.push(separator);
            url.push_str("phase=");
            url.push_str(&percent_encode(phase.as_wire()));
        }
        RequestSpec {
            method: Method::Get,
            url,
            json_body: None,
            if_none_match: if_none_match.map(str::to_string),
            limit_bytes: MAX_LIST_BYTES,
            reads_success: true,
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
            limit_bytes: MAX_JOB_BYTES,
            reads_success: true,
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
            limit_bytes: MAX_JOB_BYTES,
            reads_success: true,
        })
    }

    pub fn delete_job(&self, job_id: &str, force: bool) -> Result<RequestSpec, ApiError> {
        Ok(RequestSpec {
            method: Method::Delete,
            url: format!("{}?force={force}", self.job_url(job_id)?),
            json_body: None,
            if_none_match: None,
            limit_bytes: MAX_JOB_BYTES,
            reads_success: false,
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
    use crate::api::model::{CancelResponse, DeleteResponse, Job, JobListBody};

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
        check_base(
            "/api",
            Err(
                "API base `/api` must be a full address (http:// or https://); a path is resolved \
                 against the page's origin first.",
            ),
        );
        check_base(
            "ftp://a/api",
            Err("API base `ftp://a/api` must start with http:// or https://."),
        );
        check_base(
            "//evil.example/api",
            Err(
                "API base `//evil.example/api` must not start with // (another host, on the \
                 page's scheme); write https://… in full.",
            ),
        );
        check_base(
            "/api?x=1",
            Err("API base `/api?x=1` must not contain `?` or `#`."),
        );
        // Issue #20: each of these reaches another host through a URL parser's forgiveness.
        check_base(
            "https://ev\til.test/api",
            Err("API base `https://ev\\til.test/api` must not contain a tab."),
        );
        check_base(
            "https://ok.test/a\npi",
            Err("API base `https://ok.test/a\\npi` must not contain a line break."),
        );
        check_base(
            "/\\evil.test/api",
            Err("API base `/\\evil.test/api` must not contain a backslash."),
        );
    }

    #[test]
    fn only_plain_gets_without_a_token_follow_redirects() {
        let config = config();
        let list = config.list_jobs(&ListQuery::default(), None);
        let job = config.get_job("j1", Some("\"e\"")).unwrap();
        let cancel = config
            .cancel_job("j1", &CancelRequest::from_user_text("x").unwrap())
            .unwrap();
        let delete = config.delete_job("j1", true).unwrap();
        assert!(list.follows_redirects(false));
        assert!(job.follows_redirects(false));
        assert!(!list.follows_redirects(true), "a token never follows");
        assert!(!job.follows_redirects(true));
        for action in [&cancel, &delete] {
            assert!(!action.follows_redirects(false), "{action:?}");
            assert!(!action.follows_redirects(true), "{action:?}");
        }
    }

    #[test]
    fn a_delete_s_success_is_done_at_its_headers_and_its_failure_is_read() {
        let config = config();
        let delete = config.delete_job("j", false).unwrap();
        for status in [200, 202, 204] {
            assert!(!delete.reads_body(status), "{status}");
        }
        for status in [304, 404, 409, 429, 500] {
            assert!(delete.reads_body(status), "{status}");
        }
        let job = config.get_job("j", None).unwrap();
        assert!(job.reads_body(200));
        let cancel = config
            .cancel_job("j", &CancelRequest::from_user_text("x").unwrap())
            .unwrap();
        assert!(cancel.reads_body(200));
    }

    #[test]
    fn answers_have_size_limits() {
        let config = config();
        assert_eq!(
            config.list_jobs(&ListQuery::default(), None).limit_bytes,
            MAX_LIST_BYTES
        );
        assert_eq!(MAX_LIST_BYTES, 8 * 1024 * 1024);
        assert_eq!(MAX_JOB_BYTES, 1024 * 1024);
        assert_eq!(
            config.get_job("j", None).unwrap().limit_bytes,
            MAX_JOB_BYTES
        );
        assert_eq!(
            config
                .cancel_job("j", &CancelRequest::from_user_text("x").unwrap())
                .unwrap()
                .limit_bytes,
            MAX_JOB_BYTES
        );
        assert_eq!(
            config.delete_job("j", false).unwrap().limit_bytes,
            MAX_JOB_BYTES
        );
    }

    #[track_caller]
    fn check_head_of(
        status: u16,
        opaque_redirect: bool,
        content_length: Option<&str>,
        expected: Result<(), ApiError>,
    ) {
        assert_eq!(
            check_head(status, opaque_redirect, content_length, 1000),
            expected,
            "{status} {opaque_redirect} {content_length:?}"
        );
    }

    #[test]
    fn redirects_and_oversized_answers_are_refused_before_reading() {
        let too_large = Err(ApiError::TooLarge { limit_bytes: 1000 });
        check_head_of(200, false, None, Ok(()));
        check_head_of(200, false, Some("1000"), Ok(()));
        check_head_of(200, false, Some(" 999 "), Ok(()));
        check_head_of(200, false, Some("1001"), too_large.clone());
        check_head_of(500, false, Some("99999999999"), too_large.clone());
        // A length that is not a number proves nothing: the counted read decides.
        check_head_of(200, false, Some("lots"), Ok(()));
        check_head_of(200, false, Some("-1"), Ok(()));
        // A `manual` fetch's redirect: type `opaqueredirect`, status 0.
        check_head_of(0, true, None, Err(ApiError::Redirected));
        for status in [300, 301, 302, 303, 307, 308] {
            check_head_of(status, false, None, Err(ApiError::Redirected));
        }
        check_head_of(304, false, None, Ok(()));
        check_head_of(404, false, Some("20"), Ok(()));
        // Redirected wins over the size: nothing of a redirect is read.
        check_head_of(0, true, Some("5000"), Err(ApiError::Redirected));
    }

    #[test]
    fn a_counted_read_stops_past_the_limit() {
        assert_eq!(check_read(0, 1000), Ok(()));
        assert_eq!(check_read(1000, 1000), Ok(()));
        assert_eq!(
            check_read(1001, 1000),
            Err(ApiError::TooLarge { limit_bytes: 1000 })
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
