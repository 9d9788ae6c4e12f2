//! The reply explainer: what the last (or a clicked) server line means and
//! what to do next. The engine's explainer ([`crate::explain`]) has read the
//! line already; this only renders its [`crate::explain::Explanation`].

pub use super::term_model::{tone_class, Explained};
use crate::lang::{Key, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ExplainProps {
    /// The line to explain; `None` before the first reply.
    pub explained: Option<Explained>,
    /// The language to explain in.
    #[prop_or_default]
    pub lang: Lang,
    /// Part of a larger page: its sections are groups, not landmarks (several instances would repeat them).
    #[prop_or_default]
    pub embedded: bool,
    /// The prefix of element ids.
    #[prop_or(AttrValue::Static("ms"))]
    pub ids: AttrValue,
    /// It scrolls in a box of fixed height (an embedded terminal's): it takes
    /// the focus, so the keyboard can scroll it.
    #[prop_or_default]
    pub scrolls: bool,
}

#[function_component(ReplyExplainer)]
pub fn reply_explainer(props: &ExplainProps) -> Html {
    let lang = props.lang;
    let title = lang.t(Key::LastReply);
    let h = format!("{}-explain-h", props.ids);
    // A polite live region: screen readers announce each new explanation.
    let Some(Explained { line, explanation: e }) = &props.explained else {
        return html! {
            <section class="ms-explain" role={props.embedded.then_some("group")} aria-labelledby={h.clone()} aria-live="polite" tabindex={props.scrolls.then_some("0")}>
                <h2 id={h}>{ title }</h2>
                <p class="ms-muted">{ lang.t(Key::ExplainEmpty) }</p>
            </section>
        };
    };
    let badge = if e.badge.is_empty() { e.protocol.name().to_string() } else { e.badge.clone() };
    let rest = line.strip_prefix(e.badge.as_str()).filter(|_| !e.badge.is_empty()).unwrap_or(line);
    html! {
        <section class="ms-explain" role={props.embedded.then_some("group")} aria-labelledby={h.clone()} aria-live="polite" tabindex={props.scrolls.then_some("0")}>
            <h2 id={h}>{ title }</h2>
            <p class="ms-said">
                <span class={classes!("ms-badge", tone_class(e.tone))}>{ badge }</span>
                <code>{ rest.to_string() }</code>
            </p>
            <p class="ms-meaning">{ format!("{}: {}", e.protocol.name(), e.meaning.get(lang)) }</p>
            if let Some((code, meaning)) = &e.code {
                <p class="ms-rcode"><strong>{ format!("{} {code}: ", lang.t(Key::ResponseCode)) }</strong>{ meaning.get(lang) }</p>
            }
            if let Some(next) = &e.next {
                <p class="ms-next"><strong>{ format!("{} ", lang.t(Key::Next)) }</strong>{ next.get(lang) }</p>
            }
            <p class="ms-rfc">
                { e.enhanced.as_ref().map(|x| format!("{} · ", lang.f(Key::EnhancedStatus, &[("code", x)]))).unwrap_or_default() }
                { e.rfc.clone() }
            </p>
        </section>
    }
}
