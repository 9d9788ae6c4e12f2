//! The Yew app in a real headless Chromium (wasm-bindgen-test + chromedriver):
//! mount it, type into the terminal with key events, read what it shows.
//! Run: `make test-wasm-browser`.
#![cfg(target_arch = "wasm32")]

use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

/// A fresh element in the page to mount an instance into.
fn host() -> Element {
    let el = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&el).expect("append");
    el
}

/// Lets Yew's scheduler render.
async fn tick() {
    TimeoutFuture::new(0).await;
}

fn input_of(root: &Element) -> HtmlInputElement {
    root.query_selector(".ms-input").ok().flatten().expect("an input").dyn_into().expect("an <input>")
}

/// Presses a key in the terminal input and lets Yew handle it.
async fn key(root: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    input_of(root).dispatch_event(&ev).expect("dispatch");
    tick().await;
}

async fn type_line(root: &Element, text: &str) {
    input_of(root).set_value(text);
    key(root, "Enter").await;
}

fn screen_lines(root: &Element) -> Vec<String> {
    let list = root.query_selector_all(".ms-log .ms-line").expect("lines");
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.text_content()).collect()
}

#[wasm_bindgen_test]
async fn typing_smtp_into_the_terminal_shows_the_replies() {
    let root = host();
    let app = mailsim::ui::mount(root.clone(), Some(1));
    tick().await;
    assert!(root.class_list().contains("mailsim"), "mount marks its element for the styles");
    type_line(&root, "telnet mail.example.com 25").await;
    type_line(&root, "EHLO client.example.net").await;
    type_line(&root, "MAIL FROM:<learner@example.net>").await;
    type_line(&root, "RCPT TO:<alice@example.com>").await;
    let lines = screen_lines(&root);
    for want in ["220 mail.example.com ESMTP Postfix", "250-PIPELINING", "250 2.1.0 Ok", "250 2.1.5 Ok"] {
        assert!(lines.iter().any(|l| l == want), "{want:?} not on screen: {lines:#?}");
    }
    let status = root.query_selector(".ms-status").ok().flatten().and_then(|e| e.text_content());
    assert_eq!(status.as_deref(), Some("connected to mail.example.com"));
    drop(app);
}

#[wasm_bindgen_test]
async fn arrow_up_recalls_history() {
    let root = host();
    let _app = mailsim::ui::mount(root.clone(), None);
    tick().await;
    type_line(&root, "help").await;
    type_line(&root, "hosts").await;
    key(&root, "ArrowUp").await;
    assert_eq!(input_of(&root).value(), "hosts");
    key(&root, "ArrowUp").await;
    assert_eq!(input_of(&root).value(), "help");
    key(&root, "ArrowDown").await;
    key(&root, "ArrowDown").await;
    assert_eq!(input_of(&root).value(), "");
}

#[wasm_bindgen_test]
async fn two_instances_do_not_share_state() {
    let (a, b) = (host(), host());
    let _x = mailsim::ui::mount(a.clone(), Some(1));
    let _y = mailsim::ui::mount(b.clone(), Some(1));
    tick().await;
    type_line(&a, "telnet mail.example.com 25").await;
    type_line(&b, "hosts").await;
    assert!(screen_lines(&a).iter().any(|l| l == "220 mail.example.com ESMTP Postfix"));
    assert!(!screen_lines(&b).iter().any(|l| l.starts_with("220 ")), "b saw a's session");
    assert!(screen_lines(&b).iter().any(|l| l.starts_with("mail.example.com")), "b ran its own hosts command");
}

#[wasm_bindgen_test]
async fn destroy_unmounts() {
    let root = host();
    let mut app = mailsim::ui::mount(root.clone(), None);
    tick().await;
    assert!(root.query_selector(".ms-terminal").ok().flatten().is_some());
    app.destroy();
    tick().await;
    assert!(root.query_selector(".ms-terminal").ok().flatten().is_none());
}
