//! Compare with mailsim: a transcript's client lines replayed, in order,
//! against mailsim's own server in a fresh world (seed 1), and each step's
//! real reply set beside what mailsim's Postfix, Sendmail, CommuniGate or
//! Dovecot answered (the steps are [`analyse`]'s, so a UI shows them side by
//! side).
//!
//! A step is [`Verdict::Same`] when the replies agree once what legitimately
//! varies is masked (host names in the greeting and EHLO's first line, queue
//! ids, Dovecot's timing figures, UIDVALIDITY values, dates);
//! [`Verdict::SameCode`] when only the text differs: the basic and enhanced
//! codes (RFC 5321 §4.2, RFC 3463), POP3's `+OK`/`-ERR` (RFC 1939 §3) or
//! IMAP's tagged `OK`/`NO`/`BAD` (RFC 3501 §7.1) agree; [`Verdict::Differs`]
//! otherwise. TLS is a flag of the world's connection: after STARTTLS (RFC
//! 3207) or STLS the client's lines are fed as they are; a greeting inside TLS
//! means implicit TLS (RFC 8314 §3), and the replay connects through TLS.

use super::export::replay_port;
use super::{analyse, Side, Step, Transcript};
use crate::explain::{Explainer, Explanation, Text};
use crate::lang::Lang;
use crate::protocol::Protocol;
use crate::smtp::Peer;
use crate::world::{Answer, Connection, World};
use serde::Serialize;

/// The most client lines replayed (a parsed transcript has fewer already).
pub const MAX_FED: usize = super::MAX_LINES;

/// Which of mailsim's servers a transcript is replayed against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Personality {
    /// Postfix 3.7 on mail.example.com (SMTP).
    Postfix,
    /// Sendmail 8.9.3 on shadrach.smallorg.org (SMTP).
    Sendmail,
    /// CommuniGate Pro on mail.company.tld (SMTP).
    CommuniGate,
    /// Dovecot 2.3 on mail.example.com (POP3, IMAP).
    Dovecot,
    /// Dovecot's LMTP service on mail.example.com (LMTP, RFC 2033).
    DovecotLmtp,
}

impl Personality {
    pub const ALL: [Personality; 5] = [
        Personality::Postfix,
        Personality::Sendmail,
        Personality::CommuniGate,
        Personality::Dovecot,
        Personality::DovecotLmtp,
    ];

    /// Its name, as `mailsim explain --against` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Personality::Postfix => "postfix",
            Personality::Sendmail => "sendmail",
            Personality::CommuniGate => "communigate",
            Personality::Dovecot => "dovecot",
            Personality::DovecotLmtp => "dovecot-lmtp",
        }
    }

    /// By name; the SMTP personalities' own names (`sendmail-8.9.3`, `communigate-pro`) too.
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.to_ascii_lowercase();
        let name = match name.as_str() {
            "sendmail-8.9.3" => "sendmail",
            "communigate-pro" => "communigate",
            n => n,
        };
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The world's host that has this personality.
    pub fn host(self) -> &'static str {
        match self {
            Personality::Sendmail => "shadrach.smallorg.org",
            Personality::CommuniGate => "mail.company.tld",
            Personality::Postfix | Personality::Dovecot | Personality::DovecotLmtp => "mail.example.com",
        }
    }

    /// True when this server speaks `p`.
    pub fn speaks(self, p: Protocol) -> bool {
        match self {
            Personality::Postfix | Personality::Sendmail | Personality::CommuniGate => p == Protocol::Smtp,
            Personality::Dovecot => matches!(p, Protocol::Pop3 | Protocol::Imap),
            Personality::DovecotLmtp => p == Protocol::Lmtp,
        }
    }

    /// What the transcript's greeting suggests (Sendmail's and CommuniGate's
    /// banners name them; Postfix otherwise), or its protocol's server.
    pub fn suggested(t: &Transcript) -> Self {
        let greeting = t.lines.iter().find(|s| s.side == Side::Server).map_or("", |s| s.text.as_str());
        match t.protocol {
            Protocol::Pop3 | Protocol::Imap => Personality::Dovecot,
            Protocol::Lmtp => Personality::DovecotLmtp,
            Protocol::Smtp if greeting.contains("Sendmail") => Personality::Sendmail,
            Protocol::Smtp if greeting.contains("CommuniGate") || greeting.contains("is glad to see you") => {
                Personality::CommuniGate
            }
            Protocol::Smtp => Personality::Postfix,
        }
    }
}

/// What to replay against; `None` fields default to what the transcript suggests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Against {
    pub personality: Option<Personality>,
    pub port: Option<u16>,
}

/// How a step's real reply compares with mailsim's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The same lines, once what legitimately varies is masked.
    Same,
    /// The same codes or statuses, other text.
    SameCode,
    /// Other codes, other lines, or a reply on one side only.
    Differs,
}

/// One step: the client line, the real server's reply and mailsim's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepCheck {
    /// `None` for the greeting.
    pub client: Option<String>,
    pub real: Vec<String>,
    pub ours: Vec<String>,
    pub verdict: Verdict,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The personality's name, its host and the port replayed to.
    pub against: (String, String, u16),
    pub steps: Vec<StepCheck>,
    pub summary: Text,
}

/// Replays `t`'s client lines against mailsim's server and compares the replies step by step.
pub fn check(t: &Transcript, with: Against) -> Comparison {
    let personality = with.personality.unwrap_or_else(|| Personality::suggested(t));
    let host = personality.host();
    // A greeting inside TLS: the port speaks TLS first (RFC 8314 §3).
    let implicit = t.lines.iter().find(|s| s.side == Side::Server).is_some_and(|s| s.tls && is_greeting(&s.text));
    let port = with.port.unwrap_or(match (implicit, t.protocol) {
        (true, Protocol::Smtp) => 465,
        (true, Protocol::Pop3) => 995,
        (true, Protocol::Imap) => 993,
        // Sendmail's and CommuniGate's hosts serve port 25 only.
        _ if matches!(personality, Personality::Sendmail | Personality::CommuniGate) => 25,
        _ => replay_port(t),
    });
    let against = (personality.name().to_string(), host.to_string(), port);
    let empty = |summary: Text| Comparison { against: against.clone(), steps: Vec::new(), summary };
    if !personality.speaks(t.protocol) {
        let p = t.protocol.name();
        return empty(Text::new(
            format!(
                "Nothing compared: this transcript is {p}, and mailsim's {} does not speak it.",
                personality.name()
            ),
            format!("Сравнения нет: это сеанс {p}, а {} в mailsim на нём не говорит.", personality.name()),
        ));
    }
    let mut world = World::new(1);
    let opened = match personality {
        // LMTP listens on the host itself only: connect from there.
        Personality::DovecotLmtp => {
            let ip = world.resolve(host).map(|h| h.ip.clone()).unwrap_or_default();
            world.connect_from(Peer::new(Some(host), &ip), host, port)
        }
        _ if matches!(port, 465 | 993 | 995) => world.connect_over_tls(host, port),
        _ => world.connect(host, port),
    };
    let Ok((conn, greeting)) = opened else {
        return empty(Text::new(
            format!("Nothing compared: mailsim's {host} accepts no connection on port {port}."),
            format!("Сравнения нет: {host} в mailsim не принимает соединений на порту {port}."),
        ));
    };
    let analysis = analyse(t.clone());
    let mut replay = Replay { world, conn, x: Explainer::new(t.protocol), fed: 0, closed: greeting.closed };
    let mut steps = Vec::with_capacity(analysis.steps.len());
    let mut closed_after = None;
    let mut real_x = Explainer::new(t.protocol);
    // Replies to pipelined lines (a step with no recorded reply) wait for the step that shows them.
    let mut carried: Vec<(String, Option<Explanation>)> = Vec::new();
    let last = analysis.steps.len().saturating_sub(1);
    for (i, step) in analysis.steps.iter().enumerate() {
        let mut ours = std::mem::take(&mut carried);
        match &step.client {
            None => ours.extend(replay.read(&greeting)),
            Some(_) if replay.closed => {}
            Some(c) => {
                ours.extend(replay.feed(c, true));
                for l in step.data.iter() {
                    ours.extend(replay.feed(l, false));
                }
                for l in step.sasl.iter() {
                    ours.extend(replay.feed(l, true));
                }
                if replay.closed {
                    closed_after = Some(i);
                }
            }
        }
        if step.server.is_empty() && step.client.is_some() && i < last && !replay.closed {
            carried = ours;
            read_real(&mut real_x, step);
            steps.push(StepCheck {
                client: step.client.clone(),
                real: Vec::new(),
                ours: Vec::new(),
                verdict: Verdict::Same,
            });
            continue;
        }
        let real = read_real(&mut real_x, step);
        let verdict = compare(t.protocol, step.client.as_deref(), &real, &ours, i == last);
        steps.push(StepCheck {
            client: step.client.clone(),
            real: step.server.clone(),
            ours: ours.into_iter().map(|(l, _)| l).collect(),
            verdict,
        });
    }
    let mut notes = Vec::new();
    if let Some(i) = closed_after.filter(|&i| i + 1 < steps.len()) {
        notes.push(Text::new(
            format!("mailsim closed the connection after step {}; the rest was not replayed.", i + 1),
            format!("mailsim закрыл соединение после шага {}; остальное не повторялось.", i + 1),
        ));
    }
    if replay.fed >= MAX_FED {
        notes.push(Text::new(
            format!("Only the first {MAX_FED} client lines were replayed."),
            format!("Повторены только первые {MAX_FED} строк клиента."),
        ));
    }
    if t.format == super::Format::DovecotRawlog {
        notes.push(Text::new(
            "A Dovecot rawlog starts after the login, so mailsim's server was never logged in: it refuses what needs a login.",
            "Rawlog Dovecot начинается после входа, поэтому на сервере mailsim вход не выполнен: он отказывает в том, что требует входа.",
        ));
    }
    let summary = summary(&against, &steps, &notes);
    Comparison { against, steps, summary }
}

/// The replay's side: mailsim's connection and an explainer reading its replies.
struct Replay {
    world: World,
    conn: Connection,
    x: Explainer,
    fed: usize,
    closed: bool,
}

impl Replay {
    /// Sends one client line (CRLF added); `command`: tell the explainer (not message text).
    fn feed(&mut self, line: &str, command: bool) -> Vec<(String, Option<Explanation>)> {
        if self.closed || self.fed >= MAX_FED {
            return Vec::new();
        }
        self.fed += 1;
        // A line holds no line end: a JSON import might.
        let line = line.replace(['\r', '\n'], " ");
        if command {
            self.x.client(&line);
        }
        let mut bytes = line.into_bytes();
        bytes.extend_from_slice(b"\r\n");
        let answer = self.world.send(&mut self.conn, &bytes);
        self.closed = answer.closed;
        self.read(&answer)
    }

    /// Each server line with its explanation, if it is a reply or status (not data).
    fn read(&mut self, answer: &Answer) -> Vec<(String, Option<Explanation>)> {
        answer
            .lines
            .iter()
            .map(|l| {
                let r = self.x.server(l);
                (l.clone(), r.explanation.filter(|_| r.badge.is_some()))
            })
            .collect()
    }
}

/// True for a greeting line: SMTP's 220, POP3's `+OK`, IMAP's `* OK`/`* PREAUTH`.
fn is_greeting(l: &str) -> bool {
    l.starts_with("220") || l.starts_with("+OK") || l.starts_with("* OK") || l.starts_with("* PREAUTH")
}

/// The codes a reply is judged by: SMTP's basic and enhanced code and
/// POP3's status, as the explainer read them; IMAP's by syntax (a literal
/// the tool did not print would mislead the explainer): the status of the
/// lines tagged as the command, continuations, `* BYE` and the greeting's status.
fn codes(p: Protocol, client: Option<&str>, read: &Read) -> Vec<String> {
    if p != Protocol::Imap {
        return read
            .iter()
            .filter_map(|(_, e)| e.as_ref())
            .map(|e| match &e.enhanced {
                Some(enh) => format!("{} {enh}", e.badge),
                None => e.badge.clone(),
            })
            .collect();
    }
    let tag = client.and_then(|c| c.split(' ').next()).unwrap_or("*");
    read.iter()
        .enumerate()
        .filter_map(|(i, (l, _))| {
            let mut w = l.split(' ');
            let (first, status) = (w.next().unwrap_or(""), w.next().unwrap_or(""));
            let status = status.to_ascii_uppercase();
            let tagged = first == tag && matches!(status.as_str(), "OK" | "NO" | "BAD");
            let untagged = first == "*" && (status == "BYE" || (client.is_none() && i == 0));
            if tagged || untagged {
                Some(format!("{first} {status}"))
            } else {
                (first == "+").then(|| "+".to_string())
            }
        })
        .collect()
}

/// Lines with the explanation of each reply or status line (`None` for data).
type Read = [(String, Option<Explanation>)];

fn compare(p: Protocol, client: Option<&str>, real: &Read, ours: &Read, last: bool) -> Verdict {
    let greeting = client.is_none();
    let helo = client.is_some_and(|c| {
        let v = c.get(..4).unwrap_or("").to_ascii_uppercase();
        matches!(v.as_str(), "EHLO" | "HELO" | "LHLO")
    });
    let mask = |lines: &mut dyn Iterator<Item = &str>| -> Vec<String> {
        lines.enumerate().map(|(i, l)| normalise(p, l, greeting || (helo && i == 0))).collect()
    };
    let text = |r: &Read| mask(&mut r.iter().map(|(l, _)| l.as_str()));
    let code = |r: &Read| codes(p, client, r);
    let (real_text, ours_text, real_codes, ours_codes) = (text(real), text(ours), code(real), code(ours));
    // A transcript that ends inside this step's reply: compare what it shows.
    let cut = last && !real.is_empty() && ours_codes.len() > real_codes.len();
    let (ours_codes, ours_text) = if cut && ours_codes.starts_with(&real_codes) {
        (&ours_codes[..real_codes.len()], &ours_text[..real_text.len().min(ours_text.len())])
    } else {
        (&ours_codes[..], &ours_text[..])
    };
    if real_text == ours_text {
        Verdict::Same
    } else if !real_codes.is_empty() && real_codes == ours_codes {
        Verdict::SameCode
    } else if real_codes.is_empty() && ours_codes.is_empty() && !real_text.is_empty() && !ours_text.is_empty() {
        // Statusless lines only (an IMAP greeting without one, data): the text decides.
        Verdict::SameCode
    } else {
        Verdict::Differs
    }
}

/// The real step's lines read by `x`, in the order they came: each SASL
/// response after the challenge it answers (RFC 4954 §4, RFC 3501 §6.2.2).
fn read_real(x: &mut Explainer, step: &Step) -> Vec<(String, Option<Explanation>)> {
    if let Some(c) = &step.client {
        x.client(c);
    }
    let mut sasl = step.sasl.iter();
    step.server
        .iter()
        .map(|l| {
            let r = x.server(l);
            if l.starts_with("334") || l == "+" || l.starts_with("+ ") {
                if let Some(s) = sasl.next() {
                    x.client(s);
                }
            }
            (l.clone(), r.explanation.filter(|_| r.badge.is_some()))
        })
        .collect()
}

/// A server line with what legitimately varies masked: host names and
/// addresses (`host`: in a greeting or EHLO's first line), queue ids, Dovecot's
/// timing figures, UIDVALIDITY values and dates.
fn normalise(p: Protocol, line: &str, host: bool) -> String {
    let mut words: Vec<String> = line.split(' ').map(str::to_string).collect();
    if host {
        for w in words.iter_mut() {
            // `250-mail.example.com`: the code of a multi-line reply's first line stays.
            let code = if w.len() > 4 && w.as_bytes()[3] == b'-' && w[..3].bytes().all(|b| b.is_ascii_digit()) {
                4
            } else {
                0
            };
            let bare = w[code..].trim_matches(|c: char| matches!(c, '[' | ']' | '(' | ')' | ',' | ';'));
            let dotted = bare.len() > 2 && bare.contains('.') && !bare.ends_with('.') && !bare.starts_with('.');
            // A name has a letter (a version such as 8.9.3/8.9.3 has none); an IPv4 address three dots.
            let name = bare.bytes().any(|b| b.is_ascii_alphabetic()) && !bare.contains('/');
            let ipv4 = bare.split('.').count() == 4 && bare.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            let dotted = dotted && (name || ipv4);
            if dotted {
                *w = w.replacen(bare, "<host>", 1);
            }
        }
    }
    if matches!(p, Protocol::Smtp | Protocol::Lmtp) {
        // Postfix's `queued as ID`; Sendmail's and CommuniGate's `ID Message accepted for delivery`.
        let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
        for i in 0..words.len() {
            let after_queued = i >= 2 && lower[i - 2] == "queued" && lower[i - 1] == "as";
            let before_accepted =
                lower.get(i + 1).is_some_and(|w| w == "message") && lower.get(i + 2).is_some_and(|w| w == "accepted");
            if after_queued || (i > 0 && before_accepted) {
                words[i] = "<id>".into();
            }
        }
    }
    for i in 0..words.len() {
        if i > 0 && words[i - 1].trim_start_matches('[').eq_ignore_ascii_case("UIDVALIDITY") {
            let n = words[i].trim_end_matches([']', ')']);
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                words[i] = words[i].replacen(n, "<uidvalidity>", 1);
            }
        }
    }
    mask_timing(&mask_dates(&words))
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Dates as RFC 5322 §3.3 writes them (`Wed, 25 Aug 1999 18:35:33 -0500`)
/// and IMAP's date-time (`17-Jul-1996 02:44:25 -0700`, RFC 3501 §9), masked.
fn mask_dates(words: &[String]) -> String {
    let digits =
        |w: &str, n: std::ops::RangeInclusive<usize>| n.contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit());
    let time = |w: &str| w.len() == 8 && w.split(':').count() == 3 && w.split(':').all(|x| digits(x, 2..=2));
    // A zone, and what follows it in its word (`-0700")`).
    let zone = |w: &str| -> Option<usize> {
        let b = w.as_bytes();
        // `get`: byte 5 may fall inside a character of a hostile word (`+1é€`).
        if w.len() >= 5 && matches!(b[0], b'+' | b'-') && w.get(1..5).is_some_and(|d| digits(d, 4..=4)) {
            return Some(5);
        }
        ["(UTC)", "UTC", "GMT"].into_iter().find(|z| w.starts_with(z)).map(str::len)
    };
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let w = |k: usize| words.get(i + k).map_or("", String::as_str);
        let rfc5322 = digits(w(0), 1..=2) && MONTHS.contains(&w(1)) && digits(w(2), 4..=4) && time(w(3));
        let quote = if w(0).starts_with('"') { "\"" } else { "" };
        let imap = {
            let d: Vec<&str> = w(0).trim_start_matches('"').split('-').collect();
            d.len() == 3 && digits(d[0].trim(), 1..=2) && MONTHS.contains(&d[1]) && digits(d[2], 4..=4) && time(w(1))
        };
        if !(rfc5322 || imap) {
            out.push(words[i].clone());
            i += 1;
            continue;
        }
        // The day of the week before it goes too.
        if out.last().is_some_and(|d| d.len() == 4 && d.ends_with(',')) {
            out.pop();
        }
        i += if rfc5322 { 4 } else { 2 };
        let mut tail = "";
        if let Some(n) = words.get(i).and_then(|z| zone(z)) {
            tail = &words[i][n..];
            i += 1;
        }
        out.push(format!("{quote}<date>{tail}"));
    }
    out.join(" ")
}

/// Dovecot's timing figures, `(0.001 + 0.000 secs)` after a tagged reply, masked.
fn mask_timing(line: &str) -> String {
    let Some(end) = line.find(" secs)") else { return line.to_string() };
    let Some(start) = line[..end].rfind('(') else { return line.to_string() };
    let figures = &line[start + 1..end];
    if figures.is_empty() || !figures.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b' ' | b'+')) {
        return line.to_string();
    }
    format!("{}(<timing>{}", &line[..start], &line[end..])
}

/// How many steps are the same, the same in code, different.
fn counts(steps: &[StepCheck]) -> [usize; 3] {
    let n = |v: Verdict| steps.iter().filter(|s| s.verdict == v).count();
    [n(Verdict::Same), n(Verdict::SameCode), n(Verdict::Differs)]
}

fn summary(against: &(String, String, u16), steps: &[StepCheck], notes: &[Text]) -> Text {
    let (name, host, port) = against;
    let [same, code, differs] = counts(steps);
    let mut en = format!(
        "Replayed against mailsim's {name} ({host}:{port}): {same} step(s) the same, {code} with the same codes but other text, {differs} different."
    );
    let mut ru = format!(
        "Повтор на {name} в mailsim ({host}:{port}): совпало шагов — {same}, те же коды, другой текст — {code}, отличается — {differs}."
    );
    if steps.is_empty() {
        en += " The transcript has no steps to compare.";
        ru += " В сеансе нет шагов для сравнения.";
    } else if !steps.iter().any(|s| s.client.is_some()) {
        en += " It has no client lines: only the greeting was compared.";
        ru += " В нём нет строк клиента: сравнено только приветствие.";
    }
    if let Some((i, s)) = steps.iter().enumerate().find(|(_, s)| s.verdict == Verdict::Differs) {
        let what = s.client.as_deref().map_or("the greeting".to_string(), |c| format!("\"{c}\""));
        let chto = s.client.as_deref().map_or("приветствие".to_string(), |c| format!("«{c}»"));
        en += &format!(" The first difference is at step {} ({what}).", i + 1);
        ru += &format!(" Первое отличие — на шаге {} ({chto}).", i + 1);
    }
    for n in notes {
        en += &format!(" {}", n.en);
        ru += &format!(" {}", n.ru);
    }
    Text::new(en, ru)
}

impl Comparison {
    /// How many steps are the same, the same in code, different.
    pub fn counts(&self) -> [usize; 3] {
        counts(&self.steps)
    }

    /// The `"check"` object of `mailsim explain --check --json`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        let (personality, host, port) = &self.against;
        let [same, same_code, differs] = self.counts();
        serde_json::json!({
            "against": {"personality": personality, "host": host, "port": port},
            "steps": self.steps,
            "counts": {"same": same, "same_code": same_code, "differs": differs},
            "summary": self.summary.get(lang),
        })
    }

    /// The comparison as text: the summary, then each step that is not the same.
    pub fn to_text(&self, lang: Lang) -> String {
        /// The most lines printed of one side of a step.
        const SHOWN: usize = 20;
        let mut out = format!("{}\n", self.summary.get(lang));
        let side = |out: &mut String, who: &str, lines: &[String]| {
            if lines.is_empty() {
                *out += &format!("   {who} (no reply)\n");
            }
            for l in lines.iter().take(SHOWN) {
                *out += &format!("   {who} {l}\n");
            }
            if lines.len() > SHOWN {
                *out += &format!("   {who} … {} more line(s)\n", lines.len() - SHOWN);
            }
        };
        for (i, s) in self.steps.iter().enumerate() {
            let label = match s.verdict {
                Verdict::Same => continue,
                Verdict::SameCode => "same code, other text",
                Verdict::Differs => "differs",
            };
            out += &format!("\nstep {} ({label}): C: {}\n", i + 1, s.client.as_deref().unwrap_or("(greeting)"));
            side(&mut out, "real:  ", &s.real);
            side(&mut out, "mailsim:", &s.ours);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_what_varies_and_nothing_else() {
        let n = |l: &str, host: bool| normalise(Protocol::Smtp, l, host);
        assert_eq!(n("250 2.0.0 Ok: queued as 37D68D853B", false), "250 2.0.0 Ok: queued as <id>");
        assert_eq!(n("250 KAA01234 Message accepted for delivery", false), "250 <id> Message accepted for delivery");
        assert_eq!(
            n("220 shadrach.smallorg.org ESMTP Sendmail 8.9.3/8.9.3; Wed, 25 Aug 1999 18:35:33 -0500", true),
            "220 <host> ESMTP Sendmail 8.9.3/8.9.3; <date>"
        );
        assert_eq!(n("250-vm.local Hello x [127.0.0.1], pleased", true), "250-<host> Hello x [<host>], pleased");
        assert_eq!(n("250 2.1.5 Ok", false), "250 2.1.5 Ok");
        // Host names are masked only where they are the greeting's or EHLO's.
        assert_eq!(n("550 5.1.1 <a@b.example>: nope", false), "550 5.1.1 <a@b.example>: nope");
        let i = |l: &str| normalise(Protocol::Imap, l, false);
        assert_eq!(i("a OK Fetch completed (0.001 + 0.000 secs)."), "a OK Fetch completed (<timing> secs).");
        assert_eq!(i("* OK [UIDVALIDITY 1796019032] UIDs valid"), "* OK [UIDVALIDITY <uidvalidity>] UIDs valid");
        assert_eq!(i("* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")"), "* 1 FETCH (INTERNALDATE \"<date>\")");
        assert_eq!(i("a OK (fast secs)"), "a OK (fast secs)");
    }

    #[test]
    fn personality_names_round_trip() {
        for p in Personality::ALL {
            assert_eq!(Personality::from_name(p.name()), Some(p));
        }
        assert_eq!(Personality::from_name("sendmail-8.9.3"), Some(Personality::Sendmail));
        assert_eq!(Personality::from_name("exim"), None);
    }
}
