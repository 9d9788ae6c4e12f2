//! A transcript explained: its steps (a client line and the server lines
//! that answered it; the greeting first, message text folded into the DATA
//! step), every reply explained, the problems found with the line they are
//! on, and a summary of who talked to whom and how it ended.

use super::{Said, Side, Transcript};
use crate::encoding::base64_decode;
use crate::explain::commands::Command;
use crate::explain::{cleartext_secret, plain_user, sasl_secret, Explainer, Explanation, Text};
use crate::lang::Lang;
use crate::protocol::Protocol;

/// A client line and what answered it.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// `None` for the greeting.
    pub client: Option<String>,
    pub server: Vec<String>,
    /// Message text sent after a `354` (shown folded).
    pub data: Vec<String>,
    /// SASL responses sent after a challenge (base64; shown folded).
    pub sasl: Vec<String>,
    /// One per reply (a multi-line SMTP reply is one).
    pub explanations: Vec<Explanation>,
    /// Sent inside TLS.
    pub tls: bool,
    /// The command the client line gives, from the explainer's table.
    pub command: Option<&'static Command>,
    /// The session's state after this step, when the step changed it.
    pub state: Option<Text>,
}

/// Something wrong or worth knowing, on a line (1-based, of the transcript's dialogue).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub text: Text,
}

/// The whole reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub transcript: Transcript,
    pub steps: Vec<Step>,
    pub problems: Vec<Problem>,
    pub summary: Text,
}

/// What the summary collects as the dialogue goes.
#[derive(Default)]
struct Facts {
    server_name: Option<String>,
    client_name: Option<String>,
    accepted: Vec<String>,
    refused: Vec<(String, String)>,
    queued: Option<String>,
    message_refused: Option<String>,
    user: Option<String>,
    /// The user of a SASL exchange in progress, until the server says yes.
    pending_user: Option<String>,
    retrieved: usize,
    last_error: Option<String>,
}

pub fn analyse(transcript: Transcript) -> Analysis {
    let p = transcript.protocol;
    let mut x = Explainer::new(p);
    let mut steps: Vec<Step> = Vec::new();
    let mut problems = Vec::new();
    let mut facts = Facts::default();
    let (mut in_data, mut pipelining, mut waiting) = (false, false, false);
    let mut last_command = String::new();
    // Commands sent and not yet answered, oldest first.
    let mut pending: std::collections::VecDeque<String> = std::collections::VecDeque::new();
    // A SASL exchange without an initial response: its mechanism and how many responses were sent.
    let mut sasl: Option<(String, usize)> = None;
    let problem = |problems: &mut Vec<Problem>, line: usize, en: String, ru: String| {
        problems.push(Problem { line, text: Text::new(en, ru) });
    };
    for (i, Said { side, text, tls }) in transcript.lines.iter().enumerate() {
        let line = i + 1;
        match side {
            Side::Client if in_data => {
                if text == "." {
                    in_data = false;
                    steps.push(step(Some(text.clone()), *tls));
                    pending.push_back(".".into());
                    x.client(text);
                } else if let Some(s) = steps.last_mut() {
                    s.data.push(text.clone());
                }
            }
            Side::Client => {
                if is_smtp(p) {
                    if waiting && !pipelining {
                        problem(
                            &mut problems,
                            line,
                            format!("\"{text}\" was sent before the reply to \"{last_command}\" came, but the server did not offer PIPELINING (RFC 2920)."),
                            format!("«{text}» отправлена до ответа на «{last_command}», а сервер не предлагал PIPELINING (RFC 2920)."),
                        );
                    }
                    client_checks(text, line, &mut problems, &mut facts);
                }
                if let Some((mech, n)) = sasl.as_mut() {
                    if !tls {
                        if let Some(secret) = sasl_secret(p, mech, *n, text) {
                            problems.push(Problem { line, text: secret });
                        }
                    }
                    // Who is logging in, for the summary.
                    match (mech.as_str(), *n) {
                        ("PLAIN", 0) => facts.pending_user = plain_user(text),
                        ("LOGIN", 0) => {
                            facts.pending_user =
                                base64_decode(text.trim()).map(|u| String::from_utf8_lossy(&u).into_owned())
                        }
                        _ => {}
                    }
                    *n += 1;
                    x.client(text);
                    if let Some(s) = steps.last_mut() {
                        s.sasl.push(text.clone());
                    }
                    continue;
                }
                if let Some(ir) =
                    text.split_ascii_whitespace().nth(2).filter(|_| text.to_ascii_uppercase().starts_with("AUTH PLAIN"))
                {
                    facts.pending_user = plain_user(ir);
                }
                if !tls {
                    if let Some(secret) = cleartext_secret(p, text) {
                        problems.push(Problem { line, text: secret });
                    }
                }
                sasl = sasl_start(text);
                waiting = true;
                last_command = text.clone();
                x.client(text);
                steps.push(step(Some(text.clone()), *tls));
                pending.push_back(text.clone());
            }
            Side::Server => {
                if steps.is_empty() {
                    steps.push(step(None, *tls));
                }
                // A reply after 354 means the text has ended: some logs (Postfix's)
                // show neither the text nor the dot, only the reply to it.
                if in_data && is_smtp(p) && super::formats::is_smtp_reply(text) {
                    in_data = false;
                    steps.push(step(Some(".".into()), *tls));
                    pending.push_back(".".into());
                    x.client(".");
                }
                let reading = x.server(text);
                // A reply that is no challenge ends the SASL exchange.
                if !is_challenge(text) {
                    sasl = None;
                }
                let Some(s) = steps.last_mut() else { continue };
                s.server.push(text.clone());
                if let (Some(e), Some(_)) = (reading.explanation, reading.badge) {
                    // The command this reply answers: the oldest still unanswered (pipelining, RFC 2920 §3).
                    let final_line = matches!(text.as_bytes().get(3), None | Some(b' ')) && !text.starts_with("334");
                    let answered = if final_line { pending.pop_front() } else { None };
                    server_checks(p, answered.as_deref(), text, &e, line, &mut problems);
                    if is_smtp(p) && e.badge == "354" {
                        in_data = true;
                    }
                    s.explanations.push(e);
                    waiting = false;
                }
                if is_smtp(p) && text.get(4..).is_some_and(|k| k.eq_ignore_ascii_case("PIPELINING")) {
                    pipelining = true;
                }
                facts.note_server(p, s.client.as_deref(), text);
            }
        }
    }
    if in_data {
        problem(
            &mut problems,
            transcript.lines.len(),
            "The message text was never ended with a lone \".\" line (RFC 5321 §4.1.1.4): the server is still waiting."
                .into(),
            "Текст письма не завершён строкой из одной точки (RFC 5321 §4.1.1.4): сервер всё ещё ждёт.".into(),
        );
    }
    super::state::annotate(p, &mut steps);
    let summary = facts.summary(p);
    Analysis { transcript, steps, problems, summary }
}

/// A client line that starts a SASL exchange (SMTP/POP3 `AUTH mech [ir]`,
/// IMAP `tag AUTHENTICATE mech [ir]`): its mechanism, upper case, and
/// whether it carries an initial response (RFC 4954 §4).
pub(super) fn sasl_command(text: &str) -> Option<(String, bool)> {
    let w: Vec<String> = text.split_ascii_whitespace().map(|w| w.to_ascii_uppercase()).collect();
    match w.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["AUTH", mech] | [_, "AUTHENTICATE", mech] => Some((mech.to_string(), false)),
        ["AUTH", mech, _] | [_, "AUTHENTICATE", mech, _] => Some((mech.to_string(), true)),
        _ => None,
    }
}

/// A continuation the server sends inside a SASL exchange (SMTP `334`, POP3 and IMAP `+`).
pub(super) fn is_challenge(text: &str) -> bool {
    text.starts_with("334") || text == "+" || text.starts_with("+ ")
}

/// `AUTH PLAIN`, `AUTH LOGIN`, `a AUTHENTICATE PLAIN` without an initial
/// response: the exchange whose next client lines are SASL responses, and
/// how many the client has already given.
fn sasl_start(text: &str) -> Option<(String, usize)> {
    match sasl_command(text)? {
        (mech, false) => Some((mech, 0)),
        // LOGIN with the user name as initial response: the password comes next.
        (mech, true) if mech == "LOGIN" => Some((mech, 1)),
        _ => None,
    }
}

fn is_smtp(p: Protocol) -> bool {
    matches!(p, Protocol::Smtp | Protocol::Lmtp)
}

fn step(client: Option<String>, tls: bool) -> Step {
    Step {
        client,
        server: Vec::new(),
        data: Vec::new(),
        sasl: Vec::new(),
        explanations: Vec::new(),
        tls,
        command: None,
        state: None,
    }
}

/// Client mistakes a server may forgive but a learner should know.
fn client_checks(text: &str, line: usize, problems: &mut Vec<Problem>, facts: &mut Facts) {
    let upper = text.to_ascii_uppercase();
    if text.len() > 512 {
        problems.push(Problem {
            line,
            text: Text::new(
                format!(
                    "This command line is {} octets long; RFC 5321 §4.5.3.1.4 allows 512 with its CRLF.",
                    text.len() + 2
                ),
                format!(
                    "Длина этой командной строки {} октетов; RFC 5321 §4.5.3.1.4 допускает 512 вместе с CRLF.",
                    text.len() + 2
                ),
            ),
        });
    }
    for (verb, arg) in [("MAIL FROM:", "MAIL FROM:<address>"), ("RCPT TO:", "RCPT TO:<address>")] {
        if let Some(rest) = upper.strip_prefix(verb) {
            if !rest.trim_start().starts_with('<') {
                problems.push(Problem {
                    line,
                    text: Text::new(
                        format!("The address has no angle brackets: RFC 5321 §4.1.2 wants {arg}. Postfix accepts it; stricter servers answer 501."),
                        format!("Адрес без угловых скобок: RFC 5321 §4.1.2 требует {arg}. Postfix это примет, строгие серверы ответят 501."),
                    ),
                });
            }
        }
    }
    if ["EHLO ", "HELO ", "LHLO "].iter().any(|v| upper.starts_with(v)) {
        facts.client_name = text.get(5..).map(|n| n.trim().to_string());
    }
}

/// Server replies that contradict themselves.
fn server_checks(
    p: Protocol,
    client: Option<&str>,
    text: &str,
    e: &Explanation,
    line: usize,
    problems: &mut Vec<Problem>,
) {
    if !is_smtp(p) {
        return;
    }
    // The final line of a reply to a command: is its code one the RFC lists for that command?
    let verb = client.and_then(|c| c.split([' ', ':']).next()).map(|v| v.to_ascii_uppercase());
    if let (Some(verb), Some(code)) = (verb, text.get(..3).and_then(|c| c.parse::<u16>().ok())) {
        if let Some((list, rfc)) = super::codes::off_list(&verb, code) {
            let list: Vec<String> = list.iter().map(u16::to_string).collect();
            let list = list.join(", ");
            problems.push(Problem {
                line,
                text: Text::new(
                    format!("{rfc} does not list {code} as a reply to {verb} (it lists {list}, and 500, 501, 421 for any command). A client still acts on the first digit (RFC 5321 §4.2.1), but a stricter one may be confused."),
                    format!("{rfc} не перечисляет {code} среди ответов на {verb} (там {list}, а также 500, 501, 421 для любой команды). Клиент всё равно действует по первой цифре (RFC 5321 §4.2.1), но строгий клиент может растеряться."),
                ),
            });
        }
    }
    if let (Some(enh), Some(class)) = (&e.enhanced, text.chars().next()) {
        if !enh.starts_with(class) {
            problems.push(Problem {
                line,
                text: Text::new(
                    format!("The enhanced code {enh} has another class than the reply code {} (RFC 3463 §2: they must agree).", &text[..3]),
                    format!("Расширенный код {enh} другого класса, чем код ответа {} (RFC 3463 §2: они должны совпадать).", &text[..3]),
                ),
            });
        }
    }
    if text.starts_with("503") {
        problems.push(Problem {
            line,
            text: Text::new(
                "503: a command out of sequence — the server expected another command first (RFC 5321 §4.1.4).",
                "503: команда не по порядку — сервер ждал сначала другую команду (RFC 5321 §4.1.4).",
            ),
        });
    }
}

impl Facts {
    fn note_server(&mut self, p: Protocol, client: Option<&str>, text: &str) {
        let verb = client.map(|c| c.to_ascii_uppercase()).unwrap_or_default();
        let authenticated = text.starts_with("235") || text.starts_with("+OK") || text.split(' ').nth(1) == Some("OK");
        if authenticated && self.pending_user.is_some() {
            self.user = self.pending_user.take();
        }
        if client.is_none() && self.server_name.is_none() {
            let name = match p {
                Protocol::Smtp | Protocol::Lmtp => text.get(4..).and_then(|t| t.split_whitespace().next()),
                _ => None,
            };
            self.server_name = Some(name.unwrap_or("the server").to_string());
        }
        match p {
            Protocol::Smtp | Protocol::Lmtp => {
                let code = text.get(..3).unwrap_or("");
                if verb.starts_with("RCPT TO:") && text.as_bytes().get(3) != Some(&b'-') {
                    let who = client.and_then(|c| c.get(8..)).unwrap_or("").trim().to_string();
                    if code.starts_with('2') {
                        self.accepted.push(who);
                    } else {
                        self.refused.push((who, text.to_string()));
                    }
                } else if verb == "." || verb.starts_with("BDAT") && verb.ends_with("LAST") {
                    match text.find("queued as ") {
                        Some(i) if code.starts_with('2') => self.queued = Some(text[i + 10..].trim().to_string()),
                        _ if code.starts_with('2') => self.queued = Some(String::new()),
                        _ => self.message_refused = Some(text.to_string()),
                    }
                }
                if code.starts_with('4') || code.starts_with('5') {
                    self.last_error = Some(text.to_string());
                }
            }
            Protocol::Pop3 | Protocol::Imap => {
                let ok = text.starts_with("+OK") || text.split(' ').nth(1) == Some("OK");
                let words: Vec<&str> = client.unwrap_or("").split_whitespace().collect();
                let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
                if ok {
                    match upper.as_slice() {
                        [u, _, ..] if u == "USER" => self.user = Some(words[1].to_string()),
                        [_, l, _, ..] if l == "LOGIN" => self.user = Some(words[2].trim_matches('"').to_string()),
                        [r, ..] if r == "RETR" && text.starts_with("+OK") => self.retrieved += 1,
                        _ => {}
                    }
                }
                if text.starts_with("-ERR") || text.split(' ').nth(1).is_some_and(|s| s == "NO" || s == "BAD") {
                    self.last_error = Some(text.to_string());
                }
            }
        }
    }

    fn summary(&self, p: Protocol) -> Text {
        let server = self.server_name.clone().unwrap_or_else(|| "the server".into());
        let client = self.client_name.clone().unwrap_or_else(|| "a client".into());
        match p {
            Protocol::Smtp | Protocol::Lmtp => {
                let mut en = format!("{client} talked {} to {server}.", p.name());
                let mut ru = format!("{client} говорил по {} с {server}.", p.name());
                if !self.accepted.is_empty() {
                    en += &format!(" Accepted for: {}.", self.accepted.join(", "));
                    ru += &format!(" Приняты получатели: {}.", self.accepted.join(", "));
                }
                for (who, why) in &self.refused {
                    en += &format!(" Refused {who}: {why}.");
                    ru += &format!(" Отклонён {who}: {why}.");
                }
                match (&self.queued, &self.message_refused) {
                    (Some(id), _) if !id.is_empty() => {
                        en += &format!(" The message was accepted and queued as {id}.");
                        ru += &format!(" Письмо принято, в очереди под номером {id}.");
                    }
                    (Some(_), _) => {
                        en += " The message was accepted.";
                        ru += " Письмо принято.";
                    }
                    (None, Some(why)) => {
                        en += &format!(" The message was refused: {why}.");
                        ru += &format!(" Письмо отклонено: {why}.");
                    }
                    (None, None) => {
                        en += " No message was sent.";
                        ru += " Письмо не отправлено.";
                    }
                }
                Text::new(en, ru)
            }
            Protocol::Pop3 | Protocol::Imap => {
                let who = self.user.as_deref();
                let mut en = match who {
                    Some(u) => format!("A mail client logged in to {server} over {} as {u}.", p.name()),
                    None => format!("A mail client talked {} to {server}; no login succeeded.", p.name()),
                };
                let mut ru = match who {
                    Some(u) => format!("Почтовый клиент вошёл на {server} по {} как {u}.", p.name()),
                    None => format!("Почтовый клиент говорил по {} с {server}; вход не удался.", p.name()),
                };
                if self.retrieved > 0 {
                    en += &format!(" {} message(s) retrieved.", self.retrieved);
                    ru += &format!(" Получено писем: {}.", self.retrieved);
                }
                if let Some(e) = &self.last_error {
                    en += &format!(" Last error: {e}");
                    ru += &format!(" Последняя ошибка: {e}");
                }
                Text::new(en, ru)
            }
        }
    }
}

impl Analysis {
    /// The JSON `mailsim explain --json` prints: `{"protocol", "format",
    /// "steps": [{"client", "server", "explanations"}], "problems", "summary"}`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        let steps: Vec<serde_json::Value> = self
            .steps
            .iter()
            .map(|s| {
                let mut v = serde_json::json!({
                    "client": s.client,
                    "server": s.server,
                    "explanations": s.explanations.iter().map(|e| e.meaning.get(lang)).collect::<Vec<_>>(),
                });
                if !s.data.is_empty() {
                    v["data"] = serde_json::json!(s.data);
                }
                if !s.sasl.is_empty() {
                    v["sasl"] = serde_json::json!(s.sasl);
                }
                if s.tls {
                    v["tls"] = serde_json::json!(true);
                }
                if let Some(c) = s.command {
                    v["command"] = serde_json::json!({"syntax": c.syntax, "rfc": c.rfc, "what": c.what_in(lang)});
                }
                if let Some(st) = &s.state {
                    v["state"] = serde_json::json!(st.get(lang));
                }
                v
            })
            .collect();
        serde_json::json!({
            "protocol": self.transcript.protocol.name().to_ascii_lowercase(),
            "format": self.transcript.format.name(),
            "steps": steps,
            "problems": self.problems.iter().map(|p| serde_json::json!({"line": p.line, "text": p.text.get(lang)})).collect::<Vec<_>>(),
            "summary": self.summary.get(lang),
            "notes": self.transcript.notes,
        })
    }

    /// The annotated transcript as text, for the terminal.
    pub fn to_text(&self, lang: Lang) -> String {
        let mut out = format!(
            "{} transcript ({}): {}\n",
            self.transcript.protocol.name(),
            self.transcript.format.name(),
            self.summary.get(lang)
        );
        for n in &self.transcript.notes {
            out += &format!("note: {n}\n");
        }
        for s in &self.steps {
            out.push('\n');
            if let Some(c) = &s.client {
                out += &format!("C: {c}{}\n", if s.tls { "   [inside TLS]" } else { "" });
            }
            if let Some(c) = s.command {
                out += &format!("   ({}: {}; {})\n", c.syntax, c.what_in(lang), c.rfc);
            }
            if !s.data.is_empty() {
                out += &format!("   … {} line(s) of message text\n", s.data.len());
            }
            for r in &s.sasl {
                out += &format!("C: {r}   [SASL response]\n");
            }
            for l in &s.server {
                out += &format!("S: {l}\n");
            }
            for e in &s.explanations {
                out += &format!("   = {} ({})\n", e.meaning.get(lang), e.rfc);
            }
            if let Some(st) = &s.state {
                out += &format!("   -> {}\n", st.get(lang));
            }
        }
        if !self.problems.is_empty() {
            out += "\nProblems:\n";
            for p in &self.problems {
                out += &format!("  line {}: {}\n", p.line, p.text.get(lang));
            }
        }
        out
    }
}
