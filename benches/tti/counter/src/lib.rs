//! A bare Yew app: one button and a count. benches/tti compares mailsim's
//! time to interactive with this one's.

use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[function_component(Counter)]
fn counter() -> Html {
    let count = use_state(|| 0u32);
    let onclick = {
        let count = count.clone();
        Callback::from(move |_| count.set(*count + 1))
    };
    html! {
        <div class="counter">
            <button type="button" id="inc" {onclick}>{ "+1" }</button>
            <output id="count">{ *count }</output>
        </div>
    }
}

/// Mounts the counter into `element`.
#[wasm_bindgen]
pub fn mount(element: web_sys::Element) {
    yew::Renderer::<Counter>::with_root(element).render();
}
