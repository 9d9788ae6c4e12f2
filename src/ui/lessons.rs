//! The lesson pane: pick a lesson (or the free sandbox), read it, and watch
//! each step tick off the moment its goal holds — checked by the engine
//! against the real terminal and world, no "check" button. Hints one at a
//! time; "Show me" types the next line of the solution into the terminal,
//! slowly, and enters it (at once under reduced motion).

use super::markdown::render;
use crate::lang::{Key, Lang};
use crate::lessons::Lesson;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct LessonProps {
    pub lessons: Rc<Vec<Lesson>>,
    /// The open lesson; `None` for the free sandbox.
    pub current: Option<usize>,
    /// Steps done of the open lesson.
    pub done: usize,
    /// Steps done per lesson (saved progress), by index.
    pub progress: Rc<Vec<usize>>,
    /// Hints revealed for the current step.
    pub hints: usize,
    /// A notice to show once (progress reset, lesson finished).
    #[prop_or_default]
    pub notice: Option<String>,
    pub lang: Lang,
    pub on_pick: Callback<Option<usize>>,
    pub on_hint: Callback<()>,
    pub on_show: Callback<()>,
    pub on_answer: Callback<String>,
    /// A reply code clicked in the lesson text.
    pub on_code: Callback<String>,
}

#[function_component(LessonPane)]
pub fn lesson_pane(p: &LessonProps) -> Html {
    let lang = p.lang;
    let t = |key: Key| lang.t(key);
    let answer_ref = use_node_ref();
    let picker = {
        let on_pick = p.on_pick.clone();
        let onchange = Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            on_pick.emit(v.parse::<usize>().ok());
        });
        html! {
            <label class="ms-picker">
                <span class="ms-sr-only">{ t(Key::Lesson) }</span>
                <select {onchange}>
                    <option value="sandbox" selected={p.current.is_none()}>{ t(Key::Sandbox) }</option>
                    { for p.lessons.iter().enumerate().map(|(i, l)| {
                        let done = p.progress.get(i).copied().unwrap_or(0);
                        let mark = if done >= l.steps.len() { " ✓".to_string() } else if done > 0 { format!(" ({done}/{})", l.steps.len()) } else { String::new() };
                        html! { <option value={i.to_string()} selected={p.current == Some(i)}>{ format!("{}. {}{mark}", i + 1, l.title) }</option> }
                    }) }
                </select>
            </label>
        }
    };
    let notice = p.notice.as_ref().map(|n| html! { <p class="ms-notice" role="status">{ n }</p> });
    let Some(idx) = p.current else {
        return html! {
            <section class="ms-lessons" aria-labelledby="ms-lessons-h">
                <h2 id="ms-lessons-h">{ t(Key::Lessons) }</h2>
                { picker }
                { for notice }
                <p class="ms-muted">{ t(Key::SandboxText) }</p>
            </section>
        };
    };
    let Some(lesson) = p.lessons.get(idx) else { return html! {} };
    let total = lesson.steps.len();
    let steps = lesson.steps.iter().enumerate().map(|(i, s)| {
        let state = if i < p.done { "ms-step-done" } else if i == p.done { "ms-step-current" } else { "ms-step-todo" };
        let body = (i == p.done).then(|| {
            let hints = s.hints.iter().take(p.hints).map(|h| html! { <div class="ms-hint">{ render(h, &p.on_code, lang) }</div> });
            let more_hints = p.hints < s.hints.len();
            let question = s.is_question().then(|| {
                let r = answer_ref.clone();
                let on_answer = p.on_answer.clone();
                let onsubmit = Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    if let Some(input) = r.cast::<HtmlInputElement>() {
                        on_answer.emit(input.value());
                        input.set_value("");
                    }
                });
                html! {
                    <form class="ms-answer" {onsubmit}>
                        <label>{ t(Key::YourAnswer) }<input ref={answer_ref.clone()} type="text" autocomplete="off" /></label>
                        <button type="submit">{ t(Key::Answer) }</button>
                    </form>
                }
            });
            html! {
                <div class="ms-step-body">
                    { render(&s.text, &p.on_code, lang) }
                    { for question }
                    { for hints }
                    <div class="ms-step-actions">
                        <button type="button" disabled={!more_hints} onclick={p.on_hint.reform(|_| ())}>{ t(Key::Hint) }</button>
                        <button type="button" onclick={p.on_show.reform(|_| ())}>{ t(Key::ShowMe) }</button>
                    </div>
                </div>
            }
        });
        html! {
            <li class={state} aria-current={(i == p.done).then_some("step")}>
                <span class="ms-step-title">{ if i < p.done { "✓ " } else { "" } }{ &s.title }</span>
                { for body }
            </li>
        }
    });
    let finished = p.done >= total;
    let next = (idx + 1 < p.lessons.len()).then(|| {
        let on_pick = p.on_pick.clone();
        html! { <button type="button" class="ms-next-lesson" onclick={Callback::from(move |_| on_pick.emit(Some(idx + 1)))}>{ t(Key::NextLesson) }</button> }
    });
    html! {
        <section class="ms-lessons" aria-labelledby="ms-lessons-h">
            { picker }
            { for notice }
            <h2 id="ms-lessons-h">{ &lesson.title }</h2>
            <p class="ms-progress" aria-live="polite">{ lang.f(Key::StepsDone, &[("done", &p.done.min(total).to_string()), ("total", &total.to_string())]) }</p>
            <div class="ms-intro">{ render(&lesson.intro, &p.on_code, lang) }</div>
            <ol class="ms-lesson-steps">{ for steps }</ol>
            if finished {
                <p class="ms-finished" role="status">{ t(Key::LessonComplete) }</p>
            }
            { for next }
        </section>
    }
}
