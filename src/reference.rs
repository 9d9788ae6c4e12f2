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

/// A protocol command.
pub struct Command {
    pub protocol: &'static str,
    pub verb: &'static str,
    pub syntax: &'static str,
    pub rfc: &'static str,
    pub what: &'static str,
    pub what_ru: &'static str,
    /// Lines to type to try it (from the shell prompt or inside a session).
    pub try_it: &'static str,
}

impl Command {
    /// What the command does, in `lang`.
    pub fn what_in(&self, lang: Lang) -> &'static str {
        lang.pick(self.what, self.what_ru)
    }
}

/// The text of a `(term, English, Russian)` row of [`STANDARDS`],
/// [`HISTORY`] or [`GLOSSARY`] in `lang`.
pub fn row_in(row: &(&'static str, &'static str, &'static str), lang: Lang) -> &'static str {
    lang.pick(row.1, row.2)
}

macro_rules! cmds {
    ($($p:literal $v:literal $s:literal $r:literal $w:literal $wr:literal $t:literal;)*) => {
        /// Every command, by protocol.
        pub static COMMANDS: &[Command] = &[$(Command { protocol: $p, verb: $v, syntax: $s, rfc: $r, what: $w, what_ru: $wr, try_it: $t }),*];
    };
}

cmds! {
    "SMTP" "HELO" "HELO domain" "RFC 5321 §4.1.1.1" "Names the client; the RFC 821 greeting" "Представляет клиента; приветствие из RFC 821" "HELO client.example.net";
    "SMTP" "EHLO" "EHLO domain" "RFC 5321 §4.1.1.1" "Names the client and asks for the extension list" "Представляет клиента и запрашивает список расширений" "EHLO client.example.net";
    "SMTP" "MAIL" "MAIL FROM:<reverse-path> [params]" "RFC 5321 §4.1.1.2" "Starts a transaction: the envelope sender, where bounces go" "Начинает транзакцию: отправитель в конверте, на этот адрес приходят отказы о недоставке" "MAIL FROM:<learner@example.net>";
    "SMTP" "RCPT" "RCPT TO:<forward-path> [params]" "RFC 5321 §4.1.1.3" "An envelope recipient; repeat for more" "Получатель в конверте; для нескольких получателей повторите команду" "RCPT TO:<alice@example.com>";
    "SMTP" "DATA" "DATA" "RFC 5321 §4.1.1.4" "354, then the message, ended by a line with a single dot" "Ответ 354, затем само письмо, которое заканчивается строкой из одной точки" "DATA";
    "SMTP" "BDAT" "BDAT size [LAST]" "RFC 3030 §2" "Sends the message in chunks of a given size (CHUNKING)" "Передаёт письмо частями заданного размера (CHUNKING)" "BDAT 0 LAST";
    "SMTP" "RSET" "RSET" "RFC 5321 §4.1.1.5" "Aborts the transaction" "Прерывает транзакцию" "RSET";
    "SMTP" "VRFY" "VRFY string" "RFC 5321 §4.1.1.6" "Asks whether a mailbox exists (often disabled)" "Спрашивает, существует ли почтовый ящик (часто отключена)" "VRFY alice";
    "SMTP" "EXPN" "EXPN string" "RFC 5321 §4.1.1.7" "Asks to expand a mailing list (disabled on Postfix)" "Просит раскрыть список рассылки (в Postfix отключена)" "EXPN team";
    "SMTP" "HELP" "HELP [string]" "RFC 5321 §4.1.1.8" "Asks for help text" "Запрашивает справку" "HELP";
    "SMTP" "NOOP" "NOOP" "RFC 5321 §4.1.1.9" "Does nothing; 250" "Ничего не делает; 250" "NOOP";
    "SMTP" "QUIT" "QUIT" "RFC 5321 §4.1.1.10" "Ends the session; 221" "Завершает сеанс; 221" "QUIT";
    "SMTP" "STARTTLS" "STARTTLS" "RFC 3207 §4" "Switches the session to TLS; EHLO again after" "Переводит сеанс на TLS; после этого нужно снова отправить EHLO" "STARTTLS";
    "SMTP" "AUTH" "AUTH mechanism [initial-response]" "RFC 4954 §4" "Logs in (PLAIN, LOGIN, CRAM-MD5)" "Аутентификация (PLAIN, LOGIN, CRAM-MD5)" "AUTH PLAIN AGFsaWNlAGFsaWNlcHc=";
    "SMTP" "ETRN" "ETRN domain" "RFC 1985 §5" "Asks the server to run its queue for a domain" "Просит сервер запустить обработку очереди для домена" "ETRN example.com";
    "SMTP" "TURN" "TURN" "RFC 821 §4.1.1" "Reverses the roles (removed: unsafe without authentication)" "Меняет роли клиента и сервера (упразднена: небезопасна без аутентификации)" "TURN";
    "SMTP" "SEND" "SEND FROM:<path>" "RFC 821 §4.1.1" "Deliver to a terminal (obsolete)" "Доставка на терминал пользователя (устарела)" "SEND FROM:<learner@example.net>";
    "SMTP" "SOML" "SOML FROM:<path>" "RFC 821 §4.1.1" "Send or mail (obsolete)" "Доставка на терминал или в почтовый ящик (устарела)" "SOML FROM:<learner@example.net>";
    "SMTP" "SAML" "SAML FROM:<path>" "RFC 821 §4.1.1" "Send and mail (obsolete)" "Доставка и на терминал, и в почтовый ящик (устарела)" "SAML FROM:<learner@example.net>";
    "POP3" "USER" "USER name" "RFC 1939 §7" "The user name" "Имя пользователя" "USER alice";
    "POP3" "PASS" "PASS string" "RFC 1939 §7" "The password" "Пароль" "PASS alicepw";
    "POP3" "APOP" "APOP name digest" "RFC 1939 §7" "Login with an MD5 digest of the banner's timestamp and the secret" "Вход по MD5-дайджесту метки времени из приветствия сервера и общего секрета" "APOP alice c4c9334bac560ecc979e58001b3e22fb";
    "POP3" "AUTH" "AUTH mechanism [initial-response]" "RFC 5034 §4" "SASL login" "Вход через SASL" "AUTH PLAIN AGFsaWNlAGFsaWNlcHc=";
    "POP3" "CAPA" "CAPA" "RFC 2449 §5" "Lists the server's capabilities" "Перечисляет возможности сервера" "CAPA";
    "POP3" "STLS" "STLS" "RFC 2595 §4" "Switches to TLS" "Переключает соединение на TLS" "STLS";
    "POP3" "STAT" "STAT" "RFC 1939 §5" "Number of messages and their total size" "Число писем и их общий размер" "STAT";
    "POP3" "LIST" "LIST [msg]" "RFC 1939 §5" "Sizes of the messages" "Размеры писем" "LIST";
    "POP3" "UIDL" "UIDL [msg]" "RFC 1939 §7" "Unique ids of the messages" "Уникальные идентификаторы писем" "UIDL";
    "POP3" "TOP" "TOP msg n" "RFC 1939 §7" "The header and the first n body lines" "Заголовок и первые n строк тела письма" "TOP 1 0";
    "POP3" "RETR" "RETR msg" "RFC 1939 §5" "The whole message" "Письмо целиком" "RETR 1";
    "POP3" "DELE" "DELE msg" "RFC 1939 §5" "Marks a message deleted (removed at QUIT)" "Помечает письмо как удалённое (удаляется при QUIT)" "DELE 1";
    "POP3" "RSET" "RSET" "RFC 1939 §5" "Unmarks deleted messages" "Снимает пометки удаления" "RSET";
    "POP3" "NOOP" "NOOP" "RFC 1939 §5" "Does nothing" "Ничего не делает" "NOOP";
    "POP3" "QUIT" "QUIT" "RFC 1939 §6" "Ends the session; deletions happen now" "Завершает сеанс; именно сейчас письма и удаляются" "QUIT";
    "IMAP" "CAPABILITY" "tag CAPABILITY" "RFC 3501 §6.1.1" "Lists the server's capabilities" "Перечисляет возможности сервера" "a1 CAPABILITY";
    "IMAP" "LOGIN" "tag LOGIN user password" "RFC 3501 §6.2.3" "Logs in" "Вход по имени и паролю" "a2 LOGIN alice alicepw";
    "IMAP" "AUTHENTICATE" "tag AUTHENTICATE mechanism" "RFC 3501 §6.2.2" "SASL login" "Вход через SASL" "a2 AUTHENTICATE PLAIN AGFsaWNlAGFsaWNlcHc=";
    "IMAP" "LIST" "tag LIST reference pattern" "RFC 3501 §6.3.8" "Lists mailboxes" "Перечисляет почтовые ящики (папки)" "a3 LIST \"\" \"*\"";
    "IMAP" "STATUS" "tag STATUS mailbox (items)" "RFC 3501 §6.3.10" "Counts without selecting" "Счётчики писем без выбора ящика" "a4 STATUS INBOX (MESSAGES UNSEEN)";
    "IMAP" "SELECT" "tag SELECT mailbox" "RFC 3501 §6.3.1" "Opens a mailbox read-write" "Открывает ящик для чтения и записи" "a5 SELECT INBOX";
    "IMAP" "EXAMINE" "tag EXAMINE mailbox" "RFC 3501 §6.3.2" "Opens a mailbox read-only" "Открывает ящик только для чтения" "a5 EXAMINE INBOX";
    "IMAP" "CREATE" "tag CREATE mailbox" "RFC 3501 §6.3.3" "Creates a mailbox" "Создаёт почтовый ящик" "a6 CREATE Archive";
    "IMAP" "FETCH" "tag FETCH set items" "RFC 3501 §6.4.5" "Reads messages: FLAGS, ENVELOPE, BODY[…]" "Читает письма: FLAGS, ENVELOPE, BODY[…]" "a7 FETCH 1 (FLAGS ENVELOPE)";
    "IMAP" "STORE" "tag STORE set +FLAGS (flags)" "RFC 3501 §6.4.6" "Changes flags" "Изменяет флаги" "a8 STORE 1 +FLAGS (\\Flagged)";
    "IMAP" "SEARCH" "tag SEARCH criteria" "RFC 3501 §6.4.4" "Finds messages" "Ищет письма" "a9 SEARCH UNSEEN";
    "IMAP" "COPY" "tag COPY set mailbox" "RFC 3501 §6.4.7" "Copies messages" "Копирует письма" "b1 COPY 1 Archive";
    "IMAP" "MOVE" "tag MOVE set mailbox" "RFC 6851 §3.1" "Moves messages" "Перемещает письма" "b2 MOVE 1 Archive";
    "IMAP" "EXPUNGE" "tag EXPUNGE" "RFC 3501 §6.4.3" "Removes messages flagged \\Deleted" "Окончательно удаляет письма с флагом \\Deleted" "b3 EXPUNGE";
    "IMAP" "IDLE" "tag IDLE … DONE" "RFC 2177 §3" "Waits for new mail, told at once" "Ждёт новую почту: сервер сразу сообщает о ней" "b4 IDLE";
    "IMAP" "LOGOUT" "tag LOGOUT" "RFC 3501 §6.1.3" "Ends the session" "Завершает сеанс" "b5 LOGOUT";
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
