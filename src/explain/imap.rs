//! IMAP responses (RFC 3501 §7, RFC 9051 §7): a tagged status (`a1 OK`,
//! `a1 NO`, `a1 BAD`) ends the command with that tag; untagged lines (`* …`)
//! carry data and state; `+` asks for more (a literal, a SASL answer, or
//! says IDLE has begun). A line ending in `{n}` is followed by n octets of
//! literal data (RFC 3501 §4.3). Bracketed response codes are explained too.

use super::{bracket_code, Explanation, Reading, Text, Tone};
use crate::protocol::Protocol;

#[derive(Debug, Clone, Default)]
pub(super) struct State {
    /// Commands waiting for their tagged status: (tag, verb).
    pending: Vec<(String, String)>,
    /// Octets of literal data still to come in server lines.
    literal: u64,
    /// The client is inside a literal or a SASL/IDLE exchange: its lines are not commands.
    continuing: bool,
}

/// Most commands remembered while waiting for their status (pipelining is shallow).
const MAX_PENDING: usize = 64;

impl State {
    pub(super) fn client(&mut self, line: &str) {
        let mut words = line.split_ascii_whitespace();
        let (Some(tag), Some(verb)) = (words.next(), words.next()) else { return };
        if self.continuing {
            return;
        }
        let mut verb = verb.to_ascii_uppercase();
        if verb == "UID" {
            if let Some(v) = words.next() {
                verb = format!("UID {}", v.to_ascii_uppercase());
            }
        }
        if self.pending.len() >= MAX_PENDING {
            self.pending.remove(0);
        }
        self.pending.push((tag.to_string(), verb));
    }

    pub(super) fn server(&mut self, line: &str) -> Reading {
        if self.literal > 0 {
            self.literal = self.literal.saturating_sub(line.len() as u64 + 2);
            let meaning = Text::new(
                "Literal data: octets the line before announced with {n} (part of a message, here).",
                "Литерал: октеты, объявленные в предыдущей строке как {n} (здесь — часть письма).",
            );
            return Reading {
                tone: Tone::Data,
                badge: None,
                explanation: Some(explanation("", Tone::Data, meaning, "RFC 3501 §4.3")),
            };
        }
        self.literal = literal_after(line);
        if line == "+" || line.starts_with("+ ") {
            return self.continuation();
        }
        if let Some(rest) = line.strip_prefix("* ") {
            return untagged(rest);
        }
        let mut words = line.splitn(3, ' ');
        let (Some(tag), Some(status)) = (words.next(), words.next()) else {
            return Reading::plain(Tone::Info);
        };
        let Some(tone) = status_tone(status) else { return Reading::plain(Tone::Info) };
        let rest = words.next().unwrap_or("");
        let verb = match self.pending.iter().position(|(t, _)| t == tag) {
            Some(i) => self.pending.remove(i).1,
            None => String::new(),
        };
        self.continuing = false;
        let mut e = explanation(status, tone, tagged_meaning(status, &verb), tagged_rfc(status));
        add_code(&mut e, rest);
        Reading { tone, badge: Some((tag.len() + 1, tag.len() + 1 + status.len())), explanation: Some(e) }
    }

    fn continuation(&mut self) -> Reading {
        self.continuing = true;
        let verb = self.pending.last().map(|(_, v)| v.as_str()).unwrap_or("");
        let meaning = match verb {
            "IDLE" => Text::new(
                "IDLE has begun: the server will tell you of new mail as it comes (* n EXISTS). Send DONE to stop.",
                "IDLE начат: сервер сам сообщит о новой почте (* n EXISTS). Отправьте DONE, чтобы закончить.",
            ),
            "AUTHENTICATE" => Text::new(
                "A SASL challenge (base64, may be empty): answer with one base64 line, or * to cancel.",
                "Вызов SASL (base64, может быть пустым): ответьте строкой base64 или * для отмены.",
            ),
            _ => Text::new(
                "Go on: the server is ready for the literal the client announced with {n}.",
                "Продолжайте: сервер готов принять литерал, объявленный клиентом как {n}.",
            ),
        };
        let e = explanation("+", Tone::Intermediate, meaning, "RFC 3501 §7.5");
        Reading { tone: Tone::Intermediate, badge: Some((0, 1)), explanation: Some(e) }
    }
}

fn explanation(badge: &str, tone: Tone, meaning: Text, rfc: &str) -> Explanation {
    Explanation {
        protocol: Protocol::Imap,
        badge: badge.to_string(),
        tone,
        meaning,
        next: None,
        enhanced: None,
        code: None,
        rfc: rfc.to_string(),
    }
}

/// The octets of a literal announced at the end of a line (`{42}`, `{42+}`).
fn literal_after(line: &str) -> u64 {
    let Some(open) = line.strip_suffix('}').and_then(|l| l.rfind('{').map(|i| &l[i + 1..])) else { return 0 };
    open.trim_end_matches('+').parse().unwrap_or(0)
}

fn status_tone(status: &str) -> Option<Tone> {
    match status.to_ascii_uppercase().as_str() {
        "OK" => Some(Tone::Success),
        "NO" => Some(Tone::Transient),
        "BAD" => Some(Tone::Permanent),
        _ => None,
    }
}

fn tagged_rfc(status: &str) -> &'static str {
    match status.to_ascii_uppercase().as_str() {
        "OK" => "RFC 3501 §7.1.1",
        "NO" => "RFC 3501 §7.1.2",
        _ => "RFC 3501 §7.1.3",
    }
}

fn tagged_meaning(status: &str, verb: &str) -> Text {
    let (en, ru) = if verb.is_empty() {
        ("the command".to_string(), "команда".to_string())
    } else {
        (verb.to_string(), verb.to_string())
    };
    match status.to_ascii_uppercase().as_str() {
        "OK" => Text::new(
            format!("{en} with this tag succeeded; the untagged (*) lines before it were its data."),
            format!("{ru} с этой меткой выполнена; строки со * перед ней — её данные."),
        ),
        "NO" => Text::new(
            format!("{en} was understood but refused (no such mailbox, wrong password…); the text and any [CODE] say why."),
            format!("{ru} понята, но отклонена (нет такого ящика, неверный пароль…); текст и [КОД] объясняют почему."),
        ),
        _ => Text::new(
            format!("{en}: a protocol or syntax error — check the spelling, the arguments and the state (every command starts with a tag)."),
            format!("{ru}: ошибка протокола или синтаксиса — проверьте написание, аргументы и состояние (каждая команда начинается с метки)."),
        ),
    }
}

/// An untagged response (`* …`, RFC 3501 §7.1–§7.4).
fn untagged(rest: &str) -> Reading {
    let mut words = rest.split_ascii_whitespace();
    let first = words.next().unwrap_or("").to_ascii_uppercase();
    let second = words.next().unwrap_or("").to_ascii_uppercase();
    let t = Text::new;
    let (tone, meaning, rfc) = match (first.as_str(), second.as_str()) {
        ("OK", _) => (
            Tone::Info,
            t(
                "Information from the server (the greeting, or a note such as a response code).",
                "Сведения от сервера (приветствие или примечание, например код ответа).",
            ),
            "RFC 3501 §7.1.1",
        ),
        ("NO", _) => (Tone::Transient, t("A warning from the server.", "Предупреждение сервера."), "RFC 3501 §7.1.2"),
        ("BAD", _) => (
            Tone::Permanent,
            t("The server could not tie an error to a command.", "Ошибка, которую сервер не смог отнести к команде."),
            "RFC 3501 §7.1.3",
        ),
        ("PREAUTH", _) => (
            Tone::Success,
            t(
                "The greeting of a session that is already logged in (the Authenticated state).",
                "Приветствие уже авторизованного сеанса (состояние Authenticated).",
            ),
            "RFC 3501 §7.1.4",
        ),
        ("BYE", _) => (
            Tone::Info,
            t(
                "The server is closing the connection (after LOGOUT, or on its own).",
                "Сервер закрывает соединение (после LOGOUT или сам).",
            ),
            "RFC 3501 §7.1.5",
        ),
        ("CAPABILITY", _) => (
            Tone::Data,
            t(
                "What this server supports: IMAP4rev1 and its extensions, and the login methods allowed now.",
                "Что умеет сервер: IMAP4rev1, расширения и способы входа, доступные сейчас.",
            ),
            "RFC 3501 §7.2.1",
        ),
        ("LIST", _) | ("LSUB", _) => (
            Tone::Data,
            t(
                "A mailbox: its attributes, the hierarchy separator and its name.",
                "Почтовый ящик: атрибуты, разделитель иерархии и имя.",
            ),
            "RFC 3501 §7.2.2",
        ),
        ("STATUS", _) => (
            Tone::Data,
            t(
                "The status of a mailbox, without selecting it (MESSAGES, UNSEEN, UIDNEXT…).",
                "Состояние ящика без его выбора (MESSAGES, UNSEEN, UIDNEXT…).",
            ),
            "RFC 3501 §7.2.4",
        ),
        ("SEARCH", _) => (
            Tone::Data,
            t(
                "The numbers (or UIDs, after UID SEARCH) of the messages that match.",
                "Номера (или UID после UID SEARCH) подходящих писем.",
            ),
            "RFC 3501 §7.2.5",
        ),
        ("FLAGS", _) => (
            Tone::Data,
            t("The flags defined in this mailbox.", "Флаги, определённые в этом ящике."),
            "RFC 3501 §7.2.6",
        ),
        ("ENABLED", _) => (
            Tone::Data,
            t("The extensions ENABLE turned on.", "Расширения, включённые командой ENABLE."),
            "RFC 5161 §3.2",
        ),
        ("NAMESPACE", _) => (
            Tone::Data,
            t(
                "Where personal, other users' and shared mailboxes live, and their separators.",
                "Где находятся личные, чужие и общие ящики, и их разделители.",
            ),
            "RFC 2342 §5",
        ),
        ("ID", _) => (
            Tone::Data,
            t("The server's identity (name, version…).", "Сведения о сервере (имя, версия…)."),
            "RFC 2971 §3.2",
        ),
        (_, "EXISTS") => (
            Tone::Data,
            t(
                "The number of messages in the mailbox (sent on SELECT, and when new mail arrives).",
                "Число писем в ящике (при SELECT и при приходе новой почты).",
            ),
            "RFC 3501 §7.3.1",
        ),
        (_, "RECENT") => (
            Tone::Data,
            t(
                "How many messages are new since the last session (\\Recent).",
                "Сколько писем новых с прошлого сеанса (\\Recent).",
            ),
            "RFC 3501 §7.3.2",
        ),
        (_, "EXPUNGE") => (
            Tone::Data,
            t(
                "That message number was removed; the numbers after it shift down by one.",
                "Письмо с этим номером удалено; номера после него уменьшились на один.",
            ),
            "RFC 3501 §7.4.1",
        ),
        (_, "FETCH") => (
            Tone::Data,
            t(
                "Data about one message: the items FETCH asked for, or new flags.",
                "Данные о письме: запрошенные FETCH элементы или новые флаги.",
            ),
            "RFC 3501 §7.4.2",
        ),
        _ => (Tone::Data, t("Untagged data the server sent.", "Нетегированные данные от сервера."), "RFC 3501 §7"),
    };
    let mut e = explanation("*", tone, meaning, rfc);
    if matches!(first.as_str(), "OK" | "NO" | "BAD" | "BYE" | "PREAUTH") {
        let after = rest.get(first.len()..).unwrap_or("");
        add_code(&mut e, after);
    }
    Reading { tone, badge: Some((0, 1)), explanation: Some(e) }
}

/// Explains a bracketed response code at the start of `text`, if any.
fn add_code(e: &mut Explanation, text: &str) {
    if let Some((atom, _)) = bracket_code(text) {
        e.code = Some((format!("[{atom}]"), code_meaning(&atom)));
    }
}

/// Response codes (RFC 3501 §7.1, RFC 5530, RFC 9051 §7.1).
fn code_meaning(atom: &str) -> Text {
    let t = Text::new;
    match atom {
        "ALERT" => {
            t("A message the client must show to the user.", "Сообщение, которое клиент обязан показать пользователю.")
        }
        "CAPABILITY" => t(
            "The capabilities, so the client need not ask with CAPABILITY.",
            "Список возможностей, чтобы клиенту не спрашивать CAPABILITY.",
        ),
        "PERMANENTFLAGS" => t(
            "The flags the client may change for good; \\* means it may create new keywords.",
            "Флаги, которые клиент может менять навсегда; \\* — можно создавать новые ключевые слова.",
        ),
        "READ-ONLY" => t(
            "The mailbox is open read-only (EXAMINE): flags and deletions cannot change.",
            "Ящик открыт только для чтения (EXAMINE): флаги и удаления не меняются.",
        ),
        "READ-WRITE" => t("The mailbox is open for changes (SELECT).", "Ящик открыт для изменений (SELECT)."),
        "TRYCREATE" => t(
            "The target mailbox does not exist; CREATE it and try again.",
            "Целевого ящика нет; создайте его (CREATE) и повторите.",
        ),
        "UIDNEXT" => t("The UID the next message will get.", "UID, который получит следующее письмо."),
        "UIDVALIDITY" => t(
            "The UIDs' epoch: while it stays the same, cached UIDs are still valid.",
            "Эпоха UID: пока она прежняя, сохранённые UID действительны.",
        ),
        "UNSEEN" => t("The number of the first unseen message.", "Номер первого непрочитанного письма."),
        "AUTHENTICATIONFAILED" => t("Wrong user name or password.", "Неверное имя пользователя или пароль."),
        "AUTHORIZATIONFAILED" => t(
            "The credentials are right but this identity may not be used.",
            "Данные верны, но этой учётной записью пользоваться нельзя.",
        ),
        "UNAVAILABLE" => {
            t("A temporary problem on the server; try again later.", "Временная проблема на сервере; повторите позже.")
        }
        "PRIVACYREQUIRED" => t("Only over TLS: start TLS first.", "Только через TLS: сначала включите TLS."),
        "CLIENTBUG" => {
            t("The command worked, but the client did something odd.", "Команда выполнена, но клиент поступил странно.")
        }
        "NONEXISTENT" => t("There is no such mailbox.", "Такого ящика нет."),
        "ALREADYEXISTS" => t("A mailbox of that name exists already.", "Ящик с таким именем уже есть."),
        "CANNOT" => t(
            "The server cannot do that, ever (e.g. delete INBOX).",
            "Сервер этого сделать не может (например, удалить INBOX).",
        ),
        "INUSE" => t(
            "Someone else is using the mailbox; try again later.",
            "Ящиком пользуется кто-то другой; повторите позже.",
        ),
        "EXPUNGEISSUED" => t("Another session removed messages meanwhile.", "Другой сеанс тем временем удалил письма."),
        "OVERQUOTA" => t("The mailbox is over its quota.", "Ящик превысил квоту."),
        "SERVERBUG" => t("The server failed internally.", "Внутренняя ошибка сервера."),
        "HIGHESTMODSEQ" => {
            t("The highest modification sequence (CONDSTORE).", "Наибольший номер изменения (CONDSTORE).")
        }
        "CLOSED" => t("The previously selected mailbox is now closed.", "Ранее выбранный ящик закрыт."),
        _ => t("A response code this explainer does not know.", "Код ответа, неизвестный объяснителю."),
    }
}

/// A bare IMAP status or response code, as lesson texts write them (`OK`, `NO`, `BAD`, `[TRYCREATE]`).
pub(super) fn explain_status(t: &str) -> Option<Explanation> {
    if let Some(tone) = status_tone(t).filter(|_| t.chars().all(|c| c.is_ascii_uppercase())) {
        return Some(explanation(t, tone, tagged_meaning(t, ""), tagged_rfc(t)));
    }
    let (atom, _) = bracket_code(t)?;
    let meaning = code_meaning(&atom);
    if meaning.en.starts_with("A response code this explainer") {
        return None;
    }
    let mut e = explanation(&format!("[{atom}]"), Tone::Info, meaning.clone(), "RFC 3501 §7.1");
    e.code = Some((format!("[{atom}]"), meaning));
    Some(e)
}
