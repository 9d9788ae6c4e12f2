//! The browser app (wasm32 only): Yew components over the engine. Every text
//! it shows comes from the language catalogues in `crate::lang`.
//!
//! The app mounts into an element it is given and keeps no global state, so a
//! page can hold several independent instances (documentation sites embed it).
//!
//! The logic that needs no browser (`input`, `progress`, `term_model`) is compiled on every
//! target, so native `cargo test` checks it; the rest is wasm32 only.

pub mod input;
pub mod progress;
pub mod term_model;

// The app and what only it shows: left out of the small embed build
// (`--no-default-features`), whose root is `dom::embed::DomEmbed` (no Yew).
#[cfg(all(target_arch = "wasm32", feature = "app"))]
mod app;
#[cfg(all(target_arch = "wasm32", feature = "app"))]
mod compose;
#[cfg(all(target_arch = "wasm32", feature = "app"))]
mod journey;
#[cfg(all(target_arch = "wasm32", feature = "app"))]
mod lessons;
#[cfg(all(target_arch = "wasm32", feature = "app"))]
mod mailbox;
#[cfg(all(target_arch = "wasm32", feature = "app"))]
mod markdown;
#[cfg(all(target_arch = "wasm32", feature = "app"))]
mod reference;
#[cfg(all(target_arch = "wasm32", feature = "app"))]
mod transcripts;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(all(target_arch = "wasm32", feature = "app"))]
mod explain;
#[cfg(all(target_arch = "wasm32", feature = "app"))]
mod terminal;

#[cfg(target_arch = "wasm32")]
mod dom;
#[cfg(target_arch = "wasm32")]
mod events;
#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(target_arch = "wasm32")]
pub use web::*;
