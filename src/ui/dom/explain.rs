//! The embed's reply explainer, in the DOM: the markup of the app's
//! (`ui/explain.rs`), from the same [`Explained`].

use super::{attrs, el};
use crate::lang::{Key, Lang};
use crate::ui::term_model::{tone_class, Explained};
use web_sys::{Document, HtmlElement};

/// The explainer's box: a group (an embed's sections are no landmarks), a
/// polite live region (screen readers announce each new explanation), and a
/// tab stop (it scrolls in the embed's fixed box, so the keyboard can scroll it).
pub fn build(doc: &Document, ids: &str) -> Option<HtmlElement> {
    let s = el(doc, "section", "ms-explain")?;
    let h = format!("{ids}-explain-h");
    attrs(&s, &[("role", "group"), ("aria-labelledby", &h), ("aria-live", "polite"), ("tabindex", "0")]);
    Some(s)
}

/// Shows `explained` (or, before the first reply, what will show here) in `lang`.
pub fn render(
    doc: &Document,
    section: &HtmlElement,
    ids: &str,
    explained: Option<&Explained>,
    lang: Lang,
) -> Option<()> {
    section.set_text_content(None);
    let h = el(doc, "h2", "")?;
    attrs(&h, &[("id", &format!("{ids}-explain-h"))]);
    h.set_text_content(Some(lang.t(Key::LastReply)));
    section.append_child(&h).ok()?;
    let p = |class: &str| -> Option<HtmlElement> {
        let p = el(doc, "p", class)?;
        section.append_child(&p).ok()?;
        Some(p)
    };
    let strong = |parent: &HtmlElement, text: &str| -> Option<()> {
        let s = el(doc, "strong", "")?;
        s.set_text_content(Some(text));
        parent.append_child(&s).ok().map(drop)
    };
    let Some(Explained { line, explanation: e }) = explained else {
        p("ms-muted")?.set_text_content(Some(lang.t(Key::ExplainEmpty)));
        return Some(());
    };
    let badge = if e.badge.is_empty() { e.protocol.name().to_string() } else { e.badge.clone() };
    let rest = line.strip_prefix(e.badge.as_str()).filter(|_| !e.badge.is_empty()).unwrap_or(line);
    let said = p("ms-said")?;
    let b = el(doc, "span", &format!("ms-badge {}", tone_class(e.tone)))?;
    b.set_text_content(Some(&badge));
    let code = el(doc, "code", "")?;
    code.set_text_content(Some(rest));
    said.append_with_node_2(&b, &code).ok()?;
    p("ms-meaning")?.set_text_content(Some(&format!("{}: {}", e.protocol.name(), e.meaning.get(lang))));
    if let Some((code, meaning)) = &e.code {
        let r = p("ms-rcode")?;
        strong(&r, &format!("{} {code}: ", lang.t(Key::ResponseCode)))?;
        r.append_with_str_1(meaning.get(lang)).ok()?;
    }
    if let Some(next) = &e.next {
        let n = p("ms-next")?;
        strong(&n, &format!("{} ", lang.t(Key::Next)))?;
        n.append_with_str_1(next.get(lang)).ok()?;
    }
    let enhanced =
        e.enhanced.as_ref().map(|x| format!("{} · ", lang.f(Key::EnhancedStatus, &[("code", x)]))).unwrap_or_default();
    p("ms-rfc")?.set_text_content(Some(&format!("{enhanced}{}", e.rfc)));
    Some(())
}
