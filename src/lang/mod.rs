//! The interface language, and the interface's texts as keyed catalogues, one
//! per language (`en.rs`, `ru.rs`): [`Lang`], [`Key`], [`t`] and [`fill`].
//!
//! Why a typed table and not Fluent (`fluent-bundle`): the catalogue is
//! about 130 short strings whose only dynamic part is a named value
//! (`{host}`), and no text needs plural rules or selectors today (the Russian
//! texts were written around them, as in "INBOX: {count} писем"). Fluent
//! brings its parser, `intl_pluralrules` and `unic-langid` into the browser
//! build: measured, fluent-bundle 0.16 formatting a single message costs
//! +80 KB raw, +31 KB gzip (951 -> 1032 KB, 382 -> 413 KB gzip) before any
//! text moves into it, and a missing or misspelt message becomes a run-time
//! fallback. This table adds no dependency (+2 KB of lookup tables); each
//! language file is an exhaustive `match` over [`Key`], so a key missing in
//! any language is a compile error. The tests below check that every text is
//! filled in and uses the same placeholders as English. Should plurals be
//! needed, the files map one-to-one onto Fluent messages.
//!
//! A new language: a translator's file (copy `en.rs`), a [`Lang`] variant
//! and its line in [`Lang::t`] and [`Lang::code`]; see `docs/translating.md`.
//! Nothing here imports from the crate: it is the bottom layer.

mod en;
mod keys;
mod ru;

pub use keys::Key;
use serde::{Deserialize, Serialize};

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ru,
}

impl Lang {
    /// Every language, in the order of the language switch.
    pub const ALL: &'static [Lang] = &[Lang::En, Lang::Ru];

    /// The BCP 47 primary language subtag: `en`, `ru` (the `lang` attribute,
    /// the lessons' folder names).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The language of a BCP 47 tag (`ru`, `ru-RU`, `EN_us`), by its primary subtag.
    pub fn from_code(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or("").trim();
        Lang::ALL.iter().copied().find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The language for a browser's `navigator.language`: its own if we have
    /// it, English otherwise.
    pub fn from_browser_language(tag: Option<&str>) -> Lang {
        tag.and_then(Lang::from_code).unwrap_or_default()
    }

    /// This language's text for `key`.
    pub fn t(self, key: Key) -> &'static str {
        match self {
            Lang::En => en::text(key),
            Lang::Ru => ru::text(key),
        }
    }

    /// This language's text for `key` with its placeholders filled in.
    pub fn f(self, key: Key, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    /// For engine data that keeps English and Russian side by side (reply
    /// meanings, the reference, journey captions, lesson files): the Russian
    /// one in Russian, the English one in every other language.
    pub fn pick<T>(self, en: T, ru: T) -> T {
        if self == Lang::Ru {
            ru
        } else {
            en
        }
    }
}

/// The text for `key` in `lang`.
pub fn t(lang: Lang, key: Key) -> &'static str {
    lang.t(key)
}

/// Fills named placeholders (`{host}`) in a catalogue text from `args`
/// (name, value). A placeholder without a value, and any other brace, stays
/// as it is.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let value =
            after.find('}').and_then(|j| args.iter().find(|(name, _)| *name == &after[..j]).map(|(_, v)| (j, *v)));
        match value {
            Some((j, v)) => {
                out.push_str(v);
                rest = &after[j + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names in a text (`{host}` → `host`), in order.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        rest = &rest[i + 1..];
        if let Some(j) = rest.find('}') {
            let name = &rest[..j];
            if !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                names.push(name);
                rest = &rest[j + 1..];
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_round_trip_and_browser_tags_resolve() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(*l));
        }
        assert_eq!(Lang::from_code("ru-RU"), Some(Lang::Ru));
        assert_eq!(Lang::from_code("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::from_browser_language(Some("ru")), Lang::Ru);
        assert_eq!(Lang::from_browser_language(Some("de-AT")), Lang::En);
        assert_eq!(Lang::from_browser_language(None), Lang::En);
        assert_eq!(Lang::default(), Lang::En);
    }

    #[test]
    fn serde_uses_the_codes() {
        assert_eq!(serde_json::to_string(&Lang::Ru).ok().as_deref(), Some("\"ru\""));
        assert_eq!(serde_json::from_str::<Lang>("\"en\"").ok(), Some(Lang::En));
    }

    #[test]
    fn every_key_has_a_text_in_every_language() {
        assert!(Key::ALL.len() > 100, "{} keys", Key::ALL.len());
        for lang in Lang::ALL {
            for key in Key::ALL {
                let text = lang.t(*key);
                assert!(!text.trim().is_empty(), "{lang:?} {key:?}: empty");
                assert_eq!(text, text.trim(), "{lang:?} {key:?}: spacing belongs in the code, not the text");
            }
        }
    }

    #[test]
    fn placeholders_match_between_languages() {
        for key in Key::ALL {
            let en: BTreeSet<&str> = placeholders(Lang::En.t(*key)).into_iter().collect();
            for lang in Lang::ALL {
                let theirs: BTreeSet<&str> = placeholders(lang.t(*key)).into_iter().collect();
                assert_eq!(theirs, en, "{lang:?} {key:?}: placeholders differ from English");
            }
        }
    }

    /// Russian texts are Russian, except those still in English today (kept
    /// so this refactor changes nothing visible); the list is the work left.
    #[test]
    fn russian_texts_are_cyrillic_except_the_known_untranslated() {
        let cyrillic = |s: &str| s.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'));
        for key in Key::ALL {
            let ru = Lang::Ru.t(*key);
            if ru::UNTRANSLATED.contains(key) {
                assert_eq!(ru, Lang::En.t(*key), "{key:?} is listed as untranslated");
            } else {
                assert!(cyrillic(ru), "{key:?}: no Cyrillic in {ru:?}");
            }
        }
    }

    #[test]
    fn keys_are_unique_by_name() {
        let names: BTreeSet<&str> = Key::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), Key::ALL.len());
    }

    #[test]
    fn fill_replaces_named_placeholders_only() {
        assert_eq!(fill("Step {step} of {total}", &[("step", "2"), ("total", "6")]), "Step 2 of 6");
        assert_eq!(fill("{a}{a} {missing} {", &[("a", "x")]), "xx {missing} {");
        assert_eq!(fill("no braces", &[]), "no braces");
        assert_eq!(placeholders("{host}:{port} {0} {Not} {}"), vec!["host", "port"]);
        assert_eq!(Lang::Ru.f(Key::StepOf, &[("step", "1"), ("total", "6")]), "Шаг 1 из 6");
    }

    #[test]
    fn pick_falls_back_to_english() {
        assert_eq!(Lang::Ru.pick("en", "ru"), "ru");
        assert_eq!(Lang::En.pick("en", "ru"), "en");
    }
}
