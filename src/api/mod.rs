//! Talking to `main-api`: the wire model (`model`, read with `json`), requests and answers as
//! data (`endpoint`), the browser transport (`client`) and what can go wrong (`error`).

pub mod client;
pub mod endpoint;
pub mod error;
pub mod json;
pub mod model;

#[cfg(all(test, target_arch = "wasm32"))]
mod client_tests;
