//! Every lesson is checked here, so none can silently break: it parses; its
//! Russian twin has the same steps, goals and solutions; each step's solution,
//! typed into a fresh simulated terminal, completes that step, which was not
//! complete before; and the course covers every topic of
//! shared/seeds/TOPICS.md (T01–T26).

use mailsim::lessons::{all, check, parse, Lesson};
use std::collections::BTreeSet;

fn lessons(lang: &str) -> Vec<(String, Lesson)> {
    all()
        .into_iter()
        .filter(|s| s.lang == lang)
        .map(|s| (s.file.to_string(), parse(s.text).unwrap_or_else(|e| panic!("{lang}/{}: {e}", s.file))))
        .collect()
}

#[test]
fn russian_twins_match_the_english_lessons() {
    let (en, ru) = (lessons("en"), lessons("ru"));
    assert_eq!(en.len(), ru.len());
    let mut ids = BTreeSet::new();
    for ((fe, e), (fr, r)) in en.iter().zip(&ru) {
        assert_eq!(fe, fr);
        assert!(ids.insert(e.id.clone()), "duplicate id {}", e.id);
        assert_eq!(
            (&e.id, e.level, &e.covers, &e.faults),
            (&r.id, r.level, &r.covers, &r.faults),
            "{fe}: front matter"
        );
        assert_eq!(e.steps.len(), r.steps.len(), "{fe}: steps");
        for (i, (se, sr)) in e.steps.iter().zip(&r.steps).enumerate() {
            assert_eq!(se.goals, sr.goals, "{fe} step {}: goals", i + 1);
            assert_eq!(se.solution, sr.solution, "{fe} step {}: solution", i + 1);
            assert_eq!(se.hints.len(), sr.hints.len(), "{fe} step {}: hints", i + 1);
            assert_ne!(se.title, sr.title, "{fe} step {}: the Russian title is translated", i + 1);
        }
        assert!(
            r.title.chars().any(|c| ('а'..='я').contains(&c.to_ascii_lowercase()) || ('А'..='Я').contains(&c)),
            "{fr}: Russian title"
        );
    }
}

#[test]
fn every_solution_completes_its_step() {
    // The same checker as `mailsim lesson check` (mailsim::lessons::check).
    for (file, lesson) in lessons("en").into_iter().chain(lessons("ru")) {
        let failures: Vec<String> = check(&lesson).iter().map(ToString::to_string).collect();
        assert!(failures.is_empty(), "{file}:\n{}", failures.join("\n"));
    }
}

#[test]
fn the_course_covers_every_topic_of_the_seeds() {
    let topics = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds/TOPICS.md"))
        .map(|t| {
            t.lines()
                .filter_map(|l| l.strip_prefix("| T").and_then(|r| r.get(..2)).map(|n| format!("T{n}")))
                .collect::<BTreeSet<_>>()
        })
        .unwrap_or_default();
    // Without shared/ beside the checkout, the 26 ids of TOPICS.md.
    let topics = if topics.is_empty() { (1..=26).map(|i| format!("T{i:02}")).collect() } else { topics };
    assert_eq!(topics.len(), 26);
    let covered: BTreeSet<String> = lessons("en").into_iter().flat_map(|(_, l)| l.covers).collect();
    for c in &covered {
        assert!(topics.contains(c), "a lesson covers {c}, which is not a topic id");
    }
    let missing: Vec<&String> = topics.iter().filter(|t| !covered.contains(*t)).collect();
    assert!(missing.is_empty(), "no lesson covers {missing:?}");
    assert!(lessons("en").len() >= 16, "the course has at least 16 lessons");
}
