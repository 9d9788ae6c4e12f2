//! The reference tab: ports, reply codes (the whole catalogue), the commands
//! of SMTP, POP3 and IMAP with syntax, RFC section and "try it", the
//! standards, a short history and a glossary. Data from `crate::reference`
//! and the reply catalogue.

use crate::lang::{Key, Lang};
use crate::reference::{row_in, COMMANDS, GLOSSARY, HISTORY, PORTS, STANDARDS};
use crate::smtp::catalogue::CATALOGUE;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ReferenceProps {
    pub lang: Lang,
    /// Puts a command into the terminal.
    pub on_try: Callback<String>,
}

#[function_component(Reference)]
pub fn reference(p: &ReferenceProps) -> Html {
    let lang = p.lang;
    let t = |key: Key| lang.t(key);
    let commands = |proto: &'static str| {
        let on_try = p.on_try.clone();
        html! {
            <table class="ms-ref-table">
                <thead><tr><th>{ t(Key::RefCommand) }</th><th>{ t(Key::RefWhat) }</th><th><span class="ms-sr-only">{ t(Key::TryIt) }</span></th></tr></thead>
                <tbody>
                    { for COMMANDS.iter().filter(|c| c.protocol == proto).map(|c| {
                        let on_try = on_try.clone();
                        let line = c.try_it.to_string();
                        html! {
                            <tr>
                                <td><code>{ c.syntax }</code><div class="ms-muted">{ c.rfc }</div></td>
                                <td>{ c.what_in(lang) }</td>
                                <td><button type="button" class="ms-try" title={lang.f(Key::TryItTitle, &[("command", c.try_it)])}
                                    onclick={Callback::from(move |_| on_try.emit(line.clone()))}>{ t(Key::TryIt) }</button></td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        }
    };
    html! {
        <div class="ms-reference">
            <details open=true>
                <summary>{ t(Key::Ports) }</summary>
                <table class="ms-ref-table">
                    <tbody>{ for PORTS.iter().map(|x| html! {
                        <tr><td><strong>{ x.number }</strong><div class="ms-muted">{ format!("{}/{}", x.name, x.transport) }</div></td><td>{ x.what_in(lang) }</td></tr>
                    }) }</tbody>
                </table>
            </details>
            <details>
                <summary>{ t(Key::ReplyCodes) }</summary>
                <p class="ms-muted">{ t(Key::RefCodesSummary) }</p>
                <dl class="ms-ref-codes">
                    { for CATALOGUE.iter().map(|e| html! {
                        <>
                            <dt><code>{ format!("{} {}", e.code, e.enhanced.map(|x| x.to_string()).unwrap_or_default()) }</code>{ " " }<span class="ms-muted">{ e.text.replace("{0}", "…").replace("{1}", "…") }</span></dt>
                            <dd>{ e.meaning_in(lang) }{ " " }<span class="ms-muted">{ e.rfc }</span></dd>
                        </>
                    }) }
                </dl>
            </details>
            <details><summary>{ "SMTP" }</summary>{ commands("SMTP") }</details>
            <details><summary>{ "POP3" }</summary>{ commands("POP3") }</details>
            <details><summary>{ "IMAP" }</summary>{ commands("IMAP") }</details>
            <details>
                <summary>{ t(Key::Standards) }</summary>
                <dl class="ms-ref-list">{ for STANDARDS.iter().map(|row| html! { <><dt>{ row.0 }</dt><dd>{ row_in(row, lang) }</dd></> }) }</dl>
            </details>
            <details>
                <summary>{ t(Key::History) }</summary>
                <dl class="ms-ref-list">{ for HISTORY.iter().map(|row| html! { <><dt>{ row.0 }</dt><dd>{ row_in(row, lang) }</dd></> }) }</dl>
            </details>
            <details>
                <summary>{ t(Key::Glossary) }</summary>
                <dl class="ms-ref-list">{ for GLOSSARY.iter().map(|row| html! { <><dt>{ row.0 }</dt><dd>{ row_in(row, lang) }</dd></> }) }</dl>
            </details>
        </div>
    }
}
