//! POP3 responses (RFC 1939 §3): a status indicator, `+OK` or `-ERR`, with
//! an optional response code in brackets (RFC 2449 §8, RFC 3206); after a
//! `+OK` to CAPA, LIST, UIDL, RETR, TOP or a bare AUTH, data lines up to a
//! lone `.`. A `+ ` line is a SASL challenge (RFC 5034 §4).

use super::{bracket_code, verb_of, Explanation, Reading, Text, Tone};
use crate::protocol::Protocol;

#[derive(Debug, Clone, Default)]
pub(super) struct State {
    /// The last command's verb and whether it had arguments.
    last: Option<(String, bool)>,
    /// Inside a multi-line response: the command it answers.
    data: Option<String>,
    greeted: bool,
    /// After a `+` challenge: the client's next line is a SASL response, not a command.
    sasl: bool,
}

impl State {
    pub(super) fn client(&mut self, line: &str) {
        if self.sasl {
            return;
        }
        let verb = verb_of(line);
        let has_args = line.split_ascii_whitespace().nth(1).is_some();
        self.last = Some((verb, has_args));
    }

    pub(super) fn server(&mut self, line: &str) -> Reading {
        if let Some(cmd) = &self.data {
            if line == "." {
                let meaning = Text::new(
                    "A lone dot: the end of the multi-line response.",
                    "Одинокая точка: конец многострочного ответа.",
                );
                self.data = None;
                let e = explanation(".", Tone::Info, meaning, None, "RFC 1939 §3");
                return Reading { tone: Tone::Info, badge: None, explanation: Some(e) };
            }
            let e = explanation("", Tone::Data, data_meaning(cmd), None, "RFC 1939 §3");
            return Reading { tone: Tone::Data, badge: None, explanation: Some(e) };
        }
        let (ok, len) = if line.starts_with("+OK") {
            (true, 3)
        } else if line.starts_with("-ERR") {
            (false, 4)
        } else if line == "+" || line.starts_with("+ ") {
            self.sasl = true;
            let e = explanation(
                "+",
                Tone::Intermediate,
                Text::new(
                    "A SASL challenge (base64, may be empty): answer it with one base64 line, or * to cancel.",
                    "Вызов SASL (base64, может быть пустым): ответьте одной строкой base64 или * для отмены.",
                ),
                None,
                "RFC 5034 §4",
            );
            return Reading { tone: Tone::Intermediate, badge: Some((0, 1)), explanation: Some(e) };
        } else {
            return Reading::plain(Tone::Info);
        };
        let was_sasl = std::mem::replace(&mut self.sasl, false);
        let greeting = !self.greeted;
        self.greeted = true;
        let rest = &line[len..];
        // The end of a SASL exchange answers AUTH with its arguments, whatever the client typed last.
        let (verb, has_args) =
            if was_sasl { ("AUTH".to_string(), true) } else { self.last.clone().unwrap_or_default() };
        let mut e = if greeting {
            greeting_explanation(ok, rest)
        } else if ok {
            let (meaning, rfc) = ok_meaning(&verb, has_args);
            explanation("+OK", Tone::Success, meaning, None, rfc)
        } else {
            explanation(
                "-ERR",
                Tone::Permanent,
                Text::new(
                    format!("{verb} failed; the text after -ERR says why."),
                    format!("{verb} не выполнена; текст после -ERR объясняет почему."),
                ),
                None,
                "RFC 1939 §3",
            )
        };
        if let Some((atom, _)) = bracket_code(rest) {
            e.code = Some((format!("[{atom}]"), code_meaning(&atom)));
        }
        if ok && !greeting && multi_line(&verb, has_args) {
            self.data = Some(verb);
        }
        let tone = e.tone;
        Reading { tone, badge: Some((0, len)), explanation: Some(e) }
    }
}

fn explanation(badge: &str, tone: Tone, meaning: Text, next: Option<Text>, rfc: &str) -> Explanation {
    Explanation {
        protocol: Protocol::Pop3,
        badge: badge.to_string(),
        tone,
        meaning,
        next,
        enhanced: None,
        code: None,
        rfc: rfc.to_string(),
    }
}

/// RFC 1939 §5, §7, RFC 2449 §5: the commands whose `+OK` starts a multi-line response.
fn multi_line(verb: &str, has_args: bool) -> bool {
    match verb {
        "CAPA" | "RETR" | "TOP" => true,
        "LIST" | "UIDL" | "AUTH" => !has_args,
        _ => false,
    }
}

fn greeting_explanation(ok: bool, rest: &str) -> Explanation {
    if !ok {
        return explanation(
            "-ERR",
            Tone::Permanent,
            Text::new("The server refuses the connection.", "Сервер отказывает в соединении."),
            None,
            "RFC 1939 §4",
        );
    }
    let apop = rest.contains('<') && rest.contains('>');
    let meaning = if apop {
        Text::new(
            "The greeting: the server is ready. The <…> part is the APOP timestamp, used to log in without sending the password.",
            "Приветствие: сервер готов. Часть <…> — метка APOP, с ней можно войти, не передавая пароль.",
        )
    } else {
        Text::new(
            "The greeting: the server is ready, in the AUTHORIZATION state. POP3 answers only +OK or -ERR.",
            "Приветствие: сервер готов, состояние AUTHORIZATION. POP3 отвечает только +OK или -ERR.",
        )
    };
    let next = Text::new(
        "Log in: USER name, then PASS password (or AUTH). CAPA lists what the server supports.",
        "Войдите: USER имя, затем PASS пароль (или AUTH). CAPA покажет, что умеет сервер.",
    );
    explanation("+OK", Tone::Success, meaning, Some(next), "RFC 1939 §4")
}

/// What `+OK` means after each command.
fn ok_meaning(verb: &str, has_args: bool) -> (Text, &'static str) {
    let t = Text::new;
    match (verb, has_args) {
        ("USER", _) => (
            t("The name is noted; now send PASS with the password.", "Имя принято; теперь отправьте PASS с паролем."),
            "RFC 1939 §7",
        ),
        ("PASS" | "APOP" | "AUTH", true) => (
            t(
                "Logged in: the TRANSACTION state. The maildrop is locked and its messages numbered from 1.",
                "Вход выполнен: состояние TRANSACTION. Ящик заблокирован, письма пронумерованы с 1.",
            ),
            "RFC 1939 §7",
        ),
        ("AUTH", false) => (
            t(
                "The SASL mechanisms follow, one per line, up to a lone dot.",
                "Далее механизмы SASL, по одному в строке, до одинокой точки.",
            ),
            "RFC 5034 §4",
        ),
        ("STAT", _) => (
            t(
                "The drop listing: the number of messages, then their total size in octets.",
                "Сводка ящика: число писем, затем их общий размер в октетах.",
            ),
            "RFC 1939 §5",
        ),
        ("LIST", false) => (
            t(
                "A scan listing follows: one line per message, its number and its size in octets, up to a lone dot.",
                "Далее список: по строке на письмо — номер и размер в октетах, до одинокой точки.",
            ),
            "RFC 1939 §7",
        ),
        ("LIST", true) => (
            t(
                "The scan listing of that message: its number and size in octets.",
                "Строка списка для этого письма: номер и размер в октетах.",
            ),
            "RFC 1939 §7",
        ),
        ("UIDL", false) => (
            t(
                "Unique ids follow: message number and its id, which stays the same across sessions.",
                "Далее уникальные id: номер письма и его id, который не меняется между сеансами.",
            ),
            "RFC 1939 §7",
        ),
        ("UIDL", true) => {
            (t("That message's number and unique id.", "Номер письма и его уникальный id."), "RFC 1939 §7")
        }
        ("RETR", _) => (
            t(
                "The whole message follows, lines starting with a dot doubled, up to a lone dot.",
                "Далее письмо целиком (строки с точкой в начале удвоены), до одинокой точки.",
            ),
            "RFC 1939 §7",
        ),
        ("TOP", _) => (
            t(
                "The header, a blank line and the first n body lines follow, up to a lone dot.",
                "Далее заголовок, пустая строка и первые n строк тела, до одинокой точки.",
            ),
            "RFC 1939 §7",
        ),
        ("DELE", _) => (
            t(
                "The message is marked; it is removed only at QUIT (the UPDATE state). RSET unmarks.",
                "Письмо помечено; удалится только при QUIT (состояние UPDATE). RSET снимает пометки.",
            ),
            "RFC 1939 §6",
        ),
        ("RSET", _) => (t("All deletion marks are removed.", "Все пометки удаления сняты."), "RFC 1939 §7"),
        ("NOOP", _) => {
            (t("Nothing done: the server is still there.", "Ничего не сделано: сервер на связи."), "RFC 1939 §7")
        }
        ("QUIT", _) => (
            t(
                "Goodbye: the UPDATE state removed the messages marked with DELE.",
                "До свидания: в состоянии UPDATE удалены письма, помеченные DELE.",
            ),
            "RFC 1939 §6",
        ),
        ("CAPA", _) => (
            t(
                "The capabilities follow, one per line, up to a lone dot.",
                "Далее возможности сервера, по одной в строке, до одинокой точки.",
            ),
            "RFC 2449 §5",
        ),
        ("STLS", _) => (
            t(
                "Start the TLS handshake now; then the session begins again.",
                "Начинайте TLS-рукопожатие; затем сеанс начнётся заново.",
            ),
            "RFC 2595 §4",
        ),
        _ => (t("The command succeeded.", "Команда выполнена."), "RFC 1939 §3"),
    }
}

/// What the lines of a multi-line response are, by the command they answer.
fn data_meaning(verb: &str) -> Text {
    match verb {
        "LIST" => Text::new(
            "A scan listing line: message number, size in octets.",
            "Строка списка: номер письма, размер в октетах.",
        ),
        "UIDL" => Text::new("Message number and unique id.", "Номер письма и уникальный id."),
        "CAPA" => Text::new("A capability of the server.", "Возможность сервера."),
        "AUTH" => Text::new("A SASL mechanism the server offers.", "Механизм SASL, который предлагает сервер."),
        _ => Text::new("A line of the message (byte-stuffed).", "Строка письма (точки в начале удвоены)."),
    }
}

/// The response codes of RFC 2449 §8 and RFC 3206.
fn code_meaning(atom: &str) -> Text {
    let t = Text::new;
    match atom {
        "IN-USE" => t(
            "The maildrop is locked by another session; try again later.",
            "Ящик занят другим сеансом; попробуйте позже.",
        ),
        "LOGIN-DELAY" => t(
            "Logged in too soon after the last login; wait before the next.",
            "Слишком частые входы; подождите перед следующим.",
        ),
        "SYS/TEMP" => t(
            "A temporary system problem, not your fault; try again later.",
            "Временная системная ошибка, не по вашей вине; повторите позже.",
        ),
        "SYS/PERM" => t(
            "A permanent system problem; tell the administrator.",
            "Постоянная системная ошибка; сообщите администратору.",
        ),
        "AUTH" => t(
            "The credentials were wrong (or the mechanism is not offered).",
            "Неверные учётные данные (или механизм не предлагается).",
        ),
        _ => t("A response code this explainer does not know.", "Код ответа, неизвестный объяснителю."),
    }
}

/// A bare `+OK`, `-ERR` or POP3 response code, as lesson texts write them.
pub(super) fn explain_status(t: &str) -> Option<Explanation> {
    let e = match t {
        "+OK" => explanation(
            "+OK",
            Tone::Success,
            Text::new(
                "POP3: the command succeeded. POP3 has only two answers, +OK and -ERR, instead of SMTP's numbered codes.",
                "POP3: команда выполнена. У POP3 всего два ответа, +OK и -ERR, вместо числовых кодов SMTP.",
            ),
            None,
            "RFC 1939 §3",
        ),
        "-ERR" => explanation(
            "-ERR",
            Tone::Permanent,
            Text::new("POP3: the command failed; the text after -ERR says why.", "POP3: команда не выполнена; текст после -ERR объясняет почему."),
            None,
            "RFC 1939 §3",
        ),
        _ => {
            let (atom, _) = bracket_code(t).filter(|(a, _)| matches!(a.as_str(), "IN-USE" | "LOGIN-DELAY" | "SYS/TEMP" | "SYS/PERM"))?;
            let mut e = explanation(&format!("[{atom}]"), Tone::Permanent, code_meaning(&atom), None, "RFC 2449 §8, RFC 3206");
            e.code = Some((format!("[{atom}]"), code_meaning(&atom)));
            e
        }
    };
    Some(e)
}
