//! The app's entry points for a page (`mount`, `mount_with`) and the shell
//! its components share.

#[cfg(feature = "app")]
pub use super::app::{App, AppProps};
#[cfg(feature = "app")]
pub use super::terminal::{Terminal, TerminalProps};

use super::dom::embed::{DomEmbed, EmbedProps, Msg as EmbedMsg};
use super::events::Events;
use super::progress::id_prefix;
#[cfg(feature = "app")]
use super::progress::storage_key;
use crate::embed::{Mode, Options};
use crate::lang::Lang;
use crate::shell::Shell;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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
#[cfg(feature = "app")]
#[wasm_bindgen]
pub struct MailsimApp {
    handle: Option<yew::AppHandle<App>>,
}

#[cfg(feature = "app")]
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
#[cfg(feature = "app")]
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, seed: Option<u32>) -> MailsimApp {
    mount_with(element, seed, JsValue::UNDEFINED)
}

/// Instances mounted into elements without an id, for their ids' prefix.
static UNNAMED: AtomicU32 = AtomicU32::new(0);

#[cfg(feature = "app")]
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
#[cfg(feature = "app")]
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
        lang: None,
        events: Events::default(),
        options: None,
        problems: std::rc::Rc::default(),
    };
    let handle = yew::Renderer::<App>::with_root_and_props(element, props).render();
    MailsimApp { handle: Some(handle) }
}

/// An options object's properties as name–value text (`true`, `4`, `"ru"`);
/// properties that are null, undefined, objects or functions are left out.
fn pairs(options: &JsValue) -> Vec<(String, String)> {
    if !options.is_object() {
        return Vec::new();
    }
    js_sys::Object::entries(options.unchecked_ref())
        .iter()
        .filter_map(|e| {
            let e: js_sys::Array = e.dyn_into().ok()?;
            let k = e.get(0).as_string()?;
            let v = e.get(1);
            let v = v
                .as_string()
                .or_else(|| v.as_bool().map(|b| b.to_string()))
                // JS's own number to text: Rust's float formatting would be 14 KB of wasm.
                .or_else(|| {
                    v.as_f64()
                        .and_then(|_| v.unchecked_ref::<js_sys::Number>().to_string_with_radix(10).ok())
                        .map(String::from)
                })?;
            Some((k, v))
        })
        .collect()
}

/// The language: the options', else the nearest `lang` attribute around the
/// element (the page's), else the browser's.
fn language(options: &Options, host: &web_sys::Element) -> Lang {
    options
        .link
        .lang
        .or_else(|| {
            host.closest("[lang]")
                .ok()
                .flatten()
                .and_then(|e| e.get_attribute("lang"))
                .and_then(|l| Lang::from_code(&l))
        })
        .unwrap_or_else(|| {
            Lang::from_browser_language(web_sys::window().and_then(|w| w.navigator().language()).as_deref())
        })
}

enum Mounted {
    Terminal(DomEmbed),
    #[cfg(feature = "app")]
    App(yew::AppHandle<App>),
}

/// An embedded instance (`mount_embed`): what the page's script can ask of it.
#[wasm_bindgen]
pub struct EmbedHandle {
    mounted: Option<Mounted>,
}

/// Sends one message to the mounted root, whichever it is: `$term` to the
/// terminal embed, `$app` to the app (a build without the app has no such arm).
macro_rules! send {
    ($self:ident, $term:expr, $app:expr) => {
        match &$self.mounted {
            Some(Mounted::Terminal(h)) => h.send($term),
            #[cfg(feature = "app")]
            Some(Mounted::App(h)) => h.send_message($app),
            None => {}
        }
    };
}

#[wasm_bindgen]
impl EmbedHandle {
    /// Types a line into the terminal at the script's speed, then enters it.
    pub fn type_line(&self, line: String) {
        send!(self, EmbedMsg::Type(line), super::app::Msg::Type(line))
    }

    /// Enters lines at once, in order.
    pub fn run(&self, lines: Vec<String>) {
        send!(self, EmbedMsg::Run(lines), super::app::Msg::Run(lines))
    }

    /// Plays (or resumes) the script.
    pub fn play(&self) {
        send!(self, EmbedMsg::Play, super::app::Msg::PlayOn(true))
    }

    pub fn pause(&self) {
        send!(self, EmbedMsg::Pause, super::app::Msg::PlayOn(false))
    }

    /// A fresh world, the screen cleared, the script back at its start.
    pub fn reset(&self) {
        send!(self, EmbedMsg::Reset, super::app::Msg::FreshWorld)
    }

    /// Switches the language (`en`, `ru`); other codes change nothing.
    pub fn set_lang(&self, code: &str) {
        let Some(lang) = Lang::from_code(code) else { return };
        send!(self, EmbedMsg::Lang(lang), super::app::Msg::Language(lang))
    }

    /// Unmounts it.
    pub fn destroy(&mut self) {
        match self.mounted.take() {
            Some(Mounted::Terminal(h)) => h.destroy(),
            #[cfg(feature = "app")]
            Some(Mounted::App(h)) => h.destroy(),
            None => {}
        }
    }
}

/// Mounts an embedded instance into `root`, its events dispatched on
/// `host` (the `<mail-sim>` element; `root` is inside its shadow root).
/// `options` is a plain object with the element's attributes as properties
/// (docs/embedding.md); what cannot be used of it is shown in the instance,
/// and the rest applies. A build without the app (the small embed build)
/// shows every mode as `terminal`, saying so.
#[wasm_bindgen]
pub fn mount_embed(root: web_sys::Element, host: web_sys::Element, options: JsValue) -> EmbedHandle {
    root.class_list().add_1("mailsim").ok();
    let pairs = pairs(&options);
    let (mut options, errors) = Options::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let mut problems: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let lang = language(&options, &host);
    let id = host.id();
    let ids = id_prefix(&id, UNNAMED.fetch_add(1, Ordering::Relaxed));
    let events = Events::to(host, root.clone());
    if !cfg!(feature = "app") && options.mode != Mode::Terminal {
        problems
            .push(format!("mode={} needs the full build (pkg/mailsim.js); showing the terminal", options.mode.name()));
        options.mode = Mode::Terminal;
    }
    let mounted = match options.mode {
        #[cfg(feature = "app")]
        Mode::Full | Mode::Lesson | Mode::Journey | Mode::Transcript => {
            let storage = pairs.iter().find(|(k, _)| k == "storageKey" || k == "storage-key").map(|(_, v)| v.as_str());
            let props = AppProps {
                seed: options.link.seed.unwrap_or(1),
                storage_key: storage_key(storage, &id).into(),
                ids: ids.into(),
                embedded: true,
                lang: Some(lang),
                events,
                options: Some(std::rc::Rc::new(options)),
                problems: std::rc::Rc::new(problems),
            };
            Mounted::App(yew::Renderer::<App>::with_root_and_props(root, props).render())
        }
        _ => {
            let props = EmbedProps { options: std::rc::Rc::new(options), problems, events, ids, lang };
            match DomEmbed::mount(root, props) {
                Some(embed) => Mounted::Terminal(embed),
                None => return EmbedHandle { mounted: None },
            }
        }
    };
    EmbedHandle { mounted: Some(mounted) }
}

/// Gives the reply catalogue its prose: `static/reply-prose.json`, parsed
/// (`[[id, meaning, next, meaning_ru, next_ru], …]`). The small embed build
/// has none compiled in and its explanations wait for this; in the app's
/// build it changes nothing. Rows that are not five strings are skipped.
#[wasm_bindgen]
pub fn set_reply_prose(rows: JsValue) {
    let Ok(rows) = rows.dyn_into::<js_sys::Array>() else { return };
    // Kept as the page's array: a row becomes strings only when an explanation shows it
    // (converting all of them at start-up took ~14 ms of a page's time to interactive).
    crate::smtp::catalogue::prose_from(move |i| {
        let row = rows.get(u32::try_from(i).ok()?).dyn_into::<js_sys::Array>().ok()?;
        let text = |k: u32| row.get(k).as_string().unwrap_or_default();
        (row.length() == 5).then(|| [text(1), text(2), text(3), text(4)])
    });
}
