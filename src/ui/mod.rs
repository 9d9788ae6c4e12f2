//! The browser app (wasm32 only): Yew components over the engine. Every text
//! it shows comes from the language catalogues in `crate::lang`.
//!
//! The app mounts into an element it is given and keeps no global state, so a
//! page can hold several independent instances (documentation sites embed it).
//!
//! The logic that needs no browser (`input`, `progress`) is compiled on every
//! target, so native `cargo test` checks it; the rest is wasm32 only.

pub mod input;
pub mod progress;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod compose;
#[cfg(target_arch = "wasm32")]
mod explain;
#[cfg(target_arch = "wasm32")]
mod journey;
#[cfg(target_arch = "wasm32")]
mod lessons;
#[cfg(target_arch = "wasm32")]
mod mailbox;
#[cfg(target_arch = "wasm32")]
mod markdown;
#[cfg(target_arch = "wasm32")]
mod reference;
#[cfg(target_arch = "wasm32")]
mod terminal;
#[cfg(target_arch = "wasm32")]
mod transcripts;
#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(target_arch = "wasm32")]
pub use web::*;
