//! The worker: on every tick, each active job moves one phase forward
//! (collection → feature_extraction → matching → evidence → completed). A tick is planned from a
//! read and applied with compare-and-swap updates, so a job cancelled between the two — a tick
//! "in flight" — never moves again.

use crate::{clock, db::Db, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use job_actions::Phase;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

pub const DEFAULT_TICK_MS: u64 = 15_000;

pub struct WorkerControl {
    paused: AtomicBool,
    tick_ms: AtomicU64,
    /// How long an accepted cancel takes to stop a job's workers (0: at once). Until then the
    /// job stays in its active phase with `cancelled_at` set, as a backend whose workers are
    /// slow to stop (issue #9, PRD §5.6 "Cancellation pending").
    cancel_delay_ms: AtomicU64,
}

/// One planned move: a job and the phase it was in when the tick read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMove {
    pub job_id: String,
    pub from: Phase,
    pub to: Phase,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerStatus {
    pub paused: bool,
    pub tick_ms: u64,
    pub cancel_delay_ms: u64,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct WorkerUpdate {
    pub paused: Option<bool>,
    pub tick_ms: Option<u64>,
    pub cancel_delay_ms: Option<u64>,
}

impl WorkerControl {
    pub fn new(tick_ms: u64, paused: bool) -> WorkerControl {
        WorkerControl {
            paused: AtomicBool::new(paused),
            tick_ms: AtomicU64::new(tick_ms.max(10)),
            cancel_delay_ms: AtomicU64::new(0),
        }
    }

    /// How long an accepted cancel takes to take effect.
    pub fn cancel_delay_ms(&self) -> u64 {
        self.cancel_delay_ms.load(Ordering::Relaxed)
    }

    pub fn status(&self) -> WorkerStatus {
        WorkerStatus {
            paused: self.paused.load(Ordering::Relaxed),
            tick_ms: self.tick_ms.load(Ordering::Relaxed),
            cancel_delay_ms: self.cancel_delay_ms(),
        }
    }

    pub fn update(&self, update: &WorkerUpdate) {
        if let Some(paused) = update.paused {
            self.paused.store(paused, Ordering::Relaxed);
        }
        if let Some(tick_ms) = update.tick_ms {
            self.tick_ms.store(tick_ms.max(10), Ordering::Relaxed);
        }
        if let Some(delay) = update.cancel_delay_ms {
            self.cancel_delay_ms.store(delay, Ordering::Relaxed);
        }
    }
}

/// Reads which jobs a tick would move.
pub fn plan_tick(db: &Db) -> rusqlite::Result<Vec<PlannedMove>> {
    Ok(db
        .active_jobs()?
        .into_iter()
        .filter_map(|(job_id, from)| {
            let to = from.next()?;
            Some(PlannedMove { job_id, from, to })
        })
        .collect())
}

/// Applies a plan; a job no longer in its planned phase is skipped. Returns the moves made.
pub fn apply_tick(db: &Db, plan: Vec<PlannedMove>) -> rusqlite::Result<Vec<PlannedMove>> {
    let now = clock::now();
    let mut applied = Vec::new();
    for planned in plan {
        if db.advance_job(&planned.job_id, &planned.from, &planned.to, &now)? {
            applied.push(planned);
        }
    }
    Ok(applied)
}

pub fn tick(db: &Db) -> rusqlite::Result<Vec<PlannedMove>> {
    apply_tick(db, plan_tick(db)?)
}

/// Runs forever: one tick per interval while not paused.
pub async fn run(state: AppState) {
    loop {
        let status = state.worker.status();
        tokio::time::sleep(Duration::from_millis(status.tick_ms)).await;
        if state.worker.status().paused {
            continue;
        }
        if let Err(error) = tick(&state.db) {
            eprintln!("emulator: worker tick failed: {error}");
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct TickResult {
    pub moved: Vec<MovedJob>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct MovedJob {
    pub job_id: String,
    pub from: Phase,
    pub to: Phase,
}

pub fn admin_router() -> Router<AppState> {
    Router::new()
        .route(
            "/_emulator/worker",
            get(|State(state): State<AppState>| async move { Json(state.worker.status()) }).post(
                |State(state): State<AppState>, Json(update): Json<WorkerUpdate>| async move {
                    state.worker.update(&update);
                    Json(state.worker.status())
                },
            ),
        )
        .route(
            "/_emulator/worker/tick",
            post(|State(state): State<AppState>| async move {
                let moved = tick(&state.db).map_err(|e| {
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!("tick failed: {e}"),
                    )
                })?;
                let moved = moved
                    .into_iter()
                    .map(|m| MovedJob {
                        job_id: m.job_id,
                        from: m.from,
                        to: m.to,
                    })
                    .collect();
                Ok::<_, (StatusCode, String)>(Json(TickResult { moved }))
            }),
        )
}
