//! The reply catalogue: every reply the SMTP engine can send, as data.
//!
//! Each entry has the basic code (RFC 5321 §4.2), the enhanced status code
//! (RFC 3463), Postfix's text (the default personality; `{0}`, `{1}` are
//! filled in), the RFC section, and an explanation and a next step in English
//! and Russian for the UI. The session builds every reply from an entry, so a
//! reply without an entry cannot be written; personalities
//! ([`super::personality`]) change texts and codes by entry, never ad hoc.

use crate::lang::Lang;
use crate::reply::{Enhanced, Reply};
use serde::Serialize;

/// One catalogue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub id: ReplyId,
    pub code: u16,
    pub enhanced: Option<Enhanced>,
    /// The text as Postfix sends it; `{0}`, `{1}` are arguments.
    pub text: &'static str,
    pub rfc: &'static str,
    /// What the reply means (English).
    pub meaning: &'static str,
    /// What the client should do next (English).
    pub next: &'static str,
    /// What the reply means (Russian).
    pub meaning_ru: &'static str,
    /// What the client should do next (Russian).
    pub next_ru: &'static str,
}

// The small embed build (wasm32 without the `app` feature) carries no prose:
// its four explanation fields are "" and the page gives them as data
// (`static/reply-prose.json`, see [`prose_json`] and [`load_prose`]), 10 KB
// less wasm. Every other build has them compiled in.
#[cfg(not(all(target_arch = "wasm32", not(feature = "app"))))]
macro_rules! prose {
    ($s:literal) => {
        $s
    };
}
#[cfg(all(target_arch = "wasm32", not(feature = "app")))]
macro_rules! prose {
    ($s:literal) => {
        ""
    };
}

macro_rules! catalogue {
    ($( $id:ident => $code:literal, $enh:expr, $text:literal, $rfc:literal,
        $meaning:literal, $next:literal, $meaning_ru:literal, $next_ru:literal; )*) => {
        /// The name of a catalogue entry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
        pub enum ReplyId { $($id),* }

        /// Every entry, in the order of the table.
        pub static CATALOGUE: &[Entry] = &[
            $(Entry { id: ReplyId::$id, code: $code, enhanced: $enh, text: $text, rfc: $rfc,
                      meaning: prose!($meaning), next: prose!($next), meaning_ru: prose!($meaning_ru), next_ru: prose!($next_ru) },)*
        ];
    };
}

const fn e(class: u8, subject: u16, detail: u16) -> Option<Enhanced> {
    Some(Enhanced(class, subject, detail))
}
const NONE: Option<Enhanced> = None;

catalogue! {
    Greeting => 220, NONE, "{0}", "RFC 5321 §4.3.1",
        "The server is ready: the greeting, with its name and software.",
        "Introduce yourself with EHLO (or HELO).",
        "Сервер готов к работе: приветствие с его именем и программой.",
        "Представьтесь командой EHLO (или HELO).";
    Closing => 221, e(2, 0, 0), "Bye", "RFC 5321 §4.1.1.10",
        "The server closes the connection after QUIT.",
        "Nothing: the session is over.",
        "Сервер закрывает соединение после QUIT.",
        "Ничего: сеанс окончен.";
    HeloOk => 250, NONE, "{0}", "RFC 5321 §4.1.1.1",
        "HELO accepted: the server names itself. No extensions are listed.",
        "Start a transaction with MAIL FROM.",
        "HELO принят: сервер называет себя. Расширения не перечисляются.",
        "Начните транзакцию командой MAIL FROM.";
    EhloOk => 250, NONE, "{0}", "RFC 5321 §4.1.1.1",
        "EHLO accepted: the first line names the server, each further line is an ESMTP extension it offers.",
        "Use only the extensions listed; start a transaction with MAIL FROM.",
        "EHLO принят: первая строка — имя сервера, каждая следующая — поддерживаемое расширение ESMTP.",
        "Пользуйтесь только перечисленными расширениями; начните транзакцию командой MAIL FROM.";
    Ok => 250, e(2, 0, 0), "Ok", "RFC 5321 §4.2.2",
        "Done (RSET, NOOP).",
        "Go on with the next command.",
        "Выполнено (RSET, NOOP).",
        "Продолжайте следующей командой.";
    ResetOk => 250, e(2, 0, 0), "Ok", "RFC 5321 §4.1.1.5",
        "RSET done: any transaction is forgotten; the session (HELO/EHLO) stays.",
        "Start a transaction with MAIL FROM.",
        "RSET выполнен: транзакция, если была, забыта; сеанс (HELO/EHLO) сохраняется.",
        "Начните транзакцию командой MAIL FROM.";
    VerboseMode => 250, NONE, "Verbose mode", "Sendmail srvrsmtp.c (CMDVERB), not an RFC",
        "Sendmail's own VERB: the server will now show the delivery of the next message line by line (050 replies).",
        "Send a message and watch its delivery; VERB is for people debugging, not for MTAs.",
        "Собственная команда Sendmail VERB: сервер будет показывать доставку следующего письма построчно (ответы 050).",
        "Отправьте письмо и наблюдайте за доставкой; VERB — для людей при отладке, а не для MTA.";
    OneTransaction => 250, NONE, "Only one transaction", "Sendmail srvrsmtp.c (CMDONEX), not an RFC",
        "Sendmail's own ONEX: the client promises a single transaction, so the server need not fork for it.",
        "Send one message, then QUIT.",
        "Собственная команда Sendmail ONEX: клиент обещает одну транзакцию, и серверу не нужно порождать для неё процесс.",
        "Отправьте одно письмо, затем QUIT.";
    InitialSubmission => 250, NONE, "Initial submission", "Sendmail srvrsmtp.c (CMDXUSR); RFC 2476 replaced it",
        "Sendmail's own XUSR: the message is a user's first submission, so the server may fix up its headers (later done by port 587, RFC 2476).",
        "Go on with MAIL FROM.",
        "Собственная команда Sendmail XUSR: письмо впервые отправлено пользователем, и сервер может дополнить его заголовки (позже это стал делать порт 587, RFC 2476).",
        "Продолжайте командой MAIL FROM.";
    EtrnStarted => 250, NONE, "Queuing for node {0} started", "RFC 1985 §5",
        "ETRN accepted: the server starts delivering the mail it holds for that domain (to the domain's MX).",
        "Wait for the server to connect to your MX with the queued mail.",
        "ETRN принят: сервер начинает доставку почты, которую держит для этого домена (на его MX).",
        "Ждите, пока сервер подключится к вашему MX с почтой из очереди.";
    HelpText => 214, NONE, "{0}", "RFC 5321 §4.1.1.8",
        "HELP: text for a person, not for a program. Its content is the server's own.",
        "Read it; for a topic, HELP with the command name (HELP RCPT).",
        "HELP: текст для человека, а не для программы. Его содержание — на усмотрение сервера.",
        "Прочитайте; по отдельной теме — HELP с именем команды (HELP RCPT).";
    SenderOk => 250, e(2, 1, 0), "Ok", "RFC 5321 §4.1.1.2",
        "The envelope sender (reverse-path) is accepted; a transaction has begun.",
        "Name the recipients with RCPT TO.",
        "Отправитель конверта (reverse-path) принят; транзакция началась.",
        "Укажите получателей командами RCPT TO.";
    RecipientOk => 250, e(2, 1, 5), "Ok", "RFC 5321 §4.1.1.3",
        "This recipient is accepted.",
        "Add more recipients, or send the message with DATA.",
        "Этот получатель принят.",
        "Добавьте ещё получателей или передайте письмо командой DATA.";
    Queued => 250, e(2, 0, 0), "Ok: queued as {0}", "RFC 5321 §4.1.1.4",
        "The message is accepted and queued under this id: the server is now responsible for it.",
        "Start another transaction with MAIL FROM, or QUIT.",
        "Письмо принято и поставлено в очередь под этим номером: теперь за него отвечает сервер.",
        "Начните новую транзакцию с MAIL FROM или завершите сеанс командой QUIT.";
    ChunkOk => 250, e(2, 0, 0), "Ok: {0} bytes", "RFC 3030 §2",
        "The BDAT chunk arrived; the count is the message size so far.",
        "Send the next chunk; mark the last one with BDAT n LAST.",
        "Фрагмент BDAT получен; число — размер письма на данный момент.",
        "Передайте следующий фрагмент; последний отметьте как BDAT n LAST.";
    MailAfterBdat => 503, e(5, 5, 1), "Error: MAIL after BDAT", "RFC 3030 §2",
        "A BDAT was refused and its message is not finished: no new transaction until a BDAT … LAST ends it.",
        "Send the last chunk (BDAT n LAST), or RSET, then start again with MAIL FROM.",
        "BDAT был отклонён, а его письмо не завершено: новой транзакции не будет, пока BDAT … LAST его не закончит.",
        "Отправьте последний фрагмент (BDAT n LAST) или RSET, затем начните заново с MAIL FROM.";
    ChunkDiscarded => 551, e(5, 0, 0), "Discarded {0} bytes after earlier error", "RFC 3030 §2",
        "An earlier BDAT of this message was refused, so this chunk is read and thrown away.",
        "End the failed message with BDAT n LAST (or RSET), then send it again from MAIL FROM.",
        "Предыдущий BDAT этого письма был отклонён, поэтому этот фрагмент прочитан и выброшен.",
        "Завершите неудачное письмо командой BDAT n LAST (или RSET) и отправьте его заново с MAIL FROM.";
    BdatSyntax => 521, e(5, 5, 4), "Syntax: BDAT count [LAST]", "RFC 3030 §2",
        "The BDAT arguments cannot be read, so the server cannot know where the chunk ends: it hangs up.",
        "Connect again and write BDAT with a number of octets, then LAST for the last chunk.",
        "Аргументы BDAT не читаются, и сервер не может знать, где кончается фрагмент: он разрывает соединение.",
        "Подключитесь снова и пишите BDAT с числом октетов, а для последнего фрагмента — LAST.";
    DataAfterBdat => 503, e(5, 5, 1), "Error: DATA after BDAT", "RFC 3030 §2",
        "A message sent in BDAT chunks cannot go on with DATA: one transaction uses one of the two.",
        "Finish with BDAT n LAST, or RSET and start again.",
        "Письмо, начатое фрагментами BDAT, нельзя продолжить командой DATA: в транзакции используется что-то одно.",
        "Завершите его командой BDAT n LAST или начните заново после RSET.";
    ChunkQueued => 250, e(2, 0, 0), "Ok: {0} bytes queued as {1}", "RFC 3030 §2",
        "The last BDAT chunk arrived and the message is queued.",
        "Start another transaction or QUIT.",
        "Последний фрагмент BDAT получен, письмо поставлено в очередь.",
        "Начните новую транзакцию или завершите сеанс.";
    LmtpSaved => 250, e(2, 0, 0), "<{0}> {1} Saved", "RFC 2033 §4.2",
        "LMTP: the message is in this recipient's mailbox (one such reply per recipient).",
        "Nothing: delivery to this recipient is done.",
        "LMTP: письмо помещено в ящик этого получателя (по одному такому ответу на получателя).",
        "Ничего: доставка этому получателю завершена.";
    VrfyOk => 252, e(2, 0, 0), "{0}", "RFC 5321 §3.5.3",
        "The server cannot verify the user now but will accept mail for it (252: neither yes nor no).",
        "Send the message; VRFY is not a reliable test of an address.",
        "Сервер не подтверждает адрес, но примет для него почту (252 — ни да, ни нет).",
        "Отправляйте письмо: VRFY не даёт надёжной проверки адреса.";
    VrfyMailbox => 250, NONE, "<{0}>", "RFC 5321 §3.5.1, §3.5.2",
        "VRFY or EXPN answered yes: this is the mailbox (one line per mailbox when an alias or list expands to several).",
        "Send to it. Most servers today hide this (252 or 502): it let spammers harvest addresses.",
        "VRFY или EXPN ответил «да»: вот этот ящик (по строке на ящик, если псевдоним или список раскрывается в несколько).",
        "Отправляйте. Большинство нынешних серверов это скрывают (252 или 502): так спамеры собирали адреса.";
    TlsReady => 220, e(2, 0, 0), "Ready to start TLS", "RFC 3207 §4",
        "Start the TLS handshake now. Afterwards the session starts over: the server forgets EHLO.",
        "Negotiate TLS, then send EHLO again.",
        "Начинайте TLS-рукопожатие. После него сеанс начинается заново: сервер забывает EHLO.",
        "Установите TLS и снова отправьте EHLO.";
    AuthOk => 235, e(2, 7, 0), "Authentication successful", "RFC 4954 §6",
        "You are logged in: the server now trusts this session (it may relay for you).",
        "Send the message: MAIL FROM.",
        "Вход выполнен: сервер доверяет этому сеансу (и может пересылать вашу почту дальше).",
        "Отправляйте письмо: MAIL FROM.";
    AuthChallenge => 334, NONE, "{0}", "RFC 4954 §4",
        "A SASL challenge, base64-encoded (VXNlcm5hbWU6 is \"Username:\", UGFzc3dvcmQ6 is \"Password:\").",
        "Answer with one line of base64, or * to cancel.",
        "Запрос SASL в base64 (VXNlcm5hbWU6 — «Username:», UGFzc3dvcmQ6 — «Password:»).",
        "Ответьте одной строкой в base64 или * для отмены.";
    StartData => 354, NONE, "End data with <CR><LF>.<CR><LF>", "RFC 5321 §4.1.1.4",
        "Send the message now: headers, an empty line, the body, then a line with a single dot.",
        "Type the message; a line holding only . ends it (a line starting with . is sent as ..).",
        "Передавайте письмо: заголовки, пустая строка, тело, затем строка из одной точки.",
        "Наберите письмо; строка из одной точки завершает его (строку, начинающуюся с точки, передают как ..).";
    TooManyErrors => 421, e(4, 7, 0), "{0} Error: too many errors", "RFC 5321 §3.8",
        "Too many errors in this session: the server hangs up.",
        "Reconnect and fix the commands that failed.",
        "Слишком много ошибок в сеансе: сервер разрывает соединение.",
        "Подключитесь заново и исправьте ошибочные команды.";
    RateLimited => 450, e(4, 7, 1), "<{0}>: Sender address rejected: Policy Rejection- Quota Exceeded", "RFC 3463 §3.8",
        "You sent more messages this hour than your provider allows.",
        "Wait and send later; the limit counts the last hour.",
        "Вы отправили за час больше писем, чем разрешает провайдер.",
        "Подождите и отправьте позже: лимит считает последний час.";
    TooManyRecipients => 452, e(4, 5, 3), "Error: too many recipients", "RFC 5321 §4.5.3.1.8",
        "This transaction has as many recipients as the server takes.",
        "Send the message to the recipients accepted so far, then the rest in a new transaction.",
        "В этой транзакции уже столько получателей, сколько принимает сервер.",
        "Отправьте письмо принятым получателям, остальным — в новой транзакции.";
    Greylisted => 450, e(4, 7, 1), "<{0}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/{1}.html", "RFC 6647 §2.1",
        "Greylisting: the server refuses mail from a sender it has not seen before, for now. Real servers retry; many spam senders don't.",
        "Retry after a few minutes: the same sender, recipient and client will be accepted.",
        "Грейлистинг: сервер временно отказывает незнакомому отправителю. Настоящие серверы повторяют попытку, многие спамеры — нет.",
        "Повторите через несколько минут: тот же отправитель, получатель и клиент будут приняты.";
    HeloUnknown => 450, e(4, 7, 1), "<{0}>: Helo command rejected: Host not found", "RFC 5321 §4.1.4",
        "The name given in HELO/EHLO does not resolve in DNS; this server checks it.",
        "Say HELO with your real, resolvable host name (its A record, ideally matching your PTR).",
        "Имя из HELO/EHLO не находится в DNS, а этот сервер его проверяет.",
        "Представьтесь настоящим именем хоста, которое есть в DNS (A-запись, в идеале совпадающая с PTR).";
    MailboxFullTemp => 452, e(4, 2, 2), "<{0}> Quota exceeded (mailbox for user is full)", "RFC 3463 §3.3",
        "The recipient's mailbox is full, for now: it may have room later.",
        "Keep the message queued and retry later.",
        "Ящик получателя переполнен — временно: позже место может появиться.",
        "Оставьте письмо в очереди и повторите позже.";
    EtrnUnavailable => 459, NONE, "<{0}>: service unavailable", "RFC 1985 §5",
        "The server keeps no queue for this domain that ETRN could start.",
        "Nothing to flush: ask the server's administrator which domains it queues for.",
        "У сервера нет очереди для этого домена, которую мог бы запустить ETRN.",
        "Запускать нечего: узнайте у администратора, для каких доменов сервер держит очередь.";
    Unrecognized => 500, e(5, 5, 2), "Error: command not recognized", "RFC 5321 §4.2.4",
        "The server does not know this command (or it is obsolete and disabled).",
        "Check the spelling; HELP on other servers lists what they support.",
        "Сервер не знает этой команды (или она устарела и отключена).",
        "Проверьте написание команды.";
    BadSyntax => 500, e(5, 5, 2), "Error: bad syntax", "RFC 5321 §4.2.4",
        "An empty or unreadable command line.",
        "Type a command.",
        "Пустая или нечитаемая командная строка.",
        "Введите команду.";
    EtrnSyntax => 500, NONE, "Syntax: ETRN domain", "RFC 1985 §5",
        "ETRN needs the domain whose queue should be run.",
        "ETRN example.com",
        "ETRN требует домен, очередь которого надо запустить.",
        "ETRN example.com";
    HeloSyntax => 501, NONE, "Syntax: HELO hostname", "RFC 5321 §4.1.1.1",
        "HELO needs the client's host name.",
        "HELO client.example.net",
        "HELO требует имя хоста клиента.",
        "HELO client.example.net";
    EhloSyntax => 501, NONE, "Syntax: EHLO hostname", "RFC 5321 §4.1.1.1",
        "EHLO needs the client's host name.",
        "EHLO client.example.net",
        "EHLO требует имя хоста клиента.",
        "EHLO client.example.net";
    Syntax => 501, e(5, 5, 4), "Syntax: {0}", "RFC 5321 §4.1",
        "The command's arguments are wrong; the reply shows the right form.",
        "Send the command in the form shown.",
        "Неверные аргументы команды; в ответе показана правильная форма.",
        "Повторите команду в показанной форме.";
    VrfySyntax => 501, e(5, 5, 4), "Syntax: VRFY address [SMTPUTF8]", "RFC 5321 §4.1.1.6",
        "VRFY (and EXPN) need the name or address to look up.",
        "VRFY alice",
        "VRFY (и EXPN) требуют имя или адрес для проверки.",
        "VRFY alice";
    BadSender => 501, e(5, 1, 7), "Bad sender address syntax", "RFC 5321 §4.1.2",
        "The sender address cannot be read.",
        "MAIL FROM:<you@example.net> (or <> for a bounce).",
        "Адрес отправителя не удаётся разобрать.",
        "MAIL FROM:<you@example.net> (или <> для уведомления о недоставке).";
    BadRecipient => 501, e(5, 1, 3), "Bad recipient address syntax", "RFC 5321 §4.1.2",
        "The recipient address cannot be read (and <> is not a recipient).",
        "RCPT TO:<user@example.com>",
        "Адрес получателя не удаётся разобрать (и <> не может быть получателем).",
        "RCPT TO:<user@example.com>";
    BadSizeSyntax => 501, e(5, 5, 4), "Bad message size syntax", "RFC 1870 §6",
        "SIZE= must be a number of bytes.",
        "MAIL FROM:<you@example.net> SIZE=1234",
        "SIZE= должен быть числом байтов.",
        "MAIL FROM:<you@example.net> SIZE=1234";
    BadBody => 501, e(5, 5, 4), "Bad BODY keyword", "RFC 6152 §2",
        "BODY= must be 7BIT or 8BITMIME (or BINARYMIME with CHUNKING).",
        "MAIL FROM:<you@example.net> BODY=8BITMIME",
        "BODY= должен быть 7BIT или 8BITMIME (или BINARYMIME вместе с CHUNKING).",
        "MAIL FROM:<you@example.net> BODY=8BITMIME";
    BadRet => 501, e(5, 5, 4), "Bad RET parameter syntax", "RFC 3461 §4.3",
        "RET= must be FULL or HDRS: how much of the message a bounce returns.",
        "MAIL FROM:<you@example.net> RET=HDRS",
        "RET= должен быть FULL или HDRS: сколько письма вернёт уведомление о недоставке.",
        "MAIL FROM:<you@example.net> RET=HDRS";
    BadEnvid => 501, e(5, 5, 4), "Bad ENVID parameter syntax", "RFC 3461 §4.4",
        "ENVID= must be xtext (+HH for special octets) that decodes to printable ASCII, and be given once.",
        "MAIL FROM:<you@example.net> ENVID=my-id-1",
        "ENVID= должен быть в формате xtext (+HH для особых октетов), давать печатный ASCII и встречаться один раз.",
        "MAIL FROM:<you@example.net> ENVID=my-id-1";
    AuthAborted => 501, e(5, 7, 0), "Authentication aborted", "RFC 4954 §4",
        "You answered the challenge with *: the login was cancelled.",
        "Start AUTH again when ready.",
        "Вы ответили * на запрос: вход отменён.",
        "Начните AUTH заново, когда будете готовы.";
    BadDsnParam => 501, e(5, 5, 4), "Error: Bad {0} parameter syntax", "RFC 3461 §4.1, §4.2",
        "NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY; ORCPT must be type;address.",
        "RCPT TO:<user@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;user@example.com",
        "NOTIFY — это NEVER или список из SUCCESS, FAILURE, DELAY; ORCPT — тип;адрес.",
        "RCPT TO:<user@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;user@example.com";
    EhloUnsupported => 502, NONE, "Command not implemented", "RFC 5321 §4.1.4, §4.2.2",
        "This (old) server does not know EHLO: it speaks plain SMTP without extensions.",
        "Fall back to HELO, and use no extension (no SIZE=, no PIPELINING, no AUTH).",
        "Этот (старый) сервер не знает EHLO: он говорит на простом SMTP без расширений.",
        "Вернитесь к HELO и не пользуйтесь расширениями (ни SIZE=, ни PIPELINING, ни AUTH).";
    NotImplemented => 502, NONE, "Command not implemented", "RFC 5321 §4.2.2, RFC 821 §4.3",
        "The server knows this command but does not carry it out (502), unlike 500 for a command it does not know at all.",
        "Do without it: old RFC 821 commands (SEND, SOML, SAML, TURN) are answered so by servers that still list them.",
        "Сервер знает эту команду, но не выполняет её (502) — в отличие от 500 для совсем неизвестной команды.",
        "Обойдитесь без неё: так отвечают на старые команды RFC 821 (SEND, SOML, SAML, TURN) серверы, которые их ещё помнят.";
    VrfyDisabled => 502, e(5, 5, 1), "VRFY command is disabled", "RFC 5321 §3.5.3",
        "This server does not answer VRFY (it would help spammers harvest addresses).",
        "Just send the message.",
        "Сервер не отвечает на VRFY (это помогало бы спамерам собирать адреса).",
        "Просто отправьте письмо.";
    HelpTopicUnknown => 504, NONE, "HELP topic \"{0}\" unknown", "RFC 5321 §4.1.1.8, §4.2.2",
        "The server's help file has nothing under this topic.",
        "Type HELP alone for the list of topics.",
        "В справке сервера нет такой темы.",
        "Наберите HELP без аргумента, чтобы увидеть список тем.";
    NestedMail => 503, e(5, 5, 1), "Error: nested MAIL command", "RFC 5321 §4.1.4",
        "A transaction is already open: one MAIL per transaction.",
        "Finish it (DATA) or cancel it (RSET) first.",
        "Транзакция уже открыта: одна команда MAIL на транзакцию.",
        "Завершите её (DATA) или отмените (RSET).";
    NeedMail => 503, e(5, 5, 1), "Error: need MAIL command", "RFC 5321 §4.1.4",
        "Commands out of order: RCPT needs a MAIL FROM first.",
        "MAIL FROM:<you@example.net>, then RCPT TO.",
        "Нарушен порядок команд: перед RCPT нужна MAIL FROM.",
        "MAIL FROM:<you@example.net>, затем RCPT TO.";
    NeedRcpt => 503, e(5, 5, 1), "Error: need RCPT command", "RFC 5321 §4.1.4",
        "Commands out of order: DATA needs at least one recipient.",
        "RCPT TO:<user@example.com>, then DATA.",
        "Нарушен порядок команд: для DATA нужен хотя бы один получатель.",
        "RCPT TO:<user@example.com>, затем DATA.";
    EtrnInTransaction => 503, NONE, "Error: MAIL transaction in progress", "RFC 1985 §4",
        "ETRN is not allowed inside a mail transaction (Postfix says so without an enhanced code).",
        "Finish the transaction (or RSET) first, then ETRN.",
        "ETRN нельзя внутри почтовой транзакции (Postfix отвечает без расширенного кода).",
        "Сначала завершите транзакцию (или RSET), затем ETRN.";
    ProxyInTransaction => 503, e(5, 5, 1), "Error: MAIL transaction in progress", "Postfix XCLIENT_README, XFORWARD_README; not an RFC",
        "XCLIENT and XFORWARD (Postfix's commands for trusted proxies) are refused inside a mail transaction, before anything else is checked.",
        "Finish or RSET the transaction first (and they work only from a host the server trusts).",
        "XCLIENT и XFORWARD (команды Postfix для доверенных прокси) внутри почтовой транзакции отвергаются прежде всяких других проверок.",
        "Сначала завершите транзакцию или выполните RSET (и работают они только с хоста, которому сервер доверяет).";
    ProxySyntax => 501, e(5, 5, 4), "Syntax: {0} attribute=value...", "Postfix XCLIENT_README, XFORWARD_README; not an RFC",
        "The command needs at least one attribute=value pair (NAME, ADDR, PROTO, HELO…).",
        "XCLIENT ADDR=192.0.2.1 NAME=client.example.net: but only from a host the server trusts.",
        "Команде нужна хотя бы одна пара атрибут=значение (NAME, ADDR, PROTO, HELO…).",
        "XCLIENT ADDR=192.0.2.1 NAME=client.example.net — но только с хоста, которому сервер доверяет.";
    ProxyNotAuthorized => 550, e(5, 7, 0), "Error: insufficient authorization", "Postfix XCLIENT_README, XFORWARD_README; not an RFC",
        "Postfix knows this command, but lets only trusted hosts use it (smtpd_authorized_xclient_hosts, smtpd_authorized_xforward_hosts): with it a content filter or proxy tells the real client's name and address.",
        "Nothing to do from an ordinary client: go on with MAIL FROM.",
        "Postfix знает эту команду, но разрешает её только доверенным хостам (smtpd_authorized_xclient_hosts, smtpd_authorized_xforward_hosts): так фильтр или прокси сообщает имя и адрес настоящего клиента.",
        "Обычному клиенту здесь делать нечего: продолжайте с MAIL FROM.";
    TransactionInProgress => 503, e(5, 5, 1), "Error: MAIL transaction in progress", "RFC 4954 §4",
        "This command is not allowed inside a mail transaction.",
        "Finish or RSET the transaction first.",
        "Эта команда недопустима внутри почтовой транзакции.",
        "Сначала завершите транзакцию или выполните RSET.";
    AuthNotEnabled => 503, e(5, 5, 1), "Error: authentication not enabled", "RFC 4954 §4",
        "This service does not offer AUTH (port 25 is for server-to-server mail).",
        "Log in on the submission port 587 (or 465) instead.",
        "Эта служба не предлагает AUTH (порт 25 — для почты между серверами).",
        "Входите через порт отправки 587 (или 465).";
    AlreadyAuthenticated => 503, e(5, 5, 1), "Error: already authenticated", "RFC 4954 §4",
        "You are already logged in; AUTH is allowed once per session.",
        "Go on with MAIL FROM.",
        "Вы уже вошли; AUTH допускается один раз за сеанс.",
        "Продолжайте командой MAIL FROM.";
    NeedHelo => 503, e(5, 5, 1), "Error: send HELO/EHLO first", "RFC 4954 §4",
        "AUTH is an ESMTP extension: say EHLO first.",
        "EHLO client.example.net",
        "AUTH — расширение ESMTP: сначала скажите EHLO.",
        "EHLO client.example.net";
    AuthRequired => 530, e(5, 7, 0), "Authentication required", "RFC 4954 §6, RFC 2645 §4",
        "This command needs a logged-in client: ATRN (on-demand relay) hands the queued mail only to a client that has proven who it is.",
        "Log in with AUTH first, then repeat the command.",
        "Команде нужен вошедший клиент: ATRN (ретрансляция по запросу) отдаёт почту из очереди только клиенту, подтвердившему, кто он.",
        "Сначала войдите командой AUTH, затем повторите команду.";
    UnsupportedMechanism => 535, e(5, 7, 8), "Error: authentication failed: Invalid authentication mechanism", "RFC 4954 §4",
        "The server does not offer this SASL mechanism.",
        "Use a mechanism from the EHLO AUTH line (PLAIN, LOGIN).",
        "Сервер не предлагает этот механизм SASL.",
        "Используйте механизм из строки AUTH ответа EHLO (PLAIN, LOGIN).";
    AuthBadBase64Initial => 535, e(5, 7, 8), "Error: authentication failed: Invalid base64 data in initial response", "RFC 4954 §4",
        "The initial response after the mechanism name is not valid base64.",
        "Encode it: printf '\\0alice\\0alicepw' | base64.",
        "Начальный ответ после имени механизма — не корректный base64.",
        "Закодируйте его: printf '\\0alice\\0alicepw' | base64.";
    AuthBadBase64 => 535, e(5, 7, 8), "Error: authentication failed: Invalid base64 data in continued response", "RFC 4954 §4",
        "The answer to the challenge is not valid base64.",
        "Encode the answer: printf 'alice' | base64.",
        "Ответ на запрос — не корректный base64.",
        "Закодируйте ответ: printf 'alice' | base64.";
    AuthFailed => 535, e(5, 7, 8), "Error: authentication failed: (reason unavailable)", "RFC 4954 §6",
        "Wrong user name or password.",
        "Check the credentials (alice/alicepw) and their base64 encoding.",
        "Неверное имя пользователя или пароль.",
        "Проверьте учётные данные (alice/alicepw) и их кодировку base64.";
    EncryptionRequired => 538, e(5, 7, 11), "Encryption required for requested authentication mechanism", "RFC 4954 §6",
        "This mechanism sends the password readably: the server wants TLS first.",
        "STARTTLS, then EHLO and AUTH again.",
        "Этот механизм передаёт пароль в открытом виде: сервер требует сначала TLS.",
        "Выполните STARTTLS, затем снова EHLO и AUTH.";
    HeloNotFqdn => 504, e(5, 5, 2), "<{0}>: Helo command rejected: need fully-qualified hostname", "RFC 5321 §4.1.1.1",
        "HELO/EHLO must name the client with a fully qualified domain name (or an address literal).",
        "EHLO client.example.net",
        "HELO/EHLO должен называть клиента полным доменным именем (или литералом адреса).",
        "EHLO client.example.net";
    SpfFail => 550, e(5, 7, 23), "<{0}>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom;id={1};ip={2};r={0}", "RFC 7208 §8.4, RFC 7372 §3.2",
        "SPF: the sender's domain publishes which hosts may send its mail, and this client is not one of them.",
        "Send through the sender domain's own servers (its MSA), or fix the domain's SPF record.",
        "SPF: домен отправителя публикует, какие узлы могут отправлять его почту, и этот клиент не из их числа.",
        "Отправляйте через серверы домена отправителя (его MSA) или исправьте SPF-запись домена.";
    SpamRejected => 550, e(5, 7, 1), "Spam message rejected", "RFC 3463 §3.8",
        "The content filter judged the message to be spam; it was not accepted.",
        "Change the content, or ask the recipient's postmaster; don't resend unchanged.",
        "Фильтр содержимого счёл письмо спамом; оно не принято.",
        "Измените содержимое или обратитесь к postmaster получателя; не отправляйте то же самое повторно.";
    LmtpUserUnknown => 550, e(5, 1, 1), "<{0}> User doesn't exist: {0}", "RFC 2033 §4.2",
        "LMTP: the delivery agent has no mailbox for this recipient.",
        "The message bounces to the sender.",
        "LMTP: у агента доставки нет ящика для этого получателя.",
        "Письмо возвращается отправителю.";
    SenderNotOwned => 553, e(5, 7, 1), "<{0}>: Sender address rejected: not owned by user {1}", "RFC 6409 §6.1",
        "You logged in as one user but claim to send as another address: the provider refuses forged senders.",
        "Use your own address in MAIL FROM and From:, or log in as the owner of that address.",
        "Вы вошли как один пользователь, а отправляете от чужого адреса: провайдер отвергает поддельных отправителей.",
        "Укажите свой адрес в MAIL FROM и From: или войдите как владелец этого адреса.";
    UserUnknown => 550, e(5, 1, 1), "<{0}>: Recipient address rejected: User unknown in virtual mailbox table", "RFC 5321 §4.2.2, RFC 3463 §3.2",
        "The domain is this server's, but no such mailbox exists here.",
        "Check the address; other recipients of the transaction are unaffected.",
        "Домен обслуживается этим сервером, но такого ящика здесь нет.",
        "Проверьте адрес; остальные получатели транзакции не затронуты.";
    MailboxFull => 552, e(5, 2, 2), "<{0}> Quota exceeded (mailbox for user is full)", "RFC 3463 §3.3",
        "The recipient's mailbox is full, and the server gives up on this message.",
        "Tell the sender (a bounce); the recipient must make room.",
        "Ящик получателя переполнен, и сервер отказывается от этого письма.",
        "Сообщите отправителю (уведомление о недоставке); получателю нужно освободить место.";
    MessageTooBig => 552, e(5, 3, 4), "Message size exceeds fixed limit", "RFC 1870 §6",
        "The message is larger than the server's SIZE limit.",
        "Send a smaller message (the limit is in the EHLO SIZE line).",
        "Письмо больше предела SIZE этого сервера.",
        "Отправьте письмо меньшего размера (предел — в строке SIZE ответа EHLO).";
    Dnsbl => 554, e(5, 7, 1), "Service unavailable; Client host [{0}] blocked using {1}; {2}", "RFC 5782 §2.1",
        "The client's address is on a DNS blocklist (DNSBL) this server consults.",
        "Send from a clean address (your provider's MSA), or get the address delisted.",
        "Адрес клиента находится в DNS-чёрном списке (DNSBL), который проверяет этот сервер.",
        "Отправляйте с «чистого» адреса (через MSA провайдера) или добейтесь исключения адреса из списка.";
    RelayDenied => 554, e(5, 7, 1), "<{0}>: Relay access denied", "RFC 5321 §3.6.2",
        "The recipient's domain is not this server's, and it relays only for clients it trusts.",
        "Send to the recipient's own MX, or log in on port 587 (AUTH) so the server relays for you.",
        "Домен получателя не обслуживается этим сервером, а пересылает он только для доверенных клиентов.",
        "Отправьте на MX-сервер получателя или войдите через порт 587 (AUTH), чтобы сервер переслал письмо.";
    ClientRejected => 554, e(5, 7, 1), "<{0}>: Client host rejected: Access denied", "RFC 6409 §4.3",
        "This submission service takes mail only from logged-in users.",
        "Log in with AUTH first.",
        "Эта служба отправки принимает почту только от вошедших пользователей.",
        "Сначала войдите командой AUTH.";
    NoValidRecipients => 554, e(5, 5, 1), "Error: no valid recipients", "RFC 5321 §3.3",
        "DATA, but none of the recipients was accepted.",
        "Give at least one recipient the server accepts.",
        "Команда DATA, но ни один получатель не принят.",
        "Укажите хотя бы одного получателя, которого примет сервер.";
    TlsActive => 554, e(5, 5, 1), "Error: TLS already active", "RFC 3207 §4.2",
        "The session is already encrypted.",
        "Go on: EHLO, AUTH, MAIL.",
        "Сеанс уже зашифрован.",
        "Продолжайте: EHLO, AUTH, MAIL.";
    UnsupportedOption => 555, e(5, 5, 4), "Unsupported option: {0}", "RFC 5321 §4.1.1.11",
        "A MAIL or RCPT parameter the server does not know, or one of an extension it did not offer.",
        "Drop the parameter, or use it only when EHLO lists its extension.",
        "Параметр MAIL или RCPT, который сервер не знает, или параметр непредложенного расширения.",
        "Уберите параметр или используйте его, только если EHLO перечисляет его расширение.";
}

/// Sendmail 8.9's help file, `sendmail.hf` 8.18 (Berkeley) 11/19/1998, as
/// `(topic, line)` pairs: the topics an SMTP client can reach with HELP
/// (the file's `cpyr`, `-bt` and `control` topics are left out). Tabs are
/// kept, as Sendmail sends the rest of the line after the topic's tab as it
/// is. Sources and a recorded 8.9.3 HELP session: PERSONALITIES.md.
pub static SENDMAIL_8_9_HELP_FILE: &[(&str, &str)] = &[
    ("smtp", "Topics:"),
    ("smtp", "\tHELO\tEHLO\tMAIL\tRCPT\tDATA"),
    ("smtp", "\tRSET\tNOOP\tQUIT\tHELP\tVRFY"),
    ("smtp", "\tEXPN\tVERB\tETRN\tDSN"),
    ("smtp", "For more info use \"HELP <topic>\"."),
    ("smtp", "To report bugs in the implementation send email to"),
    ("smtp", "\tsendmail-bugs@sendmail.org."),
    ("smtp", "For local information send email to Postmaster at your site."),
    ("help", "HELP [ <topic> ]"),
    ("help", "\tThe HELP command gives help info."),
    ("helo", "HELO <hostname>"),
    ("helo", "\tIntroduce yourself."),
    ("ehlo", "EHLO <hostname>"),
    ("ehlo", "\tIntroduce yourself, and request extended SMTP mode."),
    ("ehlo", "Possible replies include:"),
    ("ehlo", "\tSEND\t\tSend as mail\t\t\t[RFC821]"),
    ("ehlo", "\tSOML\t\tSend as mail or terminal\t[RFC821]"),
    ("ehlo", "\tSAML\t\tSend as mail and terminal\t[RFC821]"),
    ("ehlo", "\tEXPN\t\tExpand the mailing list\t\t[RFC821]"),
    ("ehlo", "\tHELP\t\tSupply helpful information\t[RFC821]"),
    ("ehlo", "\tTURN\t\tTurn the operation around\t[RFC821]"),
    ("ehlo", "\t8BITMIME\tUse 8-bit data\t\t\t[RFC1652]"),
    ("ehlo", "\tSIZE\t\tMessage size declaration\t[RFC1870]"),
    ("ehlo", "\tVERB\t\tVerbose\t\t\t\t[Allman]"),
    ("ehlo", "\tONEX\t\tOne message transaction only\t[Allman]"),
    ("ehlo", "\tCHUNKING\tChunking\t\t\t[RFC1830]"),
    ("ehlo", "\tBINARYMIME\tBinary MIME\t\t\t[RFC1830]"),
    ("ehlo", "\tPIPELINING\tCommand Pipelining\t\t[RFC1854]"),
    ("ehlo", "\tDSN\t\tDelivery Status Notification\t[RFC1891]"),
    ("ehlo", "\tETRN\t\tRemote Message Queue Starting\t[RFC1985]"),
    ("ehlo", "\tXUSR\t\tInitial (user) submission\t[Allman]"),
    ("mail", "MAIL FROM: <sender> [ <parameters> ]"),
    ("mail", "\tSpecifies the sender.  Parameters are ESMTP extensions."),
    ("mail", "\tSee \"HELP DSN\" for details."),
    ("rcpt", "RCPT TO: <recipient> [ <parameters> ]"),
    ("rcpt", "\tSpecifies the recipient.  Can be used any number of times."),
    ("rcpt", "\tParameters are ESMTP extensions.  See \"HELP DSN\" for details."),
    ("data", "DATA"),
    ("data", "\tFollowing text is collected as the message."),
    ("data", "\tEnd with a single dot."),
    ("rset", "RSET"),
    ("rset", "\tResets the system."),
    ("quit", "QUIT"),
    ("quit", "\tExit sendmail (SMTP)."),
    ("verb", "VERB"),
    ("verb", "\tGo into verbose mode.  This sends 0xy responses that are"),
    ("verb", "\tnot RFC821 standard (but should be)  They are recognized"),
    ("verb", "\tby humans and other sendmail implementations."),
    ("vrfy", "VRFY <recipient>"),
    ("vrfy", "\tVerify an address.  If you want to see what it aliases"),
    ("vrfy", "\tto, use EXPN instead."),
    ("expn", "EXPN <recipient>"),
    ("expn", "\tExpand an address.  If the address indicates a mailing"),
    ("expn", "\tlist, return the contents of that list."),
    ("noop", "NOOP"),
    ("noop", "\tDo nothing."),
    ("send", "SEND FROM: <sender>"),
    ("send", "\treplaces the MAIL command, and can be used to send"),
    ("send", "\tdirectly to a users terminal.  Not supported in this"),
    ("send", "\timplementation."),
    ("soml", "SOML FROM: <sender>"),
    ("soml", "\tSend or mail.  If the user is logged in, send directly,"),
    ("soml", "\totherwise mail.  Not supported in this implementation."),
    ("saml", "SAML FROM: <sender>"),
    ("saml", "\tSend and mail.  Send directly to the user's terminal,"),
    ("saml", "\tand also mail a letter.  Not supported in this"),
    ("saml", "\timplementation."),
    ("turn", "TURN"),
    ("turn", "\tReverses the direction of the connection.  Not currently"),
    ("turn", "\timplemented."),
    ("etrn", "ETRN [ <hostname> | @<domain> | #<queuename> ]"),
    ("etrn", "\tRun the queue for the specified <hostname>, or"),
    ("etrn", "\tall hosts within a given <domain>, or a specially-named"),
    ("etrn", "\t<queuename> (implementation-specific)."),
    ("dsn", "MAIL FROM: <sender> [ RET={ FULL | HDRS} ] [ ENVID=<envid> ]"),
    ("dsn", "RCPT TO: <recipient> [ NOTIFY={NEVER,SUCCESS,FAILURE,DELAY} ]"),
    ("dsn", "                     [ ORCPT=<recipient> ]"),
    ("dsn", "\tSMTP Delivery Status Notifications."),
    ("dsn", "Descriptions:"),
    ("dsn", "\tRET\tReturn either the full message or only headers."),
    ("dsn", "\tENVID\tSender's \"envelope identifier\" for tracking."),
    ("dsn", "\tNOTIFY\tWhen to send a DSN. Multiple options are OK, comma-"),
    ("dsn", "\t        delimited. NEVER must appear by itself."),
    ("dsn", "\tORCPT\tOriginal recipient."),
];

/// The entry for an id. Every id has exactly one entry (a test checks it).
pub fn entry(id: ReplyId) -> &'static Entry {
    CATALOGUE.iter().find(|e| e.id == id).unwrap_or(&CATALOGUE[0])
}

/// The entries that explain a reply seen on the wire (the UI's "what does
/// this mean?"): the same code and enhanced code; for a reply without an
/// enhanced code (older servers), every entry with the same code.
pub fn explain(code: u16, enhanced: Option<Enhanced>) -> Vec<&'static Entry> {
    CATALOGUE.iter().filter(|e| e.code == code && (enhanced.is_none() || e.enhanced == enhanced)).collect()
}

/// Fills `{0}`, `{1}`… in a template.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('}').and_then(|j| after[..j].parse::<usize>().ok().map(|n| (j, n))) {
            Some((j, n)) => {
                out.push_str(args.get(n).copied().unwrap_or(""));
                rest = &after[j + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The prose of every entry, in the table's order, as JSON: `[[id, meaning,
/// next, meaning_ru, next_ru], …]`. `static/reply-prose.json` is this
/// (tests/reply_prose.rs keeps it so); the small embed build loads it.
pub fn prose_json() -> String {
    let rows: Vec<(ReplyId, &str, &str, &str, &str)> =
        CATALOGUE.iter().map(|e| (e.id, e.meaning, e.next, e.meaning_ru, e.next_ru)).collect();
    let mut json = serde_json::to_string(&rows).unwrap_or_default();
    json.push('\n');
    json
}

/// Where the prose comes from in a build without it compiled in: a lookup of
/// entry `i`'s four fields by its place in the table (the page's rows, read
/// only when an explanation needs one: nothing is copied at start-up).
type ProseSource = Box<dyn Fn(usize) -> Option<[String; 4]>>;

thread_local! {
    static PROSE: std::cell::RefCell<Option<ProseSource>> = std::cell::RefCell::default();
}

/// Gives the catalogue its prose as [`prose_json`] wrote it, row by row
/// (`rows[i]` is entry `i`'s meaning, next, meaning_ru, next_ru). A row that
/// is missing leaves its entry without prose; nothing else changes.
pub fn load_prose(rows: Vec<[String; 4]>) {
    prose_from(move |i| rows.get(i).cloned());
}

/// [`load_prose`] by a lookup: `row(i)` gives entry `i`'s four fields, or
/// `None` (that entry then has no prose).
pub fn prose_from(row: impl Fn(usize) -> Option<[String; 4]> + 'static) {
    PROSE.with(|p| *p.borrow_mut() = Some(Box::new(row)));
}

impl Entry {
    /// The entry's four texts (meaning, next, meaning_ru, next_ru): its own,
    /// or in a build without them, those given by [`load_prose`].
    pub fn prose(&self) -> [String; 4] {
        if !self.meaning.is_empty() {
            return [self.meaning, self.next, self.meaning_ru, self.next_ru].map(str::to_string);
        }
        let at = CATALOGUE.iter().position(|e| e.id == self.id).unwrap_or(0);
        PROSE.with(|p| p.borrow().as_ref().and_then(|row| row(at))).unwrap_or_default()
    }

    /// What the reply means, in `lang` (English where no translation is kept).
    pub fn meaning_in(&self, lang: Lang) -> &'static str {
        lang.pick(self.meaning, self.meaning_ru)
    }

    /// What the client should do next, in `lang`.
    pub fn next_in(&self, lang: Lang) -> &'static str {
        lang.pick(self.next, self.next_ru)
    }

    /// The reply this entry describes, with its arguments filled in.
    pub fn reply(&self, args: &[&str]) -> Reply {
        Reply { code: self.code, enhanced: self.enhanced, lines: vec![fill(self.text, args)] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_codes_match_their_class() {
        let mut seen = HashSet::new();
        for e in CATALOGUE {
            assert!(seen.insert(e.id), "{:?} twice", e.id);
            assert!((200..600).contains(&e.code), "{:?}", e.id);
            if let Some(x) = e.enhanced {
                // RFC 3463 §3.1: the class digit equals the reply's first digit.
                assert_eq!(u16::from(x.0), e.code / 100, "{:?}", e.id);
            }
            for t in [e.meaning, e.next, e.meaning_ru, e.next_ru, e.rfc] {
                assert!(!t.is_empty(), "{:?} has an empty explanation", e.id);
            }
            assert!(e.meaning_ru.chars().any(|c| ('а'..='я').contains(&c)), "{:?}: Russian text", e.id);
        }
    }

    #[test]
    fn templates_are_filled() {
        assert_eq!(fill("<{0}>: Relay access denied", &["a@b"]), "<a@b>: Relay access denied");
        assert_eq!(fill("Ok: {0} bytes queued as {1}", &["12", "ABC"]), "Ok: 12 bytes queued as ABC");
        assert_eq!(fill("{x} {", &[]), "{x} {");
        assert_eq!(fill("{5}", &["a"]), "");
        assert_eq!(entry(ReplyId::RelayDenied).reply(&["x@y"]).to_string(), "554 5.7.1 <x@y>: Relay access denied");
    }

    #[test]
    fn the_session_builds_replies_only_from_the_catalogue() {
        let src = include_str!("session.rs");
        for ad_hoc in ["Reply::new(", "Reply::enhanced(", "Reply::multi(", "Reply { "] {
            assert!(!src.contains(ad_hoc), "session.rs builds a reply with {ad_hoc}: add a catalogue entry instead");
        }
    }

    #[test]
    fn explain_finds_entries_by_code() {
        let hits = explain(503, Some(Enhanced(5, 5, 1)));
        assert!(hits.iter().any(|e| e.id == ReplyId::NeedMail));
        assert!(explain(599, None).is_empty());
    }
}
