//! Views made with the DOM itself, not Yew: the embed's `mode="terminal"`
//! (`embed::DomEmbed`, the root of the small build a documentation page
//! loads). Its first render is a few dozen `createElement` calls where
//! Yew's first render of the same markup compiled and ran its whole diff
//! engine: without Yew the small build's wasm is 566 KB raw rather than 680
//! (242 KB gzip rather than 288), and a page's terminal answered its first
//! command in 1.51x the bare Yew app's time rather than 1.73x (benches/tti,
//! docs/embedding.md). The state it shows is the same as the app's terminal's
//! ([`super::term_model::TermModel`], [`crate::embed::Player`]).
//!
//! Every text goes in as a text node (`textContent`, `append`), never as
//! markup: nothing typed, pasted, fetched or sent by a server becomes HTML.

pub mod embed;
mod explain;
mod player;
mod terminal;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, Event, EventTarget, HtmlElement, KeyboardEvent};

/// A new `tag` element with the CSS classes `class` (none when empty).
fn el(doc: &Document, tag: &str, class: &str) -> Option<HtmlElement> {
    let e: HtmlElement = doc.create_element(tag).ok()?.dyn_into().ok()?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    Some(e)
}

/// Sets attributes, in pairs.
fn attrs(e: &web_sys::Element, pairs: &[(&str, &str)]) {
    for (k, v) in pairs {
        let _ = e.set_attribute(k, v);
    }
}

/// Sets or removes a boolean attribute (`disabled`, `hidden`).
fn flag(e: &web_sys::Element, name: &str, on: bool) {
    let _ = e.toggle_attribute_with_force(name, on);
}

/// The listeners of a view: they live as long as it (dropped with it).
#[derive(Default)]
struct Listeners(Vec<Closure<dyn FnMut(Event)>>);

impl Listeners {
    fn on(&mut self, target: &EventTarget, name: &str, f: impl FnMut(Event) + 'static) {
        let c = Closure::<dyn FnMut(Event)>::new(f);
        let _ = target.add_event_listener_with_callback(name, c.as_ref().unchecked_ref());
        self.0.push(c);
    }
}

/// The wall clock in seconds: the simulated clock follows it (the model never moves it back).
pub(super) fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Whether the reader asked for reduced motion (a line typed for them then appears at once).
pub(super) fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Keys on a reply code in a terminal's log: Up/Down (and Home/End) move
/// between the codes, Escape goes back to the input line (`input`). Both
/// terminals run it in their log's keydown listener.
pub(super) fn log_keys(e: &KeyboardEvent, input: Option<HtmlElement>) {
    let Some(target) = e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) else { return };
    if !target.class_list().contains("ms-code") {
        return;
    }
    if e.key() == "Escape" {
        e.prevent_default();
        if let Some(i) = input {
            let _ = i.focus();
        }
        return;
    }
    let Some(log) = target.closest(".ms-log").ok().flatten() else { return };
    let Ok(all) = log.query_selector_all(".ms-code") else { return };
    let codes: Vec<HtmlElement> =
        (0..all.length()).filter_map(|i| all.item(i)).filter_map(|n| n.dyn_into::<HtmlElement>().ok()).collect();
    let Some(here) = codes.iter().position(|c| *c == target) else { return };
    let to = match e.key().as_str() {
        "ArrowUp" | "ArrowLeft" => here.checked_sub(1),
        "ArrowDown" | "ArrowRight" => Some(here + 1).filter(|i| *i < codes.len()),
        "Home" => Some(0),
        "End" => codes.len().checked_sub(1),
        _ => return,
    };
    e.prevent_default();
    if let Some(c) = to.and_then(|i| codes.get(i)) {
        let _ = c.focus();
    }
}
