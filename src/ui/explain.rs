//! The reply explainer: what the last (or a clicked) server reply means and
//! what to do next, from the reply catalogue.

use crate::smtp::catalogue::entry;
use crate::smtp::personality::identify_reply;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ExplainProps {
    /// The reply's lines as the server sent them; empty before the first reply.
    pub lines: Vec<String>,
}

/// What a reply class means (RFC 5321 §4.2.1), for replies the catalogue does
/// not know (another server's texts).
fn class_meaning(code: &str) -> &'static str {
    match code.as_bytes().first() {
        Some(b'2') => "Success: the command was carried out.",
        Some(b'3') => "Go on: the server waits for more (the message after DATA, an answer during AUTH).",
        Some(b'4') => "Temporary failure: try the same again later.",
        Some(b'5') => "Permanent failure: don't repeat the command unchanged.",
        _ => "Not an SMTP reply code.",
    }
}

#[function_component(ReplyExplainer)]
pub fn reply_explainer(props: &ExplainProps) -> Html {
    let Some(first) = props.lines.first() else {
        return html! {
            <section class="ms-explain" aria-labelledby="ms-explain-h">
                <h2 id="ms-explain-h">{ "Last reply" }</h2>
                <p class="ms-muted">{ "Connect to a server: each reply it sends is explained here. Click any reply code in the terminal to see it again." }</p>
            </section>
        };
    };
    if first.starts_with("+OK") || first.starts_with("-ERR") {
        let ok = first.starts_with('+');
        let (badge, rest) = first.split_at(if ok { 3 } else { 4 });
        let meaning = if ok {
            "POP3: the command succeeded. POP3 has only two answers, +OK and -ERR, instead of SMTP's numbered codes (RFC 1939 §3)."
        } else {
            "POP3: the command failed; the text after -ERR says why (RFC 1939 §3)."
        };
        return html! {
            <section class="ms-explain" aria-labelledby="ms-explain-h">
                <h2 id="ms-explain-h">{ "Last reply" }</h2>
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
            "OK" => Some(("ms-badge ms-r2", "IMAP: the command with this tag succeeded. Lines starting with * before it were the data it asked for (RFC 3501 §7.1).")),
            "NO" => Some(("ms-badge ms-r4", "IMAP: the command was understood but refused (no such mailbox, wrong password…); the text and any [CODE] say why (RFC 3501 §7.1.2).")),
            "BAD" => Some(("ms-badge ms-r5", "IMAP: a protocol or syntax error — check the command's spelling and arguments; every command starts with a tag (RFC 3501 §7.1.3).")),
            _ => None,
        };
        if let Some((class, meaning)) = meaning.filter(|_| !tag.is_empty() && tag != "*" && !tag.bytes().all(|b| b.is_ascii_digit())) {
            return html! {
                <section class="ms-explain" aria-labelledby="ms-explain-h">
                    <h2 id="ms-explain-h">{ "Last reply" }</h2>
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
    let shown = if props.lines.len() > 1 { format!("{first} … ({} lines)", props.lines.len()) } else { first.clone() };
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
                <p class="ms-meaning">{ e.meaning }</p>
                <p class="ms-next"><strong>{ "Next: " }</strong>{ e.next }</p>
                <p class="ms-rfc">
                    { e.enhanced.map(|x| format!("Enhanced status {x} · ")).unwrap_or_default() }
                    { e.rfc }
                </p>
            </>
        },
        None => html! { <p class="ms-meaning">{ class_meaning(code) }</p> },
    };
    html! {
        <section class="ms-explain" aria-labelledby="ms-explain-h">
            <h2 id="ms-explain-h">{ "Last reply" }</h2>
            <p class="ms-said"><span class={class}>{ code }</span><code>{ shown.get(3..).unwrap_or("") }</code></p>
            { body }
        </section>
    }
}
