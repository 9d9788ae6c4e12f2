//! The mailbox view: every user's INBOX in the world, a message shown as a
//! mail client shows it (always as text, never as HTML), and its raw source
//! with the `Received:` chain highlighted, each hop numbered, so the path a
//! message took can be read back (seed topic T09).

use super::SharedShell;
use crate::lang::{Key, Lang};
use crate::store::view::{received_chain, view, MessageView, PartView};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct MailboxProps {
    pub shell: SharedShell,
    /// Changes whenever the world may have changed.
    pub version: u32,
    #[prop_or_default]
    pub lang: Lang,
    /// Part of a larger page: its sections are groups, not landmarks (several instances would repeat them).
    #[prop_or_default]
    pub embedded: bool,
    /// The prefix of element ids.
    #[prop_or(AttrValue::Static("ms"))]
    pub ids: AttrValue,
}

/// A Date header as a list shows it: `16 Nov 2026 08:50` for RFC 5322's
/// `Mon, 16 Nov 2026 08:50:00 +0000`; any other form as it is.
fn short_date(date: &str) -> String {
    let w: Vec<&str> = date.split_whitespace().collect();
    match w.as_slice() {
        [day, d, m, y, time, _zone] if day.ends_with(',') && time.len() >= 5 => {
            format!("{d} {m} {y} {}", time.get(..5).unwrap_or(time))
        }
        _ => date.to_string(),
    }
}

/// A message as a mail client shows it: its header fields, its text, its
/// attachments, and a message inside it (a bounce's returned message) the
/// same way, nested.
fn message_html(v: &MessageView, lang: Lang, depth: usize) -> Html {
    html! {
        <>
            <dl>{ for v.headers.iter().map(|(k, x)| html! { <><dt>{ k.clone() }</dt><dd>{ x.clone() }</dd></> }) }</dl>
            { for v.parts.iter().map(|p| match p {
                // Focusable: a long text scrolls, and the keyboard must reach it.
                PartView::Text(t) => html! { <pre class="ms-body" tabindex="0">{ t.clone() }</pre> },
                PartView::Message(inner) if depth < 4 => html! {
                    <section class="ms-returned" role="group" aria-label={lang.t(Key::ReturnedMessage)}>
                        <p class="ms-returned-h">{ lang.t(Key::ReturnedMessage) }</p>
                        { message_html(inner, lang, depth + 1) }
                    </section>
                },
                PartView::Message(_) => html! {},
                PartView::Attachment { name, kind, bytes } => {
                    let name = if name == "(unnamed)" { lang.t(Key::Unnamed) } else { name.as_str() };
                    html! { <p class="ms-attachment">{ lang.f(Key::Attachment, &[("name", name), ("kind", kind), ("bytes", &bytes.to_string())]) }</p> }
                }
            }) }
        </>
    }
}

pub enum Msg {
    Mailbox(String),
    Open(u32),
    Raw(bool),
}

pub struct MailboxView {
    /// `host user`.
    mailbox: String,
    open: Option<u32>,
    raw: bool,
}

impl Component for MailboxView {
    type Message = Msg;
    type Properties = MailboxProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Self { mailbox: "mail.example.com alice".into(), open: None, raw: false }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Mailbox(m) => {
                self.mailbox = m;
                self.open = None;
                self.raw = false;
            }
            Msg::Open(uid) => {
                self.open = Some(uid);
                self.raw = false;
            }
            Msg::Raw(on) => self.raw = on,
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lang = ctx.props().lang;
        let shell = ctx.props().shell.borrow();
        let world = shell.world();
        let (host, user) = self.mailbox.split_once(' ').unwrap_or(("", ""));
        let domain = |h: &str| h.split_once('.').map_or(h.to_string(), |(_, d)| d.to_string());
        let options = world.mail_hosts().flat_map(|h| {
            let users: Vec<String> =
                world.store(h).map(|s| s.users().map(str::to_string).collect()).unwrap_or_default();
            users.into_iter().map(move |u| (format!("{h} {u}"), format!("{u}@{}", domain(h))))
        });
        let messages = world.store(host).and_then(|s| s.list(user, "INBOX").ok()).unwrap_or(&[]);
        let rows = messages.iter().rev().map(|m| {
            let v = view(&m.raw);
            let field = |n: &str| v.headers.iter().find(|(k, _)| k == n).map(|(_, x)| x.clone()).unwrap_or_default();
            let uid = m.uid;
            let selected = self.open == Some(uid);
            let subject = field("Subject");
            html! {
                <tr class={if selected { "ms-msg-on" } else { "" }}>
                    <td>
                        if subject.trim().is_empty() {
                            <button type="button" class="ms-nosubject" onclick={link.callback(move |_| Msg::Open(uid))}>{ lang.t(Key::NoSubject) }</button>
                        } else {
                            <button type="button" onclick={link.callback(move |_| Msg::Open(uid))}>{ subject }</button>
                        }
                    </td>
                    <td>{ field("From") }</td>
                    <td class="ms-muted">{ short_date(&field("Date")) }</td>
                </tr>
            }
        });
        let opened = self.open.and_then(|uid| messages.iter().find(|m| m.uid == uid)).map(|m| {
            if self.raw {
                let chain = received_chain(&m.raw);
                let text = String::from_utf8_lossy(&m.raw).replace("\r\n", "\n");
                let mut hop = 0;
                let mut in_received = false;
                let lines = text.lines().map(|l| {
                    if l.to_ascii_lowercase().starts_with("received:") {
                        hop += 1;
                        in_received = true;
                    } else if !l.starts_with([' ', '\t']) {
                        in_received = false;
                    }
                    if in_received {
                        html! { <div class="ms-received" data-hop={hop.to_string()}>{ l.to_string() }</div> }
                    } else {
                        html! { <div>{ l.to_string() }</div> }
                    }
                });
                html! {
                    <>
                        <p class="ms-muted">{ lang.f(Key::ReceivedLines, &[("count", &chain.len().to_string())]) }</p>
                        <pre class="ms-raw" tabindex="0" aria-label={lang.t(Key::RawSource)}>{ for lines }</pre>
                    </>
                }
            } else {
                html! { <div class="ms-rendered">{ message_html(&view(&m.raw), lang, 0) }</div> }
            }
        });
        html! {
            <section class="ms-mailboxes" role={ctx.props().embedded.then_some("group")} aria-labelledby={format!("{}-mailboxes-h", ctx.props().ids)}>
                <h2 id={format!("{}-mailboxes-h", ctx.props().ids)}>{ lang.t(Key::Mailboxes) }</h2>
                <div class="ms-mailbox-bar">
                    <label>{ format!("{} ", lang.t(Key::Mailbox)) }
                        <select onchange={link.callback(|e: web_sys::Event| Msg::Mailbox(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))}>
                            { for options.map(|(key, label)| html! { <option value={key.clone()} selected={key == self.mailbox}>{ label }</option> }) }
                        </select>
                    </label>
                    <span class="ms-muted">{ lang.f(Key::InboxCount, &[("count", &messages.len().to_string())]) }</span>
                </div>
                <div class="ms-mailbox-grid">
                    <table class="ms-msglist">
                        <colgroup><col class="ms-col-subject" /><col class="ms-col-from" /><col class="ms-col-date" /></colgroup>
                        <thead><tr><th>{ lang.t(Key::Subject) }</th><th>{ lang.t(Key::From) }</th><th>{ lang.t(Key::Date) }</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                    if let Some(body) = opened {
                        <div class="ms-message">
                            <div class="ms-view-switch" role="group" aria-label={lang.t(Key::ViewSwitch)}>
                                <button type="button" aria-pressed={(!self.raw).to_string()} onclick={link.callback(|_| Msg::Raw(false))}>{ lang.t(Key::MessageView) }</button>
                                <button type="button" aria-pressed={self.raw.to_string()} onclick={link.callback(|_| Msg::Raw(true))}>{ lang.t(Key::RawSource) }</button>
                            </div>
                            { body }
                        </div>
                    }
                </div>
            </section>
        }
    }
}
