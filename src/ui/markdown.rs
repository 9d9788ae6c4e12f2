//! Lesson Markdown to Yew nodes: the subset lessons use (paragraphs, `#`
//! headings, `-`/`1.` lists, fenced code, `code`, **bold**, *emphasis*,
//! [links](https://…)). Built as elements directly, never from an HTML
//! string, so raw HTML in a lesson shows as text; links are http(s) only.
//!
//! Hand-written rather than pulldown-cmark: with it the app's wasm was 352 KB
//! gzipped, without it 297 KB (measured); lessons are our own files and need
//! only this subset.

use crate::lang::{Key, Lang};
use yew::prelude::*;

/// What inline spans need: where a clicked reply code goes, and the language.
struct Cx<'a> {
    on_code: &'a Callback<String>,
    lang: Lang,
}

/// True for a reply code as lessons write it: `550`, `550 5.1.1`, `+OK`, `-ERR`.
fn is_reply_code(t: &str) -> bool {
    let mut w = t.split(' ');
    let code_ok = w.next().is_some_and(|c| {
        c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()) && matches!(c.as_bytes()[0], b'2'..=b'5')
    });
    let enh_ok = w.next().is_none_or(|e| {
        e.split('.').count() == 3 && e.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    });
    (code_ok && enh_ok && w.next().is_none()) || t == "+OK" || t == "-ERR"
}

/// A reply code in lesson text: a button that opens its explanation.
fn code_link(text: &str, cx: &Cx, wrap: fn(Html) -> Html) -> Html {
    let t = text.to_string();
    let cb = cx.on_code.clone();
    let onclick = Callback::from(move |_: MouseEvent| cb.emit(t.clone()));
    html! { <button type="button" class="ms-code-link" title={cx.lang.t(Key::WhatDoesReplyMean)} {onclick}>{ wrap(Html::from(text.to_string())) }</button> }
}

/// Inline spans: code, strong, emphasis, links; everything else is text.
/// Reply codes in `code` or **bold** become buttons that explain them.
fn inline(text: &str, cx: &Cx) -> Html {
    let mut out: Vec<Html> = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    let flush = |plain: &mut String, out: &mut Vec<Html>| {
        if !plain.is_empty() {
            out.push(Html::from(std::mem::take(plain)));
        }
    };
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        let span = match c {
            '`' => after.find('`').map(|end| {
                let inner = &after[..end];
                let node = if is_reply_code(inner) {
                    code_link(inner, cx, |h| html! { <code>{ h }</code> })
                } else {
                    html! { <code>{ inner.to_string() }</code> }
                };
                (node, &after[end + 1..])
            }),
            '*' if after.starts_with('*') => after[1..].find("**").map(|end| {
                let inner = &after[1..1 + end];
                let node = if is_reply_code(inner) {
                    code_link(inner, cx, |h| html! { <strong>{ h }</strong> })
                } else {
                    html! { <strong>{ inline(inner, cx) }</strong> }
                };
                (node, &after[end + 3..])
            }),
            '*' | '_' if !after.starts_with(' ') => after
                .find(c)
                .filter(|e| *e > 0)
                .map(|end| (html! { <em>{ inline(&after[..end], cx) }</em> }, &after[end + 1..])),
            '[' => after.find("](").and_then(|mid| {
                let url_start = mid + 2;
                let close = after[url_start..].find(')')?;
                let url = &after[url_start..url_start + close];
                let label = inline(&after[..mid], cx);
                let node = if url.starts_with("https://") || url.starts_with("http://") {
                    html! { <a href={url.to_string()} target="_blank" rel="noopener noreferrer">{ label }</a> }
                } else {
                    label
                };
                Some((node, &after[url_start + close + 1..]))
            }),
            _ => None,
        };
        match span {
            Some((node, next)) => {
                flush(&mut plain, &mut out);
                out.push(node);
                rest = next;
            }
            None => {
                plain.push(c);
                rest = after;
            }
        }
    }
    flush(&mut plain, &mut out);
    html! { <>{ for out }</> }
}

/// Renders Markdown as Yew nodes; reply codes call `on_code` when clicked.
pub fn render(text: &str, on_code: &Callback<String>, lang: Lang) -> Html {
    let cx = &Cx { on_code, lang };
    let mut blocks: Vec<Html> = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut ordered = false;
    let mut code: Option<Vec<&str>> = None;
    let flush_para = |para: &mut Vec<&str>, blocks: &mut Vec<Html>| {
        if !para.is_empty() {
            blocks.push(html! { <p>{ inline(&para.join(" "), cx) }</p> });
            para.clear();
        }
    };
    let flush_list = |list: &mut Vec<String>, ordered: bool, blocks: &mut Vec<Html>| {
        if !list.is_empty() {
            let items = list.drain(..).map(|i| html! { <li>{ inline(&i, cx) }</li> }).collect::<Vec<_>>();
            blocks.push(if ordered {
                html! { <ol>{ for items }</ol> }
            } else {
                html! { <ul>{ for items }</ul> }
            });
        }
    };
    for line in text.lines() {
        if let Some(lines) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                blocks.push(html! { <pre class="ms-md-code"><code>{ lines.join("\n") }</code></pre> });
                code = None;
            } else {
                lines.push(line);
            }
            continue;
        }
        let t = line.trim();
        let numbered =
            t.split_once(". ").filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).map(|(_, r)| r);
        let bullet = t.strip_prefix("- ").or_else(|| t.strip_prefix("* "));
        if t.starts_with("```") {
            flush_para(&mut para, &mut blocks);
            flush_list(&mut list, ordered, &mut blocks);
            code = Some(Vec::new());
        } else if t.is_empty() {
            flush_para(&mut para, &mut blocks);
            flush_list(&mut list, ordered, &mut blocks);
        } else if let Some(h) =
            t.strip_prefix("### ").or_else(|| t.strip_prefix("## ")).or_else(|| t.strip_prefix("# "))
        {
            flush_para(&mut para, &mut blocks);
            flush_list(&mut list, ordered, &mut blocks);
            blocks.push(html! { <h4>{ inline(h, cx) }</h4> });
        } else if let Some(item) = bullet.or(numbered) {
            flush_para(&mut para, &mut blocks);
            if !list.is_empty() && ordered != numbered.is_some() {
                flush_list(&mut list, ordered, &mut blocks);
            }
            ordered = numbered.is_some() && bullet.is_none();
            list.push(item.to_string());
        } else if let Some(last) = list.last_mut().filter(|_| line.starts_with("  ")) {
            // An indented line continues the last list item.
            last.push(' ');
            last.push_str(t);
        } else {
            flush_list(&mut list, ordered, &mut blocks);
            para.push(t);
        }
    }
    if let Some(lines) = code {
        blocks.push(html! { <pre class="ms-md-code"><code>{ lines.join("\n") }</code></pre> });
    }
    flush_para(&mut para, &mut blocks);
    flush_list(&mut list, ordered, &mut blocks);
    html! { <div class="ms-md">{ for blocks }</div> }
}
