//! The reply explainer: what the last (or a clicked) server reply means and
//! what to do next, from the reply catalogue.

use super::tr;
use crate::smtp::catalogue::entry;
use crate::smtp::personality::identify_reply;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ExplainProps {
    /// The reply's lines as the server sent them; empty before the first reply.
    pub lines: Vec<String>,
    /// Explain in Russian.
    #[prop_or_default]
    pub ru: bool,
}

/// What a reply class means (RFC 5321 §4.2.1), for replies the catalogue does
/// not know (another server's texts).
fn class_meaning(code: &str, ru: bool) -> &'static str {
    match (code.as_bytes().first(), ru) {
        (Some(b'2'), false) => "Success: the command was carried out.",
        (Some(b'3'), false) => "Go on: the server waits for more (the message after DATA, an answer during AUTH).",
        (Some(b'4'), false) => "Temporary failure: try the same again later.",
        (Some(b'5'), false) => "Permanent failure: don't repeat the command unchanged.",
        (_, false) => "Not an SMTP reply code.",
        (Some(b'2'), true) => "Успех: команда выполнена.",
        (Some(b'3'), true) => "Продолжайте: сервер ждёт продолжения (письма после DATA, ответа при AUTH).",
        (Some(b'4'), true) => "Временная ошибка: повторите то же позже.",
        (Some(b'5'), true) => "Постоянная ошибка: не повторяйте команду без изменений.",
        (_, true) => "Это не код ответа SMTP.",
    }
}

#[function_component(ReplyExplainer)]
pub fn reply_explainer(props: &ExplainProps) -> Html {
    let ru = props.ru;
    let title = tr(ru, "Last reply", "Последний ответ");
    let Some(first) = props.lines.first() else {
        return html! {
            <section class="ms-explain" aria-labelledby="ms-explain-h">
                <h2 id="ms-explain-h">{ title }</h2>
                <p class="ms-muted">{ tr(ru, "Connect to a server: each reply it sends is explained here. Click any reply code in the terminal to see it again.", "Подключитесь к серверу: каждый его ответ объясняется здесь. Щёлкните код ответа в терминале, чтобы увидеть объяснение снова.") }</p>
            </section>
        };
    };
    if first.starts_with("+OK") || first.starts_with("-ERR") {
        let ok = first.starts_with('+');
        let (badge, rest) = first.split_at(if ok { 3 } else { 4 });
        let meaning = if ok {
            tr(ru, "POP3: the command succeeded. POP3 has only two answers, +OK and -ERR, instead of SMTP's numbered codes (RFC 1939 §3).", "POP3: команда выполнена. У POP3 всего два ответа, +OK и -ERR, вместо числовых кодов SMTP (RFC 1939 §3).")
        } else {
            tr(
                ru,
                "POP3: the command failed; the text after -ERR says why (RFC 1939 §3).",
                "POP3: команда не выполнена; текст после -ERR объясняет почему (RFC 1939 §3).",
            )
        };
        return html! {
            <section class="ms-explain" aria-labelledby="ms-explain-h">
                <h2 id="ms-explain-h">{ title }</h2>
                <p class="ms-said"><span class={if ok { "ms-badge ms-r2" } else { "ms-badge ms-r5" }}>{ badge }</span><code>{ rest }</code></p>
                <p class="ms-meaning">{ meaning }</p>
            </section>
        };
    }
    // IMAP: the last line of a reply is tagged (`a1 OK …`, `a1 NO …`, `a1 BAD …`).
    let last = props.lines.last().unwrap_or(first);
    let mut words = last.splitn(3, ' ');
    if let (Some(tag), Some(status)) = (words.next(), words.next()) {
        let meaning = match status {
            "OK" => Some(("ms-badge ms-r2", tr(ru, "IMAP: the command with this tag succeeded. Lines starting with * before it were the data it asked for (RFC 3501 §7.1).", "IMAP: команда с этой меткой выполнена. Строки со * перед ней — запрошенные данные (RFC 3501 §7.1)."))),
            "NO" => Some(("ms-badge ms-r4", tr(ru, "IMAP: the command was understood but refused (no such mailbox, wrong password…); the text and any [CODE] say why (RFC 3501 §7.1.2).", "IMAP: команда понята, но отклонена (нет такого ящика, неверный пароль…); текст и [КОД] объясняют почему (RFC 3501 §7.1.2)."))),
            "BAD" => Some(("ms-badge ms-r5", tr(ru, "IMAP: a protocol or syntax error — check the command's spelling and arguments; every command starts with a tag (RFC 3501 §7.1.3).", "IMAP: ошибка протокола или синтаксиса — проверьте команду и аргументы; каждая команда начинается с метки (RFC 3501 §7.1.3)."))),
            _ => None,
        };
        if let Some((class, meaning)) =
            meaning.filter(|_| !tag.is_empty() && tag != "*" && !tag.bytes().all(|b| b.is_ascii_digit()))
        {
            return html! {
                <section class="ms-explain" aria-labelledby="ms-explain-h">
                    <h2 id="ms-explain-h">{ title }</h2>
                    <p class="ms-said"><span class={class}>{ status }</span><code>{ last.clone() }</code></p>
                    <p class="ms-meaning">{ meaning }</p>
                </section>
            };
        }
    }
    let code = first.get(..3).unwrap_or("");
    let class = match code.as_bytes().first() {
        Some(b'2') => "ms-badge ms-r2",
        Some(b'3') => "ms-badge ms-r3",
        Some(b'4') => "ms-badge ms-r4",
        _ => "ms-badge ms-r5",
    };
    let shown = if props.lines.len() > 1 {
        format!("{first} … ({} {})", props.lines.len(), tr(ru, "lines", "строк"))
    } else {
        first.clone()
    };
    // A bare code (clicked in a lesson) matches no text: take the first entry
    // with the same code and enhanced code.
    let bare = || {
        let mut w = first.split(' ');
        let code: u16 = w.next()?.parse().ok()?;
        let enh = w.next().and_then(|e| {
            let p: Vec<u16> = e.split('.').map(|x| x.parse().ok()).collect::<Option<_>>()?;
            (p.len() == 3).then(|| crate::reply::Enhanced(p[0] as u8, p[1], p[2]))
        });
        crate::smtp::catalogue::explain(code, enh).into_iter().next()
    };
    let body = match identify_reply(&props.lines).map(entry).or_else(bare) {
        Some(e) => html! {
            <>
                <p class="ms-meaning">{ if ru { e.meaning_ru } else { e.meaning } }</p>
                <p class="ms-next"><strong>{ tr(ru, "Next: ", "Дальше: ") }</strong>{ if ru { e.next_ru } else { e.next } }</p>
                <p class="ms-rfc">
                    { e.enhanced.map(|x| format!("{} {x} · ", tr(ru, "Enhanced status", "Расширенный код"))).unwrap_or_default() }
                    { e.rfc }
                </p>
            </>
        },
        None => html! { <p class="ms-meaning">{ class_meaning(code, ru) }</p> },
    };
    html! {
        <section class="ms-explain" aria-labelledby="ms-explain-h">
            <h2 id="ms-explain-h">{ title }</h2>
            <p class="ms-said"><span class={class}>{ code }</span><code>{ shown.get(3..).unwrap_or("") }</code></p>
            { body }
        </section>
    }
}
