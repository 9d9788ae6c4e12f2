//! SMTP (RFC 5321 and its extensions): command syntax, server configuration
//! and the sans-IO server session.

pub mod catalogue;
pub mod client;
pub mod config;
pub mod parser;
pub mod personality;
pub mod session;

pub use client::{Client, ClientConfig, Outcome, Outgoing, Said};
pub use config::{Extension, Limits, Peer, ServerConfig};
pub use personality::Personality;
pub use session::{Envelope, Event, NoEnv, Output, RcptCheck, Refusal, Server, ServerEnv};
