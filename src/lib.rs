//! What the content script, the popup, the background and the emulator share, in four rooms:
//! - `api`: `main-api`'s wire model, requests and answers as data, the browser client, errors;
//! - `jobs`: phases, which actions each surface offers, the cancel/delete flow and its words, the
//!   jobs a view knows and how answers merge;
//! - `live`: the background's feed — messages, subscriptions, cadence, port scopes;
//! - `sites`: site profiles, origins, selectors, detection, CSRF.
//!
//! Invariant: nothing here touches the DOM; everything but `api::client` and `live::port` is tested
//! natively; those two are the thin browser bindings (they compile everywhere, but only run in a
//! browser). What one crate alone uses lives in that crate.

pub mod api;
pub mod jobs;
pub mod live;
pub mod sites;

pub use api::endpoint::{ClientConfig, Fetched, ListQuery};
pub use api::error::ApiError;
pub use api::model::{CancelRequest, CancelResponse, DeleteResponse, Job};
pub use jobs::phase::{BadgeVariant, Phase};
