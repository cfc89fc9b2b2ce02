//! What a job is and what may be done to it: its phases (`phase`), which actions each surface
//! offers (`rules`), the cancel/delete flow (`flow`, with its words in `copy` and the confirm
//! button's guard in `confirm_guard`), the jobs a view knows and their merge rule (`store`,
//! keyed with `idmap`), a cancel still waiting for the workers (`pending`) and times (`time`).
//! The action table is `rules` (kinds, rows per surface) with `dialog` (each kind's dialog, request
//! and words); `controls` turns it into a job page's buttons and `effects` runs what the flow asks
//! (`handed_over`: the deletion check a leaving job page hands to the background).

pub mod activity;
pub mod announce;
pub mod bulk;
pub mod bulk_claims;
pub mod bulk_kind;
pub mod bulk_offer;
pub mod bulk_runner;
pub mod bulk_stage;
pub mod bulk_stopping;
pub mod bulk_tries;
pub mod cancel_then_delete;
pub mod confirm_guard;
pub mod controls;
pub mod copy;
pub mod deletion;
pub mod dialog;
pub mod effects;
mod failures;
pub mod flow;
pub mod handed_over;
pub mod idmap;
pub mod pending;
pub mod phase;
pub mod report;
pub mod rules;
pub mod selection;
pub mod store;
pub mod time;
