//! The SQLite store: opening, numbered migrations, and one small named function per query, all
//! with bound parameters. Every write that touches more than one row runs in one transaction.

use job_actions::{Job, Phase};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// Migrations in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[include_str!("../migrations/0001_init.sql")];

/// The tables that hold a job's associated data (PRD §5.2's "will permanently delete" list).
pub const CHILD_TABLES: [&str; 6] = [
    "product_images",
    "product_masks",
    "video_frames",
    "video_keyframes",
    "match_results",
    "evidence",
];

const ACTIVE_PHASES_SQL: &str = "('collection', 'feature_extraction', 'matching', 'evidence')";

pub struct Db {
    connection: Mutex<Connection>,
}

/// One row of the audit table: who asked for what, when, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub job_id: String,
    pub outcome: String,
    pub reason: Option<String>,
    pub notes: Option<String>,
    pub forced: bool,
}

/// What a cancel request did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelOutcome {
    /// The job was active and is now cancelled.
    Cancelled(Job),
    /// The job was cancelled before; its first cancellation is returned unchanged.
    AlreadyCancelled(Job),
    /// The job is active and its workers were asked to stop; it is cancelled when they do.
    Requested(Job),
    /// The job had already finished (completed, failed, or a phase workers no longer move).
    AlreadyFinished(Job),
    NotFound,
}

/// What a delete request did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteOutcome {
    Deleted,
    StillActive,
    NotFound,
}

impl Db {
    pub fn open(path: &Path) -> rusqlite::Result<Db> {
        Db::prepare(Connection::open(path)?)
    }

    pub fn open_in_memory() -> rusqlite::Result<Db> {
        Db::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut connection: Connection) -> rusqlite::Result<Db> {
        connection.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;",
        )?;
        run_migrations(&mut connection)?;
        Ok(Db {
            connection: Mutex::new(connection),
        })
    }

    /// The connection, for the few callers (tests, seeding) that need raw access.
    pub fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll
        // back on drop), so a poisoned lock is safe to reuse.
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn count_jobs(&self) -> rusqlite::Result<u64> {
        self.lock()
            .query_row("SELECT COUNT(*) FROM jobs", [], |row| row.get(0))
    }

    /// Jobs newest first, optionally of one phase.
    pub fn list_jobs(&self, limit: u32, phase: Option<&Phase>) -> rusqlite::Result<Vec<Job>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT id, title, phase, created_at, updated_at, cancelled_at, cancellation_reason,
                    cancellation_notes
             FROM jobs WHERE (?1 IS NULL OR phase = ?1)
             ORDER BY created_at DESC, rowid DESC LIMIT ?2",
        )?;
        let rows = statement.query_map(params![phase.map(Phase::as_wire), limit], job_from_row)?;
        rows.collect()
    }

    pub fn get_job(&self, job_id: &str) -> rusqlite::Result<Option<Job>> {
        select_job(&self.lock(), job_id)
    }

    /// Inserts a job with a few rows in every child table, so deletes have data to remove.
    pub fn insert_job(&self, job: &Job) -> rusqlite::Result<()> {
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        transaction.execute(
            "INSERT INTO jobs (id, title, phase, created_at, updated_at, cancelled_at,
                               cancellation_reason, cancellation_notes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                job.id,
                job.title,
                job.phase.as_wire(),
                job.created_at,
                job.updated_at,
                job.cancelled_at,
                job.cancellation_reason,
                job.cancellation_notes
            ],
        )?;
        insert_associated_data(&transaction, &job.id)?;
        transaction.commit()
    }

    /// Cancels an active job; idempotent for cancelled ones; a no-op for finished ones.
    pub fn cancel_job(
        &self,
        job_id: &str,
        reason: &str,
        notes: Option<&str>,
        actor: &str,
        now: &str,
        delayed: bool,
    ) -> rusqlite::Result<CancelOutcome> {
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        let Some(job) = select_job(&transaction, job_id)? else {
            return Ok(CancelOutcome::NotFound);
        };
        let outcome = if job.phase.is_active() && job.cancelled_at.is_some() {
            // Asked before and still stopping: the first request stands (idempotent).
            CancelOutcome::Requested(job)
        } else if job.phase.is_active() && delayed {
            mark_cancel_requested(&transaction, job_id, reason, notes, now)?;
            let requested = select_job(&transaction, job_id)?.expect("the row was just updated");
            CancelOutcome::Requested(requested)
        } else if job.phase.is_active() {
            mark_cancelled(&transaction, job_id, reason, notes, now)?;
            let cancelled = select_job(&transaction, job_id)?.expect("the row was just updated");
            CancelOutcome::Cancelled(cancelled)
        } else if job.phase == Phase::Cancelled {
            CancelOutcome::AlreadyCancelled(job)
        } else {
            CancelOutcome::AlreadyFinished(job)
        };
        let outcome_name = match &outcome {
            CancelOutcome::Cancelled(_) => "cancelled",
            CancelOutcome::AlreadyCancelled(_) => "already_cancelled",
            CancelOutcome::Requested(_) => "requested",
            _ => "already_finished",
        };
        insert_audit(
            &transaction,
            &AuditEntry {
                at: now.into(),
                actor: actor.into(),
                action: "cancel".into(),
                job_id: job_id.into(),
                outcome: outcome_name.into(),
                reason: Some(reason.into()),
                notes: notes.map(str::to_string),
                forced: false,
            },
        )?;
        transaction.commit()?;
        Ok(outcome)
    }

    /// The workers of a job whose cancel was accepted have stopped: it is cancelled now (unless
    /// it was deleted or finished meanwhile). Returns whether it changed.
    pub fn finish_cancel(&self, job_id: &str, now: &str) -> rusqlite::Result<bool> {
        let connection = self.lock();
        let changed = connection.execute(
            &format!(
                "UPDATE jobs SET phase = 'cancelled', updated_at = ?2
                 WHERE id = ?1 AND phase IN {ACTIVE_PHASES_SQL} AND cancelled_at IS NOT NULL"
            ),
            params![job_id, now],
        )?;
        Ok(changed > 0)
    }

    /// Deletes a job and all its associated data in one transaction. An active job needs
    /// `force`, which cancels it first (recorded as its own audit entry).
    pub fn delete_job(
        &self,
        job_id: &str,
        force: bool,
        actor: &str,
        now: &str,
    ) -> rusqlite::Result<DeleteOutcome> {
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        let Some(job) = select_job(&transaction, job_id)? else {
            return Ok(DeleteOutcome::NotFound);
        };
        let audit = |outcome: &str, action: &str| AuditEntry {
            at: now.into(),
            actor: actor.into(),
            action: action.into(),
            job_id: job_id.into(),
            outcome: outcome.into(),
            reason: None,
            notes: None,
            forced: force,
        };
        if job.phase.is_active() {
            if !force {
                insert_audit(&transaction, &audit("still_active", "delete"))?;
                transaction.commit()?;
                return Ok(DeleteOutcome::StillActive);
            }
            mark_cancelled(&transaction, job_id, "force_delete", None, now)?;
            let mut cancel = audit("cancelled", "cancel");
            cancel.reason = Some("force_delete".into());
            insert_audit(&transaction, &cancel)?;
        }
        for table in CHILD_TABLES {
            transaction.execute(&format!("DELETE FROM {table} WHERE job_id = ?1"), [job_id])?;
        }
        transaction.execute("DELETE FROM jobs WHERE id = ?1", [job_id])?;
        insert_audit(&transaction, &audit("deleted", "delete"))?;
        transaction.commit()?;
        Ok(DeleteOutcome::Deleted)
    }

    /// Ids and phases of the jobs workers are processing: the worker's plan for one tick.
    pub fn active_jobs(&self) -> rusqlite::Result<Vec<(String, Phase)>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(&format!(
            "SELECT id, phase FROM jobs WHERE phase IN {ACTIVE_PHASES_SQL} ORDER BY rowid"
        ))?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                Phase::parse(&row.get::<_, String>(1)?),
            ))
        })?;
        rows.collect()
    }

    /// Moves a job from `from` to `to` only if it is still in `from` (compare-and-swap), so a
    /// job cancelled while a tick was in flight never moves again. Returns whether it moved.
    pub fn advance_job(
        &self,
        job_id: &str,
        from: &Phase,
        to: &Phase,
        now: &str,
    ) -> rusqlite::Result<bool> {
        let changed = self.lock().execute(
            "UPDATE jobs SET phase = ?3, updated_at = ?4 WHERE id = ?1 AND phase = ?2",
            params![job_id, from.as_wire(), to.as_wire(), now],
        )?;
        Ok(changed == 1)
    }

    /// Rows per child table for a job (all zero once it is deleted).
    pub fn associated_data_counts(
        &self,
        job_id: &str,
    ) -> rusqlite::Result<Vec<(&'static str, u64)>> {
        let connection = self.lock();
        CHILD_TABLES
            .iter()
            .map(|table| {
                let n: u64 = connection.query_row(
                    &format!("SELECT COUNT(*) FROM {table} WHERE job_id = ?1"),
                    [job_id],
                    |row| row.get(0),
                )?;
                Ok((*table, n))
            })
            .collect()
    }

    pub fn audit_entries(&self) -> rusqlite::Result<Vec<AuditEntry>> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(
            "SELECT at, actor, action, job_id, outcome, reason, notes, forced FROM audit ORDER BY id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(AuditEntry {
                at: row.get(0)?,
                actor: row.get(1)?,
                action: row.get(2)?,
                job_id: row.get(3)?,
                outcome: row.get(4)?,
                reason: row.get(5)?,
                notes: row.get(6)?,
                forced: row.get(7)?,
            })
        })?;
        rows.collect()
    }
}

fn run_migrations(connection: &mut Connection) -> rusqlite::Result<()> {
    let applied: usize = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(applied) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(migration)?;
        transaction.pragma_update(None, "user_version", index + 1)?;
        transaction.commit()?;
    }
    Ok(())
}

fn job_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Job> {
    Ok(Job {
        id: row.get(0)?,
        title: row.get(1)?,
        phase: Phase::parse(&row.get::<_, String>(2)?),
        created_at: row.get(3)?,
        updated_at: row.get(4)?,
        cancelled_at: row.get(5)?,
        cancellation_reason: row.get(6)?,
        cancellation_notes: row.get(7)?,
    })
}

fn select_job(connection: &Connection, job_id: &str) -> rusqlite::Result<Option<Job>> {
    connection
        .query_row(
            "SELECT id, title, phase, created_at, updated_at, cancelled_at, cancellation_reason,
                    cancellation_notes
             FROM jobs WHERE id = ?1",
            [job_id],
            job_from_row,
        )
        .optional()
}

fn mark_cancelled(
    transaction: &Transaction<'_>,
    job_id: &str,
    reason: &str,
    notes: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    transaction.execute(
        &format!(
            "UPDATE jobs SET phase = 'cancelled', updated_at = ?2, cancelled_at = ?2,
                    cancellation_reason = ?3, cancellation_notes = ?4
             WHERE id = ?1 AND phase IN {ACTIVE_PHASES_SQL}"
        ),
        params![job_id, now, reason, notes],
    )?;
    Ok(())
}

/// Records an accepted cancel on a job that keeps its phase until its workers stop.
fn mark_cancel_requested(
    transaction: &Transaction<'_>,
    job_id: &str,
    reason: &str,
    notes: Option<&str>,
    now: &str,
) -> rusqlite::Result<()> {
    transaction.execute(
        "UPDATE jobs SET updated_at = ?2, cancelled_at = ?2, cancellation_reason = ?3,
                cancellation_notes = ?4
         WHERE id = ?1",
        params![job_id, now, reason, notes],
    )?;
    Ok(())
}

fn insert_audit(transaction: &Transaction<'_>, entry: &AuditEntry) -> rusqlite::Result<()> {
    transaction.execute(
        "INSERT INTO audit (at, actor, action, job_id, outcome, reason, notes, forced)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            entry.at,
            entry.actor,
            entry.action,
            entry.job_id,
            entry.outcome,
            entry.reason,
            entry.notes,
            entry.forced
        ],
    )?;
    Ok(())
}

fn insert_associated_data(transaction: &Transaction<'_>, job_id: &str) -> rusqlite::Result<()> {
    for n in 1..=2 {
        transaction.execute(
            "INSERT INTO product_images (job_id, path) VALUES (?1, ?2)",
            params![job_id, format!("images/{job_id}/{n}.jpg")],
        )?;
        transaction.execute(
            "INSERT INTO product_masks (job_id, path) VALUES (?1, ?2)",
            params![job_id, format!("masks/{job_id}/{n}.png")],
        )?;
        transaction.execute(
            "INSERT INTO match_results (job_id, score) VALUES (?1, ?2)",
            params![job_id, 0.5 + f64::from(n) / 10.0],
        )?;
    }
    for n in 1..=3 {
        transaction.execute(
            "INSERT INTO video_frames (job_id, path) VALUES (?1, ?2)",
            params![job_id, format!("frames/{job_id}/{n:04}.jpg")],
        )?;
    }
    transaction.execute(
        "INSERT INTO video_keyframes (job_id, path) VALUES (?1, ?2)",
        params![job_id, format!("keyframes/{job_id}/0001.jpg")],
    )?;
    transaction.execute(
        "INSERT INTO evidence (job_id, summary) VALUES (?1, 'match above threshold')",
        [job_id],
    )?;
    Ok(())
}
