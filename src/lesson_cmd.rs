//! `mailsim lesson check FILE…`: a teacher's lesson files read and replayed
//! as `cargo test --test lessons` replays the course (`mailsim::lessons::check`).

use mailsim::lessons::{check, parse};
use std::path::PathBuf;
use std::process::ExitCode;

/// What to do with lessons.
#[derive(clap::Subcommand, Debug)]
pub enum LessonCommand {
    /// Check lesson files: each must parse, and every step's solution, typed
    /// into a fresh world, must complete that step.
    ///
    /// Prints `OK FILE: N steps` for a good file and every problem of a bad
    /// one: parse errors with their line, and for a step whose solution fails,
    /// its number, title, the goals not met, the solution's last line and what
    /// the terminal showed last. Exit status 1 when a file fails, 2 when one
    /// cannot be read.
    Check {
        /// Lesson files (Markdown, lessons/README.md).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

pub fn run(command: LessonCommand) -> ExitCode {
    let LessonCommand::Check { files } = command;
    let (mut failed, mut unreadable) = (false, false);
    let mut ids: Vec<(String, String)> = Vec::new();
    for path in &files {
        let name = path.display().to_string();
        let text = match crate::cli::read_text(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("mailsim lesson check: {e}");
                unreadable = true;
                continue;
            }
        };
        let lesson = match parse(&text) {
            Ok(l) => l,
            Err(errors) => {
                failed = true;
                println!("FAIL {name}: {} problem{}", errors.0.len(), if errors.0.len() == 1 { "" } else { "s" });
                for e in &errors.0 {
                    println!("  {e}");
                }
                continue;
            }
        };
        let mut problems: Vec<String> = Vec::new();
        if let Some((_, other)) = ids.iter().find(|(id, _)| *id == lesson.id) {
            problems.push(format!("id '{}' is the id of {other} too", lesson.id));
        }
        ids.push((lesson.id.clone(), name.clone()));
        problems.extend(check(&lesson).iter().map(ToString::to_string));
        if problems.is_empty() {
            let n = lesson.steps.len();
            println!("OK {name}: {n} step{}", if n == 1 { "" } else { "s" });
        } else {
            failed = true;
            println!("FAIL {name}:");
            for p in problems {
                println!("  {}", p.replace('\n', "\n  "));
            }
        }
    }
    match (unreadable, failed) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::FAILURE,
        (false, false) => ExitCode::SUCCESS,
    }
}
