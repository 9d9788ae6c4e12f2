//! Saved lesson progress and an instance's names, free of the DOM so they are
//! tested natively: the progress format (`id=steps`, comma-separated), the
//! localStorage key of an instance, and the prefix of its element ids; and
//! the record of steps done a student can hand in ([`Done`]).

use crate::lessons::Lesson;
use serde::{Deserialize, Serialize};

/// One step a student finished: which, when (the browser's clock, ISO 8601)
/// and what they typed for it (shell commands and protocol lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {
    pub lesson: String,
    pub lesson_title: String,
    /// 1-based.
    pub step: usize,
    pub step_title: String,
    pub at: String,
    pub typed: Vec<String>,
}

/// Most steps kept in the record (the oldest go first), and most lines kept per step.
pub const MAX_DONE: usize = 1000;
pub const MAX_TYPED: usize = 200;

/// Reads the record; unreadable data is an empty record.
pub fn read_log(saved: &str) -> Vec<Done> {
    serde_json::from_str(saved).unwrap_or_default()
}

/// Adds a step to the record, within its bounds.
pub fn push_done(log: &mut Vec<Done>, mut done: Done) {
    if done.typed.len() > MAX_TYPED {
        done.typed.drain(..done.typed.len() - MAX_TYPED);
    }
    log.push(done);
    if log.len() > MAX_DONE {
        log.drain(..log.len() - MAX_DONE);
    }
}

/// The record to hand in: every lesson with its progress and its steps done.
pub fn report(lessons: &[Lesson], progress: &[usize], log: &[Done]) -> serde_json::Value {
    let lessons: Vec<serde_json::Value> = lessons
        .iter()
        .zip(progress)
        .filter(|(l, n)| **n > 0 || log.iter().any(|d| d.lesson == l.id))
        .map(|(l, n)| {
            let steps: Vec<&Done> = log.iter().filter(|d| d.lesson == l.id).collect();
            serde_json::json!({"id": l.id, "title": l.title, "done": n, "steps": l.steps.len(), "record": steps})
        })
        .collect();
    serde_json::json!({
        "mailsim": "progress",
        "note": "kept in the browser; not proof against editing",
        "lessons": lessons,
    })
}

/// Where progress is saved when the page names no place and the element has no id.
pub const DEFAULT_KEY: &str = "mailsim.progress.v1";

/// Reads saved progress: `id=steps` pairs joined by commas, in course order.
/// `None` when the data is there but unreadable.
pub fn read(lessons: &[Lesson], saved: &str) -> Option<Vec<usize>> {
    let mut progress = vec![0; lessons.len()];
    for item in saved.split(',').filter(|s| !s.is_empty()) {
        let (id, n) = item.split_once('=')?;
        let n: usize = n.parse().ok()?;
        if let Some(i) = lessons.iter().position(|l| l.id == id) {
            progress[i] = n.min(lessons[i].steps.len());
        }
    }
    Some(progress)
}

/// Writes progress in the format [`read`] reads; lessons not begun are left out.
pub fn write(lessons: &[Lesson], progress: &[usize]) -> String {
    lessons
        .iter()
        .zip(progress)
        .filter(|(_, n)| **n > 0)
        .map(|(l, n)| format!("{}={n}", l.id))
        .collect::<Vec<_>>()
        .join(",")
}

/// The localStorage key of an instance: the page's choice, else one per
/// element id, else the default.
pub fn storage_key(chosen: Option<&str>, element_id: &str) -> String {
    match chosen.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => k.to_string(),
        None if !element_id.is_empty() => format!("{DEFAULT_KEY}:{element_id}"),
        None => DEFAULT_KEY.to_string(),
    }
}

/// The prefix of an instance's element ids: its element's id made safe for
/// a CSS selector, else `ms` and its number among the unnamed.
pub fn id_prefix(element_id: &str, unnamed: u32) -> String {
    let safe: String =
        element_id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(40).collect();
    if safe.is_empty() || !safe.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("ms{unnamed}")
    } else {
        safe
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::lessons::{parse, sources};

    fn lessons() -> Vec<Lesson> {
        sources(Lang::En).into_iter().filter_map(|s| parse(s.text).ok()).collect()
    }

    #[test]
    fn progress_round_trips_and_is_bounded_by_the_steps() {
        let l = lessons();
        let p = read(&l, "telnet-session=4,reply-codes=99,unknown=3").expect("readable");
        assert_eq!(p[0], 4);
        assert_eq!(p[1], l[1].steps.len(), "capped at the lesson's steps");
        assert_eq!(write(&l, &p), format!("telnet-session=4,reply-codes={}", l[1].steps.len()));
        assert_eq!(read(&l, "").expect("empty is no progress"), vec![0; l.len()]);
        assert!(read(&l, "garbage;;=x").is_none());
        assert_eq!(write(&l, &vec![0; l.len()]), "");
    }

    #[test]
    fn the_record_of_steps_is_bounded_and_reported_per_lesson() {
        let l = lessons();
        let done = |lesson: &str, step| Done {
            lesson: lesson.into(),
            lesson_title: "t".into(),
            step,
            step_title: "s".into(),
            at: "2026-12-01T10:00:00.000Z".into(),
            typed: (0..300).map(|i| format!("NOOP {i}")).collect(),
        };
        let mut log = Vec::new();
        push_done(&mut log, done("telnet-session", 1));
        assert_eq!(log[0].typed.len(), MAX_TYPED, "the newest lines are kept");
        assert_eq!(log[0].typed.last().map(String::as_str), Some("NOOP 299"));
        for i in 0..MAX_DONE + 5 {
            push_done(&mut log, done("reply-codes", i));
        }
        assert_eq!(log.len(), MAX_DONE);
        let text = serde_json::to_string(&log).expect("json");
        assert_eq!(read_log(&text), log);
        assert_eq!(read_log("{not json"), vec![]);
        let mut progress = vec![0; l.len()];
        progress[1] = 2;
        let r = report(&l, &progress, &log);
        let lessons = r["lessons"].as_array().expect("lessons");
        assert_eq!(lessons.len(), 1, "telnet-session's record was pushed out; reply-codes is begun");
        assert_eq!(lessons[0]["id"], "reply-codes");
        assert_eq!(lessons[0]["done"], 2);
        assert_eq!(lessons[0]["record"].as_array().map(Vec::len), Some(MAX_DONE));
    }

    #[test]
    fn each_instance_has_its_own_key_and_ids() {
        assert_eq!(storage_key(Some("mailsim.progress.v1"), "mailsim"), "mailsim.progress.v1");
        assert_eq!(storage_key(None, "first"), "mailsim.progress.v1:first");
        assert_ne!(storage_key(None, "first"), storage_key(None, "second"));
        assert_eq!(storage_key(Some(" "), ""), DEFAULT_KEY);
        assert_eq!(id_prefix("first", 0), "first");
        assert_eq!(id_prefix("", 3), "ms3");
        assert_eq!(id_prefix("9 bad\"id", 1), "ms1", "a prefix starts with a letter");
        assert_eq!(id_prefix("a b<c>", 1), "abc");
    }
}
