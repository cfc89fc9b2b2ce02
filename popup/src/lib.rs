//! The extension's pages, built with Dioxus 0.7 and plain `cargo build` + `wasm-bindgen` (no
//! `dx`), as two programs of this one crate:
//! - the toolbar popup (`main.rs`): recent jobs with live polling, cancel and delete with the same
//!   dialogs and rules as the job pages, and the settings (app URL, API base, token);
//! - the site-profiles page (`bin/options.rs`, the extension's options page): the profiles that
//!   tell the overlay where an app's job pages are (issue #8).
//!
//! Two programs rather than one, because the popup opens on every toolbar click and the profile
//! editor is used now and then: each download holds only its own views (issue #3, the popup's
//! size budget).

pub mod actions;
pub mod apps;
pub mod browser;
pub mod bulk;
pub mod components;
pub mod enable;
pub mod last_list;
pub mod live;
pub mod profile_form;
pub mod recent;
pub mod settings;
pub mod sites;
pub mod sites_state;
pub mod state;
pub mod storage;

/// Talc instead of std's dlmalloc: a smaller download.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
