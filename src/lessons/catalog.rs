//! The lesson files, compiled in by build.rs (every `lessons/{en,ru}/*.md`,
//! sorted by name), so the app needs no network.

/// One lesson file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// `en` or `ru`.
    pub lang: &'static str,
    /// The file name, `03-first-transaction.md`.
    pub file: &'static str,
    pub text: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));
