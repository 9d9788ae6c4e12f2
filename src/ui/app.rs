//! The app shell: header, the terminal, and a cheat sheet beside it.

use super::explain::ReplyExplainer;
use super::journey::JourneyView;
use super::terminal::Terminal;
use super::SharedShell;
use crate::shell::Shell;
use crate::world::World;
use yew::prelude::*;

/// Steps of a first SMTP session, for the cheat sheet. Each button puts the
/// command into the terminal's input line (the learner presses Enter).
const STEPS: &[(&str, &str)] = &[
    ("telnet mail.example.com 25", "connect to the mail server's SMTP port"),
    ("EHLO client.example.net", "say who you are; the server lists its extensions"),
    ("MAIL FROM:<learner@example.net>", "start a transaction: the envelope sender"),
    ("RCPT TO:<alice@example.com>", "an envelope recipient (repeatable)"),
    ("DATA", "then the message: headers, a blank line, the body, and a lone ."),
    ("Subject: Hello", "a header line of the message"),
    (".", "a line with only a dot ends the message"),
    ("QUIT", "end the session"),
];

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    #[prop_or(1)]
    pub seed: u64,
}

pub enum Msg {
    Insert(String),
    Reply(Vec<String>),
    /// The world may have changed: refresh the views of it.
    Changed,
}

pub struct App {
    shell: SharedShell,
    /// Bumped whenever the world may have changed.
    version: u32,
    insert: Option<(u32, String)>,
    counter: u32,
    /// The reply shown in the explainer.
    reply: Vec<String>,
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let shell = SharedShell::new(Shell::new(World::new(ctx.props().seed)));
        Self { shell, version: 0, insert: None, counter: 0, reply: Vec::new() }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Insert(cmd) => {
                self.counter = self.counter.wrapping_add(1);
                self.insert = Some((self.counter, cmd));
                true
            }
            Msg::Reply(lines) => {
                let changed = self.reply != lines;
                self.reply = lines;
                changed
            }
            Msg::Changed => {
                self.version = self.version.wrapping_add(1);
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        html! {
            <div class="ms-app">
                <header class="ms-header">
                    <h1 class="ms-logo"><span aria-hidden="true">{ "✉" }</span>{ " mailsim" }</h1>
                    <p class="ms-tagline">{ "Type SMTP and POP3 by hand to simulated Postfix and Dovecot servers, and watch mail travel." }</p>
                </header>
                <div class="ms-main">
                    <Terminal shell={self.shell.clone()} insert={self.insert.clone()} on_reply={link.callback(Msg::Reply)}
                        on_input={link.callback(|_| Msg::Changed)} />
                    <aside class="ms-side" aria-label="Help">
                        <ReplyExplainer lines={self.reply.clone()} />
                        <h2>{ "A first SMTP session" }</h2>
                        <ol class="ms-steps">
                            { for STEPS.iter().map(|(cmd, what)| {
                                let c = cmd.to_string();
                                let onclick = link.callback(move |_: MouseEvent| Msg::Insert(c.clone()));
                                html! {
                                    <li>
                                        <button type="button" class="ms-cmdbtn" {onclick}
                                            title="Put this command in the terminal">
                                            <code>{ *cmd }</code>
                                        </button>
                                        <span class="ms-what">{ *what }</span>
                                    </li>
                                }
                            }) }
                        </ol>
                        <h2>{ "Reply codes" }</h2>
                        <ul class="ms-codes">
                            <li><span class="ms-r2">{ "2xx" }</span>{ " done" }</li>
                            <li><span class="ms-r3">{ "3xx" }</span>{ " go on (354: send the message)" }</li>
                            <li><span class="ms-r4">{ "4xx" }</span>{ " failed for now: try again later" }</li>
                            <li><span class="ms-r5">{ "5xx" }</span>{ " failed for good" }</li>
                        </ul>
                        <p class="ms-note">{ "Users of example.com: alice, bob, theboss, postmaster. Type " }<code>{ "help" }</code>{ " for shell commands." }</p>
                    </aside>
                </div>
                <JourneyView shell={self.shell.clone()} version={self.version} on_explain={link.callback(Msg::Reply)}
                    on_change={link.callback(|_| Msg::Changed)} />
            </div>
        }
    }
}
