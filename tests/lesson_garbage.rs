//! Whatever a teacher writes (or a link brings), the lesson and scenario
//! readers give a lesson, a scenario or errors with lines, never a panic:
//! arbitrary text, and lines built from the pieces the readers look for.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/props.rs"]
mod props;

use mailsim::lessons::{check, parse};
use mailsim::world::scenario::Scenario;
use mailsim::world::World;
use proptest::prelude::*;

/// Pieces of lines that steer the readers down their different paths.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---".to_string()),
        Just("id: x".to_string()),
        Just("title: T".to_string()),
        Just("level: ".to_string()),
        Just("faults: ".to_string()),
        Just("scenario: new-colleague".to_string()),
        Just("## ".to_string()),
        Just("```".to_string()),
        Just("```goal".to_string()),
        Just("```hint".to_string()),
        Just("```solution".to_string()),
        Just("```scenario".to_string()),
        Just("reply 2".to_string()),
        Just("event ".to_string()),
        Just("answer: ".to_string()),
        Just("telnet mail.example.com 25".to_string()),
        Just("clock: ".to_string()),
        Just("user: eve@example.com evepw".to_string()),
        Just("alias: a@example.com ".to_string()),
        Just("domain: ".to_string()),
        Just("host: ".to_string()),
        Just("host: mail.school.test 192.0.2.80".to_string()),
        Just("domain: school.test mail.school.test".to_string()),
        Just("personality: mail.example.org ".to_string()),
        Just("fault: mailbox-full ".to_string()),
        Just("message: bob@example.com ".to_string()),
        Just(".".to_string()),
        Just(":".to_string()),
        Just("@".to_string()),
        Just("\u{feff}".to_string()),
        Just("ж".to_string()),
        "[ -~]{0,10}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    props::lines_of(piece())
}

/// Every error names a line of the text (or the line after its end).
fn lines_in_range<P: std::fmt::Display + std::fmt::Debug>(errors: &[mailsim::located::Located<P>], text: &str) -> bool {
    errors.iter().all(|e| e.line >= 1 && e.line <= text.lines().count() + 1)
}

fn read(text: &str) -> Result<(), TestCaseError> {
    match parse(text) {
        Ok(lesson) => {
            let _ = check(&lesson);
        }
        Err(e) => {
            prop_assert!(!e.0.is_empty());
            prop_assert!(lines_in_range(&e.0, text), "{e}");
        }
    }
    match Scenario::parse(text) {
        Ok(s) => {
            if let Err(e) = s.apply(&mut World::new(1)) {
                prop_assert!(lines_in_range(&e.0, text), "{e}");
            }
        }
        Err(e) => prop_assert!(lines_in_range(&e.0, text), "{e}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(props::config("lesson_garbage"))]

    #[test]
    fn arbitrary_text_never_panics(s in "(?s).{0,600}") {
        read(&s)?;
    }

    #[test]
    fn line_shaped_garbage_never_panics(t in text()) {
        read(&t)?;
        read(&format!("---\nid: x\ntitle: T\n---\n{t}"))?;
        read(&t.replace('\n', "\r\n"))?;
    }
}
