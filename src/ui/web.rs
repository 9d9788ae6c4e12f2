//! The app's entry points for a page (`mount`, `mount_with`) and the shell
//! its components share.

pub use super::app::{App, AppProps};
pub use super::terminal::{Terminal, TerminalProps};

use super::progress::{id_prefix, storage_key};
use crate::shell::Shell;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};
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
/// source (queue ids); pass nothing for the default. The same as
/// `mount_with(element, seed, {})`.
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, seed: Option<u32>) -> MailsimApp {
    mount_with(element, seed, JsValue::UNDEFINED)
}

/// Instances mounted into elements without an id, for their ids' prefix.
static UNNAMED: AtomicU32 = AtomicU32::new(0);

fn option_str(options: &JsValue, name: &str) -> Option<String> {
    js_sys::Reflect::get(options, &JsValue::from_str(name)).ok()?.as_string()
}

/// Mounts a mailsim app into `element`, with options (a plain object):
/// - `storageKey`: where its progress is saved in localStorage; by default
///   `mailsim.progress.v1:` and the element's id (each instance its own),
///   or `mailsim.progress.v1` for an element without an id;
/// - `embedded: true`: part of a larger page: its title is no `h1` and it
///   does not take the focus on load.
///
/// The element ids the app uses start with the element's id (or `msN`), so
/// several instances on a page never repeat one.
#[wasm_bindgen]
pub fn mount_with(element: web_sys::Element, seed: Option<u32>, options: JsValue) -> MailsimApp {
    element.class_list().add_1("mailsim").ok();
    let id = element.id();
    let embedded = js_sys::Reflect::get(&options, &JsValue::from_str("embedded")).ok().is_some_and(|v| v.is_truthy());
    let props = AppProps {
        seed: u64::from(seed.unwrap_or(1)),
        storage_key: storage_key(option_str(&options, "storageKey").as_deref(), &id).into(),
        ids: id_prefix(&id, UNNAMED.fetch_add(1, Ordering::Relaxed)).into(),
        embedded,
    };
    let handle = yew::Renderer::<App>::with_root_and_props(element, props).render();
    MailsimApp { handle: Some(handle) }
}
