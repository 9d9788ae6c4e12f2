//! Credentials a client line carries in the clear: what anyone on the path
//! of an unencrypted connection reads. Base64 is an encoding, not
//! encryption (RFC 4954 §4, RFC 4616 §2): AUTH PLAIN's response decodes to
//! the user and the password; POP3's PASS (RFC 1939 §7) and IMAP's LOGIN
//! (RFC 3501 §6.2.3) send the password as typed.

use super::Text;
use crate::encoding::base64_decode;
use crate::protocol::Protocol;

/// The advice for each protocol: how to encrypt first.
fn advice(protocol: Protocol) -> (&'static str, &'static str) {
    match protocol {
        Protocol::Pop3 => ("Use STLS first, or port 995.", "Сначала STLS или порт 995."),
        Protocol::Imap => ("Use STARTTLS first, or port 993.", "Сначала STARTTLS или порт 993."),
        Protocol::Smtp | Protocol::Lmtp => ("Use STARTTLS first, or port 465.", "Сначала STARTTLS или порт 465."),
    }
}

/// The user name an AUTH PLAIN response carries (RFC 4616: authzid NUL authcid NUL password).
pub fn plain_user(b64: &str) -> Option<String> {
    let raw = base64_decode(b64.trim())?;
    let parts: Vec<&[u8]> = raw.split(|&b| b == 0).collect();
    (parts.len() == 3).then(|| String::from_utf8_lossy(parts[1]).into_owned())
}

/// What a client line gives away when sent without TLS, if anything.
pub fn cleartext_secret(protocol: Protocol, line: &str) -> Option<Text> {
    let (adv_en, adv_ru) = advice(protocol);
    let words: Vec<&str> = line.split_ascii_whitespace().collect();
    let upper = |i: usize| words.get(i).map(|w| w.to_ascii_uppercase());
    match protocol {
        Protocol::Smtp | Protocol::Lmtp | Protocol::Pop3 if upper(0).as_deref() == Some("AUTH") => {
            match (upper(1).as_deref(), words.get(2)) {
                (Some("PLAIN"), Some(b64)) => Some(plain(protocol, b64)),
                (Some("PLAIN" | "LOGIN"), _) => Some(Text::new(
                    format!("This AUTH is not encrypted: the base64 lines that follow carry the user name and password, readable by anyone on the path (base64 is an encoding, not encryption). {adv_en}"),
                    format!("Этот AUTH не зашифрован: следующие строки base64 несут имя и пароль, их прочтёт любой на пути (base64 — кодировка, а не шифрование). {adv_ru}"),
                )),
                _ => None,
            }
        }
        Protocol::Pop3 if upper(0).as_deref() == Some("PASS") => Some(Text::new(
            format!(
                "The password \"{}\" just crossed the network in clear text. Use STLS first, or port 995.",
                words[1..].join(" ")
            ),
            format!(
                "Пароль «{}» только что ушёл в сеть открытым текстом. Сначала STLS или порт 995.",
                words[1..].join(" ")
            ),
        )),
        Protocol::Imap if upper(1).as_deref() == Some("LOGIN") && words.len() >= 4 => Some(Text::new(
            format!(
                "User {} and password {} just crossed the network in clear text. Use STARTTLS first, or port 993.",
                words[2], words[3]
            ),
            format!(
                "Имя {} и пароль {} только что ушли в сеть открытым текстом. Сначала STARTTLS или порт 993.",
                words[2], words[3]
            ),
        )),
        _ => None,
    }
}

/// A SASL response line sent after a challenge (`AUTH PLAIN` without an
/// initial response, or LOGIN's two lines), decoded for the learner: `step`
/// counts the client's responses from 0.
pub fn sasl_secret(protocol: Protocol, mechanism: &str, step: usize, b64: &str) -> Option<Text> {
    if b64.trim() == "*" {
        return None;
    }
    match (mechanism.to_ascii_uppercase().as_str(), step) {
        ("PLAIN", 0) => Some(plain(protocol, b64.trim())),
        ("LOGIN", 0 | 1) => {
            let what =
                if step == 0 { ("user name", "имя пользователя") } else { ("password", "пароль") };
            let value = base64_decode(b64.trim()).map(|v| String::from_utf8_lossy(&v).into_owned())?;
            Some(Text::new(
                format!("Not encrypted: this base64 is the {} \"{value}\", readable by anyone on the path.", what.0),
                format!("Без шифрования: этот base64 — {} «{value}», его прочтёт любой на пути.", what.1),
            ))
        }
        _ => None,
    }
}

/// An AUTH PLAIN response, decoded for the learner.
fn plain(protocol: Protocol, b64: &str) -> Text {
    let (adv_en, adv_ru) = advice(protocol);
    let Some(raw) = base64_decode(b64) else {
        return Text::new("This AUTH PLAIN response is not valid base64.", "Этот ответ AUTH PLAIN — не base64.");
    };
    let parts: Vec<String> = raw.split(|&b| b == 0).map(|p| String::from_utf8_lossy(p).into_owned()).collect();
    match &parts[..] {
        [_, user, password] => Text::new(
            format!("Not encrypted: this base64 decodes to user \"{user}\" and password \"{password}\" (RFC 4616: authzid NUL user NUL password), readable by anyone on the path. {adv_en}"),
            format!("Без шифрования: этот base64 раскодируется в имя «{user}» и пароль «{password}» (RFC 4616: authzid NUL имя NUL пароль) — их прочтёт любой на пути. {adv_ru}"),
        ),
        _ => Text::new(
            "Not encrypted: anyone on the path can decode this base64.",
            "Без шифрования: любой на пути раскодирует этот base64.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_protocols_credentials_are_shown() {
        let t = cleartext_secret(Protocol::Smtp, "AUTH PLAIN AGFsaWNlAGFsaWNlcHc=").unwrap();
        assert!(t.en.contains("\"alice\"") && t.en.contains("\"alicepw\""), "{}", t.en);
        assert!(t.ru.contains("«alicepw»"));
        assert!(cleartext_secret(Protocol::Smtp, "auth login").unwrap().en.contains("base64 lines that follow"));
        assert!(cleartext_secret(Protocol::Pop3, "PASS alicepw").unwrap().en.contains("\"alicepw\""));
        assert!(cleartext_secret(Protocol::Imap, "a1 LOGIN alice alicepw").unwrap().en.contains("password alicepw"));
        assert!(cleartext_secret(Protocol::Smtp, "MAIL FROM:<a@b>").is_none());
        assert!(cleartext_secret(Protocol::Imap, "a1 LOGIN").is_none());
        assert!(cleartext_secret(Protocol::Smtp, "AUTH PLAIN !!!").unwrap().en.contains("not valid base64"));
    }
}
