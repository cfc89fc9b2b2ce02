//! Which pages are a jobs app and how to read them: site profiles (`profile`, the book of them in
//! `profiles`, an organisation's in `managed`, the built-in `conventions`), origins and the token
//! rule (`origin`), selectors (`selector`), setting a site up from what a page shows (`detect`)
//! and the CSRF token a cookie-session app wants (`csrf`).

pub mod conventions;
pub mod csrf;
pub mod detect;
pub mod managed;
pub mod origin;
pub mod profile;
pub mod profiles;
pub mod selector;
