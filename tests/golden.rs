//! wasm equals native, native half: the sessions of tests/common/golden.rs
//! (SMTP on 25 and 587 with AUTH, POP3, IMAP, a seeded world's event stream)
//! must give tests/golden/sessions.json byte for byte. tests/wasm_node.rs
//! checks the wasm32 build against the same file.
//!
//! After an intended change of the engine's output, rewrite the file with
//! `MAILSIM_BLESS=1 cargo test --test golden` and review its diff.

#[path = "common/golden.rs"]
mod golden;

use std::path::Path;

#[test]
fn sessions_match_the_golden_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/sessions.json");
    let got = golden::sessions();
    if std::env::var_os("MAILSIM_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &got).expect("write the golden file");
        return;
    }
    let want = std::fs::read_to_string(&path).expect("tests/golden/sessions.json (MAILSIM_BLESS=1 writes it)");
    if let Some(d) = golden::first_difference(&got, &want) {
        panic!("the sessions differ from {}: {d}\n(MAILSIM_BLESS=1 rewrites the file)", path.display());
    }
    assert_eq!(got, want);
}

#[test]
fn the_sessions_are_the_same_twice() {
    // Same seed, same bytes: nothing in them depends on the machine or the clock.
    assert_eq!(golden::sessions(), golden::sessions());
}
