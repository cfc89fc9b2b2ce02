//! Demo jobs in every phase, written only into an empty database.

use crate::clock;
use crate::db::Db;
use job_actions::{Job, Phase};

/// (title, phase, minutes ago)
const DEMO_JOBS: [(&str, &str, i64); 8] = [
    ("Nightly catalogue import", "collection", 2),
    ("Spring collection feature pass", "feature_extraction", 9),
    ("Retailer video match — ACME", "matching", 17),
    ("Evidence bundle for case 1182", "evidence", 31),
    ("Weekly product sync", "completed", 95),
    ("Broken feed import", "failed", 180),
    ("Test job — please ignore", "cancelled", 240),
    ("Q3 archive re-match", "completed", 1440),
];

/// Seeds the demo jobs when the database has none; returns how many were written.
pub fn seed_if_empty(db: &Db) -> rusqlite::Result<usize> {
    if db.count_jobs()? > 0 {
        return Ok(0);
    }
    for (title, phase, minutes_ago) in DEMO_JOBS {
        let created = clock::ago(minutes_ago * 60);
        let phase = Phase::parse(phase);
        let cancelled = phase == Phase::Cancelled;
        let cancelled_at = clock::ago(minutes_ago * 60 - 300);
        db.insert_job(&Job {
            id: uuid::Uuid::new_v4().to_string(),
            title: title.to_string(),
            phase,
            created_at: Some(created.clone()),
            updated_at: Some(if cancelled {
                cancelled_at.clone()
            } else {
                created
            }),
            cancelled_at: cancelled.then(|| cancelled_at.clone()),
            cancellation_reason: cancelled.then(|| "user_request".to_string()),
            cancellation_notes: cancelled.then(|| "Created by mistake during a demo".to_string()),
        })?;
    }
    Ok(DEMO_JOBS.len())
}
