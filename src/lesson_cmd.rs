//! `mailsim lesson check FILE…`: a teacher's lesson files read and replayed
//! as `cargo test --test lessons` replays the course (`mailsim::lessons::check`).
//! `mailsim lesson record`: a session typed on standard input made into a
//! lesson file (`mailsim::lessons::builder`).

use mailsim::lang::Lang;
use mailsim::lessons::builder::Recorder;
use mailsim::lessons::{check, parse};
use mailsim::shell::Shell;
use mailsim::world::World;
use std::io::BufRead;
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
    /// Build a lesson from a session: each line of standard input is typed
    /// into the terminal of a fresh world, and the proposed lesson file is
    /// printed (one step per meaningful command, goals from what happened,
    /// prose and hints to fill in). Exit status 1 when nothing meaningful was typed.
    Record {
        /// The lesson's id.
        #[arg(long, default_value = "recorded-lesson")]
        id: String,
        /// The lesson's title.
        #[arg(long, default_value = "A recorded lesson")]
        title: String,
        /// The language of the placeholder texts (en, ru).
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: Lang,
    },
}

fn parse_lang(code: &str) -> Result<Lang, String> {
    let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
    Lang::from_code(code).ok_or_else(|| format!("one of {}", codes.join(", ")))
}

pub fn run(command: LessonCommand) -> ExitCode {
    match command {
        LessonCommand::Check { files } => check_files(&files),
        LessonCommand::Record { id, title, lang } => record(&id, &title, lang),
    }
}

/// `mailsim lesson record`: standard input typed into a fresh shell, recorded.
fn record(id: &str, title: &str, lang: Lang) -> ExitCode {
    let mut shell = Shell::new(World::new(1));
    let mut recorder = Recorder::new();
    for line in std::io::stdin().lock().lines() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("mailsim lesson record: standard input: {e}");
                return ExitCode::from(2);
            }
        };
        let line = line.strip_suffix('\r').unwrap_or(&line);
        let out = shell.input(line);
        recorder.input(line, &out);
    }
    match recorder.propose(id, title, lang) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mailsim lesson record: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check_files(files: &[PathBuf]) -> ExitCode {
    let (mut failed, mut unreadable) = (false, false);
    let mut ids: Vec<(String, String)> = Vec::new();
    for path in files {
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
