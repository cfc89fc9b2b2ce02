//! Read-only views for tests: the audit table and a job's associated-data counts.

use crate::db::AuditEntry;
use crate::error::Failure;
use crate::AppState;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Serialize, Deserialize)]
pub struct AuditList {
    pub entries: Vec<AuditEntry>,
}

/// Rows per child table, and their total.
#[derive(Debug, Serialize, Deserialize)]
pub struct AssociatedData {
    pub tables: BTreeMap<String, u64>,
    pub total: u64,
}

pub fn admin_router() -> Router<AppState> {
    Router::new()
        .route("/_emulator/audit", get(audit))
        .route("/_emulator/jobs/{job_id}/data", get(associated_data))
}

async fn audit(State(state): State<AppState>) -> Result<Json<AuditList>, Failure> {
    Ok(Json(AuditList {
        entries: state.db.audit_entries()?,
    }))
}

async fn associated_data(
    State(state): State<AppState>,
    Path(job_id): Path<String>,
) -> Result<Json<AssociatedData>, Failure> {
    let counts = state.db.associated_data_counts(&job_id)?;
    let total = counts.iter().map(|(_, n)| n).sum();
    let tables = counts
        .into_iter()
        .map(|(table, n)| (table.to_string(), n))
        .collect();
    Ok(Json(AssociatedData { tables, total }))
}
