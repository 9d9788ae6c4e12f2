//! The lesson files, compiled in by build.rs (every `lessons/<code>/*.md`,
//! sorted by name), so the app needs no network.

/// One lesson file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// The language's code (`en`, `ru`): the folder's name.
    pub lang: &'static str,
    /// The file name, `03-first-transaction.md`.
    pub file: &'static str,
    pub text: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));
