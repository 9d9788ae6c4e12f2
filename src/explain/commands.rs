//! The commands of the three protocols, as data: the verb, its syntax,
//! the RFC section that defines it, what it does (English and Russian) and
//! a line to try. The explainer reads a client line with it
//! ([`command`]); the reference lists it.

use crate::lang::Lang;
use crate::protocol::Protocol;

/// A protocol command.
#[derive(Debug, PartialEq, Eq)]
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
    "SMTP" "XCLIENT" "XCLIENT attribute=value..." "Postfix XCLIENT_README" "A trusted proxy passes on the real client's name and address (refused to other hosts: 550 5.7.0)" "Доверенный прокси передаёт имя и адрес настоящего клиента (другим хостам — отказ 550 5.7.0)" "XCLIENT ADDR=192.0.2.1 NAME=client.example.net";
    "SMTP" "XFORWARD" "XFORWARD attribute=value..." "Postfix XFORWARD_README" "A trusted content filter passes on the original client's attributes for logging (refused to other hosts: 550 5.7.0)" "Доверенный фильтр передаёт атрибуты исходного клиента для журнала (другим хостам — отказ 550 5.7.0)" "XFORWARD NAME=client.example.net ADDR=192.0.2.1";
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

/// The command a client line gives, if the table knows its verb: the first
/// word for SMTP and POP3 (LMTP's LHLO reads as EHLO, RFC 2033 §4.1), the
/// word after the tag for IMAP.
pub fn command(protocol: Protocol, line: &str) -> Option<&'static Command> {
    let mut words = line.split_ascii_whitespace();
    let (table, verb) = match protocol {
        Protocol::Smtp | Protocol::Lmtp => ("SMTP", words.next()?),
        Protocol::Pop3 => ("POP3", words.next()?),
        Protocol::Imap => ("IMAP", words.nth(1)?),
    };
    let verb = verb.split(':').next().unwrap_or(verb).to_ascii_uppercase();
    let verb = if protocol == Protocol::Lmtp && verb == "LHLO" { "EHLO".to_string() } else { verb };
    COMMANDS.iter().find(|c| c.protocol == table && c.verb == verb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_lines_find_their_command() {
        assert_eq!(command(Protocol::Smtp, "MAIL FROM:<a@b>").map(|c| c.rfc), Some("RFC 5321 §4.1.1.2"));
        assert_eq!(command(Protocol::Smtp, "mail from:<a@b>").map(|c| c.verb), Some("MAIL"));
        assert_eq!(command(Protocol::Lmtp, "LHLO x").map(|c| c.verb), Some("EHLO"));
        assert_eq!(command(Protocol::Pop3, "RETR 1").map(|c| c.rfc), Some("RFC 1939 §5"));
        assert_eq!(command(Protocol::Imap, "a1 select INBOX").map(|c| c.verb), Some("SELECT"));
        assert_eq!(command(Protocol::Imap, "SELECT"), None);
        assert_eq!(command(Protocol::Smtp, ""), None);
        assert_eq!(command(Protocol::Smtp, "XYZZY"), None);
    }
}
