//! The problems of a lesson or scenario file in the reader's language. English is each
//! problem's `Display` (what `mailsim lesson check` prints); Russian is here, so that a
//! teacher who writes lessons in the Russian app reads why a file does not load in Russian.
//! The format's own words stay as they are written in a file: `---`, `## `, the fence names
//! (```goal, ```solution, ```scenario), front matter keys, setting, goal, event and fault names.

use crate::lang::Lang;
use crate::located::{LineErrors, Located};
use crate::store::StoreError;
use crate::world::faults::{SwitchError, NAMES as FAULT_NAMES};
use crate::world::scenario::{self, Problem as SettingProblem, KEYS};

use super::builder::BuildError;
use super::check::{Failure, StepFailure};
use super::goals::{GoalError, EVENT_KINDS};
use super::parse::Problem;

/// A problem that can be said in each of the app's languages.
pub trait Said: std::fmt::Display {
    /// The problem in Russian.
    fn ru(&self) -> String;

    /// The problem in `lang`.
    fn said(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Ru => self.ru(),
        }
    }
}

/// The fragments that finish "… needs …" (a goal's, a setting's, a fault's argument).
fn what(english: &str) -> &str {
    match english {
        "a command" => "команду",
        "a line" => "строку",
        "a reply prefix" => "начало ответа",
        "a text" => "текст",
        "a mailbox" => "почтовый ящик",
        "an event kind" => "вид события",
        "the accepted answers" => "принимаемые ответы",
        "no argument" => "без аргумента",
        "one address (user@domain)" | "an address (user@domain)" => "адрес (user@domain)",
        "a number of messages above 0" => "число писем больше 0",
        "a domain and the mail host that serves it" => "домен и почтовый сервер, который его обслуживает",
        "an address and a password (no spaces)" => "адрес и пароль (без пробелов)",
        "an address and the users it delivers to" => "адрес и пользователей, которым он доставляет",
        "a host and a personality" => "хост и «характер» сервера",
        "a host name and its IPv4 address" => "имя хоста и его адрес IPv4",
        other => other,
    }
}

impl Said for Problem {
    fn ru(&self) -> String {
        match self {
            Problem::NoFrontMatter => "урок начинается строкой ---, за ней идёт шапка (id, title, …)".into(),
            Problem::UnclosedFrontMatter => "шапка не закрыта строкой ---".into(),
            Problem::NoColon => "строка шапки пишется как `ключ: значение`; в этой нет ':'".into(),
            Problem::UnknownKey(k) => {
                format!("неизвестный ключ шапки '{k}' (id, title, level, covers, faults, scenario)")
            }
            Problem::DuplicateKey(k) => format!("ключ шапки '{k}' указан дважды"),
            Problem::MissingKey(k) => format!("в шапке нет '{k}:'"),
            Problem::BadLevel(v) => format!("level бывает 1, 2 или 3, а не '{v}'"),
            Problem::Fault(e) => e.ru(),
            Problem::UnknownScenario { name } => format!(
                "нет встроенного сценария '{name}' (есть: {})",
                scenario::builtin().iter().map(|s| s.0).collect::<Vec<_>>().join(", ")
            ),
            Problem::BrokenScenario { name, error } => {
                format!("встроенный сценарий '{name}' не загружается: {error}")
            }
            Problem::Scenario(p) => format!("сценарий: {}", p.ru()),
            Problem::BlockOutsideStep(kind) => {
                format!("блок ```{kind} до первого шага `## ` не относится ни к одному шагу")
            }
            Problem::ScenarioInStep => "блок ```scenario ставится во введение, до первого шага `## `".into(),
            Problem::SecondScenario(line) => {
                format!("в уроке один блок ```scenario (первый — на строке {line})")
            }
            Problem::Goal(e) => e.ru(),
            Problem::EmptyTitle => "заголовку шага `## ` нужно название".into(),
            Problem::NoGoal(step) => format!("у шага '{step}' нет блока ```goal (или он пуст)"),
            Problem::NoSolution(step) => format!("у шага '{step}' нет блока ```solution (или он пуст)"),
            Problem::UnclosedFence(kind) => format!("блок ```{kind}, открытый здесь, не закрыт строкой ```"),
            Problem::NoSteps => "в уроке нужен хотя бы один шаг `## `".into(),
        }
    }
}

impl Said for GoalError {
    fn ru(&self) -> String {
        match self {
            GoalError::Unknown(g) => {
                format!("неизвестная цель '{g}' (одна из: command, sent, reply, output, delivered, event, answer)")
            }
            GoalError::Needs(goal, needs) => format!("цели '{goal}' нужно указать {}", what(needs)),
            GoalError::UnknownEvent(kind) => {
                format!("неизвестный вид события '{kind}' (один из: {})", EVENT_KINDS.join(", "))
            }
        }
    }
}

impl Said for SwitchError {
    fn ru(&self) -> String {
        match self {
            SwitchError::Unknown(f) => format!("неизвестная неполадка '{f}' (одна из: {})", FAULT_NAMES.join(", ")),
            SwitchError::BadArgument(f, "no argument") => format!("неполадке '{f}' аргумент не нужен"),
            SwitchError::BadArgument(f, needs) => format!("неполадке '{f}' нужен аргумент: {}", what(needs)),
        }
    }
}

/// A mailbox's refusal, for a scenario's `message:`.
fn store_error(e: &StoreError) -> &'static str {
    match e {
        StoreError::NoSuchUser => "нет такого пользователя",
        StoreError::NoSuchFolder => "нет такой папки",
        StoreError::FolderExists => "папка уже есть",
        StoreError::UidsExhausted => "в папке кончились UID",
    }
}

impl Said for SettingProblem {
    fn ru(&self) -> String {
        match self {
            SettingProblem::NoColon => "настройка пишется как `ключ: значение`; в этой строке нет ':'".into(),
            SettingProblem::UnknownKey(k) => format!("неизвестная настройка '{k}' (одна из: {})", KEYS.join(", ")),
            SettingProblem::Value { key, what: needs } => format!("настройке {key} нужно указать {}", what(needs)),
            SettingProblem::BadAddress(a) => format!("'{a}' — не адрес (user@domain)"),
            SettingProblem::ClockTwice(line) => format!("часы заданы дважды (первый раз — на строке {line})"),
            SettingProblem::BadClock(t) => {
                format!("'{t}' — не время: пишите 2026-11-16 09:00 (UTC), 2026-11-16T09:00:00Z или секунды с 1970 года")
            }
            SettingProblem::UnknownPersonality(p) => {
                format!("неизвестный «характер» сервера '{p}' (postfix, sendmail-8.9.3, communigate-pro)")
            }
            SettingProblem::Fault(e) => e.ru(),
            SettingProblem::OnOff(v) => format!("smart-host бывает on или off, а не '{v}'"),
            SettingProblem::UnendedMessage => "письмо не закончено строкой из одной точки '.'".into(),
            SettingProblem::NoHeader(l) => {
                format!("письмо начинается с полей заголовка (From:, To:, Subject:), а не с '{l}'")
            }
            SettingProblem::UnknownHost(h) => format!("в этом мире нет хоста {h} (их список выводит команда `hosts`)"),
            SettingProblem::NotMailHost(h) => format!("{h} не хранит почтовых ящиков (это не почтовый сервер)"),
            SettingProblem::NoMta(h) => format!("на {h} нет SMTP-сервера на порту 25"),
            SettingProblem::NoHostFor(d) => {
                format!("ни один почтовый сервер не принимает почту для {d} (сначала добавьте `domain: {d} HOST`)")
            }
            SettingProblem::DomainTaken { domain, host } => format!("{domain} уже домен сервера {host}"),
            SettingProblem::HostTaken { name, ip, by } => {
                format!("хост {name} с адресом {ip} добавить нельзя: там уже есть {by}")
            }
            SettingProblem::UnknownUser(u) => {
                format!("{u} здесь не пользователь и не псевдоним (сначала добавьте `user: {u} PASSWORD`)")
            }
            SettingProblem::Store(who, e) => format!("почтовый ящик {who} не принял письмо ({})", store_error(e)),
        }
    }
}

impl Said for BuildError {
    fn ru(&self) -> String {
        match self {
            BuildError::NothingRecorded => "урок не из чего составить: не записано ни одной значимой команды \
                 (пустые строки, clear и help не считаются)"
                .into(),
        }
    }
}

impl Said for StepFailure {
    fn ru(&self) -> String {
        let mut out = format!("шаг {} '{}': ", self.step, self.title);
        match &self.failure {
            Failure::DoneBefore => out.push_str("его цель уже достигнута до того, как набрано решение"),
            Failure::NotReached { unmet, last_line, shown } => {
                out.push_str("его решение не приводит к цели");
                for g in unmet {
                    out.push_str(&format!("\n  не выполнено: {g}"));
                }
                out.push_str(&format!(
                    "\n  после последней строки решения: {last_line}\n  терминал показал последним:"
                ));
                if shown.is_empty() {
                    out.push_str(" ничего");
                }
                for l in shown {
                    out.push_str(&format!("\n  | {l}"));
                }
            }
        }
        out
    }
}

impl<P: Said + std::fmt::Debug> Said for Located<P> {
    fn ru(&self) -> String {
        format!("строка {}: {}", self.line, self.problem.ru())
    }
}

/// Every problem of a file, one per line, in line order.
impl<P: Said + std::fmt::Debug> Said for LineErrors<P> {
    fn ru(&self) -> String {
        self.0.iter().map(Said::ru).collect::<Vec<_>>().join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every problem's Russian: Cyrillic, with the arguments and the format's own words kept.
    #[test]
    fn each_problem_reads_in_russian_and_keeps_what_the_file_said() {
        let cyrillic = |s: &str| s.chars().any(|c| ('а'..='я').contains(&c.to_ascii_lowercase()) || c == 'ё');
        let lesson = [
            Problem::NoFrontMatter,
            Problem::UnclosedFrontMatter,
            Problem::NoColon,
            Problem::UnknownKey("colour".into()),
            Problem::DuplicateKey("id".into()),
            Problem::MissingKey("title"),
            Problem::BadLevel("9".into()),
            Problem::Fault(SwitchError::Unknown("gremlins".into())),
            Problem::UnknownScenario { name: "mars".into() },
            Problem::BrokenScenario { name: "x".into(), error: "e".into() },
            Problem::Scenario(SettingProblem::NoMta("dns.example".into())),
            Problem::BlockOutsideStep("goal".into()),
            Problem::ScenarioInStep,
            Problem::SecondScenario(3),
            Problem::Goal(GoalError::Needs("reply", "a reply prefix")),
            Problem::EmptyTitle,
            Problem::NoGoal("Say hello".into()),
            Problem::NoSolution("Say hello".into()),
            Problem::UnclosedFence("solution".into()),
            Problem::NoSteps,
        ];
        for p in &lesson {
            let ru = p.said(Lang::Ru);
            assert!(cyrillic(&ru), "{p:?}: {ru}");
            assert_eq!(p.said(Lang::En), p.to_string());
        }
        assert!(Problem::UnknownKey("colour".into()).ru().contains("'colour'"));
        assert!(
            Problem::NoGoal("Say hello".into()).ru().contains("'Say hello'")
                && Problem::NoGoal("x".into()).ru().contains("```goal")
        );
        assert_eq!(
            Problem::Goal(GoalError::Needs("reply", "a reply prefix")).ru(),
            "цели 'reply' нужно указать начало ответа"
        );
        let settings = [
            SettingProblem::NoColon,
            SettingProblem::UnknownKey("colour".into()),
            SettingProblem::Value { key: "user", what: "an address and a password (no spaces)" },
            SettingProblem::BadAddress("bob".into()),
            SettingProblem::ClockTwice(2),
            SettingProblem::BadClock("noon".into()),
            SettingProblem::UnknownPersonality("exim".into()),
            SettingProblem::Fault(SwitchError::BadArgument("hourly-limit".into(), "a number of messages above 0")),
            SettingProblem::OnOff("maybe".into()),
            SettingProblem::UnendedMessage,
            SettingProblem::NoHeader("Hi".into()),
            SettingProblem::UnknownHost("mars.example".into()),
            SettingProblem::NotMailHost("dns.example".into()),
            SettingProblem::NoMta("dns.example".into()),
            SettingProblem::NoHostFor("example.net".into()),
            SettingProblem::DomainTaken { domain: "example.com".into(), host: "mail.example.com".into() },
            SettingProblem::HostTaken {
                name: "mail.example.com".into(),
                ip: "192.0.2.80".into(),
                by: "mail.example.com".into(),
            },
            SettingProblem::UnknownUser("zed@example.com".into()),
            SettingProblem::Store("zed@example.com".into(), StoreError::NoSuchUser),
        ];
        for p in &settings {
            let ru = p.ru();
            assert!(cyrillic(&ru), "{p:?}: {ru}");
            // No English fragment left in a Russian sentence ("needs …" finished in English).
            assert!(!ru.contains("an address") && !ru.contains("a number") && !ru.contains("NoSuchUser"), "{ru}");
        }
        assert!(GoalError::UnknownEvent("x".into()).ru().contains("delivered"));
        assert!(BuildError::NothingRecorded.ru().contains("help"));
        let failed = StepFailure {
            step: 2,
            title: "Say hello".into(),
            failure: Failure::NotReached { unmet: vec!["reply 250".into()], last_line: "EHLO x".into(), shown: vec![] },
        };
        let ru = failed.ru();
        assert!(
            ru.starts_with("шаг 2 'Say hello': ")
                && ru.contains("не выполнено: reply 250")
                && ru.contains("EHLO x")
                && ru.ends_with("ничего"),
            "{ru}"
        );
        assert_eq!(failed.said(Lang::En), failed.to_string());
        assert_eq!(failed.to_string().lines().count(), ru.lines().count());
    }

    /// Every "needs …" fragment the parsers use has its Russian (a new one would show in English).
    #[test]
    fn every_needs_fragment_has_russian() {
        let sources =
            [include_str!("goals.rs"), include_str!("../world/scenario.rs"), include_str!("../world/faults.rs")];
        let mut seen = 0;
        for text in sources {
            for (i, _) in
                text.match_indices("what: \"").chain(text.match_indices("need(\"")).chain(text.match_indices("bad(\""))
            {
                let rest = &text[i..];
                let quoted: Vec<&str> = rest.split('"').collect();
                // need("goal", "what"): the fragment is the second string; what: "…" and bad("…"): the first.
                let fragment = if rest.starts_with("need(") { quoted.get(3) } else { quoted.get(1) };
                let Some(fragment) = fragment else { continue };
                seen += 1;
                assert_ne!(what(fragment), *fragment, "no Russian for the fragment '{fragment}'");
            }
        }
        assert!(seen >= 12, "the fragments were found in the sources: {seen}");
    }

    /// A file's problems, each with its line, in Russian.
    #[test]
    fn a_files_problems_each_say_their_line() {
        let errors = crate::lessons::parse("---\nid: x\n---\n").unwrap_err();
        let ru = errors.said(Lang::Ru);
        assert!(ru.starts_with("строка "), "{ru}");
        assert_eq!(ru.lines().count(), errors.0.len());
        let english = errors.said(Lang::En);
        assert_eq!(english, errors.to_string());
    }
}
