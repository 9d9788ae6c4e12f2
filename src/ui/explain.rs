//! The reply explainer: what the last (or a clicked) server reply means and
//! what to do next, from the reply catalogue.

use crate::lang::{Key, Lang};
use crate::smtp::catalogue::entry;
use crate::smtp::personality::identify_reply;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ExplainProps {
    /// The reply's lines as the server sent them; empty before the first reply.
    pub lines: Vec<String>,
    /// The language to explain in.
    #[prop_or_default]
    pub lang: Lang,
}

/// What a reply class means (RFC 5321 §4.2.1), for replies the catalogue does
/// not know (another server's texts).
fn class_meaning(code: &str, lang: Lang) -> &'static str {
    lang.t(match code.as_bytes().first() {
        Some(b'2') => Key::ClassSuccess,
        Some(b'3') => Key::ClassGoOn,
        Some(b'4') => Key::ClassTemporary,
        Some(b'5') => Key::ClassPermanent,
        _ => Key::ClassNotSmtp,
    })
}

#[function_component(ReplyExplainer)]
pub fn reply_explainer(props: &ExplainProps) -> Html {
    let lang = props.lang;
    let title = lang.t(Key::LastReply);
    let Some(first) = props.lines.first() else {
        return html! {
            <section class="ms-explain" aria-labelledby="ms-explain-h">
                <h2 id="ms-explain-h">{ title }</h2>
                <p class="ms-muted">{ lang.t(Key::ExplainEmpty) }</p>
            </section>
        };
    };
    if first.starts_with("+OK") || first.starts_with("-ERR") {
        let ok = first.starts_with('+');
        let (badge, rest) = first.split_at(if ok { 3 } else { 4 });
        let meaning = lang.t(if ok { Key::Pop3Ok } else { Key::Pop3Err });
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
            "OK" => Some(("ms-badge ms-r2", lang.t(Key::ImapOk))),
            "NO" => Some(("ms-badge ms-r4", lang.t(Key::ImapNo))),
            "BAD" => Some(("ms-badge ms-r5", lang.t(Key::ImapBad))),
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
        lang.f(Key::ReplyLines, &[("first", first), ("count", &props.lines.len().to_string())])
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
                <p class="ms-meaning">{ e.meaning_in(lang) }</p>
                <p class="ms-next"><strong>{ format!("{} ", lang.t(Key::Next)) }</strong>{ e.next_in(lang) }</p>
                <p class="ms-rfc">
                    { e.enhanced.map(|x| format!("{} · ", lang.f(Key::EnhancedStatus, &[("code", &x.to_string())]))).unwrap_or_default() }
                    { e.rfc }
                </p>
            </>
        },
        None => html! { <p class="ms-meaning">{ class_meaning(code, lang) }</p> },
    };
    html! {
        <section class="ms-explain" aria-labelledby="ms-explain-h">
            <h2 id="ms-explain-h">{ title }</h2>
            <p class="ms-said"><span class={class}>{ code }</span><code>{ shown.get(3..).unwrap_or("") }</code></p>
            { body }
        </section>
    }
}
