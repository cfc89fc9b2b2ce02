//! The popup's components, one per file.

pub mod app;
pub mod job_row;
pub mod phase_badge;
