# size experiment patch (benches/size/experiment.sh): run in the scratch copy's root.
import re
p='src/ui/web.rs'; s=open(p).read()
s=s.replace("handle: Option<yew::AppHandle<App>>,","handle: Option<yew::AppHandle<TermApp>>,")
s=s.replace("""    let props = AppProps {
        seed: u64::from(seed.unwrap_or(1)),
        storage_key: storage_key(option_str(&options, "storageKey").as_deref(), &id).into(),
        ids: id_prefix(&id, UNNAMED.fetch_add(1, Ordering::Relaxed)).into(),
        embedded,
    };
    let handle = yew::Renderer::<App>::with_root_and_props(element, props).render();""",
"""    let _ = (embedded, storage_key(option_str(&options, "storageKey").as_deref(), &id), id_prefix(&id, UNNAMED.fetch_add(1, Ordering::Relaxed)));
    let props = TermProps { seed: u64::from(seed.unwrap_or(1)) };
    let handle = yew::Renderer::<TermApp>::with_root_and_props(element, props).render();""")
s+='''
#[derive(yew::Properties, PartialEq)]
pub struct TermProps { pub seed: u64 }

/// Size experiment: a terminal-mode embed (the terminal and the reply explainer only).
#[yew::function_component(TermApp)]
pub fn term_app(p: &TermProps) -> yew::Html {
    use yew::prelude::*;
    let seed = p.seed;
    let shell = use_state(move || SharedShell::new(Shell::new(crate::world::World::new(seed))));
    let reply = use_state(|| None::<super::explain::Explained>);
    let on_reply = { let reply = reply.clone(); Callback::from(move |e| reply.set(Some(e))) };
    html! { <div class="ms-app"><super::terminal::Terminal shell={(*shell).clone()} {on_reply} input_id={"ms-input"} />
        <super::explain::ReplyExplainer explained={(*reply).clone()} /></div> }
}
'''
open(p,'w').write(s)
