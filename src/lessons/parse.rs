//! Reading a lesson file (lessons/README.md), reporting every problem a
//! writer can mend with its line: one pass over the lines, never a panic.

use super::goals::{Goal, GoalError};
use super::{Lesson, Step};
use crate::located::{LineErrors, Located};
use crate::world::faults::{Faults, SwitchError};
use crate::world::scenario::{self, Scenario};
use crate::world::World;

/// A lesson file's problem at a line.
pub type ParseError = Located<Problem>;
/// Every problem of a lesson file, in line order.
pub type ParseErrors = LineErrors<Problem>;

/// What is wrong in a lesson file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("a lesson starts with a --- line, then its front matter (id, title, …)")]
    NoFrontMatter,
    #[error("the front matter is not ended by a --- line")]
    UnclosedFrontMatter,
    #[error("a front matter line is `key: value`; this one has no ':'")]
    NoColon,
    #[error("unknown front matter key '{0}' (id, title, level, covers, faults, scenario)")]
    UnknownKey(String),
    #[error("front matter key '{0}' is given twice")]
    DuplicateKey(String),
    #[error("the front matter has no '{0}:'")]
    MissingKey(&'static str),
    #[error("level must be 1, 2 or 3, not '{0}'")]
    BadLevel(String),
    #[error(transparent)]
    Fault(SwitchError),
    #[error("no built-in scenario '{name}' (one of {list})", list = scenario::builtin().iter().map(|s| s.0).collect::<Vec<_>>().join(", "))]
    UnknownScenario { name: String },
    #[error("the built-in scenario '{name}' does not load: {error}")]
    BrokenScenario { name: String, error: String },
    #[error("scenario: {0}")]
    Scenario(scenario::Problem),
    #[error("a ```{0} block before the first `## ` step belongs to no step")]
    BlockOutsideStep(String),
    #[error("a ```scenario block goes in the introduction, before the first `## ` step")]
    ScenarioInStep,
    #[error("a lesson has one ```scenario block (the first is on line {0})")]
    SecondScenario(usize),
    #[error("{0}")]
    Goal(GoalError),
    #[error("a `## ` step heading needs a title")]
    EmptyTitle,
    #[error("step '{0}' has no ```goal block (or it is empty)")]
    NoGoal(String),
    #[error("step '{0}' has no ```solution block (or it is empty)")]
    NoSolution(String),
    #[error("the ```{0} block opened here is not closed with a ``` line")]
    UnclosedFence(String),
    #[error("a lesson needs at least one `## ` step")]
    NoSteps,
}

/// A fenced block being read: its kind (`goal`, or a prose fence's language), first line, lines.
struct Fence<'a> {
    kind: String,
    line: usize,
    lines: Vec<(usize, &'a str)>,
}

/// A step being read, with the line of its heading.
struct Draft<'a> {
    line: usize,
    step: Step,
    text: Vec<&'a str>,
    /// Goal lines written, read or not (a wrong one is its own error).
    goal_lines: usize,
}

/// The reader's state: the lesson so far and the problems found.
struct Reader<'a> {
    lesson: Lesson,
    intro: Vec<&'a str>,
    /// The ```scenario block of the introduction: its opening line, its text.
    inline: Option<(usize, String)>,
    steps: Vec<Draft<'a>>,
    errors: Vec<ParseError>,
}

/// Reads a lesson file. Every problem found is reported with its line.
pub fn parse(text: &str) -> Result<Lesson, ParseErrors> {
    let lines: Vec<&str> = text.lines().collect();
    let fail = |line, problem| Err(LineErrors(vec![Located { line, problem }]));
    if lines.first().map(|l| l.trim_start_matches('\u{feff}').trim_end()) != Some("---") {
        return fail(1, Problem::NoFrontMatter);
    }
    let Some(close) = lines.iter().skip(1).position(|l| l.trim_end() == "---").map(|i| i + 1) else {
        return fail(1, Problem::UnclosedFrontMatter);
    };
    let mut r = Reader {
        lesson: Lesson {
            id: String::new(),
            title: String::new(),
            level: 1,
            covers: vec![],
            faults: vec![],
            scenario: None,
            intro: String::new(),
            steps: vec![],
        },
        intro: vec![],
        inline: None,
        steps: vec![],
        errors: vec![],
    };
    let named = r.front_matter(&lines[1..close], close + 1);
    r.body(&lines[close + 1..], close + 2);
    r.scenarios(named);
    if r.steps.is_empty() && !r.errors.iter().any(|e| matches!(e.problem, Problem::UnclosedFence(_))) {
        r.errors.push(Located { line: close + 1, problem: Problem::NoSteps });
    }
    let Reader { mut lesson, intro, steps, errors, .. } = r;
    lesson.intro = intro.join("\n").trim().to_string();
    lesson.steps = steps
        .into_iter()
        .map(|mut d| {
            d.step.text = d.text.join("\n").trim().to_string();
            d.step
        })
        .collect();
    LineErrors::or_ok(errors, lesson)
}

impl<'a> Reader<'a> {
    fn error(&mut self, line: usize, problem: Problem) {
        self.errors.push(Located { line, problem });
    }

    /// Reads the front matter (`lines`, the first on line 2); `end` is the
    /// closing `---` line. Returns the named scenario and its line.
    fn front_matter(&mut self, lines: &[&'a str], end: usize) -> Option<(usize, String)> {
        let mut seen: Vec<String> = Vec::new();
        let mut named = None;
        for (i, raw) in lines.iter().enumerate() {
            let line = i + 2;
            if raw.trim().is_empty() {
                continue;
            }
            let Some((k, v)) = raw.split_once(':') else {
                self.error(line, Problem::NoColon);
                continue;
            };
            let (k, v) = (k.trim(), v.trim());
            if seen.iter().any(|s| s == k) {
                self.error(line, Problem::DuplicateKey(k.to_string()));
                continue;
            }
            seen.push(k.to_string());
            let list = || v.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect::<Vec<_>>();
            match k {
                "id" => self.lesson.id = v.to_string(),
                "title" => self.lesson.title = v.to_string(),
                "level" => match v.parse() {
                    Ok(n @ 1..=3) => self.lesson.level = n,
                    _ => self.error(line, Problem::BadLevel(v.to_string())),
                },
                "covers" => self.lesson.covers = list(),
                "faults" => {
                    for f in list() {
                        match Faults::default().switch_on(&f) {
                            Ok(()) => self.lesson.faults.push(f),
                            Err(e) => self.error(line, Problem::Fault(e)),
                        }
                    }
                }
                "scenario" => named = Some((line, v.to_string())),
                other => self.error(line, Problem::UnknownKey(other.to_string())),
            }
        }
        for (key, value) in [("id", &self.lesson.id), ("title", &self.lesson.title)] {
            if value.is_empty() {
                self.errors.push(Located { line: end, problem: Problem::MissingKey(key) });
            }
        }
        named
    }

    /// Reads the introduction and the steps (`lines`, the first on line `first`).
    fn body(&mut self, lines: &[&'a str], first: usize) {
        let mut fence: Option<Fence<'a>> = None;
        for (i, &line) in lines.iter().enumerate() {
            let no = first + i;
            match fence.take() {
                Some(f) if line.starts_with("```") => self.close(f, line),
                Some(mut f) => {
                    f.lines.push((no, line));
                    fence = Some(f);
                }
                None => {
                    if let Some(kind) = line.strip_prefix("```") {
                        fence = Some(Fence { kind: kind.trim().to_string(), line: no, lines: vec![(no, line)] });
                    } else if let Some(title) = line.strip_prefix("## ") {
                        if title.trim().is_empty() {
                            self.error(no, Problem::EmptyTitle);
                        }
                        let step = Step {
                            title: title.trim().to_string(),
                            text: String::new(),
                            goals: vec![],
                            hints: vec![],
                            solution: vec![],
                        };
                        self.steps.push(Draft { line: no, step, text: vec![], goal_lines: 0 });
                    } else {
                        self.text().push(line);
                    }
                }
            }
        }
        if let Some(f) = fence {
            self.error(f.line, Problem::UnclosedFence(f.kind));
        }
        let missing: Vec<(usize, Problem)> = self
            .steps
            .iter()
            .flat_map(|d| {
                let title = || d.step.title.clone();
                [
                    (d.goal_lines == 0).then(|| (d.line, Problem::NoGoal(title()))),
                    d.step.solution.is_empty().then(|| (d.line, Problem::NoSolution(title()))),
                ]
            })
            .flatten()
            .collect();
        for (line, p) in missing {
            self.error(line, p);
        }
    }

    /// Where prose goes: the current step's text, or the introduction.
    fn text(&mut self) -> &mut Vec<&'a str> {
        match self.steps.last_mut() {
            Some(d) => &mut d.text,
            None => &mut self.intro,
        }
    }

    /// A fenced block ended (its closing line is `end`).
    fn close(&mut self, f: Fence<'a>, end: &'a str) {
        let body = f.lines.get(1..).unwrap_or(&[]);
        let joined = || body.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n").trim().to_string();
        let kind = f.kind.as_str();
        match (self.steps.last_mut(), kind) {
            (None, "scenario") if self.inline.is_some() => {
                let first = self.inline.as_ref().map_or(0, |i| i.0);
                self.error(f.line, Problem::SecondScenario(first))
            }
            (None, "scenario") => {
                self.inline = Some((f.line, body.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n")))
            }
            (Some(_), "scenario") => self.error(f.line, Problem::ScenarioInStep),
            (None, "goal" | "hint" | "solution") => self.error(f.line, Problem::BlockOutsideStep(f.kind.clone())),
            (Some(d), "goal") => {
                let mut bad = Vec::new();
                for &(no, l) in body.iter().filter(|(_, l)| !l.trim().is_empty()) {
                    d.goal_lines += 1;
                    match Goal::parse(l) {
                        Ok(g) => d.step.goals.push(g),
                        Err(e) => bad.push(Located { line: no, problem: Problem::Goal(e) }),
                    }
                }
                self.errors.extend(bad);
            }
            (Some(d), "hint") => d.step.hints.push(joined()),
            (Some(d), "solution") => d.step.solution.extend(body.iter().map(|(_, l)| l.to_string())),
            _ => {
                let text = self.text();
                text.extend(f.lines.iter().map(|(_, l)| *l));
                text.push(end);
            }
        }
    }

    /// Reads the named and the inline scenario, and checks they load into
    /// the default world (the inline one after the named one).
    fn scenarios(&mut self, named: Option<(usize, String)>) {
        let mut world = None;
        let mut whole: Option<Scenario> = None;
        if let Some((line, name)) = named {
            match scenario::builtin_text(&name).map(Scenario::parse) {
                None => self.error(line, Problem::UnknownScenario { name }),
                Some(Err(e)) => self.error(line, Problem::BrokenScenario { name, error: e.to_string() }),
                Some(Ok(s)) => {
                    let w = world.get_or_insert_with(|| World::new(1));
                    if let Err(e) = s.apply(w) {
                        self.error(line, Problem::BrokenScenario { name, error: e.to_string() });
                    }
                    whole = Some(s);
                }
            }
        }
        if let Some((start, text)) = self.inline.take() {
            // Line 1 of the block is the line after its opening fence.
            let shift = |e: scenario::ScenarioErrors| {
                e.0.into_iter().map(move |x| Located { line: x.line + start, problem: Problem::Scenario(x.problem) })
            };
            match Scenario::parse(&text) {
                Err(e) => self.errors.extend(shift(e)),
                Ok(mut s) => {
                    if let Err(e) = s.apply(world.get_or_insert_with(|| World::new(1))) {
                        self.errors.extend(shift(e));
                    }
                    // The settings keep the lesson file's lines.
                    s.settings.iter_mut().for_each(|(line, _)| *line += start);
                    whole.get_or_insert_with(Scenario::default).extend(s);
                }
            }
        }
        self.lesson.scenario = whole;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The (line, message) of every problem of `text`.
    fn problems(text: &str) -> Vec<(usize, String)> {
        match parse(text) {
            Ok(_) => vec![],
            Err(e) => e.0.iter().map(|x| (x.line, x.problem.to_string())).collect(),
        }
    }

    const STEP: &str = "## Connect\n```goal\nreply 220\n```\n```solution\ntelnet mail.example.com 25\n```\n";

    fn lesson(front: &str, body: &str) -> String {
        format!("---\nid: x\ntitle: T\n{front}---\nIntro.\n{body}")
    }

    #[test]
    fn each_problem_has_its_line_and_message() {
        let cases: &[(String, usize, &str)] = &[
            ("no front matter".into(), 1, "starts with a --- line"),
            ("---\nid: x\n".into(), 1, "not ended by a --- line"),
            (lesson("oops\n", STEP), 4, "has no ':'"),
            (lesson("colour: red\n", STEP), 4, "unknown front matter key 'colour'"),
            (lesson("id: y\n", STEP), 4, "'id' is given twice"),
            ("---\nid: x\n---\n## s\n```goal\nreply 2\n```\n```solution\nx\n```\n".into(), 3, "no 'title:'"),
            (lesson("level: 7\n", STEP), 4, "level must be 1, 2 or 3, not '7'"),
            (lesson("faults: spf, meteor\n", STEP), 4, "unknown fault 'meteor'"),
            (lesson("faults: mailbox-full nobody\n", STEP), 4, "fault 'mailbox-full' needs one address"),
            (lesson("scenario: nowhere\n", STEP), 4, "no built-in scenario 'nowhere'"),
            (lesson("", "## Go\n```goal\nfly away\n```\n```solution\nx\n```\n"), 8, "unknown goal 'fly'"),
            (lesson("", "## Go\n```goal\nevent meteor\n```\n```solution\nx\n```\n"), 8, "unknown event kind 'meteor'"),
            (lesson("", "## Go\n```goal\nreply\n```\n```solution\nx\n```\n"), 8, "goal 'reply' needs a reply prefix"),
            (lesson("", "## Go\n```goal\nreply 2\n```\n"), 6, "step 'Go' has no ```solution block"),
            (lesson("", "## Go\nText.\n```solution\nx\n```\n"), 6, "step 'Go' has no ```goal block"),
            (lesson("", "## Go\n```goal\nreply 2\n"), 7, "the ```goal block opened here is not closed"),
            (lesson("", "```hint\nearly\n```\n"), 6, "a ```hint block before the first `## ` step"),
            (lesson("", "no steps at all\n"), 4, "at least one `## ` step"),
            (lesson("", "## \n```goal\nreply 2\n```\n```solution\nx\n```\n"), 6, "needs a title"),
            (lesson("", &format!("{STEP}```scenario\nfault: spf\n```\n")), 13, "goes in the introduction"),
            (
                lesson("", &format!("```scenario\n```\n```scenario\n```\n{STEP}")),
                8,
                "one ```scenario block (the first is on line 6)",
            ),
            (
                lesson("", &format!("```scenario\nclock: 2026-11-16\nuser: nobody\n```\n{STEP}")),
                8,
                "scenario: user needs",
            ),
            (
                lesson("", &format!("```scenario\nuser: x@nowhere.test pw\n```\n{STEP}")),
                7,
                "no mail host receives mail for nowhere.test",
            ),
        ];
        for (text, line, message) in cases {
            let got = problems(text);
            assert!(
                got.iter().any(|(l, m)| l == line && m.contains(message)),
                "expected line {line}: {message}\nin {text:?}\ngot {got:?}"
            );
        }
    }

    #[test]
    fn every_problem_of_a_file_is_reported_in_line_order() {
        let text = lesson(
            "level: high\nfaults: meteor\n",
            "## One\n```goal\nfly\n```\n## Two\n```goal\nreply 2\n```\n```solution\nx\n```\n## Three\n",
        );
        let lines: Vec<usize> = problems(&text).iter().map(|p| p.0).collect();
        // level, faults, step One (no solution) and its goal, step Three (no goal, no solution).
        assert_eq!(lines, [4, 5, 8, 10, 19, 19], "{:?}", problems(&text));
        let shown = parse(&text).map(|_| ()).unwrap_err().to_string();
        assert!(shown.starts_with("line 4: level must be"), "{shown}");
        assert_eq!(shown.lines().count(), 6);
    }

    #[test]
    fn a_scenario_is_read_from_the_front_matter_and_the_introduction() {
        let text = lesson(
            "scenario: new-colleague\n",
            &format!("```scenario\n# more\nuser: zed@example.com zedpw\n```\nMore intro.\n{STEP}"),
        );
        let l = parse(&text).expect("parses");
        assert_eq!(l.intro, "Intro.\nMore intro.", "the block is no prose");
        let s = l.scenario.expect("a scenario");
        assert!(s.settings.len() > 3, "the named one's settings and the block's");
        // The scenario key is line 4, Intro. line 6, the fence line 7, the comment line 8.
        assert_eq!(s.settings.last().map(|(line, _)| *line), Some(9), "the lesson file's line");
    }

    #[test]
    fn prose_fences_stay_in_the_text() {
        let l = parse(&lesson(
            "",
            "## Go\nLook:\n```text\n## not a step\n```\n```goal\nreply 2\n```\n```solution\nx\n```\n",
        ))
        .expect("parses");
        assert_eq!(l.steps.len(), 1);
        assert_eq!(l.steps[0].text, "Look:\n```text\n## not a step\n```");
    }
}
