//! The learner's mail client (MUA): the settings of seed topic T23 — server,
//! port, security (none, STARTTLS, SSL/TLS), login, password — and a message.
//! Sending runs the world's SMTP client engine against the chosen server;
//! mistakes give the errors real clients show (a wrong port, a failed
//! login, a From that is not the login's, the hourly limit). The form and
//! the terminal feed the same world.

use super::tr;
use super::SharedShell;
use crate::smtp::client::{ClientConfig, Outcome, Outgoing, Stage};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ComposeProps {
    pub shell: SharedShell,
    /// The form changed the world (sent mail).
    pub on_change: Callback<()>,
    #[prop_or_default]
    pub ru: bool,
}

pub enum Msg {
    Send,
    Fault(&'static str, bool),
}

/// How the client's dialogue ended, in a mail client's words.
fn report(outcome: Option<Outcome>, host: &str, port: u16, login: &str, ru: bool) -> (bool, String) {
    let (ok, text) = report_en(outcome, host, port, login);
    if !ru {
        return (ok, text);
    }
    // The Russian client says the same; the server's own words stay as they were.
    let ru_text = text
        .replace("Could not connect to", "Не удалось подключиться к")
        .replace(
            ": connection refused. Is the server name and port right?",
            ": соединение отклонено. Верны ли имя сервера и порт?",
        )
        .replace("Not sent. The server refused every recipient —", "Не отправлено. Сервер отклонил всех получателей —")
        .replace("accepted the message for delivery.", "принял письмо к доставке.")
        .replace("Sent:", "Отправлено:")
        .replace("Sent to", "Отправлено получателям:")
        .replace("recipient(s); refused:", "; отклонены:")
        .replace("This server does not offer login on port", "Этот сервер не предлагает вход на порту")
        .replace(
            "Use the submission port 587 (STARTTLS) or 465 (SSL/TLS).",
            "Используйте порт отправки 587 (STARTTLS) или 465 (SSL/TLS).",
        )
        .replace(
            "The server wants an encrypted connection before the password",
            "Сервер требует шифрования до передачи пароля",
        )
        .replace("Choose STARTTLS or SSL/TLS.", "Выберите STARTTLS или SSL/TLS.")
        .replace("Could not authenticate: login to", "Не удалось войти: вход на")
        .replace("with user name", "с именем")
        .replace(" failed (", " не удался (")
        .replace(" failed: ", ": ошибка: ")
        .replace("Check the login and password.", "Проверьте логин и пароль.")
        .replace("The server refused the sender", "Сервер отклонил отправителя")
        .replace("the From address must be your own.", "адрес From должен быть вашим.")
        .replace("Not sent:", "Не отправлено:")
        .replace(
            "Your provider limits how many messages you may send; try again later.",
            "Провайдер ограничивает число писем; попробуйте позже.",
        )
        .replace("The server refused for now", "Сервер временно отказал")
        .replace("Try again later.", "Повторите позже.")
        .replace("The server refused the message", "Сервер отклонил письмо")
        .replace("Connection to", "Соединение с")
        .replace(
            "This port speaks plain SMTP first: choose STARTTLS (port 587) or no security.",
            "Этот порт сначала говорит на обычном SMTP: выберите STARTTLS (порт 587) или без защиты.",
        )
        .replace(
            "This port expects SSL/TLS from the first byte: choose SSL/TLS (port 465).",
            "Этот порт ждёт SSL/TLS с первого байта: выберите SSL/TLS (порт 465).",
        );
    (ok, ru_text)
}

fn report_en(outcome: Option<Outcome>, host: &str, port: u16, login: &str) -> (bool, String) {
    let Some(outcome) = outcome else {
        return (
            false,
            format!("Could not connect to {host}:{port}: connection refused. Is the server name and port right?"),
        );
    };
    match outcome {
        Outcome::Done { recipients, .. } => {
            let refused: Vec<String> = recipients
                .iter()
                .filter(|(_, r)| r.code >= 400)
                .map(|(to, r)| format!("{to}: {}", r.wire_lines().join(" ")))
                .collect();
            let accepted = recipients.iter().filter(|(_, r)| r.code < 400).count();
            let sender_refused = recipients
                .iter()
                .find(|(_, r)| r.code == 553 || r.lines.iter().any(|l| l.contains("Sender address rejected")));
            if let Some((_, r)) = sender_refused.filter(|_| accepted == 0) {
                let said = r.wire_lines().join(" ");
                let text = if r.code == 553 {
                    format!("The server refused the sender ({said}): the From address must be your own.")
                } else {
                    format!("Not sent: {said}. Your provider limits how many messages you may send; try again later.")
                };
                (false, text)
            } else if accepted == 0 {
                (false, format!("Not sent. The server refused every recipient — {}", refused.join("; ")))
            } else if refused.is_empty() {
                (true, format!("Sent: {host} accepted the message for delivery."))
            } else {
                (true, format!("Sent to {accepted} recipient(s); refused: {}", refused.join("; ")))
            }
        }
        Outcome::Failed { stage, reply } => {
            let said = reply.wire_lines().join(" ");
            let text = match (stage, reply.code) {
                (Stage::Auth, 503) => format!("This server does not offer login on port {port} ({said}). Use the submission port 587 (STARTTLS) or 465 (SSL/TLS)."),
                (Stage::Auth, 538) => format!("The server wants an encrypted connection before the password ({said}). Choose STARTTLS or SSL/TLS."),
                (Stage::Auth, _) => format!("Could not authenticate: login to {host} with user name {login} failed ({said}). Check the login and password."),
                (Stage::Mail, 553) | (Stage::Rcpt, 553) => format!("The server refused the sender ({said}): the From address must be your own."),
                (_, 450) | (_, 451) => format!("The server refused for now ({said}). Try again later."),
                _ => format!("The server refused the message ({said})."),
            };
            (false, text)
        }
        Outcome::ProtocolError { detail } => {
            let hint = if detail.contains("wrong version") {
                " This port speaks plain SMTP first: choose STARTTLS (port 587) or no security."
            } else if detail.contains("expects a TLS handshake") {
                " This port expects SSL/TLS from the first byte: choose SSL/TLS (port 465)."
            } else {
                ""
            };
            (false, format!("Connection to {host}:{port} failed: {detail}.{hint}"))
        }
    }
}

pub struct Compose {
    refs: [NodeRef; 9],
    body: NodeRef,
    status: Option<(bool, String)>,
}

const SERVER: usize = 0;
const PORT: usize = 1;
const SECURITY: usize = 2;
const LOGIN: usize = 3;
const PASSWORD: usize = 4;
const FROM: usize = 5;
const TO: usize = 6;
const SUBJECT: usize = 7;
const LIMIT: usize = 8;

impl Compose {
    fn value(&self, i: usize) -> String {
        if let Some(e) = self.refs[i].cast::<HtmlInputElement>() {
            return e.value();
        }
        self.refs[i].cast::<HtmlSelectElement>().map(|e| e.value()).unwrap_or_default()
    }
}

impl Component for Compose {
    type Message = Msg;
    type Properties = ComposeProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Self { refs: Default::default(), body: NodeRef::default(), status: None }
    }

    fn rendered(&mut self, _ctx: &Context<Self>, first: bool) {
        if first {
            // Initial values, set once (a value prop would undo the learner's typing).
            let defaults = [
                (SERVER, "mail.example.com"),
                (PORT, "587"),
                (LOGIN, "alice"),
                (PASSWORD, "alicepw"),
                (FROM, "alice@example.com"),
                (TO, "carol@example.org"),
                (SUBJECT, "Hello Carol"),
                (LIMIT, "10"),
            ];
            for (i, v) in defaults {
                if let Some(e) = self.refs[i].cast::<HtmlInputElement>() {
                    e.set_value(v);
                }
            }
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Fault(name, on) => {
                let mut shell = ctx.props().shell.borrow_mut();
                let f = shell.world_mut().faults_mut();
                match name {
                    "greylisting" => f.greylisting = on,
                    "spam" => f.spam_filter = on,
                    "full" => f.mailbox_full = on.then(|| "carol@example.org".to_string()),
                    "down" => f.remote_down = on,
                    "match" => f.sender_login_match = on,
                    "smarthost" => f.smart_host = on,
                    _ => {}
                }
                false
            }
            Msg::Send => {
                let host = self.value(SERVER).trim().to_string();
                let port: u16 = self.value(PORT).trim().parse().unwrap_or(0);
                let security = self.value(SECURITY);
                let login = self.value(LOGIN).trim().to_string();
                let from = self.value(FROM).trim().to_string();
                let to: Vec<String> =
                    self.value(TO).split([',', ' ']).filter(|s| !s.is_empty()).map(str::to_string).collect();
                if host.is_empty() || port == 0 || to.is_empty() {
                    self.status = Some((
                        false,
                        tr(
                            ctx.props().ru,
                            "Fill in the server, a port number and at least one recipient.",
                            "Укажите сервер, номер порта и хотя бы одного получателя.",
                        )
                        .into(),
                    ));
                    return true;
                }
                let message = self.body.cast::<HtmlTextAreaElement>().map(|e| e.value()).unwrap_or_default();
                let outcome = {
                    let mut shell = ctx.props().shell.borrow_mut();
                    let world = shell.world_mut();
                    let now = ((js_sys::Date::now() / 1000.0) as i64).max(world.now());
                    world.tick(now);
                    world.faults_mut().hourly_limit = self.value(LIMIT).trim().parse().ok().filter(|n: &u32| *n > 0);
                    let data = format!(
                        "From: {from}\r\nTo: {}\r\nSubject: {}\r\n\r\n{}\r\n",
                        to.join(", "),
                        self.value(SUBJECT).replace(['\r', '\n'], " "),
                        message.replace("\r\n", "\n").replace('\n', "\r\n")
                    );
                    let mut cfg = ClientConfig::smtp("client.example.net");
                    cfg.starttls = security == "starttls";
                    cfg.implicit_tls = security == "ssl";
                    if !login.is_empty() {
                        cfg.auth = Some((login.clone(), self.value(PASSWORD)));
                    }
                    let msg =
                        Outgoing { mail_from: from.clone(), mail_params: vec![], rcpt_to: to, data: data.into_bytes() };
                    world.submit(&host, port, cfg, msg)
                };
                self.status = Some(report(outcome, &host, port, &login, ctx.props().ru));
                ctx.props().on_change.emit(());
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let ru = ctx.props().ru;
        let shell = ctx.props().shell.borrow();
        let faults = shell.world().faults();
        let fault = |key: &'static str, label: &'static str, on: bool| {
            let cb = link.callback(move |e: web_sys::Event| {
                Msg::Fault(key, e.target_unchecked_into::<HtmlInputElement>().checked())
            });
            html! { <label class="ms-check"><input type="checkbox" checked={on} onchange={cb} />{ label }</label> }
        };
        let input = |i: usize, label: &'static str, kind: &'static str| {
            html! { <label>{ label }<input ref={self.refs[i].clone()} type={kind} autocomplete="off" spellcheck="false" /></label> }
        };
        html! {
            <form class="ms-compose" aria-label={tr(ru, "Mail client", "Почтовый клиент")} onsubmit={link.callback(|e: SubmitEvent| { e.prevent_default(); Msg::Send })}>
                <h3>{ tr(ru, "Your mail client", "Ваш почтовый клиент") }</h3>
                <details class="ms-settings">
                    <summary>{ tr(ru, "Account settings (server, port, security, login)", "Настройки учётной записи (сервер, порт, защита, логин)") }</summary>
                    { input(SERVER, tr(ru, "Outgoing server (SMTP)", "Сервер исходящей почты (SMTP)"), "text") }
                    <div class="ms-row">
                        { input(PORT, tr(ru, "Port", "Порт"), "text") }
                        <label>{ tr(ru, "Security", "Защита") }
                            <select ref={self.refs[SECURITY].clone()}>
                                <option value="none">{ tr(ru, "None", "Нет") }</option>
                                <option value="starttls" selected=true>{ "STARTTLS" }</option>
                                <option value="ssl">{ "SSL/TLS" }</option>
                            </select>
                        </label>
                    </div>
                    <div class="ms-row">
                        { input(LOGIN, tr(ru, "Login", "Логин"), "text") }
                        { input(PASSWORD, tr(ru, "Password", "Пароль"), "password") }
                    </div>
                    <fieldset>
                        <legend>{ tr(ru, "Your provider's rules", "Правила провайдера") }</legend>
                        { fault("match", tr(ru, "From must be the login's own address", "From должен быть адресом этого логина"), faults.sender_login_match) }
                        { fault("smarthost", tr(ru, "Relay outbound mail via the smart host relay.example.net", "Отправлять исходящую почту через релей relay.example.net"), faults.smart_host) }
                        <label class="ms-check">{ tr(ru, "At most ", "Не более ") }<input ref={self.refs[LIMIT].clone()} type="text" size="3" inputmode="numeric" />{ tr(ru, " messages per hour", " писем в час") }</label>
                    </fieldset>
                </details>
                { input(FROM, tr(ru, "From", "От"), "text") }
                { input(TO, tr(ru, "To", "Кому"), "text") }
                { input(SUBJECT, tr(ru, "Subject", "Тема"), "text") }
                <label>{ tr(ru, "Message", "Текст") }<textarea ref={self.body.clone()} rows="3" defaultvalue="How are you?" /></label>
                <fieldset>
                    <legend>{ tr(ru, "What goes wrong at example.org", "Что ломается в example.org") }</legend>
                    { fault("greylisting", tr(ru, "Greylisting (450, retry later)", "Грейлистинг (450, повтор позже)"), faults.greylisting) }
                    { fault("spam", tr(ru, "Spam filter", "Спам-фильтр"), faults.spam_filter) }
                    { fault("full", tr(ru, "carol's mailbox is full", "ящик carol переполнен"), faults.mailbox_full.is_some()) }
                    { fault("down", tr(ru, "mail.example.org is down", "mail.example.org недоступен"), faults.remote_down) }
                </fieldset>
                <button type="submit" class="ms-send">{ tr(ru, "Send", "Отправить") }</button>
                <p class={match &self.status { Some((true, _)) => "ms-sent ms-ok", Some((false, _)) => "ms-sent ms-bad", None => "ms-sent" }} role="status">
                    { self.status.as_ref().map(|(_, t)| t.clone()).unwrap_or_default() }
                </p>
            </form>
        }
    }
}
