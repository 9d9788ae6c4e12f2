//! The learner's mail client (MUA): the settings of seed topic T23 — server,
//! port, security (none, STARTTLS, SSL/TLS), login, password — and a message.
//! Sending runs the world's SMTP client engine against the chosen server;
//! mistakes give the errors real clients show (a wrong port, a failed
//! login, a From that is not the login's, the hourly limit), classified and
//! worded by the engine (`crate::world::outcome`); this form only renders
//! them. The form and the terminal feed the same world.

use super::SharedShell;
use crate::lang::{Key, Lang};
use crate::smtp::client::{ClientConfig, Outgoing};
use crate::world::outcome::SendOutcome;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ComposeProps {
    pub shell: SharedShell,
    /// The form changed the world (sent mail).
    pub on_change: Callback<()>,
    #[prop_or_default]
    pub lang: Lang,
    /// Part of a larger page: its sections are groups, not landmarks (several instances would repeat them).
    #[prop_or_default]
    pub embedded: bool,
}

pub enum Msg {
    Send,
    Fault(&'static str, bool),
    /// Fills the form with a message the spam filter refuses.
    SpamExample,
}

/// What the form says after Send, kept as what it means so it follows the language switch.
enum Status {
    /// The form was not filled in well enough to send.
    Refused(Key),
    Outcome(SendOutcome),
}

pub struct Compose {
    refs: [NodeRef; 9],
    body: NodeRef,
    status: Option<Status>,
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
            Msg::SpamExample => {
                if let Some(e) = self.refs[SUBJECT].cast::<HtmlInputElement>() {
                    e.set_value("You have won the lottery!");
                }
                if let Some(e) = self.body.cast::<HtmlTextAreaElement>() {
                    e.set_value("Claim your prize now: send us your bank details.");
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
                if from.is_empty() {
                    self.status = Some(Status::Refused(Key::FromRequired));
                    return true;
                }
                if host.is_empty() || port == 0 || to.is_empty() {
                    self.status = Some(Status::Refused(Key::FillIn));
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
                self.status = Some(Status::Outcome(SendOutcome::classify(outcome, &host, port, &login)));
                ctx.props().on_change.emit(());
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lang = ctx.props().lang;
        let t = |key: Key| lang.t(key);
        let shell = ctx.props().shell.borrow();
        let faults = shell.world().faults();
        let fault = |key: &'static str, label: &'static str, on: bool| {
            let cb = link.callback(move |e: web_sys::Event| {
                Msg::Fault(key, e.target_unchecked_into::<HtmlInputElement>().checked())
            });
            let class = format!("ms-fault-{key}");
            html! { <label class="ms-check"><input type="checkbox" class={class} checked={on} onchange={cb} />{ label }</label> }
        };
        let (ok, status) = match &self.status {
            Some(Status::Refused(key)) => (Some(false), lang.t(*key).to_string()),
            Some(Status::Outcome(o)) => (Some(o.is_sent()), o.explain(lang)),
            None => (None, String::new()),
        };
        let input = |i: usize, label: &'static str, kind: &'static str| {
            html! { <label>{ label }<input ref={self.refs[i].clone()} type={kind} autocomplete="off" spellcheck="false" /></label> }
        };
        // The number field goes where the text has its `{limit}`.
        let (limit_before, limit_after) =
            t(Key::RuleHourlyLimit).split_once("{limit}").unwrap_or((t(Key::RuleHourlyLimit), ""));
        html! {
            <form class="ms-compose" aria-label={(!ctx.props().embedded).then(|| t(Key::MailClient))} onsubmit={link.callback(|e: SubmitEvent| { e.prevent_default(); Msg::Send })}>
                <h3>{ t(Key::YourMailClient) }</h3>
                <details class="ms-settings">
                    <summary>{ t(Key::AccountSettings) }</summary>
                    { input(SERVER, t(Key::OutgoingServer), "text") }
                    <div class="ms-row">
                        { input(PORT, t(Key::Port), "text") }
                        <label>{ t(Key::Security) }
                            <select ref={self.refs[SECURITY].clone()}>
                                <option value="none">{ t(Key::SecurityNone) }</option>
                                <option value="starttls" selected=true>{ "STARTTLS" }</option>
                                <option value="ssl">{ "SSL/TLS" }</option>
                            </select>
                        </label>
                    </div>
                    <div class="ms-row">
                        { input(LOGIN, t(Key::Login), "text") }
                        { input(PASSWORD, t(Key::Password), "password") }
                    </div>
                    <fieldset>
                        <legend>{ t(Key::ProviderRules) }</legend>
                        { fault("match", t(Key::RuleFromIsLogin), faults.sender_login_match) }
                        { fault("smarthost", t(Key::RuleSmartHost), faults.smart_host) }
                        <label class="ms-check">{ limit_before }<input ref={self.refs[LIMIT].clone()} type="text" size="3" inputmode="numeric" />{ limit_after }</label>
                    </fieldset>
                </details>
                { input(FROM, t(Key::From), "text") }
                { input(TO, t(Key::To), "text") }
                { input(SUBJECT, t(Key::Subject), "text") }
                <label>{ t(Key::MessageText) }<textarea ref={self.body.clone()} rows="3" defaultvalue="How are you?" /></label>
                <fieldset>
                    <legend>{ t(Key::Faults) }</legend>
                    { fault("greylisting", t(Key::FaultGreylisting), faults.greylisting) }
                    { fault("spam", t(Key::FaultSpam), faults.spam_filter) }
                    <p class="ms-spam-note">
                        { t(Key::SpamNote) }{ " " }
                        <button type="button" class="ms-spam-example" onclick={link.callback(|_| Msg::SpamExample)}>{ t(Key::SpamExample) }</button>
                    </p>
                    { fault("full", t(Key::FaultMailboxFull), faults.mailbox_full.is_some()) }
                    { fault("down", t(Key::FaultDown), faults.remote_down) }
                </fieldset>
                <button type="submit" class="ms-send">{ t(Key::Send) }</button>
                <p class={match ok { Some(true) => "ms-sent ms-ok", Some(false) => "ms-sent ms-bad", None => "ms-sent" }} role="status">
                    { status }
                </p>
            </form>
        }
    }
}
