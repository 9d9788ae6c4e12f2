//! The lesson checker: every step's solution typed into a fresh simulated
//! terminal must complete that step, which must not be complete before.
//! `cargo test --test lessons` runs it on the course, `mailsim lesson check`
//! on a teacher's files.

use super::{Goal, Lesson, Run};
use crate::shell::Shell;
use crate::world::World;
use std::fmt;

/// How many of the terminal's last lines a failure shows.
const SHOWN: usize = 8;

/// A step that fails the replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepFailure {
    /// 1-based.
    pub step: usize,
    pub title: String,
    pub failure: Failure,
}

/// Why a step fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Its goal already holds before its solution is typed.
    DoneBefore,
    /// Its solution, all typed, does not reach its goal.
    NotReached {
        /// The goal lines that do not hold.
        unmet: Vec<String>,
        /// The solution's last line, after which the goal still did not hold.
        last_line: String,
        /// What the terminal showed last during the step.
        shown: Vec<String>,
    },
}

impl fmt::Display for StepFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "step {} '{}': ", self.step, self.title)?;
        match &self.failure {
            Failure::DoneBefore => write!(f, "its goal already holds before its solution is typed"),
            Failure::NotReached { unmet, last_line, shown } => {
                write!(f, "its solution does not reach its goal")?;
                for g in unmet {
                    write!(f, "\n  not met: {g}")?;
                }
                write!(f, "\n  after the solution's last line: {last_line}\n  the terminal showed last:")?;
                if shown.is_empty() {
                    write!(f, " nothing")?;
                }
                for l in shown {
                    write!(f, "\n  | {l}")?;
                }
                Ok(())
            }
        }
    }
}

/// Replays `lesson` in a fresh default world (its scenario and faults set
/// up as `Run::start` does) and returns the steps that fail, in order. A
/// failing step is passed over so that the later ones are checked too.
pub fn check(lesson: &Lesson) -> Vec<StepFailure> {
    let mut shell = Shell::new(World::new(1));
    let mut run = Run::start(lesson.clone(), &mut shell);
    let mut failures = Vec::new();
    while let Some(step) = lesson.steps.get(run.done) {
        let no = run.done + 1;
        let fail = |failure| StepFailure { step: no, title: step.title.clone(), failure };
        if run.update(&shell) > 0 {
            failures.push(fail(Failure::DoneBefore));
            continue;
        }
        for line in &step.solution {
            match line.strip_prefix("answer: ") {
                Some(a) => run.answer(a),
                None => {
                    shell.input(line);
                }
            }
        }
        let at = run.done;
        run.update(&shell);
        if run.done == at {
            let unmet = run.unmet(&shell).into_iter().map(Goal::to_string).collect();
            let lines = shell.log_since(run.mark.0);
            let shown = lines[lines.len().saturating_sub(SHOWN)..].iter().map(|l| l.text.clone()).collect();
            let last_line = step.solution.last().cloned().unwrap_or_default();
            failures.push(fail(Failure::NotReached { unmet, last_line, shown }));
            run.advance(&shell);
        }
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::{parse, Step};

    fn lesson(front: &str, steps: &str) -> Lesson {
        parse(&format!("---\nid: x\ntitle: T\n{front}---\n{steps}")).expect("parses")
    }

    const CONNECT: &str = "## Connect\n```goal\nreply 220\n```\n```solution\ntelnet mail.example.com 25\n```\n";

    #[test]
    fn a_good_lesson_passes() {
        assert_eq!(check(&lesson("", CONNECT)), vec![]);
    }

    #[test]
    fn a_solution_that_misses_its_goal_is_reported_with_what_the_terminal_showed() {
        let l =
            lesson("", &format!("{CONNECT}## Hello\n```goal\nreply 250 after EHLO\n```\n```solution\nHELO me\n```\n"));
        let f = check(&l);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].step, f[0].title.as_str()), (2, "Hello"));
        let Failure::NotReached { unmet, last_line, shown } = &f[0].failure else { panic!("{f:?}") };
        assert_eq!(unmet, &["reply 250 after EHLO"]);
        assert_eq!(last_line, "HELO me");
        assert!(shown.iter().any(|l| l.starts_with("250 mail.example.com")), "{shown:?}");
        let text = f[0].to_string();
        assert!(text.starts_with("step 2 'Hello': its solution does not reach its goal"), "{text}");
        assert!(text.contains("not met: reply 250 after EHLO") && text.contains("| HELO me"), "{text}");
    }

    #[test]
    fn a_step_done_before_its_solution_is_reported() {
        // The parser refuses a step without goals; a lesson built in code can have one.
        let mut l = lesson("", CONNECT);
        l.steps.insert(0, Step { goals: vec![], ..l.steps[0].clone() });
        let f = check(&l);
        assert_eq!(f.iter().map(|x| (x.step, &x.failure)).collect::<Vec<_>>(), [(1, &Failure::DoneBefore)]);
        assert!(f[0].to_string().contains("already holds"), "{}", f[0]);
    }

    #[test]
    fn the_scenario_is_set_up_before_the_first_step() {
        let steps = "## Log in\n```goal\nreply +OK Logged in\n```\n```solution\ntelnet mail.example.com 110\nUSER eve\nPASS evepw\n```\n";
        assert_eq!(check(&lesson("scenario: new-colleague\n", steps)), vec![]);
        assert_eq!(check(&lesson("", steps)).len(), 1, "without the scenario there is no eve");
    }
}
