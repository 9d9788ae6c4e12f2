//! Lessons as data (`lessons/en/*.md`, `lessons/ru/*.md`, compiled in): the
//! format, the goals a step checks against the real state of the shell and
//! the world, and a run that marks steps done the moment their goal holds.
//! The checker lives here, not in the UI, so a native test can replay every
//! lesson's solution and prove no lesson is broken.
//!
//! Format (see lessons/README.md): front matter between `---` lines
//! (`id`, `title`, `level`, `covers`, `faults`, `scenario`), Markdown prose
//! (with an optional ```scenario block), then one `## ` heading per step
//! with its instruction and fenced blocks: ```goal (all lines must hold),
//! ```hint (one per hint), ```solution (lines typed into the terminal;
//! `answer: X` answers a question).

pub mod builder;
mod catalog;
mod check;
mod goals;
mod parse;
pub mod said;

pub use catalog::{all, Source};

/// The lesson files in `lang`, in course order; the English ones for a
/// language that has none yet.
pub fn sources(lang: Lang) -> Vec<Source> {
    let mine: Vec<Source> = all().into_iter().filter(|s| s.lang == lang.code()).collect();
    if mine.is_empty() {
        all().into_iter().filter(|s| s.lang == Lang::En.code()).collect()
    } else {
        mine
    }
}
/// The fault names a lesson's `faults:` may list.
pub use crate::world::faults::NAMES as FAULTS;
pub use check::{check, Failure, StepFailure};
pub use goals::{Activity, Goal, GoalError};
pub use parse::{parse, ParseError, ParseErrors, Problem};
pub use said::Said;

use crate::lang::Lang;
use crate::shell::Shell;
use crate::world::scenario::Scenario;

/// One step of a lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub title: String,
    /// The instruction, Markdown.
    pub text: String,
    /// All must hold for the step to be done.
    pub goals: Vec<Goal>,
    pub hints: Vec<String>,
    /// Lines to type (or `answer: …`) that complete the step.
    pub solution: Vec<String>,
}

impl Step {
    /// True when the step is a question answered in the lesson pane.
    pub fn is_question(&self) -> bool {
        self.goals.iter().any(|g| matches!(g, Goal::Answer(_)))
    }
}

/// A lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub level: u8,
    /// Topic ids of shared/seeds/TOPICS.md (`T05`).
    pub covers: Vec<String>,
    /// Faults switched on when the lesson starts ([`crate::world::faults::Faults::switch_on`] names).
    pub faults: Vec<String>,
    /// The world set-up the lesson starts in: its `scenario:` and its ```scenario block.
    pub scenario: Option<Scenario>,
    /// The introduction, Markdown.
    pub intro: String,
    pub steps: Vec<Step>,
}

/// A lesson in progress: which steps are done, checked against what the
/// shell showed and the world did since each step began.
#[derive(Debug, Clone)]
pub struct Run {
    pub lesson: Lesson,
    /// Steps done so far (they are done in order).
    pub done: usize,
    /// Where the current step's activity starts: shell log, world events, answers.
    mark: (usize, usize, usize),
    answers: Vec<String>,
}

impl Run {
    /// Starts a lesson in `shell`'s world: sets its scenario up, switches its faults on.
    pub fn start(lesson: Lesson, shell: &mut Shell) -> Self {
        let world = shell.world_mut();
        if let Some(s) = &lesson.scenario {
            // `parse` loaded it into a default world already: nothing is left to report.
            let _ = s.apply(world);
        }
        for f in &lesson.faults {
            let _ = world.faults_mut().switch_on(f);
        }
        let mark = (shell.log_position(), shell.world().events().len(), 0);
        Self { lesson, done: 0, mark, answers: vec![] }
    }

    /// Resumes a lesson with `done` steps already complete (saved progress).
    pub fn resume(lesson: Lesson, shell: &mut Shell, done: usize) -> Self {
        let mut r = Self::start(lesson, shell);
        r.done = done.min(r.lesson.steps.len());
        r
    }

    /// The learner answered a question.
    pub fn answer(&mut self, text: &str) {
        if self.answers.len() < 1000 {
            self.answers.push(text.trim().to_string());
        }
    }

    pub fn finished(&self) -> bool {
        self.done >= self.lesson.steps.len()
    }

    /// What happened since the current step began.
    fn activity<'a>(&'a self, shell: &'a Shell) -> Activity<'a> {
        Activity {
            lines: shell.log_since(self.mark.0),
            events: shell.world().events().get(self.mark.1..).unwrap_or(&[]),
            answers: self.answers.get(self.mark.2..).unwrap_or(&[]),
            world: shell.world(),
        }
    }

    /// The current step's goals that do not hold yet.
    pub fn unmet<'a>(&'a self, shell: &'a Shell) -> Vec<&'a Goal> {
        let activity = self.activity(shell);
        let goals = self.lesson.steps.get(self.done).map_or(&[][..], |s| &s.goals[..]);
        goals.iter().filter(|g| !g.holds(&activity)).collect()
    }

    /// Marks the current step done: the next one is checked from here on.
    fn advance(&mut self, shell: &Shell) {
        self.done += 1;
        self.mark = (shell.log_position(), shell.world().events().len(), self.answers.len());
    }

    /// Marks every step whose goal now holds as done, in order. Returns how
    /// many steps were completed by this call.
    pub fn update(&mut self, shell: &Shell) -> usize {
        let before = self.done;
        while !self.finished() && self.unmet(shell).is_empty() {
            self.advance(shell);
        }
        self.done - before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_come_in_each_language() {
        for lang in Lang::ALL {
            let mine = sources(*lang);
            assert!(!mine.is_empty(), "{lang:?}");
            assert!(mine.iter().all(|s| s.lang == lang.code()), "{lang:?}");
        }
        assert_eq!(sources(Lang::En).len(), sources(Lang::Ru).len(), "every lesson has its twin");
    }

    const SAMPLE: &str = "---\nid: sample\ntitle: A sample\nlevel: 1\ncovers: T05, T06\n---\n\nIntro **text**.\n\n## Connect\n\nType it.\n\n```goal\nreply 220\n```\n\n```hint\nUse telnet.\n```\n\n```solution\ntelnet mail.example.com 25\n```\n\n## Which port?\n\n```goal\nanswer 25|smtp\n```\n\n```solution\nanswer: 25\n```\n";

    #[test]
    fn parses_front_matter_and_steps() {
        let l = parse(SAMPLE).expect("parses");
        assert_eq!((l.id.as_str(), l.title.as_str(), l.level), ("sample", "A sample", 1));
        assert_eq!(l.covers, ["T05", "T06"]);
        assert_eq!(l.intro, "Intro **text**.");
        assert_eq!(l.steps.len(), 2);
        assert_eq!(l.steps[0].text, "Type it.");
        assert_eq!(l.steps[0].hints, ["Use telnet."]);
        assert!(l.steps[1].is_question());
    }

    #[test]
    fn steps_complete_in_order_from_real_activity() {
        let mut shell = Shell::new(crate::world::World::new(1));
        let mut run = Run::start(parse(SAMPLE).expect("parses"), &mut shell);
        assert_eq!(run.update(&shell), 0);
        shell.input("telnet mail.example.com 25");
        assert_eq!(run.update(&shell), 1);
        run.answer("143");
        assert_eq!(run.update(&shell), 0);
        run.answer(" SMTP ");
        assert_eq!(run.update(&shell), 1);
        assert!(run.finished());
    }
}
