//! Which pages are a jobs app and how to read them: site profiles (`profile`, with its path
//! patterns in `path_pattern`, its selector alternatives and row rules in `alternatives`, its
//! checks in `validation` and its JSON in `profile_json`; the book of them in `profiles`, the
//! "Test on this tab" verdict in `probe`, an organisation's in `managed`, the built-in
//! `conventions`), origins and the token rule (`origin`), selectors (`selector`), setting a site up
//! from what a page shows (`detect`), the CSRF token a cookie-session app wants (`csrf`) and the
//! plain text search URLs need (`scan`).

mod alternatives;
pub mod conventions;
pub mod csrf;
pub mod detect;
pub mod managed;
pub mod origin;
mod path_pattern;
mod probe;
pub mod profile;
mod profile_json;
pub mod profiles;
pub mod scan;
pub mod selector;
mod validation;
