//! The script player's controls (as asciinema-player's: play/pause, a
//! command back or forward, restart, speed, copy), shown under an embedded
//! terminal that plays a script. The player itself is [`crate::embed::Player`];
//! this view only reports what the reader pressed.
//!
//! Keys, when the focus is on the player or the terminal's log (never in the
//! input line, where they are typed): Space plays or pauses, `.` enters the
//! next command, `,` goes one back.

use crate::embed::PlayState;
use crate::lang::{Key, Lang};
use yew::prelude::*;

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

#[derive(Properties, PartialEq, Clone)]
pub struct PlayerBarProps {
    pub state: PlayState,
    /// Commands entered, and in all.
    pub progress: (usize, usize),
    pub speed: u32,
    pub lang: Lang,
    /// The transcript was just copied (`Some(true)`) or the browser refused it.
    #[prop_or_default]
    pub copied: Option<bool>,
    pub on: Callback<Press>,
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

#[function_component(PlayerBar)]
pub fn player_bar(p: &PlayerBarProps) -> Html {
    let lang = p.lang;
    let on = |press: Press| {
        let cb = p.on.clone();
        Callback::from(move |_: MouseEvent| cb.emit(press))
    };
    let onkeydown = {
        let cb = p.on.clone();
        Callback::from(move |e: KeyboardEvent| {
            // A focused button or the speed list takes Space and the arrows itself.
            let tag = e.target_unchecked_into::<web_sys::Element>().tag_name();
            if let Some(press) =
                key_press(&e).filter(|k| *k != Press::Toggle || !matches!(tag.as_str(), "BUTTON" | "SELECT"))
            {
                e.prevent_default();
                // Handled here: not again by the embed around it.
                e.stop_propagation();
                cb.emit(press);
            }
        })
    };
    let onchange = {
        let cb = p.on.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            cb.emit(Press::Speed(v.parse().unwrap_or(1)))
        })
    };
    let playing = p.state == PlayState::Playing;
    let status = match p.state {
        PlayState::Done => lang.t(Key::PlayerYourTurn).to_string(),
        PlayState::Paused if p.progress.0 > 0 => {
            format!(
                "{} {}",
                lang.f(
                    Key::PlayerProgress,
                    &[("done", &p.progress.0.to_string()), ("total", &p.progress.1.to_string())]
                ),
                lang.t(Key::PlayerPaused)
            )
        }
        _ => lang.f(Key::PlayerProgress, &[("done", &p.progress.0.to_string()), ("total", &p.progress.1.to_string())]),
    };
    html! {
        <div class="ms-player" role="group" aria-label={lang.t(Key::PlayerLabel)} tabindex="0" aria-keyshortcuts="Space . ," title={lang.t(Key::PlayerKeys)} {onkeydown}>
            <button type="button" class="ms-play" aria-pressed={playing.to_string()} disabled={p.state == PlayState::Done}
                onclick={on(Press::Toggle)}>
                // Both labels, one unseen: the button is as wide as the wider, so nothing moves when it switches.
                <span class={classes!("ms-play-label", (!playing).then_some("ms-unseen"))}><span aria-hidden="true">{ "❚❚ " }</span>{ lang.t(Key::PlayerPause) }</span>
                <span class={classes!("ms-play-label", playing.then_some("ms-unseen"))}><span aria-hidden="true">{ "▶ " }</span>{ lang.t(Key::PlayerPlay) }</span>
            </button>
            <button type="button" class="ms-back-cmd" title={lang.t(Key::PlayerBack)} aria-label={lang.t(Key::PlayerBack)} disabled={p.progress.0 == 0} onclick={on(Press::Back)}>{ "«" }</button>
            <button type="button" class="ms-next-cmd" title={lang.t(Key::PlayerForward)} aria-label={lang.t(Key::PlayerForward)} disabled={p.state == PlayState::Done} onclick={on(Press::Forward)}>{ "»" }</button>
            <button type="button" class="ms-restart" onclick={on(Press::Restart)}>{ lang.t(Key::PlayerRestart) }</button>
            <label class="ms-replay-speed">{ lang.t(Key::ReplaySpeed) }
                <select {onchange}>
                    // The four speeds, and the script's own when it asked for another (`speed="16"`).
                    { for [1u32, 2, 4, 8].into_iter().chain((![1, 2, 4, 8].contains(&p.speed)).then_some(p.speed)).map(|n| html! { <option value={n.to_string()} selected={p.speed == n}>{ format!("{n}×") }</option> }) }
                </select>
            </label>
            <button type="button" class="ms-copy" onclick={on(Press::Copy)}>{ lang.t(match p.copied {
                Some(true) => Key::PlayerCopied,
                Some(false) => Key::PlayerCopyRefused,
                None => Key::PlayerCopy,
            }) }</button>
            <span class="ms-player-status" role="status">{ status }</span>
        </div>
    }
}
