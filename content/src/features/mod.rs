//! The features. A feature is one file: its id (also its host marker and CSS prefix) and a
//! `decorate` pass that makes the page match the state, idempotently — it runs whenever the page
//! changes, and an element it already decorated is left as it is. The list of them, in order, is
//! the lifecycle's (`lifecycle::FEATURES`): a feature knows the route's context, not the others.

pub mod cancellation_info;
pub mod detail_actions;
pub mod phase_badge;
pub mod row_menu;
pub mod row_state;
pub mod select_all;

use crate::overlay::Overlay;
use wasm_bindgen::JsValue;

pub struct Feature {
    /// Kebab-case; the value of the hosts' `data-job-actions` attribute.
    pub id: &'static str,
    pub decorate: fn(&Overlay) -> Result<(), JsValue>,
}
