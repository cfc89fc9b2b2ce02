//! The emulator's API, pages and admin endpoints, exercised in-process through `app(state)`.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use emulator::auth::AuthConfig;
use emulator::csrf::Csrf;
use emulator::db::Db;
use emulator::list_shape::ListShape;
use emulator::{app, seed, worker, AppState};
use http_body_util::BodyExt;
use job_actions::{Job, Phase};
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

struct Emulator {
    state: AppState,
    router: Router,
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Emulator {
    fn new() -> Emulator {
        Emulator::with_state(AppState::new(Db::open_in_memory().unwrap()))
    }

    fn with_state(state: AppState) -> Emulator {
        let router = app(state.clone());
        Emulator { state, router }
    }

    async fn call(
        &self,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = body
            .map(|b| Body::from(b.to_string()))
            .unwrap_or_else(Body::empty);
        let response = self
            .router
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    async fn get(&self, uri: &str) -> Reply {
        self.call("GET", uri, &[], None).await
    }

    async fn create(&self, title: &str, phase: &str) -> String {
        let body = json!({ "title": title, "phase": phase }).to_string();
        let reply = self
            .call(
                "POST",
                "/api/jobs",
                &[("content-type", "application/json")],
                Some(&body),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.json()["id"].as_str().unwrap().to_string()
    }

    async fn cancel(&self, job_id: &str, body: &str) -> Reply {
        self.call(
            "POST",
            &format!("/api/jobs/{job_id}/cancel"),
            &[("content-type", "application/json")],
            Some(body),
        )
        .await
    }

    async fn delete(&self, job_id: &str, force: bool) -> Reply {
        self.call(
            "DELETE",
            &format!("/api/jobs/{job_id}?force={force}"),
            &[],
            None,
        )
        .await
    }

    /// Adds a fault rule through the admin endpoint.
    async fn add_fault(&self, rule: Value) -> Reply {
        self.call(
            "POST",
            "/_emulator/faults",
            &[("content-type", "application/json")],
            Some(&rule.to_string()),
        )
        .await
    }

    async fn data_total(&self, job_id: &str) -> u64 {
        self.get(&format!("/_emulator/jobs/{job_id}/data"))
            .await
            .json()["total"]
            .as_u64()
            .unwrap()
    }

    fn phase_of(&self, job_id: &str) -> Option<Phase> {
        self.state.db.get_job(job_id).unwrap().map(|job| job.phase)
    }
}

#[track_caller]
fn assert_detail(reply: &Reply, status: u16, detail: &str) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.body);
    assert_eq!(reply.json(), json!({ "detail": detail }));
}

#[tokio::test]
async fn list_is_newest_first_with_limit_and_phase_filter() {
    let emulator = Emulator::new();
    let first = emulator.create("first", "matching").await;
    let second = emulator.create("second", "completed").await;
    let third = emulator.create("third", "matching").await;

    let ids = |reply: Reply| -> Vec<String> {
        reply.json()["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(emulator.get("/api/jobs").await),
        [third.clone(), second.clone(), first.clone()]
    );
    assert_eq!(
        ids(emulator.get("/api/jobs?limit=2").await),
        [third.clone(), second.clone()]
    );
    assert_eq!(
        ids(emulator.get("/api/jobs?phase=matching").await),
        [third, first]
    );
    assert_eq!(
        ids(emulator.get("/api/jobs?phase=cancelled").await),
        Vec::<String>::new()
    );
    for bad in ["0", "abc", "1001", "-1"] {
        assert_detail(
            &emulator.get(&format!("/api/jobs?limit={bad}")).await,
            400,
            &format!("limit must be a whole number from 1 to 1000, not `{bad}`"),
        );
    }
}

#[tokio::test]
async fn get_returns_the_job_or_the_prd_404() {
    let emulator = Emulator::new();
    let job_id = emulator.create("Nightly import", "evidence").await;
    // Read back the way the extension reads it.
    let job: Job =
        job_actions::api::json::decode(&emulator.get(&format!("/api/jobs/{job_id}")).await.body)
            .unwrap();
    assert_eq!(
        (job.title.as_str(), job.phase),
        ("Nightly import", Phase::Evidence)
    );
    assert_detail(
        &emulator.get("/api/jobs/no-such-job").await,
        404,
        "Job not found",
    );
    // An encoded traversal is one opaque id segment: it reaches the job route, not another one.
    assert_detail(
        &emulator.get("/api/jobs/..%2F..%2Fjobs").await,
        404,
        "Job not found",
    );
}

#[tokio::test]
async fn create_validates_its_input() {
    let emulator = Emulator::new();
    let json_header = [("content-type", "application/json")];
    assert_detail(
        &emulator
            .call("POST", "/api/jobs", &json_header, Some(r#"{"title":"  "}"#))
            .await,
        400,
        "title must not be empty",
    );
    let reply = emulator
        .call("POST", "/api/jobs", &json_header, Some("{oops"))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.json()["detail"]
            .as_str()
            .unwrap()
            .starts_with("invalid JSON body:"),
        "{}",
        reply.body
    );
    let job_id = emulator.create("x", "collection").await;
    assert_eq!(
        emulator.data_total(&job_id).await,
        11,
        "every job owns rows in every child table"
    );
}

#[tokio::test]
async fn a_job_can_be_seeded_whose_cancel_waits_for_its_workers() {
    let emulator = Emulator::new();
    let json_header = [("content-type", "application/json")];
    let reply = emulator
        .call(
            "POST",
            "/api/jobs",
            &json_header,
            Some(r#"{"title":"Stuck","phase":"matching","cancel_requested_s_ago":40}"#),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let job = reply.json();
    assert_eq!(job["phase"], "matching");
    let requested_at = job["cancelled_at"].as_str().unwrap().to_string();
    assert!(requested_at.as_str() < job["created_at"].as_str().unwrap());
    // Asked again, the first request stands: the views still count from it.
    let again = emulator.cancel(job["id"].as_str().unwrap(), "{}").await;
    assert_eq!(
        again.json()["cancelled_at"].as_str(),
        Some(requested_at.as_str())
    );
    assert_detail(
        &emulator
            .call(
                "POST",
                "/api/jobs",
                &json_header,
                Some(r#"{"title":"x","phase":"completed","cancel_requested_s_ago":5}"#),
            )
            .await,
        400,
        "cancel_requested_s_ago needs an active phase: a finished job stops no workers",
    );
}

#[tokio::test]
async fn cancel_active_job_returns_the_prd_body_and_audits_it() {
    let emulator = Emulator::new();
    let job_id = emulator.create("stuck", "matching").await;
    let reply = emulator
        .cancel(
            &job_id,
            r#"{"reason":"user_request","notes":"Customer requested stop"}"#,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["job_id"], json!(job_id));
    assert_eq!(body["phase"], json!("cancelled"));
    assert_eq!(body["reason"], json!("user_request"));
    assert_eq!(body["notes"], json!("Customer requested stop"));
    assert!(body["cancelled_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(emulator.phase_of(&job_id), Some(Phase::Cancelled));

    let audit = emulator.get("/_emulator/audit").await.json();
    let entry = &audit["entries"][0];
    assert_eq!(
        (entry["action"].as_str(), entry["outcome"].as_str()),
        (Some("cancel"), Some("cancelled"))
    );
    assert_eq!(
        (entry["actor"].as_str(), entry["notes"].as_str()),
        (Some("anonymous"), Some("Customer requested stop"))
    );
}

#[tokio::test]
async fn cancel_is_idempotent_and_keeps_the_first_cancellation() {
    let emulator = Emulator::new();
    let job_id = emulator.create("stuck", "collection").await;
    let first = emulator
        .cancel(&job_id, r#"{"notes":"first"}"#)
        .await
        .json();
    let second = emulator
        .cancel(&job_id, r#"{"reason":"other","notes":"second"}"#)
        .await;
    assert_eq!(second.status, StatusCode::OK);
    let second = second.json();
    for field in ["job_id", "phase", "cancelled_at", "reason", "notes"] {
        assert_eq!(first[field], second[field], "{field}");
    }
    assert_eq!(
        second["reason"],
        json!("user_request"),
        "an absent reason defaults to user_request"
    );
    assert_eq!(second["message"], json!("Job was already cancelled"));
}

#[tokio::test]
async fn cancel_of_finished_jobs_returns_their_state() {
    let emulator = Emulator::new();
    for phase in ["completed", "failed"] {
        let job_id = emulator.create("done", phase).await;
        let reply = emulator.cancel(&job_id, "").await;
        assert_eq!(reply.status, StatusCode::OK, "{phase}");
        let body = reply.json();
        assert_eq!(body["phase"], json!(phase));
        assert_eq!(body["cancelled_at"], Value::Null);
        assert_eq!(
            body["message"],
            json!(format!("Job already {phase}; nothing to cancel"))
        );
        assert_eq!(emulator.phase_of(&job_id).unwrap().as_wire(), phase);
    }
}

#[tokio::test]
async fn cancel_of_a_missing_job_or_with_a_bad_body() {
    let emulator = Emulator::new();
    assert_detail(&emulator.cancel("nope", "{}").await, 404, "Job not found");
    let job_id = emulator.create("x", "matching").await;
    assert_eq!(
        emulator.cancel(&job_id, "[1,").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        emulator.phase_of(&job_id),
        Some(Phase::Matching),
        "a rejected body changes nothing"
    );
}

#[tokio::test]
async fn delete_of_a_terminal_job_removes_all_associated_data() {
    let emulator = Emulator::new();
    let doomed = emulator.create("done", "completed").await;
    let bystander = emulator.create("keep", "completed").await;
    let reply = emulator.delete(&doomed, false).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = reply.json();
    assert_eq!(
        (body["job_id"].as_str(), body["status"].as_str()),
        (Some(doomed.as_str()), Some("deleted"))
    );
    assert!(body["deleted_at"].as_str().unwrap().ends_with('Z'));
    assert_detail(
        &emulator.get(&format!("/api/jobs/{doomed}")).await,
        404,
        "Job not found",
    );
    assert_eq!(emulator.data_total(&doomed).await, 0);
    assert_eq!(
        emulator.data_total(&bystander).await,
        11,
        "other jobs keep their data"
    );
    assert_detail(&emulator.delete(&doomed, false).await, 404, "Job not found");
}

#[tokio::test]
async fn delete_of_an_active_job_needs_force_which_cancels_first() {
    let emulator = Emulator::new();
    let job_id = emulator.create("running", "feature_extraction").await;
    assert_detail(
        &emulator.delete(&job_id, false).await,
        409,
        "Job is still active. Cancel it first or use force=true",
    );
    assert_eq!(emulator.phase_of(&job_id), Some(Phase::FeatureExtraction));
    assert_eq!(emulator.data_total(&job_id).await, 11);

    assert_eq!(emulator.delete(&job_id, true).await.status, StatusCode::OK);
    assert_eq!(emulator.phase_of(&job_id), None);
    let audit = emulator.get("/_emulator/audit").await.json();
    let steps: Vec<(String, String, bool)> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().into(),
                e["outcome"].as_str().unwrap().into(),
                e["forced"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("delete".into(), "still_active".into(), false),
            ("cancel".into(), "cancelled".into(), true),
            ("delete".into(), "deleted".into(), true),
        ]
    );
    assert_eq!(
        emulator.delete("x", true).await.status,
        StatusCode::NOT_FOUND
    );
    assert_detail(
        &emulator
            .call("DELETE", "/api/jobs/x?force=yes", &[], None)
            .await,
        400,
        "force must be true or false, not `yes`",
    );
}

#[tokio::test]
async fn a_delete_that_fails_midway_leaves_everything_in_place() {
    let emulator = Emulator::new();
    let job_id = emulator.create("done", "completed").await;
    // Make the evidence table refuse this job's rows: the delete fails after the other child
    // tables were emptied inside the transaction, which must roll all of it back.
    emulator
        .state
        .db
        .lock()
        .execute_batch(&format!(
            "CREATE TRIGGER refuse BEFORE DELETE ON evidence WHEN old.job_id = '{job_id}'
             BEGIN SELECT RAISE(ABORT, 'evidence store unavailable'); END;"
        ))
        .unwrap();
    assert_detail(
        &emulator.delete(&job_id, false).await,
        500,
        "Internal server error",
    );
    assert_eq!(emulator.phase_of(&job_id), Some(Phase::Completed));
    assert_eq!(
        emulator.data_total(&job_id).await,
        11,
        "no child table lost rows"
    );
}

#[tokio::test]
async fn worker_moves_active_jobs_through_the_phases() {
    let emulator = Emulator::new();
    let job_id = emulator.create("x", "collection").await;
    let done = emulator.create("y", "completed").await;
    let mut seen = vec![emulator.phase_of(&job_id).unwrap()];
    for _ in 0..5 {
        worker::tick(&emulator.state.db).unwrap();
        seen.push(emulator.phase_of(&job_id).unwrap());
    }
    let wire: Vec<&str> = seen.iter().map(Phase::as_wire).collect();
    assert_eq!(
        wire,
        [
            "collection",
            "feature_extraction",
            "matching",
            "evidence",
            "completed",
            "completed"
        ]
    );
    assert_eq!(emulator.phase_of(&done), Some(Phase::Completed));
}

#[tokio::test]
async fn a_cancelled_job_never_moves_even_with_a_tick_in_flight() {
    let emulator = Emulator::new();
    let job_id = emulator.create("x", "matching").await;
    let other = emulator.create("y", "matching").await;
    // The tick reads its plan, then the user cancels, then the tick applies the stale plan.
    let plan = worker::plan_tick(&emulator.state.db).unwrap();
    assert_eq!(plan.len(), 2);
    assert_eq!(emulator.cancel(&job_id, "{}").await.status, StatusCode::OK);
    let moved = worker::apply_tick(&emulator.state.db, plan).unwrap();
    assert_eq!(
        moved.iter().map(|m| m.job_id.as_str()).collect::<Vec<_>>(),
        [other.as_str()]
    );
    assert_eq!(emulator.phase_of(&job_id), Some(Phase::Cancelled));
    for _ in 0..3 {
        worker::tick(&emulator.state.db).unwrap();
    }
    assert_eq!(emulator.phase_of(&job_id), Some(Phase::Cancelled));
}

#[tokio::test]
async fn worker_is_controlled_over_http() {
    let emulator = Emulator::new();
    let job_id = emulator.create("x", "collection").await;
    let status = emulator.get("/_emulator/worker").await.json();
    assert_eq!(
        status["paused"],
        json!(true),
        "in-process state starts paused"
    );
    let reply = emulator
        .call("POST", "/_emulator/worker/tick", &[], None)
        .await
        .json();
    assert_eq!(reply["moved"][0]["to"], json!("feature_extraction"));
    assert_eq!(emulator.phase_of(&job_id), Some(Phase::FeatureExtraction));
    let reply = emulator
        .call(
            "POST",
            "/_emulator/worker",
            &[("content-type", "application/json")],
            Some(r#"{"paused":false,"tick_ms":200}"#),
        )
        .await
        .json();
    assert_eq!(
        reply,
        json!({ "paused": false, "tick_ms": 200, "cancel_delay_ms": 0 })
    );
}

#[tokio::test]
async fn a_slow_cancel_keeps_the_job_active_until_its_workers_stop() {
    let emulator = Emulator::new();
    emulator.state.worker.update(&worker::WorkerUpdate {
        cancel_delay_ms: Some(300),
        ..Default::default()
    });
    let job_id = emulator.create("slow to stop", "matching").await;
    let first = emulator.cancel(&job_id, r#"{"notes":"stop"}"#).await.json();
    assert_eq!(first["phase"], json!("matching"), "accepted, still running");
    assert!(first["cancelled_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        first["message"],
        json!("Cancellation requested; the job's workers are stopping")
    );
    let job = emulator.get(&format!("/api/jobs/{job_id}")).await.json();
    assert_eq!(job["phase"], json!("matching"));
    assert_eq!(job["cancellation_notes"], json!("stop"));
    // Asked again while stopping: the first request stands.
    let again = emulator
        .cancel(&job_id, r#"{"notes":"again"}"#)
        .await
        .json();
    assert_eq!(again["cancelled_at"], first["cancelled_at"]);
    assert_eq!(again["notes"], json!("stop"));
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(emulator.phase_of(&job_id), Some(Phase::Cancelled));
    let job = emulator.get(&format!("/api/jobs/{job_id}")).await.json();
    assert_eq!(job["cancelled_at"], first["cancelled_at"]);
}

fn with_tokens() -> Emulator {
    let mut state = AppState::new(Db::open_in_memory().unwrap());
    state.auth = Arc::new(AuthConfig {
        full_token: Some("full".into()),
        read_token: Some("ro".into()),
        session: None,
    });
    Emulator::with_state(state)
}

#[tokio::test]
async fn a_session_cookie_set_by_the_pages_opens_the_api() {
    let mut state = AppState::new(Db::open_in_memory().unwrap());
    state.auth = Arc::new(AuthConfig {
        session: Some("s1".into()),
        ..AuthConfig::default()
    });
    let emulator = Emulator::with_state(state);
    let page = emulator.get("/jobs").await;
    assert_eq!(
        page.headers["set-cookie"],
        "session=s1; Path=/; HttpOnly; SameSite=Lax"
    );
    assert_detail(&emulator.get("/api/jobs").await, 401, "Not authenticated");
    let with_cookie = [("cookie", "theme=dark; session=s1")];
    assert_eq!(
        emulator
            .call("GET", "/api/jobs", &with_cookie, None)
            .await
            .status,
        200
    );
    let wrong = [("cookie", "session=s2")];
    assert_eq!(
        emulator.call("GET", "/api/jobs", &wrong, None).await.status,
        401
    );
}

#[tokio::test]
async fn tokens_gate_the_api() {
    let emulator = with_tokens();
    let reply = emulator.get("/api/jobs").await;
    assert_detail(&reply, 401, "Not authenticated");
    assert_eq!(reply.headers["www-authenticate"], "Bearer");
    assert_eq!(
        emulator
            .call(
                "GET",
                "/api/jobs",
                &[("authorization", "Bearer wrong")],
                None
            )
            .await
            .status,
        401
    );
    assert_eq!(
        emulator
            .call("GET", "/api/jobs", &[("authorization", "Bearer ro")], None)
            .await
            .status,
        200
    );

    let full = [
        ("authorization", "Bearer full"),
        ("content-type", "application/json"),
    ];
    let reply = emulator
        .call(
            "POST",
            "/api/jobs",
            &full,
            Some(r#"{"title":"t","phase":"matching"}"#),
        )
        .await;
    let job_id = reply.json()["id"].as_str().unwrap().to_string();

    let read_only = [
        ("authorization", "Bearer ro"),
        ("content-type", "application/json"),
    ];
    let forbidden = "This token is read-only: it cannot cancel, delete or create jobs.";
    assert_detail(
        &emulator
            .call(
                "POST",
                &format!("/api/jobs/{job_id}/cancel"),
                &read_only,
                Some("{}"),
            )
            .await,
        403,
        forbidden,
    );
    assert_detail(
        &emulator
            .call(
                "DELETE",
                &format!("/api/jobs/{job_id}?force=true"),
                &read_only,
                None,
            )
            .await,
        403,
        forbidden,
    );
    assert_detail(
        &emulator
            .call("POST", "/api/jobs", &read_only, Some(r#"{"title":"t"}"#))
            .await,
        403,
        forbidden,
    );
    assert_eq!(emulator.phase_of(&job_id), Some(Phase::Matching));

    assert_eq!(
        emulator
            .call(
                "POST",
                &format!("/api/jobs/{job_id}/cancel"),
                &full,
                Some("{}")
            )
            .await
            .status,
        200
    );
    let audit = emulator.get("/_emulator/audit").await.json();
    assert_eq!(audit["entries"][0]["actor"], json!("full-token"));
    // Pages are the app's own, authenticated by the app, not by API tokens.
    assert_eq!(emulator.get("/jobs").await.status, 200);
}

#[tokio::test]
async fn etags_answer_304_until_something_changes() {
    let emulator = Emulator::new();
    let job_id = emulator.create("x", "matching").await;
    for uri in ["/api/jobs".to_string(), format!("/api/jobs/{job_id}")] {
        let first = emulator.get(&uri).await;
        let etag = first.headers["etag"].to_str().unwrap().to_string();
        let again = emulator
            .call("GET", &uri, &[("if-none-match", &etag)], None)
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert_eq!(again.body, "");
        assert_eq!(again.headers["etag"].to_str().unwrap(), etag);
        let weak = emulator
            .call(
                "GET",
                &uri,
                &[("if-none-match", &format!("W/{etag}"))],
                None,
            )
            .await;
        assert_eq!(weak.status, StatusCode::NOT_MODIFIED, "weak comparison");
    }
    let list_etag = emulator.get("/api/jobs").await.headers["etag"]
        .to_str()
        .unwrap()
        .to_string();
    emulator.cancel(&job_id, "{}").await;
    let after = emulator
        .call("GET", "/api/jobs", &[("if-none-match", &list_etag)], None)
        .await;
    assert_eq!(after.status, StatusCode::OK);
    assert_ne!(after.headers["etag"].to_str().unwrap(), list_etag);
}

#[tokio::test]
async fn cors_lets_extension_pages_and_test_pages_call_the_api() {
    let emulator = Emulator::new();
    let preflight = emulator
        .call(
            "OPTIONS",
            "/api/jobs/x/cancel",
            &[
                ("origin", "chrome-extension://abc"),
                ("access-control-request-method", "POST"),
                (
                    "access-control-request-headers",
                    "authorization,content-type",
                ),
            ],
            None,
        )
        .await;
    assert_eq!(preflight.status, StatusCode::OK);
    assert_eq!(
        preflight.headers["access-control-allow-origin"],
        "chrome-extension://abc"
    );
    let reply = emulator
        .call(
            "GET",
            "/api/jobs",
            &[("origin", "http://localhost:9")],
            None,
        )
        .await;
    assert!(reply.headers["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase()
        .contains("etag"));
}

#[tokio::test]
async fn list_page_has_one_data_job_id_row_per_job_with_escaped_text() {
    let emulator = Emulator::new();
    let hostile = emulator
        .create("<img src=x onerror=alert(1)>", "matching")
        .await;
    let plain = emulator.create("Weekly sync", "cancelled").await;
    let page = emulator.get("/jobs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(page.body.matches("<tr data-job-id=").count(), 2);
    assert!(page.body.contains(&format!(
        "<tr data-job-id=\"{plain}\"><td class=\"job-title\">Weekly sync</td><td class=\"job-phase\">cancelled</td>"
    )));
    assert!(page
        .body
        .contains(&format!("<a href=\"/jobs/{plain}\">View</a>")));
    assert!(page.body.contains(&format!(
        "<tr data-job-id=\"{hostile}\"><td class=\"job-title\">&lt;img src=x onerror=alert(1)&gt;</td>"
    )));
    assert!(!page.body.contains("<img"), "no markup from job data");
    assert!(page.headers.get("content-security-policy").is_none());
}

#[tokio::test]
async fn detail_page_has_the_title_header_and_phase() {
    let emulator = Emulator::new();
    let job_id = emulator.create("Nightly import", "evidence").await;
    let page = emulator.get(&format!("/jobs/{job_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(
        "<header class=\"job-header\"><h1 class=\"job-title\">Nightly import</h1><span class=\"job-phase\">evidence</span></header>"
    ));
    assert!(page
        .body
        .contains(&format!("<dd class=\"job-id\">{job_id}</dd>")));
    let missing = emulator.get("/jobs/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("<h1>Job not found</h1>"));
    assert_eq!(emulator.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(emulator.get("/static/app.css").await.status, StatusCode::OK);
}

#[tokio::test]
async fn list_page_rerender_switch_adds_the_apps_own_script() {
    let emulator = Emulator::new();
    emulator.create("x", "matching").await;
    let page = emulator.get("/jobs?rerender=50").await;
    assert!(page
        .body
        .contains("<script src=\"/static/rerender.js\" data-interval=\"50\"></script>"));
    assert!(
        !emulator.get("/jobs").await.body.contains("<script"),
        "off by default"
    );
    let script = emulator.get("/static/rerender.js").await;
    assert!(script.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
}

#[tokio::test]
async fn strict_csp_is_sent_by_flag_or_by_query() {
    let emulator = Emulator::new();
    let page = emulator.get("/jobs?csp=strict").await;
    assert_eq!(
        page.headers["content-security-policy"],
        "default-src 'self'"
    );
    let mut state = AppState::new(Db::open_in_memory().unwrap());
    state.pages.strict_csp = true;
    let strict = Emulator::with_state(state);
    assert_eq!(
        strict.get("/jobs").await.headers["content-security-policy"],
        "default-src 'self'"
    );
    assert_eq!(
        strict.get("/jobs/x").await.headers["content-security-policy"],
        "default-src 'self'"
    );
}

#[tokio::test]
async fn request_log_records_bodies_statuses_and_faults() {
    let emulator = Emulator::new();
    let job_id = emulator.create("x", "matching").await;
    emulator
        .call("DELETE", "/_emulator/requests", &[], None)
        .await;
    let cancel_path = format!("/api/jobs/{job_id}/cancel");
    let rule = json!({ "method": "POST", "path": cancel_path, "status": 500, "detail": "Queue unavailable", "times": 1 });
    let reply = emulator.add_fault(rule).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);

    assert_detail(
        &emulator.cancel(&job_id, r#"{"notes":"n1"}"#).await,
        500,
        "Queue unavailable",
    );
    assert_eq!(
        emulator.phase_of(&job_id),
        Some(Phase::Matching),
        "an injected failure never reaches the handler"
    );
    assert_eq!(
        emulator.cancel(&job_id, r#"{"notes":"n2"}"#).await.status,
        StatusCode::OK,
        "the rule was for one request"
    );

    let log = emulator.get("/_emulator/requests").await.json();
    let entries = log["requests"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "admin calls are not logged: {entries:?}");
    assert_eq!(entries[0]["body"], json!(r#"{"notes":"n1"}"#));
    assert_eq!(entries[0]["status"], json!(500));
    assert_eq!(entries[0]["fault"], json!("status 500"));
    assert_eq!(
        (entries[1]["method"].as_str(), entries[1]["status"].as_u64()),
        (Some("POST"), Some(200))
    );
    assert_eq!(entries[1]["fault"], Value::Null);
    let since = entries[0]["seq"].as_u64().unwrap();
    let later = emulator
        .get(&format!("/_emulator/requests?since={since}"))
        .await
        .json();
    assert_eq!(later["requests"].as_array().unwrap().len(), 1);
    // Whether a request carried a token is logged; the token itself never is.
    assert_eq!(entries[0]["authorization"], json!(false));
    emulator
        .call(
            "GET",
            "/api/jobs",
            &[("authorization", "Bearer s3cret")],
            None,
        )
        .await;
    let log = emulator.get("/_emulator/requests").await;
    let entries = log.json()["requests"].as_array().unwrap().clone();
    assert_eq!(entries.last().unwrap()["authorization"], json!(true));
    assert!(!log.body.contains("s3cret"), "{}", log.body);
}

#[tokio::test]
async fn faults_can_send_raw_bodies_and_delay() {
    let emulator = Emulator::new();
    let rule = json!({ "path": "/api/jobs", "status": 200, "body": "{not json", "delay_ms": 50, "times": 1 });
    emulator.add_fault(rule).await;
    let started = std::time::Instant::now();
    let reply = emulator.get("/api/jobs").await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(50));
    assert_eq!(
        (reply.status.as_u16(), reply.body.as_str()),
        (200, "{not json")
    );
    emulator
        .call("DELETE", "/_emulator/faults", &[], None)
        .await;
    assert_eq!(
        emulator.get("/api/jobs").await.json(),
        json!({ "jobs": [] })
    );
}

#[tokio::test]
async fn a_dropped_connection_breaks_the_body_and_a_file_of_rules_loads() {
    let emulator = Emulator::new();
    let rules = std::env::temp_dir().join(format!("faults-{}.json", std::process::id()));
    std::fs::write(
        &rules,
        r#"[{"method":"GET","path":"/api/jobs","drop":true,"times":1},
            {"method":"GET","path":"/api/jobs/*","status":503,"percent":50}]"#,
    )
    .unwrap();
    assert_eq!(emulator.state.faults.load(&rules), Ok(2));
    let response = emulator
        .router
        .clone()
        .oneshot(Request::get("/api/jobs").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert!(
        response.into_body().collect().await.is_err(),
        "the body breaks off"
    );
    assert_eq!(emulator.get("/api/jobs").await.status, StatusCode::OK);
    let statuses: Vec<u16> = statuses_of_a_missing_job(&emulator, 4).await;
    assert_eq!(statuses, [404, 503, 404, 503], "every second match");
    std::fs::write(&rules, r#"{"path":"/api/jobs"}"#).unwrap();
    let error = emulator.state.faults.load(&rules).unwrap_err();
    assert!(error.contains("not a JSON array of fault rules"), "{error}");
    std::fs::remove_file(&rules).unwrap();
}

#[tokio::test]
async fn a_redirect_fault_points_elsewhere_and_the_log_shows_what_followed() {
    let emulator = Emulator::new();
    let job_id = emulator.create("x", "matching").await;
    emulator
        .call("DELETE", "/_emulator/requests", &[], None)
        .await;
    let cancel_path = format!("/api/jobs/{job_id}/cancel");
    let rule = json!({ "method": "POST", "path": cancel_path, "redirect_to": "/elsewhere/cancel", "times": 1 });
    assert_eq!(
        emulator.add_fault(rule).await.status,
        StatusCode::NO_CONTENT
    );
    let redirected = emulator.cancel(&job_id, r#"{"notes":"n1"}"#).await;
    assert_eq!(redirected.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(redirected.headers["location"], "/elsewhere/cancel");
    assert_eq!(
        emulator.phase_of(&job_id),
        Some(Phase::Matching),
        "a redirected request never reaches the handler"
    );
    // What a client that follows a 307 does: the same method and body, at the new address.
    let followed = emulator
        .call(
            "POST",
            "/elsewhere/cancel",
            &[("authorization", "Bearer s3cret")],
            Some(r#"{"notes":"n1"}"#),
        )
        .await;
    assert_eq!(followed.status, StatusCode::NOT_FOUND);
    let log = emulator.get("/_emulator/requests").await.json();
    let entries: Vec<(String, String, u64, Option<String>, bool)> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["method"].as_str().unwrap().to_string(),
                entry["path"].as_str().unwrap().to_string(),
                entry["status"].as_u64().unwrap(),
                entry["fault"].as_str().map(str::to_string),
                entry["authorization"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            (
                "POST".to_string(),
                cancel_path,
                307,
                Some("redirect to /elsewhere/cancel".to_string()),
                false
            ),
            ("POST".into(), "/elsewhere/cancel".into(), 404, None, true),
        ],
        "every path is logged, the redirect's target too"
    );
    // Another redirect status on request, to another origin.
    let rule = json!({ "method": "GET", "path": "/api/jobs", "status": 308, "redirect_to": "http://127.0.0.2:9/api/jobs", "times": 1 });
    emulator.add_fault(rule).await;
    let moved = emulator.get("/api/jobs").await;
    assert_eq!(moved.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(moved.headers["location"], "http://127.0.0.2:9/api/jobs");
    assert_eq!(emulator.get("/api/jobs").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_padded_answer_is_as_large_as_asked_with_or_without_content_length() {
    let emulator = Emulator::new();
    emulator.create("a job", "matching").await;
    const SIZE: u64 = 3 * 1024 * 1024 + 7;
    for chunked in [false, true] {
        let rule = json!({ "method": "GET", "path": "/api/jobs", "pad_to_bytes": SIZE, "chunked": chunked, "times": 1 });
        emulator.add_fault(rule).await;
        let reply = emulator.get("/api/jobs").await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.body.len() as u64, SIZE, "chunked: {chunked}");
        assert_eq!(
            reply
                .headers
                .get("content-length")
                .map(|v| v.to_str().unwrap().to_string()),
            (!chunked).then(|| SIZE.to_string()),
            "chunked: {chunked}"
        );
        // The real answer, then spaces: still valid JSON, so only a size limit stops a reader.
        let jobs = reply.json();
        assert_eq!(jobs["jobs"][0]["title"], json!("a job"));
        assert!(reply.body.trim_end().ends_with('}'));
    }
    // An injected answer is padded too, and the log says what the request got.
    let rule = json!({ "path": "/api/jobs/x", "status": 200, "body": "[]", "pad_to_bytes": 100, "chunked": true, "times": 1 });
    emulator.add_fault(rule).await;
    let reply = emulator.get("/api/jobs/x").await;
    assert_eq!(reply.body, format!("[]{}", " ".repeat(98)));
    let log = emulator.get("/_emulator/requests").await.json();
    let faults: Vec<&str> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["fault"].as_str())
        .collect();
    assert_eq!(
        faults,
        [
            format!("padded to {SIZE} bytes"),
            format!("padded to {SIZE} bytes, chunked"),
            "status 200, raw body, padded to 100 bytes, chunked".to_string(),
        ]
    );
    // A size below the answer's own leaves it as it is.
    let rule = json!({ "path": "/api/jobs", "pad_to_bytes": 1, "times": 1 });
    emulator.add_fault(rule).await;
    assert_eq!(
        emulator.get("/api/jobs").await.json()["jobs"][0]["title"],
        json!("a job")
    );
}

async fn statuses_of_a_missing_job(emulator: &Emulator, n: usize) -> Vec<u16> {
    let mut statuses = Vec::new();
    for _ in 0..n {
        statuses.push(emulator.get("/api/jobs/missing").await.status.as_u16());
    }
    statuses
}

#[tokio::test]
async fn a_request_the_client_gives_up_on_is_logged_with_status_0() {
    let emulator = Emulator::new();
    emulator
        .state
        .faults
        .add(serde_json::from_value(json!({ "path": "/api/jobs", "delay_ms": 5_000 })).unwrap());
    let request = Request::get("/api/jobs").body(Body::empty()).unwrap();
    let gave_up = tokio::time::timeout(
        std::time::Duration::from_millis(50),
        emulator.router.clone().oneshot(request),
    )
    .await;
    assert!(gave_up.is_err(), "the request was still waiting");
    let log = emulator.get("/_emulator/requests").await.json();
    let entry = &log["requests"][0];
    assert_eq!(
        (
            entry["path"].as_str(),
            entry["status"].as_u64(),
            entry["fault"].as_str()
        ),
        (
            Some("/api/jobs"),
            Some(0),
            Some("no answer: the client went away first")
        )
    );
}

#[tokio::test]
async fn bulk_creation_makes_many_jobs_with_long_titles() {
    let emulator = Emulator::new();
    let body = r#"{"count":25,"phase":"matching","title_chars":300}"#;
    let reply = emulator
        .call(
            "POST",
            "/_emulator/jobs/bulk",
            &[("content-type", "application/json")],
            Some(body),
        )
        .await;
    assert_eq!(reply.json()["ids"].as_array().unwrap().len(), 25);
    let jobs = emulator.get("/api/jobs").await.json();
    let jobs = jobs["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 25);
    assert!(jobs
        .iter()
        .all(|job| job["title"].as_str().unwrap().len() == 300 && job["phase"] == "matching"));
    let too_many = emulator
        .call(
            "POST",
            "/_emulator/jobs/bulk",
            &[("content-type", "application/json")],
            Some(r#"{"count":0}"#),
        )
        .await;
    assert_detail(&too_many, 400, "count must be from 1 to 5000");
}

#[tokio::test]
async fn a_held_response_is_computed_before_the_hold() {
    let emulator = Emulator::new();
    let job_id = emulator.create("x", "matching").await;
    let rule = json!({ "method": "GET", "path": format!("/api/jobs/{job_id}"), "hold_response_ms": 300, "times": 1 });
    emulator.add_fault(rule).await;
    let path = format!("/api/jobs/{job_id}");
    let (held, _) = tokio::join!(emulator.get(&path), async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        emulator.cancel(&job_id, "{}").await
    });
    assert_eq!(
        held.json()["phase"],
        json!("matching"),
        "the answer is as of before the cancel"
    );
    assert_eq!(emulator.phase_of(&job_id), Some(Phase::Cancelled));
    let log = emulator.get("/_emulator/requests").await.json();
    let faults: Vec<&str> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["fault"].as_str())
        .collect();
    assert_eq!(faults, ["hold response 300 ms"]);
}

#[test]
fn a_file_database_survives_a_restart_and_seeds_only_once() {
    let dir = std::env::temp_dir().join(format!("emulator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("jobs.db");
    let _ = std::fs::remove_file(&path);
    let first_ids: Vec<String> = {
        let db = Db::open(&path).unwrap();
        assert_eq!(seed::seed_if_empty(&db).unwrap(), 8);
        let jobs = db.list_jobs(100, None).unwrap();
        let phases: std::collections::BTreeSet<&str> =
            jobs.iter().map(|j| j.phase.as_wire()).collect();
        assert_eq!(phases.len(), 7, "every PRD phase is seeded: {phases:?}");
        jobs.into_iter().map(|j| j.id).collect()
    };
    let db = Db::open(&path).unwrap();
    assert_eq!(
        seed::seed_if_empty(&db).unwrap(),
        0,
        "a non-empty database is not seeded again"
    );
    let again: Vec<String> = db
        .list_jobs(100, None)
        .unwrap()
        .into_iter()
        .map(|j| j.id)
        .collect();
    assert_eq!(again, first_ids);
    let version: u32 = db
        .lock()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "migrations ran once");
    drop(db);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_second_host_is_a_single_page_app_with_a_strict_csp_on_every_path() {
    let emulator = Emulator::new();
    for path in [
        "/spa/runs",
        "/spa/runs/a%2Fb/overview",
        "/spa/anything/else",
    ] {
        let reply = emulator.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(
            reply.headers["content-security-policy"], "default-src 'self'",
            "{path}"
        );
        assert!(reply.body.contains("<main id=\"app\""), "{path}: the shell");
        assert!(reply.body.contains("/spa-static/spa.js"), "{path}");
    }
    let script = emulator.get("/spa-static/spa.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.body.contains("history.pushState"));
    assert!(
        !script.body.contains("innerHTML"),
        "the host renders with DOM calls"
    );
    let redirect = emulator.get("/spa").await;
    assert_eq!(redirect.status, StatusCode::SEE_OTHER);
    assert_eq!(redirect.headers["location"], "/spa/runs");
}

// ---- issue #19, "real apps": list shapes, CSRF, the third host ----

fn jobs_in(body: &Value) -> Vec<String> {
    body.as_array()
        .unwrap()
        .iter()
        .map(|job| job["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_list_answers_in_every_shape_with_its_filters() {
    let emulator = Emulator::new();
    emulator.create("first", "matching").await;
    emulator.create("second", "completed").await;
    emulator.create("third", "matching").await;

    let default = emulator.get("/api/jobs").await.json();
    assert_eq!(jobs_in(&default["jobs"]), ["third", "second", "first"]);
    assert_eq!(default.as_object().unwrap().len(), 1, "{default}");

    emulator.state.list_shape.set(ListShape::Array, None);
    let array = emulator.get("/api/jobs?phase=matching").await.json();
    assert_eq!(jobs_in(&array), ["third", "first"]);

    for key in ["items", "data", "results"] {
        let reply = emulator
            .call(
                "POST",
                "/_emulator/list-shape",
                &[("content-type", "application/json")],
                Some(&json!({ "shape": key }).to_string()),
            )
            .await;
        assert_eq!(reply.json(), json!({ "shape": key, "page_max": null }));
        let body = emulator.get("/api/jobs?limit=2").await.json();
        assert_eq!(jobs_in(&body[key]), ["third", "second"], "{key}");
        assert_eq!(
            (body["total"].as_u64(), body["next"].clone()),
            (Some(2), Value::Null)
        );
        assert_eq!(body.as_object().unwrap().len(), 3, "{body}");
        // The list's other behaviour holds in every shape: bad limits and conditional GETs.
        assert_detail(
            &emulator.get("/api/jobs?limit=0").await,
            400,
            "limit must be a whole number from 1 to 1000, not `0`",
        );
        let etag = emulator.get("/api/jobs").await.headers["etag"].clone();
        let again = emulator
            .call(
                "GET",
                "/api/jobs",
                &[("if-none-match", etag.to_str().unwrap())],
                None,
            )
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{key}");
    }
    assert_eq!(
        emulator.get("/_emulator/list-shape").await.json(),
        json!({ "shape": "results", "page_max": null })
    );
    // A paginated API: at most `page_max` jobs per answer, whatever `limit` asks for.
    let capped = emulator
        .call(
            "POST",
            "/_emulator/list-shape",
            &[("content-type", "application/json")],
            Some(r#"{"shape":"results","page_max":1}"#),
        )
        .await;
    assert_eq!(capped.json(), json!({ "shape": "results", "page_max": 1 }));
    let page = emulator.get("/api/jobs?limit=1000").await.json();
    assert_eq!(jobs_in(&page["results"]), ["third"]);
    let zero = emulator
        .call(
            "POST",
            "/_emulator/list-shape",
            &[("content-type", "application/json")],
            Some(r#"{"shape":"results","page_max":0}"#),
        )
        .await;
    assert_detail(
        &zero,
        400,
        "page_max must be at least 1 (or null for no cap)",
    );
    emulator.state.list_shape.set(ListShape::Results, None);
    let wrong = emulator
        .call(
            "POST",
            "/_emulator/list-shape",
            &[("content-type", "application/json")],
            Some(r#"{"shape":"rows"}"#),
        )
        .await;
    assert_detail(
        &wrong,
        400,
        "shape `rows` is not one of jobs, array, items, data, results",
    );
    assert_eq!(
        emulator.state.list_shape.get(),
        ListShape::Results,
        "unchanged"
    );
    // A job by id is the same in every shape.
    let one = emulator.get("/api/jobs?limit=1").await.json();
    let id = one["results"][0]["id"].as_str().unwrap();
    assert_eq!(
        emulator.get(&format!("/api/jobs/{id}")).await.json()["title"],
        json!("third")
    );
}

fn with_csrf(session: Option<&str>) -> Emulator {
    let mut state = AppState::new(Db::open_in_memory().unwrap());
    state.csrf = Arc::new(Csrf::generate());
    if let Some(session) = session {
        state.auth = Arc::new(AuthConfig {
            session: Some(session.into()),
            ..AuthConfig::default()
        });
    }
    Emulator::with_state(state)
}

async fn csrf_token(emulator: &Emulator) -> String {
    let body = emulator.get("/_emulator/csrf").await.json();
    body["token"].as_str().unwrap().to_string()
}

fn set_cookies(reply: &Reply) -> Vec<String> {
    reply
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn with_csrf_every_page_carries_the_token_in_a_meta_tag_and_a_cookie() {
    let emulator = with_csrf(None);
    let token = csrf_token(&emulator).await;
    assert_eq!(token.len(), 32);
    // Created through the admin endpoint: `/api` writes need the token.
    let bulk = emulator
        .call(
            "POST",
            "/_emulator/jobs/bulk",
            &[("content-type", "application/json")],
            Some(r#"{"count":1}"#),
        )
        .await;
    let job_id = bulk.json()["ids"][0].as_str().unwrap().to_string();
    for path in [
        "/jobs".to_string(),
        format!("/jobs/{job_id}"),
        "/jobs/missing".to_string(),
        "/spa/runs".to_string(),
        "/ops/jobs".to_string(),
        "/ops/jobs/abc".to_string(),
    ] {
        let page = emulator.get(&path).await;
        let head = page.body.split("</head>").next().unwrap();
        assert!(
            head.contains(&format!("<meta name=\"csrf-token\" content=\"{token}\">")),
            "{path}: {head}"
        );
        assert_eq!(
            set_cookies(&page),
            [format!("XSRF-TOKEN={token}; Path=/; SameSite=Lax")],
            "{path}"
        );
    }
    // Only HTML pages set it: not the API, not the assets.
    for path in ["/api/jobs", "/ops-static/ops.js", "/static/app.css"] {
        assert!(set_cookies(&emulator.get(path).await).is_empty(), "{path}");
    }
    // With a cookie session too, a page sets both cookies.
    let both = with_csrf(Some("s1"));
    let token = csrf_token(&both).await;
    assert_eq!(
        set_cookies(&both.get("/ops/jobs").await),
        [
            "session=s1; Path=/; HttpOnly; SameSite=Lax".to_string(),
            format!("XSRF-TOKEN={token}; Path=/; SameSite=Lax"),
        ]
    );
}

#[tokio::test]
async fn with_csrf_writes_need_the_token_in_one_of_three_headers() {
    let emulator = with_csrf(None);
    let token = csrf_token(&emulator).await;
    let json_header = ("content-type", "application/json");
    // Reads are never checked, and admin endpoints are not under /api.
    assert_eq!(emulator.get("/api/jobs").await.status, StatusCode::OK);
    let bulk = emulator
        .call(
            "POST",
            "/_emulator/jobs/bulk",
            &[json_header],
            Some(r#"{"count":3,"phase":"matching"}"#),
        )
        .await;
    assert_eq!(bulk.status, StatusCode::OK, "{}", bulk.body);
    let ids: Vec<String> = bulk.json()["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        emulator.get(&format!("/api/jobs/{}", ids[0])).await.status,
        StatusCode::OK
    );
    emulator
        .call("DELETE", "/_emulator/requests", &[], None)
        .await;

    let cancel = |id: &str| format!("/api/jobs/{id}/cancel");
    let missing = "Missing CSRF token: send X-CSRF-Token (from <meta name=\"csrf-token\">), \
                   X-XSRF-TOKEN (from the XSRF-TOKEN cookie) or X-CSRFToken.";
    let mismatch = "CSRF token does not match this session.";
    assert_detail(
        &emulator
            .call("POST", &cancel(&ids[0]), &[json_header], Some("{}"))
            .await,
        403,
        missing,
    );
    // The cookie alone is not enough: a forged form post carries it too.
    let cookie = format!("XSRF-TOKEN={token}");
    assert_detail(
        &emulator
            .call(
                "POST",
                &cancel(&ids[0]),
                &[json_header, ("cookie", &cookie)],
                Some("{}"),
            )
            .await,
        403,
        missing,
    );
    assert_detail(
        &emulator
            .call(
                "POST",
                &cancel(&ids[0]),
                &[json_header, ("x-csrf-token", "not-the-token")],
                Some("{}"),
            )
            .await,
        403,
        mismatch,
    );
    assert_detail(
        &emulator
            .call(
                "DELETE",
                &format!("/api/jobs/{}?force=true", ids[0]),
                &[],
                None,
            )
            .await,
        403,
        missing,
    );
    assert_detail(
        &emulator
            .call(
                "POST",
                "/api/jobs",
                &[json_header],
                Some(r#"{"title":"t"}"#),
            )
            .await,
        403,
        missing,
    );
    for method in ["PUT", "PATCH"] {
        assert_detail(
            &emulator
                .call(method, &format!("/api/jobs/{}", ids[0]), &[], Some("{}"))
                .await,
            403,
            missing,
        );
    }
    assert_eq!(
        emulator.phase_of(&ids[0]),
        Some(Phase::Matching),
        "a refused write changes nothing"
    );
    assert_eq!(
        emulator.get("/_emulator/audit").await.json()["entries"],
        json!([])
    );

    for (id, header) in ids
        .iter()
        .zip(["X-CSRF-Token", "X-XSRF-TOKEN", "X-CSRFToken"])
    {
        let reply = emulator
            .call(
                "POST",
                &cancel(id),
                &[json_header, (header, &token)],
                Some("{}"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{header}: {}", reply.body);
        assert_eq!(emulator.phase_of(id), Some(Phase::Cancelled), "{header}");
    }
    let deleted = emulator
        .call(
            "DELETE",
            &format!("/api/jobs/{}", ids[0]),
            &[("x-xsrf-token", &token)],
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);

    // Refusals are in the request log like any other answer.
    let log = emulator.get("/_emulator/requests").await.json();
    let statuses: Vec<(String, u64)> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap().to_string(),
                r["status"].as_u64().unwrap(),
            )
        })
        .collect();
    let refused = statuses.iter().filter(|(_, status)| *status == 403).count();
    assert_eq!(refused, 7, "{statuses:?}");
    assert_eq!(statuses[0], ("POST".to_string(), 403));
}

#[tokio::test]
async fn without_csrf_nothing_is_checked_or_added() {
    let emulator = Emulator::new();
    assert_eq!(
        emulator.get("/_emulator/csrf").await.json(),
        json!({ "token": null })
    );
    for path in ["/jobs", "/spa/runs", "/ops/jobs"] {
        let page = emulator.get(path).await;
        assert!(!page.body.contains("csrf-token"), "{path}");
        assert!(set_cookies(&page).is_empty(), "{path}");
    }
    let job_id = emulator.create("x", "matching").await;
    assert_eq!(emulator.cancel(&job_id, "{}").await.status, StatusCode::OK);
    assert_eq!(emulator.delete(&job_id, false).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_third_host_is_an_ops_console_with_a_strict_csp_on_every_path() {
    let emulator = Emulator::new();
    for path in [
        "/ops/jobs",
        "/ops/jobs/abc",
        "/ops/jobs/a%2Fb",
        "/ops/jobs/",
        "/ops/settings",
    ] {
        let reply = emulator.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(
            reply.headers["content-security-policy"], "default-src 'self'",
            "{path}"
        );
        assert!(reply.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert!(
            reply.body.contains("<main id=\"view\"></main>"),
            "{path}: the shell"
        );
        assert!(reply
            .body
            .contains("<script src=\"/ops-static/ops.js\"></script>"));
        assert!(reply.body.contains("/ops-static/ops.css"));
        assert!(
            !reply.body.contains("<h1"),
            "the shell has no heading of its own"
        );
    }
    for path in ["/ops", "/ops/"] {
        let redirect = emulator.get(path).await;
        assert_eq!(redirect.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(redirect.headers["location"], "/ops/jobs");
    }
    for (path, kind) in [
        ("/ops-static/ops.js", "text/javascript"),
        ("/ops-static/ops.css", "text/css"),
    ] {
        let asset = emulator.get(path).await;
        assert_eq!(asset.status, StatusCode::OK, "{path}");
        assert!(asset.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with(kind));
        assert_eq!(
            asset.headers["content-security-policy"],
            "default-src 'self'"
        );
    }
    let script = emulator.get("/ops-static/ops.js").await.body;
    for needed in [
        "history.pushState",
        "'popstate'",
        "a[href^=\"/ops/\"]",
        "'data-id'",
        "class: 'status'",
        "class: 'row-actions'",
        "class: 'page-header'",
        "class: 'pill'",
        "class: 'heading'",
        "title_after_ms",
        "'Job not found'",
        "['jobs', 'items', 'data', 'results']",
    ] {
        assert!(script.contains(needed), "ops.js lacks {needed}");
    }
    let shell = emulator.get("/ops/jobs").await.body;
    let css = emulator.get("/ops-static/ops.css").await.body;
    for text in [&script, &shell, &css] {
        for foreign in ["innerHTML", "data-job", "job-title", "job-phase"] {
            assert!(
                !text.contains(foreign),
                "the ops host knows nothing of {foreign}"
            );
        }
    }
    // The second host's script reads every list shape too.
    let spa = emulator.get("/spa-static/spa.js").await.body;
    assert!(spa.contains("['jobs', 'items', 'data', 'results']"));
}
