//! The script player's controls (as asciinema-player's: play/pause, a
//! command back or forward, restart, speed, copy), shown under an embedded
//! terminal that plays a script. The player itself is [`crate::embed::Player`];
//! this view only reports what the reader pressed.
//!
//! Keys, when the focus is on the player or the terminal's log (never in the
//! input line, where they are typed): Space plays or pauses, `.` enters the
//! next command, `,` goes one back.

use super::{attrs, el, flag};
use crate::embed::PlayState;
use crate::lang::{Key, Lang};
use web_sys::{Document, HtmlElement, HtmlSelectElement, KeyboardEvent};

/// What the reader asked of the player.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Press {
    Toggle,
    Back,
    Forward,
    Restart,
    Speed(u32),
    Copy,
}

/// The player's key for a keydown, if it is one (Space, `.`, `,`).
pub fn key_press(e: &KeyboardEvent) -> Option<Press> {
    if e.ctrl_key() || e.alt_key() || e.meta_key() {
        return None;
    }
    match e.key().as_str() {
        " " => Some(Press::Toggle),
        "." => Some(Press::Forward),
        "," => Some(Press::Back),
        _ => None,
    }
}

/// The speeds offered, and the script's own when it asked for another (`speed="16"`).
fn speeds(speed: u32) -> Vec<u32> {
    let mut all = vec![1, 2, 4, 8];
    if !all.contains(&speed) {
        all.push(speed);
    }
    all
}

/// What the player shows, from the state it is in.
#[derive(Clone, PartialEq)]
pub struct Shown {
    pub state: PlayState,
    /// Commands entered, and in all.
    pub progress: (usize, usize),
    pub speed: u32,
    pub lang: Lang,
    /// The transcript was just copied (`Some(true)`) or the browser refused it.
    pub copied: Option<bool>,
}

pub struct PlayerView {
    pub wrap: HtmlElement,
    pub bar: HtmlElement,
    pub play: HtmlElement,
    pause_label: HtmlElement,
    play_label: HtmlElement,
    pub back: HtmlElement,
    pub next: HtmlElement,
    pub restart: HtmlElement,
    speed_label: HtmlElement,
    pub select: HtmlSelectElement,
    pub copy: HtmlElement,
    status: HtmlElement,
    shown: Option<Shown>,
    doc: Document,
}

impl PlayerView {
    pub fn build(doc: &Document) -> Option<PlayerView> {
        let wrap = el(doc, "div", "ms-player-wrap")?;
        let bar = el(doc, "div", "ms-player")?;
        attrs(&bar, &[("role", "group"), ("tabindex", "0"), ("aria-keyshortcuts", "Space . ,")]);
        let button = |class: &str| -> Option<HtmlElement> {
            let b = el(doc, "button", class)?;
            attrs(&b, &[("type", "button")]);
            Some(b)
        };
        let play = button("ms-play")?;
        // Both labels, one unseen: the button is as wide as the wider, so nothing moves when it switches.
        let label = |icon: &str| -> Option<HtmlElement> {
            let l = el(doc, "span", "ms-play-label")?;
            let i = el(doc, "span", "")?;
            attrs(&i, &[("aria-hidden", "true")]);
            i.set_text_content(Some(icon));
            l.append_child(&i).ok()?;
            l.append_with_str_1("").ok()?;
            Some(l)
        };
        let pause_label = label("❚❚ ")?;
        let play_label = label("▶ ")?;
        play.append_with_node_2(&pause_label, &play_label).ok()?;
        let back = button("ms-back-cmd")?;
        back.set_text_content(Some("«"));
        let next = button("ms-next-cmd")?;
        next.set_text_content(Some("»"));
        let restart = button("ms-restart")?;
        let speed_label = el(doc, "label", "ms-replay-speed")?;
        let select: HtmlSelectElement = wasm_bindgen::JsCast::dyn_into(el(doc, "select", "")?).ok()?;
        speed_label.append_with_str_1("").ok()?;
        speed_label.append_child(&select).ok()?;
        let copy = button("ms-copy")?;
        let status = el(doc, "span", "ms-player-status")?;
        attrs(&status, &[("role", "status")]);
        for e in [&play, &back, &next, &restart, &speed_label, &copy, &status] {
            bar.append_child(e).ok()?;
        }
        wrap.append_child(&bar).ok()?;
        Some(PlayerView {
            wrap,
            bar,
            play,
            pause_label,
            play_label,
            back,
            next,
            restart,
            speed_label,
            select,
            copy,
            status,
            shown: None,
            doc: doc.clone(),
        })
    }

    /// Shows `s` (only what changed since the last time).
    pub fn render(&mut self, s: Shown) {
        if self.shown.as_ref() == Some(&s) {
            return;
        }
        let lang = s.lang;
        if self.shown.as_ref().map(|o| o.lang) != Some(lang) {
            attrs(&self.bar, &[("aria-label", lang.t(Key::PlayerLabel)), ("title", lang.t(Key::PlayerKeys))]);
            for (label, key) in [(&self.pause_label, Key::PlayerPause), (&self.play_label, Key::PlayerPlay)] {
                if let Some(text) = label.last_child() {
                    text.set_text_content(Some(lang.t(key)));
                }
            }
            for (b, key) in [(&self.back, Key::PlayerBack), (&self.next, Key::PlayerForward)] {
                attrs(b, &[("title", lang.t(key)), ("aria-label", lang.t(key))]);
            }
            self.restart.set_text_content(Some(lang.t(Key::PlayerRestart)));
            if let Some(text) = self.speed_label.first_child() {
                text.set_text_content(Some(lang.t(Key::ReplaySpeed)));
            }
        }
        if self.shown.as_ref().map(|o| o.speed) != Some(s.speed) {
            self.select.set_text_content(None);
            for n in speeds(s.speed) {
                if let Some(o) = el(&self.doc, "option", "") {
                    attrs(&o, &[("value", &n.to_string())]);
                    o.set_text_content(Some(&format!("{n}×")));
                    let _ = self.select.append_child(&o);
                }
            }
            self.select.set_value(&s.speed.to_string());
        }
        let playing = s.state == PlayState::Playing;
        attrs(&self.play, &[("aria-pressed", if playing { "true" } else { "false" })]);
        flag(&self.play, "disabled", s.state == PlayState::Done);
        let _ = self.pause_label.class_list().toggle_with_force("ms-unseen", !playing);
        let _ = self.play_label.class_list().toggle_with_force("ms-unseen", playing);
        flag(&self.back, "disabled", s.progress.0 == 0);
        flag(&self.next, "disabled", s.state == PlayState::Done);
        self.copy.set_text_content(Some(lang.t(match s.copied {
            Some(true) => Key::PlayerCopied,
            Some(false) => Key::PlayerCopyRefused,
            None => Key::PlayerCopy,
        })));
        let progress =
            lang.f(Key::PlayerProgress, &[("done", &s.progress.0.to_string()), ("total", &s.progress.1.to_string())]);
        let status = match s.state {
            PlayState::Done => lang.t(Key::PlayerYourTurn).to_string(),
            PlayState::Paused if s.progress.0 > 0 => format!("{progress} {}", lang.t(Key::PlayerPaused)),
            _ => progress,
        };
        self.status.set_text_content(Some(&status));
        self.shown = Some(s);
    }
}
