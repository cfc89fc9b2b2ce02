//! Talking to `main-api`: the wire model (`model`, read with `json`), requests and answers as
//! data (`endpoint`), the browser transport (`client`), what can go wrong (`error`) and how long
//! a busy server asked to be left alone (`retry_after`).

pub mod client;
pub mod endpoint;
pub mod error;
pub mod json;
pub mod model;
pub mod retry_after;

#[cfg(all(test, target_arch = "wasm32"))]
mod client_tests;
