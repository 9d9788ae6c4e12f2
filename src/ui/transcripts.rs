//! The transcript explorer: a session pasted, opened from a file, dropped,
//! brought by a link, or taken from the terminal or a journey hop, read by
//! [`crate::transcript`] and shown step by step with every reply explained,
//! the problems found and a summary; exported (C:/S:, text, JSON, asciicast)
//! and shared by link ([`crate::link`]). Everything shown is text nodes:
//! nothing in a transcript, a file name or a link becomes markup.

use super::browser::{copy, download, read_text, share_url};
use super::explain::tone_class;
use super::SharedShell;
use crate::lang::{Key, Lang};
use crate::link::Link;
use crate::shell::{LineKind, PROMPT};
use crate::transcript::check::{check, Against, Comparison, Personality, Verdict};
use crate::transcript::export::{asciicast, Cast};
use crate::transcript::{analyse, export, parse, Analysis, Export, Format, TranscriptError};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Most steps drawn (a 20,000-line log stays responsive); exports hold all.
const MAX_STEPS_SHOWN: usize = 400;
/// The largest text put into the text box: a browser's text box with megabytes
/// of lines takes many seconds per input event (Chromium: 40 s for 2 MB), so a
/// bigger file is read without being shown there.
const BOX_MAX: usize = 256 << 10;

#[derive(Properties, PartialEq, Clone)]
pub struct ExplorerProps {
    pub lang: Lang,
    pub shell: SharedShell,
    /// A transcript brought in from elsewhere (a link, a journey hop); the
    /// number changes on every request.
    #[prop_or_default]
    pub incoming: Option<(u32, String)>,
    /// Replays the client's lines in the terminal: the port, then the lines.
    #[prop_or_default]
    pub on_play: Callback<(u16, Vec<String>)>,
    #[prop_or(AttrValue::Static("ms"))]
    pub ids: AttrValue,
    /// `mode="transcript"` of an embed: the transcript it was given, explained;
    /// no input box, no terminal to take from or replay in.
    #[prop_or_default]
    pub read_only: bool,
}

pub enum Msg {
    Format(Option<Format>),
    Explain,
    /// A file was opened or dropped.
    File(web_sys::File),
    /// Its text arrived.
    Loaded(String),
    FromTerminal,
    Keep(bool),
    Download(Export),
    /// The terminal's screen (prompts, commands, programs' output): as an asciicast, or as text.
    Screen(bool),
    Share,
    Play,
    DragOver(bool),
    /// The server to compare with (`None`: what the greeting suggests).
    Against(Option<Personality>),
    Compare,
}

/// What reading gave.
enum Outcome {
    Read(Box<Analysis>),
    Failed(String),
}

pub struct Explorer {
    /// What is explained.
    text: String,
    /// What the text box shows: the text, or nothing when it is too big for it.
    boxed: String,
    format: Option<Format>,
    outcome: Option<Outcome>,
    keep_secrets: bool,
    share: Option<Result<String, String>>,
    seen_incoming: Option<u32>,
    dragging: bool,
    against: Option<Personality>,
    comparison: Option<Comparison>,
    area: NodeRef,
    /// A file being read; dropping it cancels the read.
    reader: Option<gloo::file::callbacks::FileReader>,
}

impl Explorer {
    /// Keeps what the box holds now (typed or pasted, read only on Explain, not per keystroke):
    /// a render sets the box's value from `boxed`, so without this a render before Explain
    /// (another format chosen, the page's language switched) emptied the box.
    fn keep_box(&mut self) {
        if let Some(area) = self.area.cast::<HtmlTextAreaElement>() {
            let v = area.value();
            if v != self.boxed {
                self.boxed = v;
            }
        }
    }

    /// Takes a text to explain (a file, a link, the terminal): shown in the box when it fits.
    fn set_text(&mut self, text: String) {
        self.boxed = if text.len() <= BOX_MAX { text.clone() } else { String::new() };
        self.text = text;
    }

    /// Reads a transcript brought in, once per request.
    fn take_incoming(&mut self, ctx: &Context<Self>) {
        if let Some((n, text)) = &ctx.props().incoming {
            if self.seen_incoming != Some(*n) {
                self.seen_incoming = Some(*n);
                self.set_text(text.clone());
                self.format = None;
                self.explain(ctx.props().lang);
            }
        }
    }

    fn explain(&mut self, lang: Lang) {
        self.share = None;
        self.comparison = None;
        if self.text.trim().is_empty() {
            self.outcome = Some(Outcome::Failed(lang.t(Key::TranscriptEmpty).into()));
            return;
        }
        self.outcome = Some(match parse(self.text.as_bytes(), self.format) {
            Ok(t) => Outcome::Read(Box::new(analyse(t))),
            Err(e) => Outcome::Failed(match e {
                TranscriptError::Empty => lang.t(Key::TranscriptEmpty).into(),
                TranscriptError::NoProtocol(n) => lang.f(Key::TranscriptNoProtocol, &[("count", &n.to_string())]),
                TranscriptError::Binary(_) => lang.t(Key::TranscriptBinary).into(),
            }),
        });
    }

    fn analysis(&self) -> Option<&Analysis> {
        match &self.outcome {
            Some(Outcome::Read(a)) => Some(a),
            _ => None,
        }
    }

    /// The terminal's dialogue as C:/S: lines: what was sent over
    /// connections and what the servers answered.
    fn terminal_session(shell: &SharedShell) -> String {
        let shell = shell.borrow();
        let mut out = String::new();
        for l in shell.log_since(0) {
            match l.kind {
                LineKind::Client => out.push_str(&format!("C: {}\n", l.text)),
                LineKind::Server => out.push_str(&format!("S: {}\n", l.text)),
                _ => {}
            }
        }
        out
    }

    fn read_file(&mut self, ctx: &Context<Self>, file: web_sys::File) {
        // Any bytes: the parser bounds them and replaces what is not UTF-8.
        self.reader = Some(read_text(ctx, file, Msg::Loaded));
    }
}

impl Component for Explorer {
    type Message = Msg;
    type Properties = ExplorerProps;

    fn create(ctx: &Context<Self>) -> Self {
        let mut me = Self {
            text: String::new(),
            boxed: String::new(),
            format: None,
            outcome: None,
            keep_secrets: false,
            share: None,
            seen_incoming: None,
            dragging: false,
            against: None,
            comparison: None,
            area: NodeRef::default(),
            reader: None,
        };
        // A transcript that came with the page's link.
        me.take_incoming(ctx);
        me
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &Self::Properties) -> bool {
        self.keep_box();
        self.take_incoming(ctx);
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        self.keep_box();
        let lang = ctx.props().lang;
        match msg {
            Msg::Format(f) => self.format = f,
            Msg::File(f) => {
                self.read_file(ctx, f);
                return false;
            }
            Msg::Explain => {
                // The text box is read when asked, not on every keystroke: a megabyte
                // paste then costs one copy, not one per input event.
                if let Some(area) = self.area.cast::<HtmlTextAreaElement>() {
                    let v = area.value();
                    // An empty box beside a big file loaded: explain the file.
                    if !(v.is_empty() && self.text.len() > BOX_MAX) {
                        self.boxed = v.clone();
                        self.text = v;
                    }
                }
                self.explain(lang);
            }
            Msg::Loaded(t) => {
                self.reader = None;
                self.set_text(t);
                self.explain(lang);
            }
            Msg::FromTerminal => {
                self.set_text(Self::terminal_session(&ctx.props().shell));
                self.format = None;
                self.explain(lang);
            }
            Msg::Keep(k) => {
                self.keep_secrets = k;
                self.share = None;
            }
            Msg::Download(what) => {
                if let Some(a) = self.analysis() {
                    let t = &a.transcript;
                    download(
                        &crate::transcript::export::file_name(t.protocol, what),
                        what.mime(),
                        &export(t, what, self.keep_secrets),
                    );
                }
                return false;
            }
            Msg::Screen(cast) => {
                let shell = ctx.props().shell.borrow();
                let lines = shell.log_since(0);
                if cast {
                    let casts = lines.iter().map(|l| match l.kind {
                        LineKind::Command => {
                            Cast::Typed { prompt: PROMPT, text: l.text.strip_prefix(PROMPT).unwrap_or(&l.text) }
                        }
                        LineKind::Client => Cast::Typed { prompt: "", text: &l.text },
                        _ => Cast::Printed(&l.text),
                    });
                    download("terminal.cast", Export::Asciicast.mime(), &asciicast("mailsim terminal", casts));
                } else {
                    let text: String = lines.iter().map(|l| format!("{}\n", l.text)).collect();
                    download("terminal.txt", Export::Text.mime(), &text);
                }
                return false;
            }
            Msg::Share => {
                let Some(a) = self.analysis() else { return false };
                let text = export(&a.transcript, Export::Cs, self.keep_secrets);
                let link = Link { transcript: Some(text), tab: Some("transcripts".into()), ..Link::default() };
                self.share = Some(share_url(&link, lang));
                if let Some(Ok(url)) = &self.share {
                    // Best effort: the link is shown beside it whether or not the copy was allowed.
                    copy(url, |_| {});
                }
            }
            Msg::Play => {
                let Some(a) = self.analysis() else { return false };
                let t = &a.transcript;
                let port = crate::transcript::export::replay_port(t);
                let lines = export(t, Export::Cs, true)
                    .lines()
                    .filter_map(|l| l.strip_prefix("C: ").map(str::to_string))
                    .collect();
                ctx.props().on_play.emit((port, lines));
                return false;
            }
            Msg::Against(p) => {
                self.against = p;
                return false;
            }
            Msg::Compare => {
                let Some(a) = self.analysis() else { return false };
                self.comparison = Some(check(&a.transcript, Against { personality: self.against, port: None }));
            }
            Msg::DragOver(on) => {
                if self.dragging == on {
                    return false;
                }
                self.dragging = on;
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lang = ctx.props().lang;
        let ids = &ctx.props().ids;
        let t = |k: Key| lang.t(k);
        let onformat = link.callback(|e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            Msg::Format(Format::from_name(&v))
        });
        let onfile = link.batch_callback(|e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            input.files().and_then(|l| l.get(0)).map(Msg::File)
        });
        let ondrop = link.batch_callback(|e: DragEvent| {
            e.prevent_default();
            let file = e.data_transfer().and_then(|d| d.files()).and_then(|l| l.get(0));
            std::iter::once(Msg::DragOver(false)).chain(file.map(Msg::File)).collect::<Vec<_>>()
        });
        let ondragover = link.callback(|e: DragEvent| {
            e.prevent_default();
            Msg::DragOver(true)
        });
        let ondragleave = link.callback(|_: DragEvent| Msg::DragOver(false));
        let formats = Format::ALL;
        let result = match &self.outcome {
            None => html! {},
            Some(Outcome::Failed(why)) => html! { <p class="ms-tx-error" role="alert">{ why }</p> },
            Some(Outcome::Read(a)) => self.view_analysis(ctx, a),
        };
        html! {
            <section class="ms-explorer" aria-labelledby={format!("{ids}-tx-h")}>
                <h2 id={format!("{ids}-tx-h")}>{ t(Key::TranscriptsTitle) }</h2>
                if !ctx.props().read_only {
                <p class="ms-note">{ t(Key::TranscriptsIntro) }</p>
                <label class="ms-tx-label" for={format!("{ids}-tx-text")}>{ t(Key::TranscriptPaste) }</label>
                <textarea id={format!("{ids}-tx-text")} class={classes!("ms-tx-text", self.dragging.then_some("ms-tx-drag"))}
                    rows="8" spellcheck="false" value={self.boxed.clone()} ref={self.area.clone()} {ondrop} {ondragover} {ondragleave}
                    placeholder={"S: 220 mail.example.com ESMTP Postfix\nC: EHLO client.example.net"} />
                if self.text.len() > BOX_MAX && self.boxed.is_empty() {
                    <p class="ms-note">{ lang.f(Key::TranscriptBig, &[("size", &format!("{:.1}", self.text.len() as f64 / 1e6))]) }</p>
                }
                <div class="ms-tx-bar">
                    <label class="ms-tx-format">{ t(Key::TranscriptFormat) }
                        <select onchange={onformat}>
                            <option value="auto" selected={self.format.is_none()}>{ t(Key::TranscriptAuto) }</option>
                            { for formats.iter().map(|f| html! {
                                <option value={f.name()} selected={self.format == Some(*f)}>{ f.name() }</option>
                            }) }
                        </select>
                    </label>
                    <button type="button" class="ms-primary" onclick={link.callback(|_| Msg::Explain)}>{ t(Key::TranscriptExplain) }</button>
                    <label class="ms-tx-file">{ t(Key::TranscriptOpen) }
                        <input type="file" accept=".txt,.log,.cast,.json,.in,.out,text/*" onchange={onfile} />
                    </label>
                    <button type="button" onclick={link.callback(|_| Msg::FromTerminal)}>{ t(Key::TranscriptFromTerminal) }</button>
                </div>
                <div class="ms-tx-bar">
                    <button type="button" data-screen="cast" onclick={link.callback(|_| Msg::Screen(true))}>{ t(Key::TranscriptScreenCast) }</button>
                    <button type="button" data-screen="text" onclick={link.callback(|_| Msg::Screen(false))}>{ t(Key::TranscriptScreenText) }</button>
                </div>
                }
                <div class="ms-tx-result" aria-live="polite">{ result }</div>
            </section>
        }
    }
}

impl Explorer {
    fn view_analysis(&self, ctx: &Context<Self>, a: &Analysis) -> Html {
        let link = ctx.link();
        let lang = ctx.props().lang;
        let ids = &ctx.props().ids;
        let t = |k: Key| lang.t(k);
        let tr = &a.transcript;
        let tls = a.steps.iter().any(|s| s.tls);
        let compared = self.comparison.as_ref();
        let server_name = compared.map(|c| c.against.0.clone()).unwrap_or_default();
        let steps = a.steps.iter().take(MAX_STEPS_SHOWN).enumerate().map(|(i, s)| {
            let ours = compared.and_then(|c| c.steps.get(i)).filter(|c| c.verdict != Verdict::Same).map(|c| {
                let (class, mark) = match c.verdict {
                    Verdict::SameCode => ("ms-tx-samecode", t(Key::TranscriptSameCode)),
                    _ => ("ms-tx-differs", t(Key::TranscriptDiffers)),
                };
                html! {
                    <div class={classes!("ms-tx-ours", class)}>
                        <p><strong>{ mark }</strong>{ format!(" · {}", lang.f(Key::TranscriptOurs, &[("server", &server_name)])) }</p>
                        <pre class="ms-tx-server">{ for c.ours.iter().map(|l| html! { <div>{ l }</div> }) }</pre>
                    </div>
                }
            });
            let client = match &s.client {
                Some(c) => html! { <code class="ms-tx-c">{ c }</code> },
                None => html! { <span class="ms-tx-greeting">{ t(Key::TranscriptGreeting) }</span> },
            };
            html! {
                <li class="ms-tx-step" id={format!("{ids}-tx-step-{i}")}>
                    <div class="ms-tx-client">
                        { client }
                        if s.tls { <span class="ms-tx-tls">{ t(Key::TranscriptTls) }</span> }
                    </div>
                    if let Some(c) = s.command {
                        <p class="ms-tx-cmd"><code>{ c.syntax }</code>{ format!(" {} ({})", c.what_in(lang), c.rfc) }</p>
                    }
                    if !s.data.is_empty() {
                        <details class="ms-tx-fold">
                            <summary>{ lang.f(Key::TranscriptMessageText, &[("count", &s.data.len().to_string())]) }</summary>
                            <pre>{ s.data.join("\n") }</pre>
                        </details>
                    }
                    if !s.sasl.is_empty() {
                        <details class="ms-tx-fold">
                            <summary>{ lang.f(Key::TranscriptSasl, &[("count", &s.sasl.len().to_string())]) }</summary>
                            <pre>{ s.sasl.join("\n") }</pre>
                        </details>
                    }
                    if !s.server.is_empty() {
                        <pre class="ms-tx-server">{ for s.server.iter().map(|l| html! { <div>{ l }</div> }) }</pre>
                    }
                    { for s.explanations.iter().map(|e| html! {
                        <p class={classes!("ms-tx-explain", tone_class(e.tone))}>
                            <span class={classes!("ms-badge", tone_class(e.tone))}>{ e.badge.clone() }</span>
                            if let Some(x) = &e.enhanced { <span class="ms-tx-enh">{ x.clone() }</span> }
                            { format!(" {} ", e.meaning.get(lang)) }
                            if let Some(n) = &e.next { <span class="ms-tx-next">{ n.get(lang).to_string() }</span> }
                            <span class="ms-tx-rfc">{ format!(" ({})", e.rfc) }</span>
                        </p>
                    }) }
                    { for ours }
                    if let Some(st) = &s.state {
                        <p class="ms-tx-state"><strong>{ t(Key::TranscriptStateLabel) }</strong>{ format!(" {}", st.get(lang)) }</p>
                    }
                </li>
            }
        });
        let share = match &self.share {
            None => html! {},
            Some(Ok(url)) => html! {
                <div class="ms-tx-share">
                    <p class="ms-note">{ t(Key::TranscriptShareDone) }</p>
                    <label>{ t(Key::TranscriptShareLabel) }
                        <input type="text" readonly=true class="ms-tx-link" value={url.clone()} />
                    </label>
                </div>
            },
            Some(Err(why)) => html! { <p class="ms-tx-error" role="alert">{ why }</p> },
        };
        let keep = link.callback(|e: Event| Msg::Keep(e.target_unchecked_into::<HtmlInputElement>().checked()));
        html! {
            <>
                <p class="ms-tx-read">{ lang.f(Key::TranscriptRead, &[("protocol", tr.protocol.name()), ("format", tr.format.name()), ("steps", &a.steps.len().to_string())]) }</p>
                <p class="ms-tx-summary">{ a.summary.get(lang).to_string() }</p>
                { for tr.notes.iter().map(|n| html! { <p class="ms-note">{ lang.f(Key::TranscriptNoted, &[("note", n)]) }</p> }) }
                if tls { <p class="ms-note">{ t(Key::TranscriptTlsNote) }</p> }
                <h3>{ t(Key::TranscriptProblems) }</h3>
                if a.problems.is_empty() {
                    <p class="ms-note">{ t(Key::TranscriptNoProblems) }</p>
                } else {
                    <ul class="ms-tx-problems">
                        { for a.problems.iter().map(|p| html! {
                            <li><strong>{ lang.f(Key::TranscriptLine, &[("line", &p.line.to_string())]) }</strong>{ format!(": {}", p.text.get(lang)) }</li>
                        }) }
                    </ul>
                }
                <div class="ms-tx-actions" role="group" aria-label={t(Key::TranscriptExport)}>
                    <span class="ms-tx-actions-h">{ t(Key::TranscriptExport) }</span>
                    { for [(Export::Cs, Key::TranscriptExportCs), (Export::Text, Key::TranscriptExportText), (Export::Json, Key::TranscriptExportJson), (Export::Asciicast, Key::TranscriptExportCast)].into_iter().map(|(what, key)| html! {
                        <button type="button" data-export={what.name()} onclick={link.callback(move |_| Msg::Download(what))}>{ t(key) }</button>
                    }) }
                </div>
                <label class="ms-check">
                    <input type="checkbox" checked={self.keep_secrets} onchange={keep} />
                    { t(Key::TranscriptKeepSecrets) }
                </label>
                <div class="ms-tx-bar">
                    <label class="ms-tx-format">{ t(Key::TranscriptAgainst) }
                        <select onchange={link.callback(|e: Event| Msg::Against(Personality::from_name(&e.target_unchecked_into::<HtmlSelectElement>().value())))}>
                            <option value="auto" selected={self.against.is_none()}>{ t(Key::TranscriptAuto) }</option>
                            { for Personality::ALL.iter().filter(|p| p.speaks(tr.protocol)).map(|p| html! {
                                <option value={p.name()} selected={self.against == Some(*p)}>{ p.name() }</option>
                            }) }
                        </select>
                    </label>
                    <button type="button" data-compare="1" onclick={link.callback(|_| Msg::Compare)}>{ t(Key::TranscriptCompare) }</button>
                </div>
                if let Some(c) = compared {
                    <p class="ms-tx-compared" role="status">{ c.summary.get(lang).to_string() }</p>
                }
                <div class="ms-tx-bar">
                    <button type="button" onclick={link.callback(|_| Msg::Share)}>{ t(Key::TranscriptShare) }</button>
                    if !ctx.props().read_only {
                        <button type="button" onclick={link.callback(|_| Msg::Play)}>{ t(Key::TranscriptPlay) }</button>
                    }
                </div>
                if !ctx.props().read_only {
                    <p class="ms-note">{ t(Key::TranscriptPlayNote) }</p>
                }
                { share }
                <h3>{ t(Key::TranscriptSteps) }</h3>
                if a.steps.len() > MAX_STEPS_SHOWN {
                    <p class="ms-note">{ lang.f(Key::TranscriptCut, &[("count", &MAX_STEPS_SHOWN.to_string())]) }</p>
                }
                <ol class="ms-tx-steps">{ for steps }</ol>
            </>
        }
    }
}
