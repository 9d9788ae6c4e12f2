//! What the learner's mail client (MUA) makes of a submission, as data: the
//! SMTP client's [`Outcome`] classified by stage, reply code and catalogue
//! entry (never by searching the server's prose) into a [`SendOutcome`],
//! which says in a language what a real mail client would say (a wrong
//! port, a failed login, a From that is not the login's, the hourly limit).
//! The browser's compose form only renders [`SendOutcome::explain`].

use crate::lang::{Key, Lang};
use crate::reply::Reply;
use crate::smtp::catalogue::ReplyId;
use crate::smtp::client::{Outcome, Stage};
use crate::smtp::personality::identify_reply;

/// How sending from the mail client ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// Nothing listens on `host:port`.
    ConnectionRefused { host: String, port: u16 },
    /// Every recipient was accepted; `queue_id` is the id in the server's
    /// final reply (Postfix's `queued as …`), when it gave one.
    Sent { host: String, queue_id: Option<String> },
    /// Some recipients were accepted, these were refused.
    PartlySent { accepted: usize, refused: Vec<(String, Reply)> },
    /// Every recipient was refused, none for the sender's sake.
    AllRefused { refused: Vec<(String, Reply)> },
    /// The sender was refused: 553, or the provider's "not owned by user"
    /// (RFC 6409 §6.1): the From must be the login's own.
    SenderRefused { reply: Reply },
    /// The provider's hourly limit refused the sender (450 4.7.1).
    RateLimited { reply: Reply },
    /// AUTH got 503: this port offers no login (port 25 is for MTAs).
    AuthNotOffered { port: u16, reply: Reply },
    /// AUTH got 538: encryption first (RFC 4954 §6).
    EncryptionRequired { reply: Reply },
    /// AUTH failed otherwise: a wrong login or password (535).
    AuthFailed { host: String, login: String, reply: Reply },
    /// A transient refusal (450, 451) at `stage`.
    TryLater { stage: Stage, reply: Reply },
    /// Any other refusal at `stage`.
    Refused { stage: Stage, reply: Reply },
    /// TLS from the first byte to a port that speaks plain SMTP first.
    TlsHandshakeFailed { host: String, port: u16, detail: String },
    /// Plain SMTP to a port that expects TLS from the first byte.
    NoGreeting { host: String, port: u16, detail: String },
    /// The server said something that is not SMTP, or stopped.
    ProtocolError { host: String, port: u16, detail: String },
}

/// The catalogue entry a reply is, if any (in any personality).
fn entry_of(reply: &Reply) -> Option<ReplyId> {
    identify_reply(&reply.wire_lines())
}

/// The id in a `250 … queued as ID` reply.
fn queue_id(reply: &Reply) -> Option<String> {
    let id = reply.lines.iter().find_map(|l| l.split_once("queued as ").map(|(_, id)| id.trim().to_string()))?;
    (!id.is_empty()).then_some(id)
}

impl SendOutcome {
    /// Classifies how the client's dialogue with `host:port` ended (`None`:
    /// the connection was refused); `login` is the user name it tried.
    pub fn classify(outcome: Option<Outcome>, host: &str, port: u16, login: &str) -> SendOutcome {
        let Some(outcome) = outcome else {
            return SendOutcome::ConnectionRefused { host: host.into(), port };
        };
        match outcome {
            Outcome::Done { recipients, .. } => {
                let accepted = recipients.iter().filter(|(_, r)| r.code < 400).count();
                let sender = recipients.iter().find_map(|(_, r)| match entry_of(r) {
                    Some(ReplyId::RateLimited) => Some(SendOutcome::RateLimited { reply: r.clone() }),
                    Some(ReplyId::SenderNotOwned) => Some(SendOutcome::SenderRefused { reply: r.clone() }),
                    _ if r.code == 553 => Some(SendOutcome::SenderRefused { reply: r.clone() }),
                    _ => None,
                });
                let queued = recipients.iter().filter(|(_, r)| r.code < 400).find_map(|(_, r)| queue_id(r));
                let refused: Vec<(String, Reply)> = recipients.into_iter().filter(|(_, r)| r.code >= 400).collect();
                match sender {
                    Some(why) if accepted == 0 => why,
                    _ if accepted == 0 => SendOutcome::AllRefused { refused },
                    _ if refused.is_empty() => SendOutcome::Sent { host: host.into(), queue_id: queued },
                    _ => SendOutcome::PartlySent { accepted, refused },
                }
            }
            Outcome::Failed { stage, reply } => match (stage, reply.code) {
                (Stage::Auth, 503) => SendOutcome::AuthNotOffered { port, reply },
                (Stage::Auth, 538) => SendOutcome::EncryptionRequired { reply },
                (Stage::Auth, _) => SendOutcome::AuthFailed { host: host.into(), login: login.into(), reply },
                (Stage::Mail | Stage::Rcpt, 553) => SendOutcome::SenderRefused { reply },
                (_, 450 | 451) => SendOutcome::TryLater { stage, reply },
                _ => SendOutcome::Refused { stage, reply },
            },
            Outcome::TlsHandshakeFailed { detail } => {
                SendOutcome::TlsHandshakeFailed { host: host.into(), port, detail }
            }
            Outcome::NoGreeting { detail } => SendOutcome::NoGreeting { host: host.into(), port, detail },
            Outcome::ProtocolError(e) => SendOutcome::ProtocolError { host: host.into(), port, detail: e.to_string() },
        }
    }

    /// True when the message left with at least one recipient.
    pub fn is_sent(&self) -> bool {
        matches!(self, SendOutcome::Sent { .. } | SendOutcome::PartlySent { .. })
    }

    /// What a mail client says, in `lang`. The server's own words (and the
    /// engine's account of a broken connection) are quoted as they were.
    pub fn explain(&self, lang: Lang) -> String {
        let said = |r: &Reply| r.wire_lines().join(" ");
        let list = |v: &[(String, Reply)]| v.iter().map(|(to, r)| format!("{to}: {}", said(r))).collect::<Vec<_>>();
        let failed = |host: &str, port: &u16, detail: &str| {
            lang.f(Key::SendConnectionFailed, &[("host", host), ("port", &port.to_string()), ("detail", detail)])
        };
        match self {
            SendOutcome::ConnectionRefused { host, port } => {
                lang.f(Key::SendConnectionRefused, &[("host", host), ("port", &port.to_string())])
            }
            SendOutcome::Sent { host, .. } => lang.f(Key::SendSent, &[("host", host)]),
            SendOutcome::PartlySent { accepted, refused } => {
                lang.f(Key::SendPartly, &[("count", &accepted.to_string()), ("refused", &list(refused).join("; "))])
            }
            SendOutcome::AllRefused { refused } => {
                lang.f(Key::SendAllRefused, &[("refused", &list(refused).join("; "))])
            }
            SendOutcome::SenderRefused { reply } => lang.f(Key::SendSenderRefused, &[("said", &said(reply))]),
            SendOutcome::RateLimited { reply } => lang.f(Key::SendRateLimited, &[("said", &said(reply))]),
            SendOutcome::AuthNotOffered { port, reply } => {
                lang.f(Key::SendAuthNotOffered, &[("port", &port.to_string()), ("said", &said(reply))])
            }
            SendOutcome::EncryptionRequired { reply } => lang.f(Key::SendEncryptionRequired, &[("said", &said(reply))]),
            SendOutcome::AuthFailed { host, login, reply } => {
                lang.f(Key::SendAuthFailed, &[("host", host), ("login", login), ("said", &said(reply))])
            }
            SendOutcome::TryLater { reply, .. } => lang.f(Key::SendTryLater, &[("said", &said(reply))]),
            SendOutcome::Refused { reply, .. } => lang.f(Key::SendRefused, &[("said", &said(reply))]),
            SendOutcome::TlsHandshakeFailed { host, port, detail } => {
                format!("{} {}", failed(host, port, detail), lang.t(Key::SendPlainPort))
            }
            SendOutcome::NoGreeting { host, port, detail } => {
                format!("{} {}", failed(host, port, detail), lang.t(Key::SendTlsPort))
            }
            SendOutcome::ProtocolError { host, port, detail } => failed(host, port, detail),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::Enhanced;
    use crate::smtp::catalogue::entry;
    use crate::smtp::client::{ClientConfig, Outgoing};
    use crate::world::World;

    /// The browser's text before this module (ui/compose.rs, by searching
    /// prose and chaining `.replace`), kept as an oracle: the English must be
    /// the same, and the Russian too except where the chain also "translated"
    /// the server's own words or left a stray space.
    fn old_report(outcome: Option<Outcome>, host: &str, port: u16, login: &str, ru: bool) -> (bool, String) {
        let (ok, text) = old_report_en(outcome, host, port, login);
        if !ru {
            return (ok, text);
        }
        let ru_text = text
            .replace("Could not connect to", "Не удалось подключиться к")
            .replace(
                ": connection refused. Is the server name and port right?",
                ": соединение отклонено. Верны ли имя сервера и порт?",
            )
            .replace(
                "Not sent. The server refused every recipient —",
                "Не отправлено. Сервер отклонил всех получателей —",
            )
            .replace("accepted the message for delivery.", "принял письмо к доставке.")
            .replace("Sent:", "Отправлено:")
            .replace("Sent to", "Отправлено получателям:")
            .replace("recipient(s); refused:", "; отклонены:")
            .replace("This server does not offer login on port", "Этот сервер не предлагает вход на порту")
            .replace(
                "Use the submission port 587 (STARTTLS) or 465 (SSL/TLS).",
                "Используйте порт отправки 587 (STARTTLS) или 465 (SSL/TLS).",
            )
            .replace(
                "The server wants an encrypted connection before the password",
                "Сервер требует шифрования до передачи пароля",
            )
            .replace("Choose STARTTLS or SSL/TLS.", "Выберите STARTTLS или SSL/TLS.")
            .replace("Could not authenticate: login to", "Не удалось войти: вход на")
            .replace("with user name", "с именем")
            .replace(" failed (", " не удался (")
            .replace(" failed: ", ": ошибка: ")
            .replace("Check the login and password.", "Проверьте логин и пароль.")
            .replace("The server refused the sender", "Сервер отклонил отправителя")
            .replace("the From address must be your own.", "адрес From должен быть вашим.")
            .replace("Not sent:", "Не отправлено:")
            .replace(
                "Your provider limits how many messages you may send; try again later.",
                "Провайдер ограничивает число писем; попробуйте позже.",
            )
            .replace("The server refused for now", "Сервер временно отказал")
            .replace("Try again later.", "Повторите позже.")
            .replace("The server refused the message", "Сервер отклонил письмо")
            .replace("Connection to", "Соединение с")
            .replace(
                "This port speaks plain SMTP first: choose STARTTLS (port 587) or no security.",
                "Этот порт сначала говорит на обычном SMTP: выберите STARTTLS (порт 587) или без защиты.",
            )
            .replace(
                "This port expects SSL/TLS from the first byte: choose SSL/TLS (port 465).",
                "Этот порт ждёт SSL/TLS с первого байта: выберите SSL/TLS (порт 465).",
            );
        (ok, ru_text)
    }

    fn old_report_en(outcome: Option<Outcome>, host: &str, port: u16, login: &str) -> (bool, String) {
        let Some(outcome) = outcome else {
            return (
                false,
                format!("Could not connect to {host}:{port}: connection refused. Is the server name and port right?"),
            );
        };
        match outcome {
            Outcome::Done { recipients, .. } => {
                let refused: Vec<String> = recipients
                    .iter()
                    .filter(|(_, r)| r.code >= 400)
                    .map(|(to, r)| format!("{to}: {}", r.wire_lines().join(" ")))
                    .collect();
                let accepted = recipients.iter().filter(|(_, r)| r.code < 400).count();
                let sender_refused = recipients
                    .iter()
                    .find(|(_, r)| r.code == 553 || r.lines.iter().any(|l| l.contains("Sender address rejected")));
                if let Some((_, r)) = sender_refused.filter(|_| accepted == 0) {
                    let said = r.wire_lines().join(" ");
                    let text = if r.code == 553 {
                        format!("The server refused the sender ({said}): the From address must be your own.")
                    } else {
                        format!(
                            "Not sent: {said}. Your provider limits how many messages you may send; try again later."
                        )
                    };
                    (false, text)
                } else if accepted == 0 {
                    (false, format!("Not sent. The server refused every recipient — {}", refused.join("; ")))
                } else if refused.is_empty() {
                    (true, format!("Sent: {host} accepted the message for delivery."))
                } else {
                    (true, format!("Sent to {accepted} recipient(s); refused: {}", refused.join("; ")))
                }
            }
            Outcome::Failed { stage, reply } => {
                let said = reply.wire_lines().join(" ");
                let text = match (stage, reply.code) {
                    (Stage::Auth, 503) => format!("This server does not offer login on port {port} ({said}). Use the submission port 587 (STARTTLS) or 465 (SSL/TLS)."),
                    (Stage::Auth, 538) => format!("The server wants an encrypted connection before the password ({said}). Choose STARTTLS or SSL/TLS."),
                    (Stage::Auth, _) => format!("Could not authenticate: login to {host} with user name {login} failed ({said}). Check the login and password."),
                    (Stage::Mail, 553) | (Stage::Rcpt, 553) => format!("The server refused the sender ({said}): the From address must be your own."),
                    (_, 450) | (_, 451) => format!("The server refused for now ({said}). Try again later."),
                    _ => format!("The server refused the message ({said})."),
                };
                (false, text)
            }
            Outcome::ProtocolError(e) => (false, format!("Connection to {host}:{port} failed: {e}.")),
            Outcome::TlsHandshakeFailed { detail } | Outcome::NoGreeting { detail } => {
                let hint = if detail.contains("wrong version") {
                    " This port speaks plain SMTP first: choose STARTTLS (port 587) or no security."
                } else if detail.contains("expects a TLS handshake") {
                    " This port expects SSL/TLS from the first byte: choose SSL/TLS (port 465)."
                } else {
                    ""
                };
                (false, format!("Connection to {host}:{port} failed: {detail}.{hint}"))
            }
        }
    }

    fn reply(id: ReplyId, args: &[&str]) -> Reply {
        entry(id).reply(args)
    }

    fn done(recipients: &[(&str, Reply)]) -> Option<Outcome> {
        Some(Outcome::Done {
            recipients: recipients.iter().map(|(to, r)| (to.to_string(), r.clone())).collect(),
            stages: vec![Stage::Message; recipients.len()],
        })
    }

    fn failed(stage: Stage, r: Reply) -> Option<Outcome> {
        Some(Outcome::Failed { stage, reply: r })
    }

    const HOST: &str = "mail.example.com";

    /// One case per variant: the outcome, the port, the variant expected.
    fn cases() -> Vec<(Option<Outcome>, u16, &'static str)> {
        let queued = reply(ReplyId::Queued, &["4F2A9C1B3D"]);
        let unknown = reply(ReplyId::UserUnknown, &["nobody@example.org"]);
        let auth_failed =
            Reply::enhanced(535, Enhanced(5, 7, 8), "Error: authentication failed: authentication failure");
        vec![
            (None, 2525, "ConnectionRefused"),
            (done(&[("carol@example.org", queued.clone())]), 587, "Sent"),
            (
                done(&[("carol@example.org", queued.clone()), ("nobody@example.org", unknown.clone())]),
                587,
                "PartlySent",
            ),
            (done(&[("nobody@example.org", unknown.clone())]), 25, "AllRefused"),
            (
                done(&[("carol@example.org", reply(ReplyId::SenderNotOwned, &["bob@example.com", "alice"]))]),
                587,
                "SenderRefused",
            ),
            (failed(Stage::Mail, Reply::enhanced(553, Enhanced(5, 7, 1), "Sender refused")), 587, "SenderRefused"),
            (done(&[("carol@example.org", reply(ReplyId::RateLimited, &["alice@example.com"]))]), 587, "RateLimited"),
            (failed(Stage::Auth, reply(ReplyId::AuthNotEnabled, &[])), 25, "AuthNotOffered"),
            (
                failed(Stage::Auth, Reply::enhanced(538, Enhanced(5, 7, 11), "Encryption required")),
                587,
                "EncryptionRequired",
            ),
            (failed(Stage::Auth, auth_failed), 587, "AuthFailed"),
            (failed(Stage::Greeting, Reply::enhanced(421, Enhanced(4, 3, 2), "Service not available")), 587, "Refused"),
            (failed(Stage::Rcpt, Reply::enhanced(451, Enhanced(4, 3, 0), "Local error")), 587, "TryLater"),
            (failed(Stage::Message, Reply::enhanced(554, Enhanced(5, 7, 1), "Spam")), 587, "Refused"),
            (
                Some(Outcome::TlsHandshakeFailed {
                    detail: format!("TLS handshake failed: {HOST}:587 does not start with TLS (wrong version number)"),
                }),
                587,
                "TlsHandshakeFailed",
            ),
            (
                Some(Outcome::NoGreeting {
                    detail: format!("no greeting from {HOST}:465: it expects a TLS handshake first (timed out)"),
                }),
                465,
                "NoGreeting",
            ),
            (Some(Outcome::ProtocolError(crate::smtp::client::ProtocolError::Stalled)), 587, "ProtocolError"),
        ]
    }

    fn variant(o: &SendOutcome) -> &'static str {
        match o {
            SendOutcome::ConnectionRefused { .. } => "ConnectionRefused",
            SendOutcome::Sent { .. } => "Sent",
            SendOutcome::PartlySent { .. } => "PartlySent",
            SendOutcome::AllRefused { .. } => "AllRefused",
            SendOutcome::SenderRefused { .. } => "SenderRefused",
            SendOutcome::RateLimited { .. } => "RateLimited",
            SendOutcome::AuthNotOffered { .. } => "AuthNotOffered",
            SendOutcome::EncryptionRequired { .. } => "EncryptionRequired",
            SendOutcome::AuthFailed { .. } => "AuthFailed",
            SendOutcome::TryLater { .. } => "TryLater",
            SendOutcome::Refused { .. } => "Refused",
            SendOutcome::TlsHandshakeFailed { .. } => "TlsHandshakeFailed",
            SendOutcome::NoGreeting { .. } => "NoGreeting",
            SendOutcome::ProtocolError { .. } => "ProtocolError",
        }
    }

    #[test]
    fn each_outcome_is_classified_and_says_what_the_browser_said() {
        let mut seen = std::collections::BTreeSet::new();
        for (outcome, port, want) in cases() {
            let got = SendOutcome::classify(outcome.clone(), HOST, port, "alice");
            assert_eq!(variant(&got), want, "{outcome:?}");
            seen.insert(want);
            let (ok, en) = old_report(outcome.clone(), HOST, port, "alice", false);
            assert_eq!(got.is_sent(), ok, "{want}");
            assert_eq!(got.explain(Lang::En), en, "{want} in English");
            let (_, ru) = old_report(outcome, HOST, port, "alice", true);
            let now = got.explain(Lang::Ru);
            match want {
                // The chain left a space before the semicolon.
                "PartlySent" => assert_eq!(now, ru.replace(" ;", ";"), "{want} in Russian"),
                // The chain also rewrote " failed: " inside the server's and engine's words.
                "AuthFailed" | "TlsHandshakeFailed" => {
                    assert_ne!(now, ru);
                    assert!(now.contains("authentication failed: ") || now.contains("TLS handshake failed: "), "{now}");
                }
                _ => assert_eq!(now, ru, "{want} in Russian"),
            }
        }
        assert_eq!(seen.len(), 14, "every variant has a case: {seen:?}");
    }

    #[test]
    fn the_texts_in_both_languages() {
        let say = |o: Option<Outcome>, port| {
            let s = SendOutcome::classify(o, HOST, port, "alice");
            (s.explain(Lang::En), s.explain(Lang::Ru))
        };
        let (en, ru) = say(None, 2525);
        assert_eq!(
            en,
            "Could not connect to mail.example.com:2525: connection refused. Is the server name and port right?"
        );
        assert_eq!(
            ru,
            "Не удалось подключиться к mail.example.com:2525: соединение отклонено. Верны ли имя сервера и порт?"
        );
        let (en, ru) = say(done(&[("carol@example.org", reply(ReplyId::Queued, &["ABC"]))]), 587);
        assert_eq!(en, "Sent: mail.example.com accepted the message for delivery.");
        assert_eq!(ru, "Отправлено: mail.example.com принял письмо к доставке.");
        let unknown = reply(ReplyId::UserUnknown, &["x@example.org"]);
        let (_, ru) =
            say(done(&[("a@example.org", reply(ReplyId::Queued, &["ABC"])), ("x@example.org", unknown)]), 587);
        assert!(ru.starts_with("Отправлено получателям: 1; отклонены: x@example.org: 550 5.1.1 "), "{ru}");
        let auth = Reply::enhanced(535, Enhanced(5, 7, 8), "Error: authentication failed: authentication failure");
        let (_, ru) = say(failed(Stage::Auth, auth), 587);
        assert_eq!(
            ru,
            "Не удалось войти: вход на mail.example.com с именем alice не удался \
             (535 5.7.8 Error: authentication failed: authentication failure). Проверьте логин и пароль."
        );
    }

    #[test]
    fn the_queue_id_and_the_sent_flag() {
        let o = SendOutcome::classify(done(&[("c@example.org", reply(ReplyId::Queued, &["4F2A"]))]), HOST, 587, "");
        assert_eq!(o, SendOutcome::Sent { host: HOST.into(), queue_id: Some("4F2A".into()) });
        let o = SendOutcome::classify(done(&[("c@example.org", Reply::new(250, "Ok"))]), HOST, 587, "");
        assert_eq!(o, SendOutcome::Sent { host: HOST.into(), queue_id: None });
        assert!(!SendOutcome::classify(None, HOST, 1, "").is_sent());
    }

    /// Each mistake the e2e test makes in the browser, against the real world.
    #[test]
    fn the_real_world_gives_each_outcome() {
        let send = |w: &mut World, port: u16, security: &str, password: &str, from: &str| {
            let mut cfg = ClientConfig::smtp("client.example.net");
            cfg.starttls = security == "starttls";
            cfg.implicit_tls = security == "ssl";
            cfg.auth = Some(("alice".into(), password.into()));
            let msg = Outgoing {
                mail_from: from.into(),
                mail_params: vec![],
                rcpt_to: vec!["carol@example.org".into()],
                data: b"Subject: x\r\n\r\nx\r\n".to_vec(),
            };
            SendOutcome::classify(w.submit(HOST, port, cfg, msg), HOST, port, "alice")
        };
        let mut w = World::new(11);
        let me = "alice@example.com";
        assert!(matches!(send(&mut w, 25, "starttls", "alicepw", me), SendOutcome::AuthNotOffered { port: 25, .. }));
        assert!(matches!(send(&mut w, 465, "starttls", "alicepw", me), SendOutcome::NoGreeting { .. }));
        assert!(matches!(send(&mut w, 587, "ssl", "alicepw", me), SendOutcome::TlsHandshakeFailed { .. }));
        assert!(matches!(send(&mut w, 587, "starttls", "wrong", me), SendOutcome::AuthFailed { .. }));
        assert!(matches!(send(&mut w, 26, "starttls", "alicepw", me), SendOutcome::ConnectionRefused { .. }));
        w.faults_mut().sender_login_match = true;
        assert!(matches!(
            send(&mut w, 587, "starttls", "alicepw", "bob@example.com"),
            SendOutcome::SenderRefused { .. }
        ));
        let sent = send(&mut w, 465, "ssl", "alicepw", me);
        assert!(matches!(&sent, SendOutcome::Sent { queue_id: Some(_), .. }), "{sent:?}");
        w.faults_mut().hourly_limit = Some(1);
        assert!(send(&mut w, 587, "starttls", "alicepw", me).is_sent());
        let limited = send(&mut w, 587, "starttls", "alicepw", me);
        assert!(matches!(limited, SendOutcome::RateLimited { .. }), "{limited:?}");
    }
}
