//! Saved lesson progress and an instance's names, free of the DOM so they are
//! tested natively: the progress format (`id=steps`, comma-separated), the
//! localStorage key of an instance, and the prefix of its element ids.

use crate::lessons::Lesson;

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
