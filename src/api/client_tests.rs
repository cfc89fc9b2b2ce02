//! The browser client against a running emulator, in headless Chromium: every status path.
//!
//! `cargo xtask test` starts the emulator with `--token full --read-token ro` and passes its
//! origin in `JOB_ACTIONS_TEST_API` at compile time.

use crate::api::client::ApiClient;
use crate::api::endpoint::{ClientConfig, Fetched, ListQuery};
use crate::api::error::ApiError;
use crate::api::model::CancelRequest;
use crate::jobs::phase::Phase;
use gloo_net::http::Request;
use serde_json::{json, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn origin() -> &'static str {
    // Read at compile time: the test binary runs in a browser, which has no environment.
    match option_env!("JOB_ACTIONS_TEST_API") {
        Some(origin) => origin,
        None => panic!(
            "JOB_ACTIONS_TEST_API is not set: run these tests through `cargo xtask test`, \
             which starts the emulator"
        ),
    }
}

fn client(token: Option<&str>) -> ApiClient {
    let config = ClientConfig::new(&format!("{}/api", origin())).unwrap();
    ApiClient::new(config.with_token(token.map(str::to_string)))
}

/// POSTs JSON with the full token; returns the status and the body.
async fn post_json(path: &str, body: &Value) -> (u16, String) {
    let response = Request::post(&format!("{}{path}", origin()))
        .header("Authorization", "Bearer full")
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .unwrap()
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn get_json(path: &str) -> Value {
    let response = Request::get(&format!("{}{path}", origin()))
        .send()
        .await
        .unwrap();
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

async fn create_job(title: &str, phase: &str) -> String {
    let (status, body) = post_json("/api/jobs", &json!({ "title": title, "phase": phase })).await;
    assert_eq!(status, 201, "{body}");
    let job: Value = serde_json::from_str(&body).unwrap();
    job["id"].as_str().unwrap().to_string()
}

async fn add_fault(rule: Value) {
    assert_eq!(post_json("/_emulator/faults", &rule).await.0, 204);
}

async fn logged_paths_since(seq: u64) -> Vec<String> {
    let log = get_json(&format!("/_emulator/requests?since={seq}")).await;
    log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["path"].as_str().unwrap().to_string())
        .collect()
}

async fn last_logged_seq() -> u64 {
    let log = get_json("/_emulator/requests").await;
    log["requests"]
        .as_array()
        .unwrap()
        .last()
        .map_or(0, |entry| entry["seq"].as_u64().unwrap())
}

#[wasm_bindgen_test]
async fn list_and_get_with_etags() {
    let job_id = create_job("listed", "matching").await;
    let full = client(Some("full"));
    let Fetched::Fresh { value: jobs, etag } =
        full.list_jobs(&ListQuery::default(), None).await.unwrap()
    else {
        panic!("first list must be fresh")
    };
    assert!(jobs
        .iter()
        .any(|job| job.id == job_id && job.phase == Phase::Matching));
    let etag = etag.expect("the emulator sends an ETag");
    assert_eq!(
        full.list_jobs(&ListQuery::default(), Some(&etag))
            .await
            .unwrap(),
        Fetched::NotModified
    );

    let Fetched::Fresh { value: job, etag } = full.get_job(&job_id, None).await.unwrap() else {
        panic!("first get must be fresh")
    };
    assert_eq!(job.title, "listed");
    assert_eq!(
        full.get_job(&job_id, etag.as_deref()).await.unwrap(),
        Fetched::NotModified
    );
    let limited = full
        .list_jobs(
            &ListQuery {
                limit: Some(1),
                phase: None,
            },
            None,
        )
        .await
        .unwrap()
        .fresh()
        .unwrap();
    assert_eq!(limited.len(), 1);
}

#[wasm_bindgen_test]
async fn missing_job_is_not_found() {
    let full = client(Some("full"));
    assert_eq!(
        full.get_job("no-such-job", None).await,
        Err(ApiError::NotFound)
    );
    assert_eq!(
        full.cancel_job("no-such-job", &CancelRequest::default())
            .await,
        Err(ApiError::NotFound)
    );
    assert_eq!(
        full.delete_job("no-such-job", false).await,
        Err(ApiError::NotFound)
    );
}

#[wasm_bindgen_test]
async fn cancel_is_idempotent() {
    let job_id = create_job("to cancel", "evidence").await;
    let full = client(Some("full"));
    let first = full
        .cancel_job(
            &job_id,
            &CancelRequest {
                reason: Some("user_request".into()),
                notes: Some("stuck".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(first.phase, Phase::Cancelled);
    assert_eq!(first.notes.as_deref(), Some("stuck"));
    let second = full
        .cancel_job(
            &job_id,
            &CancelRequest {
                reason: Some("user_request".into()),
                notes: Some("again".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (second.cancelled_at, second.notes),
        (first.cancelled_at, first.notes)
    );
}

#[wasm_bindgen_test]
async fn delete_active_conflicts_until_forced() {
    let job_id = create_job("running", "collection").await;
    let full = client(Some("full"));
    assert_eq!(
        full.delete_job(&job_id, false).await,
        Err(ApiError::Conflict {
            detail: Some("Job is still active. Cancel it first or use force=true".into())
        })
    );
    assert_eq!(full.delete_job(&job_id, true).await, Ok(()));
    assert_eq!(full.get_job(&job_id, None).await, Err(ApiError::NotFound));
}

/// Apps answer a delete their own way: an empty 204, or a 200 whose body is not the PRD's.
/// Any 2xx is a deletion; its body is not read (a failure's still is, for its details).
#[wasm_bindgen_test]
async fn any_success_of_a_delete_is_a_deletion_whatever_its_body() {
    let full = client(Some("full"));
    for (status, body) in [(204, ""), (200, "<p>Deleted</p>"), (202, "{not json")] {
        let job_id = create_job("elsewhere-shaped", "completed").await;
        add_fault(json!({ "method": "DELETE", "path": format!("/api/jobs/{job_id}"), "status": status, "body": body, "times": 1 })).await;
        assert_eq!(
            full.delete_job(&job_id, false).await,
            Ok(()),
            "{status} {body}"
        );
    }
    let job_id = create_job("refused", "completed").await;
    add_fault(json!({ "method": "DELETE", "path": format!("/api/jobs/{job_id}"), "status": 500, "detail": "Disk on fire", "times": 1 })).await;
    assert_eq!(
        full.delete_job(&job_id, false).await,
        Err(ApiError::Server {
            status: 500,
            detail: Some("Disk on fire".into())
        })
    );
}

#[wasm_bindgen_test]
async fn tokens_are_required_and_read_only_is_forbidden_to_write() {
    let job_id = create_job("guarded", "matching").await;
    assert_eq!(
        client(None).get_job(&job_id, None).await,
        Err(ApiError::Unauthorized)
    );
    assert_eq!(
        client(Some("wrong"))
            .list_jobs(&ListQuery::default(), None)
            .await,
        Err(ApiError::Unauthorized)
    );
    let read_only = client(Some("ro"));
    assert!(read_only.get_job(&job_id, None).await.is_ok());
    let forbidden = ApiError::Forbidden {
        detail: Some("This token is read-only: it cannot cancel, delete or create jobs.".into()),
    };
    assert_eq!(
        read_only
            .cancel_job(&job_id, &CancelRequest::default())
            .await,
        Err(forbidden.clone())
    );
    assert_eq!(read_only.delete_job(&job_id, true).await, Err(forbidden));
}

#[wasm_bindgen_test]
async fn server_errors_show_only_safe_details() {
    let job_id = create_job("flaky", "matching").await;
    let cancel_path = format!("/api/jobs/{job_id}/cancel");
    add_fault(json!({ "method": "POST", "path": cancel_path, "status": 500, "detail": "Queue unavailable", "times": 1 })).await;
    add_fault(
        json!({ "method": "DELETE", "path": format!("/api/jobs/{job_id}"), "status": 502,
                      "body": "<html><body>Bad Gateway</body></html>", "times": 1 }),
    )
    .await;
    let full = client(Some("full"));
    assert_eq!(
        full.cancel_job(&job_id, &CancelRequest::default()).await,
        Err(ApiError::Server {
            status: 500,
            detail: Some("Queue unavailable".into())
        })
    );
    assert_eq!(
        full.delete_job(&job_id, true).await,
        Err(ApiError::Server {
            status: 502,
            detail: None
        })
    );
    // The faults were for one request each: the job is untouched and the next cancel works.
    assert_eq!(
        full.cancel_job(&job_id, &CancelRequest::default())
            .await
            .unwrap()
            .phase,
        Phase::Cancelled
    );
}

#[wasm_bindgen_test]
async fn malformed_success_body_is_a_decode_error() {
    let job_id = create_job("garbled", "matching").await;
    add_fault(json!({ "method": "GET", "path": format!("/api/jobs/{job_id}"), "status": 200, "body": "{not json", "times": 1 })).await;
    let result = client(Some("full")).get_job(&job_id, None).await;
    assert!(matches!(result, Err(ApiError::Decode(_))), "{result:?}");
}

#[wasm_bindgen_test]
async fn slow_answers_time_out() {
    let job_id = create_job("slow", "matching").await;
    add_fault(json!({ "method": "GET", "path": format!("/api/jobs/{job_id}"), "delay_ms": 3000, "times": 1 })).await;
    let config = ClientConfig::new(&format!("{}/api", origin())).unwrap();
    let impatient = ApiClient::new(config.with_token(Some("full".into())).with_timeout_ms(300));
    assert_eq!(
        impatient.get_job(&job_id, None).await,
        Err(ApiError::Timeout { after_ms: 300 })
    );
}

#[wasm_bindgen_test]
async fn callers_can_abort() {
    let job_id = create_job("abandoned", "matching").await;
    add_fault(json!({ "method": "GET", "path": format!("/api/jobs/{job_id}"), "delay_ms": 3000, "times": 1 })).await;
    let controller = web_sys::AbortController::new().unwrap();
    let abortable = client(Some("full")).abortable(&controller.signal());
    let pending = abortable.get_job(&job_id, None);
    let abort_soon = async {
        gloo_timers::future::TimeoutFuture::new(100).await;
        controller.abort();
    };
    let (result, ()) = futures::join!(pending, abort_soon);
    assert_eq!(result, Err(ApiError::Aborted));
}

#[wasm_bindgen_test]
async fn unreachable_server_is_a_network_error() {
    let config = ClientConfig::new("http://127.0.0.1:9/api").unwrap();
    let result = ApiClient::new(config)
        .list_jobs(&ListQuery::default(), None)
        .await;
    assert!(matches!(result, Err(ApiError::Network(_))), "{result:?}");
}

#[wasm_bindgen_test]
async fn hostile_ids_stay_inside_the_jobs_path() {
    let full = client(Some("full"));
    let before = last_logged_seq().await;
    assert_eq!(full.get_job("../x", None).await, Err(ApiError::NotFound));
    assert_eq!(
        full.delete_job("a?force=true#x", false).await,
        Err(ApiError::NotFound)
    );
    assert_eq!(
        full.cancel_job("../../_emulator/faults", &CancelRequest::default())
            .await,
        Err(ApiError::NotFound)
    );
    assert_eq!(
        logged_paths_since(before).await,
        [
            "/api/jobs/..%2Fx",
            "/api/jobs/a%3Fforce%3Dtrue%23x",
            "/api/jobs/..%2F..%2F_emulator%2Ffaults/cancel"
        ]
    );
    assert_eq!(
        full.get_job("..", None).await,
        Err(ApiError::InvalidId("..".into()))
    );
    assert_eq!(
        logged_paths_since(before).await.len(),
        3,
        "an invalid id sends nothing"
    );
}

/// Issue #20: a redirect keeps `Authorization` on the same origin and a 307 re-sends the cancel
/// body wherever it points. Actions and requests with a token follow none; a cookie GET does.
#[wasm_bindgen_test]
async fn redirects_are_not_followed_for_actions_or_tokens() {
    let job_id = create_job("redirected", "matching").await;
    let job_path = format!("/api/jobs/{job_id}");
    let cancel_path = format!("{job_path}/cancel");
    let full = client(Some("full"));
    let before = last_logged_seq().await;
    add_fault(json!({ "method": "POST", "path": cancel_path, "redirect_to": "/elsewhere/cancel", "times": 1 })).await;
    assert_eq!(
        full.cancel_job(
            &job_id,
            &CancelRequest {
                reason: None,
                notes: Some("n".into())
            }
        )
        .await,
        Err(ApiError::Redirected)
    );
    add_fault(
        json!({ "method": "GET", "path": job_path, "redirect_to": "/elsewhere/job", "times": 1 }),
    )
    .await;
    assert_eq!(full.get_job(&job_id, None).await, Err(ApiError::Redirected));
    assert_eq!(
        logged_paths_since(before).await,
        [cancel_path.as_str(), job_path.as_str()],
        "nothing reached /elsewhere"
    );
    let Fetched::Fresh { value: job, .. } = full.get_job(&job_id, None).await.unwrap() else {
        panic!("a fresh answer")
    };
    assert_eq!(job.phase, Phase::Matching, "the cancel was never sent on");
    // Without a token, a GET follows (the emulator's pages have nothing at /elsewhere).
    let before = last_logged_seq().await;
    add_fault(
        json!({ "method": "GET", "path": job_path, "redirect_to": "/elsewhere/job", "times": 1 }),
    )
    .await;
    assert_eq!(
        client(None).get_job(&job_id, None).await,
        Err(ApiError::NotFound)
    );
    assert_eq!(
        logged_paths_since(before).await,
        [job_path.as_str(), "/elsewhere/job"]
    );
}

/// Issue #20: an answer larger than its limit is refused from its `Content-Length`, or its
/// counted read stops at the limit when it has none.
#[wasm_bindgen_test]
async fn oversized_answers_are_not_read() {
    use crate::api::endpoint::MAX_JOB_BYTES;
    let job_id = create_job("padded", "matching").await;
    let job_path = format!("/api/jobs/{job_id}");
    let full = client(Some("full"));
    let too_large = Err(ApiError::TooLarge {
        limit_bytes: MAX_JOB_BYTES,
    });
    let over = u64::from(MAX_JOB_BYTES) * 2;
    add_fault(json!({ "method": "GET", "path": job_path, "pad_to_bytes": over, "times": 1 })).await;
    assert_eq!(full.get_job(&job_id, None).await, too_large);
    add_fault(json!({ "method": "GET", "path": job_path, "pad_to_bytes": over, "chunked": true, "times": 1 })).await;
    assert_eq!(full.get_job(&job_id, None).await, too_large);
    // At the limit itself, and without Content-Length, the answer is read.
    let at_limit = u64::from(MAX_JOB_BYTES);
    add_fault(json!({ "method": "GET", "path": job_path, "pad_to_bytes": at_limit, "chunked": true, "times": 1 })).await;
    let job = full.get_job(&job_id, None).await.unwrap().fresh().unwrap();
    assert_eq!(job.title, "padded");
}
