#![cfg_attr(not(feature = "app"), allow(dead_code))]
//! What the page asks of the browser, in one place: files read and
//! downloaded, the clipboard, the page's address and share links, confirmations.

use crate::lang::{Key, Lang};
use crate::link::{Link, LinkError, MAX_FRAGMENT};
use wasm_bindgen::JsCast;
#[cfg(feature = "app")]
use yew::prelude::*;

/// Saves a text as a file through a temporary link.
pub(super) fn download(name: &str, mime: &str, text: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Some(())
}

/// Copies a text to the clipboard, when the page may, then tells `done`
/// whether it was copied: `false` when the browser has no clipboard for the
/// page (an insecure origin) or refused the write (a permission, a frame's
/// policy).
pub(super) fn copy(text: &str, done: impl FnOnce(bool) + 'static) {
    let write = || {
        let nav = web_sys::window()?.navigator();
        let clipboard = js_sys::Reflect::get(&nav, &"clipboard".into()).ok()?;
        let write = js_sys::Reflect::get(&clipboard, &"writeText".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        write.call1(&clipboard, &text.into()).ok()?.dyn_into::<js_sys::Promise>().ok()
    };
    match write() {
        Some(p) => wasm_bindgen_futures::spawn_local(async move {
            done(wasm_bindgen_futures::JsFuture::from(p).await.is_ok());
        }),
        None => done(false),
    }
}

/// This page's address without its fragment.
pub(super) fn page_url() -> String {
    let Some(loc) = web_sys::window().map(|w| w.location()) else { return String::new() };
    let href = loc.href().unwrap_or_default();
    href.split('#').next().unwrap_or("").to_string()
}

/// This page's address with `link` as its fragment, or why it cannot be one
/// (too long for a link: share the file instead), in `lang`.
pub(super) fn share_url(link: &Link, lang: Lang) -> Result<String, String> {
    match link.to_fragment() {
        Ok(f) => Ok(format!("{}#{f}", page_url())),
        Err(LinkError::TooLong(n)) => {
            Err(lang.f(Key::TranscriptTooLong, &[("length", &n.to_string()), ("max", &MAX_FRAGMENT.to_string())]))
        }
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(feature = "app")]
/// Reads a file the user opened as text (bytes that are not UTF-8 replaced)
/// and sends it to the component as `to(text)`; dropping the reader cancels it.
pub(super) fn read_text<C: Component>(
    ctx: &Context<C>,
    file: web_sys::File,
    to: fn(String) -> C::Message,
) -> gloo::file::callbacks::FileReader {
    let link = ctx.link().clone();
    gloo::file::callbacks::read_as_bytes(&gloo::file::File::from(file), move |bytes| {
        link.send_message(to(bytes.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()));
    })
}

/// Asks the user to confirm (a browser dialog); `false` when no window can ask.
pub(super) fn confirm(text: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(text).ok()).unwrap_or(false)
}

/// The element with `id` under `root` (an instance's shadow root or the
/// document; the document when `None`): `document.getElementById` cannot
/// see into a shadow root.
pub(super) fn by_id(root: Option<web_sys::Node>, id: &str) -> Option<web_sys::HtmlElement> {
    let found = match root.and_then(|r| r.dyn_into::<web_sys::DocumentFragment>().ok()) {
        Some(shadow) => shadow.get_element_by_id(id),
        None => web_sys::window()?.document()?.get_element_by_id(id),
    };
    found?.dyn_into().ok()
}

/// Runs `f` before the next frame is drawn (`requestAnimationFrame`): a
/// scroll set there lays the page out once, with that frame, rather than
/// forcing a layout in the middle of a render. Nothing runs without a window.
pub(super) fn next_frame(f: impl FnOnce() + 'static) {
    if let Some(w) = web_sys::window() {
        let f = wasm_bindgen::closure::Closure::once_into_js(f);
        let _ = w.request_animation_frame(f.unchecked_ref());
    }
}
