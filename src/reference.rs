//! The reference, as data: ports (seed topic T04), the commands of the three
//! protocols with their syntax and RFC section and an example to try, the
//! standards (T26), a short history (T24) and a glossary. The reply codes
//! come from the SMTP reply catalogue. The browser renders it; lessons link
//! to it; a test checks every SMTP command here is one the parser knows.

use crate::lang::Lang;

/// A well-known port.
pub struct Port {
    pub number: u16,
    pub transport: &'static str,
    pub name: &'static str,
    pub what: &'static str,
    pub what_ru: &'static str,
}

impl Port {
    /// What the port is for, in `lang` (English where no translation is kept).
    pub fn what_in(&self, lang: Lang) -> &'static str {
        lang.pick(self.what, self.what_ru)
    }
}

/// The ports a mail learner meets, in order.
pub static PORTS: &[Port] = &[
    Port {
        number: 21,
        transport: "TCP",
        name: "ftp",
        what: "FTP: file transfer (control connection)",
        what_ru: "FTP: передача файлов (управляющее соединение)",
    },
    Port {
        number: 23,
        transport: "TCP",
        name: "telnet",
        what: "Telnet: a remote terminal; the telnet program connects to any port",
        what_ru: "Telnet: удалённый терминал; программой telnet можно подключиться к любому порту",
    },
    Port {
        number: 24,
        transport: "TCP",
        name: "lmtp",
        what: "LMTP (RFC 2033): MTA to delivery agent, usually local only",
        what_ru: "LMTP (RFC 2033): от MTA к агенту доставки, обычно только локально",
    },
    Port {
        number: 25,
        transport: "TCP",
        name: "smtp",
        what: "SMTP: mail between servers (MTA to MTA); relaying refused without trust",
        what_ru: "SMTP: почта между серверами (от MTA к MTA); без доверия ретрансляция запрещена",
    },
    Port {
        number: 53,
        transport: "UDP/TCP",
        name: "domain",
        what: "DNS: names to addresses, MX records",
        what_ru: "DNS: преобразует имена в адреса, хранит MX-записи",
    },
    Port {
        number: 80,
        transport: "TCP",
        name: "http",
        what: "HTTP: the web (webmail)",
        what_ru: "HTTP: веб (веб-почта)",
    },
    Port {
        number: 110,
        transport: "TCP",
        name: "pop3",
        what: "POP3: download mail (and usually delete it from the server)",
        what_ru: "POP3: скачивание почты (обычно с удалением её с сервера)",
    },
    Port {
        number: 143,
        transport: "TCP",
        name: "imap",
        what: "IMAP: mail stays on the server, folders and flags sync across devices",
        what_ru: "IMAP: почта остаётся на сервере, папки и флаги синхронизируются между устройствами",
    },
    Port {
        number: 366,
        transport: "TCP",
        name: "odmr",
        what: "ODMR (RFC 2645): on-demand relay, ATRN",
        what_ru: "ODMR (RFC 2645): ретрансляция по запросу, ATRN",
    },
    Port {
        number: 443,
        transport: "TCP",
        name: "https",
        what: "HTTPS: the web over TLS",
        what_ru: "HTTPS: веб поверх TLS",
    },
    Port {
        number: 465,
        transport: "TCP",
        name: "submissions",
        what: "Mail submission over implicit TLS (RFC 8314), with AUTH",
        what_ru: "Отправка почты через неявный TLS (RFC 8314), с AUTH",
    },
    Port {
        number: 587,
        transport: "TCP",
        name: "submission",
        what: "Mail submission (RFC 6409): your client to your provider, STARTTLS and AUTH",
        what_ru: "Отправка почты (RFC 6409): от вашего почтового клиента к серверу провайдера, STARTTLS и AUTH",
    },
    Port {
        number: 993,
        transport: "TCP",
        name: "imaps",
        what: "IMAP over implicit TLS",
        what_ru: "IMAP поверх неявного TLS",
    },
    Port {
        number: 995,
        transport: "TCP",
        name: "pop3s",
        what: "POP3 over implicit TLS",
        what_ru: "POP3 поверх неявного TLS",
    },
];

pub use crate::explain::commands::{Command, COMMANDS};

/// The text of a `(term, English, Russian)` row of [`STANDARDS`],
/// [`HISTORY`] or [`GLOSSARY`] in `lang`.
pub fn row_in(row: &(&'static str, &'static str, &'static str), lang: Lang) -> &'static str {
    lang.pick(row.1, row.2)
}

/// A standard and what it is: (standard, English, Russian).
pub static STANDARDS: &[(&str, &str, &str)] = &[
    (
        "RFC 821 (1982)",
        "SMTP, by Jon Postel; replaced by RFC 2821 (2001) and RFC 5321 (2008)",
        "SMTP, автор Джон Постел; заменён RFC 2821 (2001) и RFC 5321 (2008)",
    ),
    (
        "RFC 822 / 5322",
        "The message format: header fields, a blank line, the body",
        "Формат письма: поля заголовка, пустая строка, тело",
    ),
    ("RFC 1939", "POP3", "Протокол POP3"),
    ("RFC 3501 / 9051", "IMAP4rev1 / IMAP4rev2", "Протокол IMAP4rev1 / IMAP4rev2"),
    ("RFC 1870", "SIZE: the message size declaration", "SIZE: объявление размера письма"),
    ("RFC 1985", "ETRN: remote queue starting", "ETRN: удалённый запуск очереди"),
    ("RFC 2033", "LMTP: local mail transfer", "LMTP: локальная передача почты"),
    ("RFC 2034 / 3463", "Enhanced status codes (5.1.1, 5.7.1, …)", "Расширенные коды состояния (5.1.1, 5.7.1, …)"),
    ("RFC 2045–2049", "MIME", "MIME: вложения, кодировки и многочастные письма"),
    ("RFC 2505", "Anti-spam recommendations for MTAs", "Рекомендации по борьбе со спамом для MTA"),
    ("RFC 2645", "ODMR / ATRN: on-demand relay", "ODMR / ATRN: ретрансляция по запросу"),
    ("RFC 2920", "PIPELINING", "PIPELINING: отправка нескольких команд без ожидания ответа на каждую"),
    ("RFC 3030", "CHUNKING (BDAT) and BINARYMIME", "CHUNKING (BDAT) и BINARYMIME"),
    ("RFC 3207", "STARTTLS", "STARTTLS: переход на TLS внутри сеанса SMTP"),
    ("RFC 3461–3464", "Delivery status notifications (DSN)", "Уведомления о статусе доставки (DSN)"),
    ("RFC 4954", "SMTP AUTH", "SMTP AUTH: аутентификация в SMTP"),
    ("RFC 6409", "Message submission (port 587)", "Отправка сообщений (порт 587)"),
    ("RFC 6522", "multipart/report", "multipart/report: формат отчётов, в том числе отказов о недоставке"),
    ("RFC 6531", "SMTPUTF8: international addresses", "SMTPUTF8: международные адреса"),
    ("RFC 7208 / 6376 / 7489", "SPF, DKIM, DMARC", "SPF, DKIM, DMARC: проверка подлинности отправителя"),
    (
        "RFC 8314",
        "Implicit TLS for submission, POP3 and IMAP (465, 995, 993)",
        "Неявный TLS для отправки почты, POP3 и IMAP (465, 995, 993)",
    ),
];

/// Dates in the history of e-mail (T24): (date, English, Russian).
pub static HISTORY: &[(&str, &str, &str)] = &[
    ("1971", "Ray Tomlinson sends mail between ARPANET hosts with SNDMSG and picks @ to separate user and host", "Рэй Томлинсон отправляет письмо между узлами ARPANET программой SNDMSG и выбирает @ для разделения имени пользователя и узла"),
    ("1982", "RFC 821 (SMTP, Jon Postel) and RFC 822 (the message format)", "RFC 821 (SMTP, Джон Постел) и RFC 822 (формат письма)"),
    ("1980s", "UUCP mail with bang paths (host!host!user); sendmail (Eric Allman) routes between networks", "Почта UUCP с маршрутами через «!» (host!host!user); sendmail (Эрик Оллман) передаёт почту между сетями"),
    ("1984–1988", "X.400, the ISO/ITU mail standard; POP (RFC 918, 1984) and IMAP (1988)", "X.400 — почтовый стандарт ISO/МСЭ; POP (RFC 918, 1984) и IMAP (1988)"),
    ("1995–1998", "ESMTP extensions; qmail (1995), Postfix (1998), Exim (1995); Microsoft Exchange", "Расширения ESMTP; qmail (1995), Postfix (1998), Exim (1995); Microsoft Exchange"),
    ("2001", "RFC 2821 revises SMTP", "RFC 2821 — новая редакция SMTP"),
    ("2008", "RFC 5321 and RFC 5322: today's SMTP and message format", "RFC 5321 и RFC 5322: современные SMTP и формат письма"),
    ("2012", "RFC 6531: SMTPUTF8, addresses in any script", "RFC 6531: SMTPUTF8, адреса на любых языках и в любых алфавитах"),
];

/// Terms and their meaning: (term, English, Russian).
pub static GLOSSARY: &[(&str, &str, &str)] = &[
    ("MUA", "Mail user agent: your mail client (Thunderbird, a phone's mail app, webmail)", "Почтовый клиент (mail user agent): Thunderbird, почтовое приложение на телефоне, веб-почта"),
    ("MSA", "Mail submission agent: the server that takes your outgoing mail on port 587/465 after AUTH", "Агент отправки почты (mail submission agent): сервер, который после AUTH принимает вашу исходящую почту на порту 587/465"),
    ("MTA", "Mail transfer agent: a server that relays mail to the next hop over SMTP (Postfix, Exim, sendmail)", "Агент передачи почты (mail transfer agent): сервер, который по SMTP передаёт почту следующему узлу (Postfix, Exim, sendmail)"),
    ("MDA", "Mail delivery agent: stores mail in the mailbox (Dovecot's LMTP)", "Агент доставки почты (mail delivery agent): кладёт письма в почтовый ящик (LMTP в Dovecot)"),
    ("MX", "Mail exchanger: the DNS record that names a domain's mail servers, with preferences", "Почтовый обменник (mail exchanger): DNS-запись, в которой указаны почтовые серверы домена и их приоритеты"),
    ("Envelope", "MAIL FROM and RCPT TO: where the message goes, apart from its To:/From: headers", "Конверт: MAIL FROM и RCPT TO — куда на самом деле идёт письмо, независимо от его заголовков To:/From:"),
    ("Relay", "Passing mail on for another domain; an open relay does it for anyone (abuse)", "Ретрансляция: передача почты дальше для чужого домена; открытый релей делает это для кого угодно (этим злоупотребляют)"),
    ("Bounce", "A message telling the sender delivery failed, sent with the null sender <>", "Отказ о недоставке: письмо отправителю о том, что доставка не удалась; отправляется с пустым отправителем <>"),
    ("DSN", "Delivery status notification (RFC 3464): the structured bounce, multipart/report", "Уведомление о статусе доставки (RFC 3464): структурированный отказ о недоставке в формате multipart/report"),
    ("Queue", "Where an MTA keeps mail it could not deliver yet, retrying with backoff", "Очередь: здесь MTA хранит почту, которую пока не удалось доставить, и повторяет попытки со всё большими интервалами"),
    ("Greylisting", "Refusing mail from an unknown sender for a few minutes (450); real servers retry", "Грейлистинг: отказ неизвестному отправителю на несколько минут (450); настоящие серверы повторят попытку"),
    ("SPF", "A domain's DNS list of hosts allowed to send its mail", "Список узлов в DNS домена, которым разрешено отправлять его почту"),
    ("DKIM", "A signature over headers and body, with the public key in DNS", "Подпись заголовков и тела письма; открытый ключ опубликован в DNS"),
    ("DMARC", "A domain's policy for mail failing SPF/DKIM, published at _dmarc", "Политика домена для писем, не прошедших проверку SPF/DKIM; публикуется в _dmarc"),
    ("DNSBL", "A DNS blocklist of addresses that send spam", "Чёрный список в DNS: адреса, с которых рассылают спам"),
    ("STARTTLS", "Upgrading a plain connection to TLS; implicit TLS starts encrypted instead", "Перевод открытого соединения на TLS; при неявном TLS соединение зашифровано с самого начала"),
    ("LMTP", "Local mail transfer protocol (RFC 2033): SMTP's sibling for final delivery", "Протокол локальной передачи почты (RFC 2033): родственник SMTP для окончательной доставки"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smtp::parser::{parse_command, Verb};

    #[test]
    fn every_smtp_command_here_is_one_the_parser_knows() {
        for c in COMMANDS.iter().filter(|c| c.protocol == "SMTP") {
            let parsed = parse_command(c.try_it).map(|p| p.verb);
            assert!(!matches!(parsed, Some(Verb::Unknown(_)) | None), "{} is not a known verb", c.verb);
        }
    }

    #[test]
    fn every_russian_text_is_filled_in_and_cyrillic() {
        let cyrillic = |s: &str| s.chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'));
        let ru = PORTS
            .iter()
            .map(|p| (p.name, p.what_ru))
            .chain(COMMANDS.iter().map(|c| (c.verb, c.what_ru)))
            .chain(STANDARDS.iter().chain(HISTORY).chain(GLOSSARY).map(|&(k, _, r)| (k, r)));
        for (key, text) in ru {
            assert!(!text.trim().is_empty(), "{key}: empty Russian text");
            assert!(cyrillic(text), "{key}: no Cyrillic in {text:?}");
        }
    }

    #[test]
    fn ports_are_sorted_and_unique() {
        assert!(PORTS.windows(2).all(|w| w[0].number < w[1].number));
        for p in [25, 465, 587, 110, 995, 143, 993] {
            assert!(PORTS.iter().any(|x| x.number == p), "{p}");
        }
    }
}
