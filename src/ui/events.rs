//! The DOM events an embedded instance tells its page about, dispatched on
//! the element it was mounted on (the `<mail-sim>` element, or the one given
//! to `mount`): `mailsim-ready`, `mailsim-reply`, `mailsim-step-complete`,
//! `mailsim-lesson-complete`, `mailsim-script-end`. They bubble and cross
//! the shadow root (`composed`), with their data in `detail`.

use crate::embed::ReplyEvent;
use wasm_bindgen::JsValue;

/// Where an instance's events go (its host element), and the element it is
/// mounted in (inside the host's shadow root); `None` inside: nowhere (the
/// stand-alone page).
#[derive(Clone, Default, PartialEq)]
pub struct Events(Option<(web_sys::Element, web_sys::Element)>);

/// A `detail` object from name–value pairs.
pub fn detail(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

impl Events {
    pub fn to(host: web_sys::Element, root: web_sys::Element) -> Self {
        Self(Some((host, root)))
    }

    /// Dispatches `name` with `detail` (nothing without an element).
    pub fn emit(&self, name: &str, detail: JsValue) {
        let Some((el, _)) = &self.0 else { return };
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(e) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = el.dispatch_event(&e);
        }
    }

    /// `mailsim-reply`: `{ command, code, enhanced, text, protocol }`.
    pub fn reply(&self, r: &ReplyEvent) {
        self.emit(
            "mailsim-reply",
            detail(&[
                ("command", r.command.as_str().into()),
                ("code", r.code.as_str().into()),
                ("enhanced", r.enhanced.as_deref().map_or(JsValue::NULL, JsValue::from_str)),
                ("text", r.text.as_str().into()),
                ("protocol", r.protocol.into()),
            ]),
        );
    }

    /// The root the instance's elements are in: its shadow root, or the document.
    pub fn root_node(&self) -> Option<web_sys::Node> {
        self.0.as_ref().map(|(_, root)| root.get_root_node())
    }
}
