//! The browser app (wasm32 only): Yew components over the engine. Every text
//! it shows comes from the language catalogues in `crate::lang`.
//!
//! The app mounts into an element it is given and keeps no global state, so a
//! page can hold several independent instances (documentation sites embed it).

mod app;
mod compose;
mod explain;
mod journey;
mod lessons;
mod mailbox;
mod markdown;
mod reference;
mod terminal;

pub use app::{App, AppProps};
pub use terminal::{Terminal, TerminalProps};

use crate::shell::Shell;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The learner's shell and its world, shared by the components of one app
/// instance (the terminal types into it, the journey view reads its events).
/// Equal when it is the same shell, so props compare cheaply.
#[derive(Clone)]
pub struct SharedShell(Rc<RefCell<Shell>>);

impl SharedShell {
    pub fn new(shell: Shell) -> Self {
        Self(Rc::new(RefCell::new(shell)))
    }
}

impl PartialEq for SharedShell {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for SharedShell {
    type Target = RefCell<Shell>;
    fn deref(&self) -> &RefCell<Shell> {
        &self.0
    }
}

/// A mounted instance; dropping it (or calling `destroy`) unmounts the app.
#[wasm_bindgen]
pub struct MailsimApp {
    handle: Option<yew::AppHandle<App>>,
}

#[wasm_bindgen]
impl MailsimApp {
    /// Unmounts the app from its element.
    pub fn destroy(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
    }
}

/// Mounts a mailsim app into `element`. `seed` fixes the world's random
/// source (queue ids); pass nothing for the default.
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, seed: Option<u32>) -> MailsimApp {
    element.class_list().add_1("mailsim").ok();
    let props = AppProps { seed: u64::from(seed.unwrap_or(1)) };
    let handle = yew::Renderer::<App>::with_root_and_props(element, props).render();
    MailsimApp { handle: Some(handle) }
}
