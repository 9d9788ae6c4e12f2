//! The reference tab: ports, reply codes (the whole catalogue), the commands
//! of SMTP, POP3 and IMAP with syntax, RFC section and "try it", the
//! standards, a short history and a glossary. Data from `crate::reference`
//! and the reply catalogue.

use crate::reference::{COMMANDS, GLOSSARY, HISTORY, PORTS, STANDARDS};
use crate::smtp::catalogue::CATALOGUE;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ReferenceProps {
    pub ru: bool,
    /// Puts a command into the terminal.
    pub on_try: Callback<String>,
}

#[function_component(Reference)]
pub fn reference(p: &ReferenceProps) -> Html {
    let t = |en: &'static str, ru: &'static str| if p.ru { ru } else { en };
    let commands = |proto: &'static str| {
        let on_try = p.on_try.clone();
        html! {
            <table class="ms-ref-table">
                <thead><tr><th>{ t("Command", "Команда") }</th><th>{ t("What it does", "Что делает") }</th><th></th></tr></thead>
                <tbody>
                    { for COMMANDS.iter().filter(|c| c.protocol == proto).map(|c| {
                        let on_try = on_try.clone();
                        let line = c.try_it.to_string();
                        html! {
                            <tr>
                                <td><code>{ c.syntax }</code><div class="ms-muted">{ c.rfc }</div></td>
                                <td>{ if p.ru { c.what_ru } else { c.what } }</td>
                                <td><button type="button" class="ms-try" title={if p.ru { format!("Вставить «{}» в терминал", c.try_it) } else { format!("Put '{}' into the terminal", c.try_it) }}
                                    onclick={Callback::from(move |_| on_try.emit(line.clone()))}>{ t("Try it", "Попробовать") }</button></td>
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
                <summary>{ t("Ports", "Порты") }</summary>
                <table class="ms-ref-table">
                    <tbody>{ for PORTS.iter().map(|x| html! {
                        <tr><td><strong>{ x.number }</strong><div class="ms-muted">{ format!("{}/{}", x.name, x.transport) }</div></td><td>{ if p.ru { x.what_ru } else { x.what } }</td></tr>
                    }) }</tbody>
                </table>
            </details>
            <details>
                <summary>{ t("Reply codes", "Коды ответов") }</summary>
                <p class="ms-muted">{ t("2xx done · 3xx go on · 4xx try again later · 5xx failed for good. The enhanced code (RFC 3463) says class.subject.detail.", "2xx выполнено · 3xx продолжайте · 4xx повторите позже · 5xx окончательная ошибка. Расширенный код (RFC 3463): класс.тема.деталь.") }</p>
                <dl class="ms-ref-codes">
                    { for CATALOGUE.iter().map(|e| html! {
                        <>
                            <dt><code>{ format!("{} {}", e.code, e.enhanced.map(|x| x.to_string()).unwrap_or_default()) }</code>{ " " }<span class="ms-muted">{ e.text.replace("{0}", "…").replace("{1}", "…") }</span></dt>
                            <dd>{ if p.ru { e.meaning_ru } else { e.meaning } }{ " " }<span class="ms-muted">{ e.rfc }</span></dd>
                        </>
                    }) }
                </dl>
            </details>
            <details><summary>{ "SMTP" }</summary>{ commands("SMTP") }</details>
            <details><summary>{ "POP3" }</summary>{ commands("POP3") }</details>
            <details><summary>{ "IMAP" }</summary>{ commands("IMAP") }</details>
            <details>
                <summary>{ t("Standards", "Стандарты") }</summary>
                <dl class="ms-ref-list">{ for STANDARDS.iter().map(|(k, en, ru)| html! { <><dt>{ *k }</dt><dd>{ if p.ru { *ru } else { *en } }</dd></> }) }</dl>
            </details>
            <details>
                <summary>{ t("History", "История") }</summary>
                <dl class="ms-ref-list">{ for HISTORY.iter().map(|(k, en, ru)| html! { <><dt>{ *k }</dt><dd>{ if p.ru { *ru } else { *en } }</dd></> }) }</dl>
            </details>
            <details>
                <summary>{ t("Glossary", "Словарь") }</summary>
                <dl class="ms-ref-list">{ for GLOSSARY.iter().map(|(k, en, ru)| html! { <><dt>{ *k }</dt><dd>{ if p.ru { *ru } else { *en } }</dd></> }) }</dl>
            </details>
        </div>
    }
}
