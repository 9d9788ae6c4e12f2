//! The session's state as a transcript goes: each step's command (from the
//! explainer's command table) and, where the step changed it, the state the
//! session is in afterwards — greeted, TLS started, authenticated as whom,
//! in a transaction, in DATA, a mailbox selected, closed (RFC 5321 §3,
//! RFC 1939 §3, RFC 3501 §3).

use super::Step;
use crate::encoding::base64_decode;
use crate::explain::{command, plain_user, Text};
use crate::protocol::Protocol;

/// The user a login step names: IMAP LOGIN's or POP3 USER's argument, an
/// AUTH PLAIN response's authcid, AUTH LOGIN's first response.
fn login_user(verb: &str, args: &[&str], step: &Step, pop3_user: &Option<String>) -> Option<String> {
    let mech = args.first().map(|m| m.to_ascii_uppercase());
    let first_response = args.get(1).copied().or(step.sasl.first().map(String::as_str));
    match (verb, mech.as_deref()) {
        ("LOGIN", _) => args.first().map(|u| u.trim_matches('"').to_string()),
        ("PASS", _) => pop3_user.clone(),
        ("APOP", _) => args.first().map(|u| u.to_string()),
        ("AUTH" | "AUTHENTICATE", Some("PLAIN")) => first_response.and_then(plain_user),
        ("AUTH" | "AUTHENTICATE", Some("LOGIN")) => {
            first_response.and_then(|r| base64_decode(r.trim())).map(|u| String::from_utf8_lossy(&u).into_owned())
        }
        _ => None,
    }
}

fn text(en: String, ru: String) -> Option<Text> {
    Some(Text::new(en, ru))
}

/// Sets each step's `command` and `state`.
pub(super) fn annotate(protocol: Protocol, steps: &mut [Step]) {
    let mut recipients = 0usize;
    let mut pop3_user: Option<String> = None;
    for step in steps.iter_mut() {
        let Some(line) = step.client.clone() else { continue };
        step.command = command(protocol, &line);
        let words: Vec<&str> = line.split_ascii_whitespace().collect();
        let (verb, args) = match protocol {
            Protocol::Imap => (words.get(1).map(|v| v.to_ascii_uppercase()), words.get(2..).unwrap_or(&[])),
            _ => (words.first().map(|v| v.to_ascii_uppercase()), words.get(1..).unwrap_or(&[])),
        };
        let verb = verb.unwrap_or_default();
        let verb = verb.split(':').next().unwrap_or("").to_string();
        let last = step.server.last().map(String::as_str).unwrap_or("");
        step.state = match protocol {
            Protocol::Smtp | Protocol::Lmtp => {
                let code = last.get(..3).unwrap_or("");
                let ok = code.starts_with('2');
                match (verb.as_str(), code) {
                    ("EHLO" | "HELO" | "LHLO", _) if ok => {
                        recipients = 0;
                        let who = args.first().copied().unwrap_or("?");
                        text(
                            format!("Greeted: the server knows the client as {who}; no transaction yet."),
                            format!("Приветствие принято: сервер знает клиента как {who}; транзакции пока нет."),
                        )
                    }
                    ("STARTTLS", "220") => text(
                        "TLS started: from here on the connection is encrypted, and the client greets again (EHLO)."
                            .into(),
                        "TLS начат: дальше соединение зашифровано, и клиент здоровается снова (EHLO).".into(),
                    ),
                    ("AUTH", _) if step.server.iter().any(|l| l.starts_with("235")) => {
                        let who = login_user("AUTH", args, step, &None).unwrap_or_else(|| "?".into());
                        text(format!("Authenticated as {who}."), format!("Аутентифицирован как {who}."))
                    }
                    ("MAIL", _) if ok => {
                        recipients = 0;
                        let from = line.split_once(':').map_or("", |(_, a)| a.split_whitespace().next().unwrap_or(""));
                        text(
                            format!("In a transaction: the envelope sender is {from}."),
                            format!("Идёт транзакция: отправитель в конверте — {from}."),
                        )
                    }
                    ("RCPT", _) if ok => {
                        recipients += 1;
                        text(
                            format!("In a transaction: {recipients} recipient(s) accepted."),
                            format!("Идёт транзакция: принято получателей — {recipients}."),
                        )
                    }
                    ("DATA", "354") => text(
                        "In DATA: the server reads the message until a line with a single dot.".into(),
                        "Режим DATA: сервер читает письмо до строки из одной точки.".into(),
                    ),
                    ("BDAT", _) if ok => {
                        let more = !args.iter().any(|a| a.eq_ignore_ascii_case("LAST"));
                        if more {
                            text(
                                "In a BDAT transfer: more chunks follow.".into(),
                                "Идёт передача BDAT: будут ещё части.".into(),
                            )
                        } else {
                            recipients = 0;
                            text(
                                "Message accepted; the transaction is over, the session goes on.".into(),
                                "Письмо принято; транзакция окончена, сеанс продолжается.".into(),
                            )
                        }
                    }
                    (".", _) if ok => {
                        recipients = 0;
                        text(
                            "Message accepted; the transaction is over, the session goes on.".into(),
                            "Письмо принято; транзакция окончена, сеанс продолжается.".into(),
                        )
                    }
                    (".", _) if !code.is_empty() => {
                        recipients = 0;
                        text(
                            "Message refused; the transaction is over, the session goes on.".into(),
                            "Письмо отвергнуто; транзакция окончена, сеанс продолжается.".into(),
                        )
                    }
                    ("RSET", _) if ok => {
                        recipients = 0;
                        text(
                            "Transaction reset: no sender, no recipients.".into(),
                            "Транзакция сброшена: ни отправителя, ни получателей.".into(),
                        )
                    }
                    ("QUIT", "221") => text("Closed.".into(), "Соединение закрыто.".into()),
                    _ => None,
                }
            }
            Protocol::Pop3 => {
                let ok = last.starts_with("+OK");
                match verb.as_str() {
                    "USER" if ok => {
                        pop3_user = args.first().map(|u| u.to_string());
                        None
                    }
                    "PASS" | "APOP" | "AUTH" if ok && step.server.iter().all(|l| l != "+" && !l.starts_with("+ ")) => {
                        let who = login_user(&verb, args, step, &pop3_user).unwrap_or_else(|| "?".into());
                        text(
                            format!("TRANSACTION state: logged in as {who}; the maildrop is locked."),
                            format!("Состояние TRANSACTION: вход как {who}; почтовый ящик заблокирован."),
                        )
                    }
                    "STLS" if ok => text(
                        "TLS started: from here on the connection is encrypted.".into(),
                        "TLS начат: дальше соединение зашифровано.".into(),
                    ),
                    "QUIT" if ok => text(
                        "UPDATE state: the messages marked with DELE are removed; closed.".into(),
                        "Состояние UPDATE: письма, помеченные DELE, удалены; соединение закрыто.".into(),
                    ),
                    _ => None,
                }
            }
            Protocol::Imap => {
                let tag = words.first().copied().unwrap_or("");
                let status = step
                    .server
                    .iter()
                    .rev()
                    .find(|l| l.split(' ').next() == Some(tag))
                    .and_then(|l| l.split(' ').nth(1))
                    .map(|s| s.to_ascii_uppercase());
                let ok = status.as_deref() == Some("OK");
                match verb.as_str() {
                    "LOGIN" | "AUTHENTICATE" if ok => {
                        let who = login_user(&verb, args, step, &None).unwrap_or_else(|| "?".into());
                        text(
                            format!("Authenticated state as {who}."),
                            format!("Состояние Authenticated: вход как {who}."),
                        )
                    }
                    "SELECT" | "EXAMINE" if ok => {
                        let mailbox = args.first().map_or("", |m| m.trim_matches('"'));
                        let (en, ru) = if verb == "EXAMINE" {
                            ("read-only", "только чтение")
                        } else {
                            ("read-write", "чтение и запись")
                        };
                        text(
                            format!("Selected state: {mailbox} is open ({en})."),
                            format!("Состояние Selected: открыт {mailbox} ({ru})."),
                        )
                    }
                    "CLOSE" | "UNSELECT" if ok => text(
                        "Authenticated state: no mailbox selected.".into(),
                        "Состояние Authenticated: ящик не выбран.".into(),
                    ),
                    "STARTTLS" if ok => text(
                        "TLS started: from here on the connection is encrypted.".into(),
                        "TLS начат: дальше соединение зашифровано.".into(),
                    ),
                    "LOGOUT" if step.server.iter().any(|l| l.starts_with("* BYE")) => {
                        text("Logout state: closed.".into(), "Состояние Logout: соединение закрыто.".into())
                    }
                    _ => None,
                }
            }
        };
    }
}
