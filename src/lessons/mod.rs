//! Lessons as data (`lessons/en/*.md`, `lessons/ru/*.md`, compiled in): the
//! format, the goals a step checks against the real state of the shell and
//! the world, and a run that marks steps done the moment their goal holds.
//! The checker lives here, not in the UI, so a native test can replay every
//! lesson's solution and prove no lesson is broken.
//!
//! Format (see lessons/README.md): front matter between `---` lines
//! (`id`, `title`, `level`, `covers`, `faults`), Markdown prose, then one
//! `## ` heading per step with its instruction and fenced blocks: ```goal
//! (all lines must hold), ```hint (one per hint), ```solution (lines typed
//! into the terminal; `answer: X` answers a question).

mod catalog;
mod goals;

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
pub use goals::{Activity, Goal};

use crate::lang::Lang;
use crate::shell::Shell;
use crate::world::faults::Faults;

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
    /// Faults switched on when the lesson starts.
    pub faults: Vec<String>,
    /// The introduction, Markdown.
    pub intro: String,
    pub steps: Vec<Step>,
}

/// Why a lesson file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The fault names a lesson may switch on.
pub const FAULTS: &[&str] = &[
    "greylisting",
    "spf",
    "dnsbl",
    "spam-filter",
    "mailbox-full",
    "remote-down",
    "block25",
    "open-relay",
    "helo-check",
    "smart-host",
];

/// Switches a named fault on.
pub fn apply_fault(f: &mut Faults, name: &str) -> bool {
    match name {
        "greylisting" => f.greylisting = true,
        "spf" => f.spf = true,
        "dnsbl" => f.dnsbl = true,
        "spam-filter" => f.spam_filter = true,
        "mailbox-full" => f.mailbox_full = Some("carol@example.org".into()),
        "remote-down" => f.remote_down = true,
        "block25" => f.block_outbound_25 = true,
        "open-relay" => f.open_relay = true,
        "helo-check" => f.helo_check = true,
        "smart-host" => f.smart_host = true,
        _ => return false,
    }
    true
}

/// Reads a lesson file.
pub fn parse(text: &str) -> Result<Lesson, ParseError> {
    let text = text.replace("\r\n", "\n");
    let rest = text.strip_prefix("---\n").ok_or_else(|| ParseError("a lesson starts with --- front matter".into()))?;
    let (front, body) =
        rest.split_once("\n---\n").ok_or_else(|| ParseError("the front matter ends with a --- line".into()))?;
    let mut lesson = Lesson {
        id: String::new(),
        title: String::new(),
        level: 1,
        covers: vec![],
        faults: vec![],
        intro: String::new(),
        steps: vec![],
    };
    for line in front.lines().filter(|l| !l.trim().is_empty()) {
        let (k, v) =
            line.split_once(':').ok_or_else(|| ParseError(format!("front matter line without ':': {line}")))?;
        let list = || v.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect::<Vec<_>>();
        match k.trim() {
            "id" => lesson.id = v.trim().to_string(),
            "title" => lesson.title = v.trim().to_string(),
            "level" => {
                lesson.level = v.trim().parse().map_err(|_| ParseError(format!("level must be a number: {v}")))?
            }
            "covers" => lesson.covers = list(),
            "faults" => lesson.faults = list(),
            other => return Err(ParseError(format!("unknown front matter key {other}"))),
        }
    }
    if lesson.id.is_empty() || lesson.title.is_empty() {
        return Err(ParseError("id and title are required".into()));
    }
    for f in &lesson.faults {
        if !FAULTS.contains(&f.as_str()) {
            return Err(ParseError(format!("unknown fault {f}")));
        }
    }
    // Split into the intro and the steps at each level-2 heading (outside code fences).
    let mut sections: Vec<(Option<String>, Vec<&str>)> = vec![(None, vec![])];
    let mut in_fence = false;
    for line in body.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
        }
        match line.strip_prefix("## ") {
            Some(title) if !in_fence => sections.push((Some(title.trim().to_string()), vec![])),
            _ => sections.last_mut().map(|s| s.1.push(line)).unwrap_or(()),
        }
    }
    for (title, lines) in sections {
        let Some(title) = title else {
            lesson.intro = lines.join("\n").trim().to_string();
            continue;
        };
        lesson.steps.push(parse_step(&title, &lines)?);
    }
    if lesson.steps.is_empty() {
        return Err(ParseError(format!("{}: a lesson needs at least one ## step", lesson.id)));
    }
    Ok(lesson)
}

fn parse_step(title: &str, lines: &[&str]) -> Result<Step, ParseError> {
    let mut step =
        Step { title: title.to_string(), text: String::new(), goals: vec![], hints: vec![], solution: vec![] };
    let mut text: Vec<&str> = Vec::new();
    let mut block: Option<(String, Vec<&str>)> = None;
    for &line in lines {
        match (&mut block, line.strip_prefix("```")) {
            (None, Some(kind)) if matches!(kind.trim(), "goal" | "hint" | "solution") => {
                block = Some((kind.trim().to_string(), vec![]))
            }
            (Some(_), Some(_)) => {
                let Some((kind, body)) = block.take() else { continue };
                match kind.as_str() {
                    "goal" => {
                        for l in body.iter().filter(|l| !l.trim().is_empty()) {
                            step.goals.push(Goal::parse(l).map_err(|e| ParseError(format!("step '{title}': {e}")))?);
                        }
                    }
                    "hint" => step.hints.push(body.join("\n").trim().to_string()),
                    _ => step.solution.extend(body.iter().map(|l| l.to_string())),
                }
            }
            (Some((_, body)), None) => body.push(line),
            (None, _) => text.push(line),
        }
    }
    if block.is_some() {
        return Err(ParseError(format!("step '{title}': a ``` block is not closed")));
    }
    if step.goals.is_empty() || step.solution.is_empty() {
        return Err(ParseError(format!("step '{title}': every step needs a goal and a solution")));
    }
    step.text = text.join("\n").trim().to_string();
    Ok(step)
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
    /// Starts a lesson in `shell`'s world: switches its faults on.
    pub fn start(lesson: Lesson, shell: &mut Shell) -> Self {
        for f in &lesson.faults {
            apply_fault(shell.world_mut().faults_mut(), f);
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

    /// Marks every step whose goal now holds as done, in order. Returns how
    /// many steps were completed by this call.
    pub fn update(&mut self, shell: &Shell) -> usize {
        let before = self.done;
        while let Some(step) = self.lesson.steps.get(self.done) {
            let activity = Activity {
                lines: shell.log_since(self.mark.0),
                events: shell.world().events().get(self.mark.1..).unwrap_or(&[]),
                answers: self.answers.get(self.mark.2..).unwrap_or(&[]),
                world: shell.world(),
            };
            if !step.goals.iter().all(|g| g.holds(&activity)) {
                break;
            }
            self.done += 1;
            self.mark = (shell.log_position(), shell.world().events().len(), self.answers.len());
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
    fn bad_files_are_clear_errors() {
        assert!(parse("no front matter").is_err());
        assert!(parse("---\nid: x\n---\n## s\n```goal\nreply 2\n```\n```solution\nx\n```\n")
            .unwrap_err()
            .0
            .contains("title"));
        assert!(parse("---\nid: x\ntitle: t\nfaults: meteor\n---\n").unwrap_err().0.contains("unknown fault"));
        assert!(parse("---\nid: x\ntitle: t\n---\n## s\n```goal\nfly away\n```\n```solution\nx\n```\n")
            .unwrap_err()
            .0
            .contains("fly"));
        assert!(parse("---\nid: x\ntitle: t\n---\n## s\n```goal\nreply 2\n").is_err());
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
