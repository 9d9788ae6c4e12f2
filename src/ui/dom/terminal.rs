//! The embed's terminal, in the DOM: the same markup as the app's
//! (`ui/terminal.rs`), kept in step with a [`TermModel`] by [`TermView::render`].
//! Log lines are added and removed as the model's lines come and go (each
//! keeps its node: nothing on screen moves), so a render costs what changed.

use super::{attrs, el, flag, Listeners};
use crate::lang::{Key, Lang};
use crate::shell::{Shell, TermLine};
use crate::ui::input::MAX_INPUT;
use crate::ui::term_model::{self, has_code, line_classes, TermModel};
use std::collections::VecDeque;
use web_sys::{Document, HtmlElement, HtmlInputElement};

pub struct TermView {
    pub root: HtmlElement,
    status: HtmlElement,
    pub disconnect: HtmlElement,
    pub screen: HtmlElement,
    pub log: HtmlElement,
    inputline: HtmlElement,
    prompt: HtmlElement,
    pub input: HtmlInputElement,
    notice: HtmlElement,
    /// The welcome's two lines, while they show.
    welcome: Vec<HtmlElement>,
    /// The log's line nodes, and the session number of the first of them.
    lines: VecDeque<HtmlElement>,
    first: usize,
    /// The session number of the line whose code is the log's tab stop.
    tab_stop: Option<usize>,
    prompt_text: &'static str,
    /// What the labels were last written in.
    lang: Option<Lang>,
    doc: Document,
}

impl TermView {
    /// Builds the terminal, its input's id `input_id` (its texts come with the first render).
    pub fn build(doc: &Document, input_id: &str) -> Option<TermView> {
        let root = el(doc, "section", "ms-terminal")?;
        attrs(&root, &[("role", "group")]);
        let bar = el(doc, "div", "ms-titlebar")?;
        let dots = el(doc, "span", "ms-dots")?;
        attrs(&dots, &[("aria-hidden", "true")]);
        for _ in 0..3 {
            let i = el(doc, "i", "")?;
            dots.append_child(&i).ok()?;
        }
        let title = el(doc, "span", "ms-title")?;
        title.set_text_content(Some("learner@client: ~"));
        let status = el(doc, "span", "ms-status")?;
        attrs(&status, &[("role", "status")]);
        // Always there, unseen when not connected: its coming and going would move the screen.
        let disconnect = el(doc, "button", "ms-disconnect ms-unseen")?;
        attrs(&disconnect, &[("type", "button")]);
        bar.append_with_node_4(&dots, &title, &status, &disconnect).ok()?;
        let screen = el(doc, "div", "ms-screen")?;
        let log = el(doc, "div", "ms-log")?;
        attrs(&log, &[("role", "log"), ("aria-live", "polite")]);
        let inputline = el(doc, "div", "ms-inputline")?;
        let prompt = el(doc, "span", "ms-prompt")?;
        attrs(&prompt, &[("aria-hidden", "true")]);
        let input: HtmlInputElement = wasm_bindgen::JsCast::dyn_into(el(doc, "input", "ms-input")?).ok()?;
        attrs(
            &input,
            &[
                ("type", "text"),
                ("id", input_id),
                ("maxlength", &MAX_INPUT.to_string()),
                ("autocomplete", "off"),
                ("autocapitalize", "off"),
                ("spellcheck", "false"),
            ],
        );
        inputline.append_with_node_2(&prompt, &input).ok()?;
        screen.append_with_node_2(&log, &inputline).ok()?;
        let notice = el(doc, "p", "ms-term-notice")?;
        attrs(&notice, &[("role", "status")]);
        root.append_with_node_3(&bar, &screen, &notice).ok()?;
        let mut welcome = Vec::new();
        for _ in 0..2 {
            let w = el(doc, "div", "ms-line ms-out")?;
            log.append_child(&w).ok()?;
            welcome.push(w);
        }
        Some(TermView {
            root,
            status,
            disconnect,
            screen,
            log,
            inputline,
            prompt,
            input,
            notice,
            welcome,
            lines: VecDeque::new(),
            first: 0,
            tab_stop: None,
            prompt_text: "",
            lang: None,
            doc: doc.clone(),
        })
    }

    /// The listeners that need nothing of the state: the log's keys.
    pub fn listen(&self, listeners: &mut Listeners) {
        let input = self.input.clone();
        listeners.on(&self.log, "keydown", move |e| {
            if let Some(k) = wasm_bindgen::JsCast::dyn_ref::<web_sys::KeyboardEvent>(&e) {
                super::log_keys(k, Some(input.clone().into()));
            }
        });
    }

    /// One log line (session number `n`); a server reply's code is a button that explains it.
    fn line(&self, l: &TermLine, n: usize, lang: Lang) -> Option<HtmlElement> {
        let div = el(&self.doc, "div", &line_classes(l))?;
        match term_model::badge(l) {
            Some((before, code, after, _)) => {
                let b = el(&self.doc, "button", "ms-code")?;
                attrs(&b, &[("type", "button"), ("tabindex", "-1"), ("title", lang.t(Key::WhatDoesReplyMean))]);
                b.set_attribute("data-line", &n.to_string()).ok()?;
                b.set_text_content(Some(code));
                div.append_with_str_1(before).ok()?;
                div.append_child(&b).ok()?;
                div.append_with_str_1(after).ok()?;
            }
            None => div.set_text_content(Some(&l.text)),
        }
        Some(div)
    }

    /// Shows `model` (and the shell's prompt and connection) in `lang`:
    /// whether the log changed (to scroll it to its end).
    pub fn render(&mut self, model: &TermModel, shell: &Shell, lang: Lang) -> bool {
        if self.lang != Some(lang) {
            self.relabel(lang);
        }
        let (status, connected) = term_model::status(shell, lang);
        if self.status.text_content().as_deref() != Some(status.as_str()) {
            self.status.set_text_content(Some(&status));
        }
        self.status.set_class_name(if connected { "ms-status ms-online" } else { "ms-status" });
        let _ = self.disconnect.class_list().toggle_with_force("ms-unseen", !connected);
        flag(&self.disconnect, "disabled", !connected);
        let prompt = shell.prompt();
        if prompt != self.prompt_text {
            self.prompt_text = prompt;
            self.prompt.set_text_content(Some(prompt));
            // The prompt's width, through the CSSOM (a page's Content Security Policy allows it, not a style attribute).
            let _ = self.inputline.style().set_property("--ms-prompt-ch", &format!("{}ch", prompt.chars().count()));
        }
        let mut changed = false;
        if !model.shows_welcome() && !self.welcome.is_empty() {
            for w in self.welcome.drain(..) {
                w.remove();
            }
            changed = true;
        }
        // Lines gone from the model (scrolled away, cleared) leave the screen; new ones come.
        let gone = model.gone();
        while self.first < gone {
            let Some(node) = self.lines.pop_front() else {
                self.first = gone;
                break;
            };
            node.remove();
            self.first += 1;
            changed = true;
        }
        let lines = model.lines();
        for n in self.first + self.lines.len()..gone + lines.len() {
            let Some(node) = lines.get(n - gone).and_then(|l| self.line(l, n, lang)) else { break };
            if self.log.append_child(&node).is_err() {
                break;
            }
            self.lines.push_back(node);
            changed = true;
        }
        // The newest code is the log's tab stop (Shift+Tab from the input reaches it).
        let stop = lines.iter().rposition(has_code).map(|i| gone + i);
        if stop != self.tab_stop {
            for (n, value) in [(self.tab_stop, "-1"), (stop, "0")] {
                if let Some(b) = n.and_then(|n| self.code(n)) {
                    let _ = b.set_attribute("tabindex", value);
                }
            }
            self.tab_stop = stop;
        }
        let notice = model.notice().map(|n| n.text(lang)).unwrap_or_default();
        if self.notice.text_content().unwrap_or_default() != notice {
            self.notice.set_text_content(Some(&notice));
        }
        changed
    }

    /// The code button of line `n`, if it is on screen.
    fn code(&self, n: usize) -> Option<web_sys::Element> {
        let line = self.lines.get(n.checked_sub(self.first)?)?;
        line.query_selector(".ms-code").ok()?
    }

    /// The session number of the line whose code button is `target`.
    pub fn line_of(target: &web_sys::Element) -> Option<usize> {
        target.closest(".ms-code").ok()??.get_attribute("data-line")?.parse().ok()
    }

    /// The terminal's own texts in `lang`.
    fn relabel(&mut self, lang: Lang) {
        self.lang = Some(lang);
        attrs(&self.root, &[("aria-label", lang.t(Key::Terminal))]);
        attrs(&self.disconnect, &[("title", lang.t(Key::DisconnectTitle))]);
        if let Some(kbd) = el(&self.doc, "kbd", "") {
            attrs(&kbd, &[("aria-hidden", "true")]);
            kbd.set_text_content(Some("^]"));
            self.disconnect.set_text_content(None);
            let _ = self.disconnect.append_child(&kbd);
            let _ = self.disconnect.append_with_str_1(&format!(" {}", lang.t(Key::Disconnect)));
        }
        attrs(&self.log, &[("aria-label", lang.t(Key::TerminalOutput))]);
        attrs(&self.input, &[("aria-label", lang.t(Key::TerminalInput))]);
        for (w, text) in self.welcome.iter().zip(term_model::welcome(lang)) {
            w.set_text_content(Some(text));
        }
        if let Ok(codes) = self.log.query_selector_all(".ms-code") {
            for i in 0..codes.length() {
                if let Some(c) = codes.item(i).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
                {
                    let _ = c.set_attribute("title", lang.t(Key::WhatDoesReplyMean));
                }
            }
        }
    }

    /// Scrolls the log to its end before the next frame (reading its height now would force a layout).
    pub fn scroll_soon(&self, asked: &std::rc::Rc<std::cell::Cell<bool>>) {
        if asked.replace(true) {
            return;
        }
        let (asked, screen, log) = (asked.clone(), self.screen.clone(), self.log.clone());
        crate::ui::browser::next_frame(move || {
            asked.set(false);
            for e in [&screen, &log] {
                e.set_scroll_top(e.scroll_height());
            }
        });
    }
}
