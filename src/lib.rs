//! The one API module shared by the content script, the popup and the emulator: the wire model,
//! phase rules, errors, request building, the browser API client and the backoff schedule.
//!
//! Invariant: nothing here touches the DOM; everything but `client` is tested natively; `client`
//! is the thin browser transport (it compiles everywhere, but only runs in a browser).

pub mod backoff;
pub mod cadence;
pub mod confirm_guard;
pub mod conventions;
pub mod copy;
pub mod csrf;
pub mod detect;
pub mod endpoint;
pub mod error;
pub mod flow;
pub mod handoff;
pub mod idmap;
pub mod json;
pub mod managed;
pub mod model;
pub mod origin;
pub mod pending;
pub mod phase;
pub mod port;
pub mod profile;
pub mod profiles;
pub mod recent;
pub mod rules;
pub mod scope;
pub mod selector;
pub mod store;
pub mod subscriptions;
pub mod sync;
pub mod time;

pub mod client;
#[cfg(all(test, target_arch = "wasm32"))]
mod client_tests;

pub use endpoint::{ClientConfig, Fetched, ListQuery};
pub use error::ApiError;
pub use model::{CancelRequest, CancelResponse, DeleteResponse, Job};
pub use phase::{BadgeVariant, Phase};
