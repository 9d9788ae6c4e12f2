//! The one rule between layers (ARCHITECTURE.md): a module uses only modules
//! of lower layers. This test reads every file under `src/`, finds each path
//! into the crate (`crate::x`, `use crate::{x, y::z}`, `super::x` from a
//! top-level module) and fails on any that points sideways or up.
//!
//! [`LAYERS`] is the table, in one place; ARCHITECTURE.md explains it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Bottom first. A module may use modules of lower rows only, and itself.
/// `bin` is the native binary's own modules ([`BIN`]).
pub const LAYERS: &[(&str, &[&str])] = &[
    ("foundation", &["codec", "reply", "sim", "directory", "encoding", "mime", "lang", "protocol", "located"]),
    ("services", &["store", "sasl"]),
    ("protocols", &["smtp", "pop3", "imap"]),
    ("world and explainer", &["world", "explain"]),
    ("the learner's machine and transcripts", &["shell", "transcript"]),
    ("course", &["lessons", "reference", "link"]),
    ("embedding", &["embed"]),
    ("front ends", &["ui", "bin"]),
];

/// The native binary's own modules (`main.rs`, `cli.rs`, `*_cmd.rs`), together the `bin` layer.
const BIN: &[&str] = &["main", "cli", "trace_cmd", "explain_cmd", "lesson_cmd"];

/// The layer's name for a module: `bin` for the binary's own.
fn bin_or(name: String) -> String {
    if BIN.contains(&name.as_str()) {
        "bin".into()
    } else {
        name
    }
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, mods)| mods.contains(&module))
}

/// The top-level module a file under `src/` belongs to.
fn module_of(rel: &Path) -> String {
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    bin_or(first.trim_end_matches(".rs").to_string())
}

/// True when `super::` in this file names the crate root (a top-level module's own file).
fn super_is_root(rel: &Path) -> bool {
    let n = rel.components().count();
    n == 1 || (n == 2 && rel.file_name().is_some_and(|f| f == "mod.rs"))
}

/// The top-level modules a source text reaches into, with the line of each use.
fn uses(text: &str, super_root: bool) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (no, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut prefixes = vec!["crate::"];
        if super_root {
            prefixes.push("super::");
        }
        for prefix in prefixes {
            let mut rest = code;
            while let Some(i) = rest.find(prefix) {
                // `mailsim_crate::` or `xsuper::` are not ours.
                let before = rest[..i].chars().last();
                rest = &rest[i + prefix.len()..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                if let Some(group) = rest.strip_prefix('{') {
                    let inner = group.split('}').next().unwrap_or("");
                    for item in inner.split(',') {
                        let name: String =
                            item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                        if !name.is_empty() && name != "self" {
                            out.push((no + 1, name));
                        }
                    }
                } else {
                    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if !name.is_empty() {
                        out.push((no + 1, name));
                    }
                }
            }
        }
    }
    out
}

/// Every violation in one file: (line, the module used, why).
fn check_file(rel: &Path, text: &str) -> Vec<String> {
    let me = module_of(rel);
    let Some(mine) = layer_of(&me) else {
        return vec![format!("{}: module `{me}` is in no layer of LAYERS", rel.display())];
    };
    let mut bad = Vec::new();
    for (line, used) in uses(text, super_is_root(rel)) {
        let used = bin_or(used);
        if used == me {
            continue;
        }
        // Items of lib.rs itself (none today) would be named here; anything else must be a module.
        match layer_of(&used) {
            Some(theirs) if theirs < mine => {}
            Some(theirs) => bad.push(format!(
                "{}:{line}: `{me}` ({}) uses `{used}` ({}): a layer may use only the layers below it",
                rel.display(),
                LAYERS[mine].0,
                LAYERS[theirs].0
            )),
            None if text.contains("#[cfg(test)]") && line > first_test_line(text) => {}
            None => bad.push(format!("{}:{line}: `{me}` uses `{used}`, which is in no layer", rel.display())),
        }
    }
    bad
}

fn first_test_line(text: &str) -> usize {
    text.lines().position(|l| l.contains("#[cfg(test)]")).map_or(usize::MAX, |p| p + 1)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    assert!(files.len() > 40, "expected the whole source tree, found {} files", files.len());
    let mut bad = Vec::new();
    let mut seen = BTreeSet::new();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap();
        if rel == Path::new("lib.rs") {
            continue;
        }
        seen.insert(module_of(rel));
        bad.extend(check_file(rel, &std::fs::read_to_string(f).unwrap()));
    }
    assert!(bad.is_empty(), "upward or sideways imports:\n{}", bad.join("\n"));
    // Every module in lib.rs is in the table (a new module must be placed).
    let lib = std::fs::read_to_string(root.join("lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line.trim().strip_prefix("pub mod ").and_then(|l| l.strip_suffix(';')) {
            assert!(layer_of(name).is_some(), "lib.rs declares `{name}`, which LAYERS does not place");
        }
    }
}

/// The checker catches what it must: the three forms of an upward import.
#[test]
fn an_upward_import_is_caught() {
    let store = Path::new("store/view.rs");
    assert_eq!(check_file(store, "use crate::imap::mime::{self, Part};\n").len(), 1);
    assert_eq!(check_file(store, "use crate::{sim, world::World};\n").len(), 1);
    assert_eq!(check_file(store, "    let x = crate::shell::Shell::new();\n").len(), 1);
    // Sideways is refused too: one protocol does not reach into another.
    assert_eq!(check_file(Path::new("pop3/session.rs"), "use crate::imap::parser;\n").len(), 1);
    // `super::` from a top-level module's file is the crate root.
    assert_eq!(check_file(Path::new("sasl.rs"), "use super::world::World;\n").len(), 1);
    // ...and inside a module it is the module itself.
    assert!(check_file(Path::new("imap/fetch.rs"), "use super::mime;\n").is_empty());
    // Downward and comment-only mentions pass.
    assert!(check_file(store, "use crate::{mime, sim::Timestamp};\n// crate::world::World in a comment\n").is_empty());
    let msg = &check_file(store, "use crate::world::World;\n")[0];
    assert!(msg.contains("store/view.rs:1") && msg.contains("`world`"), "{msg}");
}
