//! The lesson pane: the lessons menu (every lesson with its progress, and a
//! first step for a newcomer), or the open lesson: read it, and watch each
//! step tick off the moment its goal holds — checked by the engine against
//! the real terminal and world, no "check" button. Hints one at a time;
//! "Show me" types the next line of the solution into the terminal, slowly,
//! and enters it (at once under reduced motion). A lesson's feedback on an
//! answer appears next to the answer box, as a status.

use super::markdown::render;
use crate::lang::{Key, Lang};
use crate::lessons::Lesson;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// How far the open lesson is: steps done, hints shown for the current one.
#[derive(PartialEq, Clone, Copy, Default)]
pub struct Shown {
    pub done: usize,
    pub hints: usize,
}

#[derive(Properties, PartialEq, Clone)]
pub struct LessonProps {
    pub lessons: Rc<Vec<Lesson>>,
    /// The open lesson; `None` for the menu.
    pub current: Option<usize>,
    pub shown: Shown,
    /// Steps done per lesson (saved progress), by index.
    pub progress: Rc<Vec<usize>>,
    /// A notice over the pane (progress reset, a fresh world), in the current language.
    #[prop_or_default]
    pub notice: Option<String>,
    /// What the lesson says about the last answer (next to the answer box).
    #[prop_or_default]
    pub feedback: Option<String>,
    pub lang: Lang,
    /// The prefix of element ids.
    pub ids: AttrValue,
    /// Part of a larger page: its sections are groups, not landmarks (several instances would repeat them).
    #[prop_or_default]
    pub embedded: bool,
    pub on_pick: Callback<usize>,
    pub on_menu: Callback<()>,
    pub on_restart: Callback<()>,
    pub on_hint: Callback<()>,
    pub on_show: Callback<()>,
    pub on_answer: Callback<String>,
    /// A reply code clicked in the lesson text.
    pub on_code: Callback<String>,
    /// The progress page, all progress reset, the open lesson back one step.
    #[prop_or_default]
    pub on_report: Callback<()>,
    #[prop_or_default]
    pub on_reset_all: Callback<()>,
    #[prop_or_default]
    pub on_step_back: Callback<()>,
    /// A lesson file the learner or teacher opened.
    #[prop_or_default]
    pub on_file: Callback<web_sys::File>,
    /// A scenario file (a world set-up) opened for the sandbox.
    #[prop_or_default]
    pub on_scenario: Callback<web_sys::File>,
    /// Why the last lesson file opened could not be read: one problem per entry, with its line.
    #[prop_or_default]
    pub file_errors: Rc<Vec<String>>,
}

/// A labelled file picker that hands the chosen file on (and can pick the same file again).
fn file_picker(label: &'static str, accept: &'static str, on_file: &Callback<web_sys::File>) -> Html {
    let on_file = on_file.clone();
    let onchange = Callback::from(move |e: Event| {
        let input = e.target_unchecked_into::<HtmlInputElement>();
        if let Some(f) = input.files().and_then(|l| l.get(0)) {
            on_file.emit(f);
        }
        input.set_value("");
    });
    html! {
        <label class="ms-tx-file">{ label }
            <input type="file" {accept} {onchange} />
        </label>
    }
}

#[function_component(LessonPane)]
pub fn lesson_pane(p: &LessonProps) -> Html {
    let lang = p.lang;
    let t = |key: Key| lang.t(key);
    let answer_ref = use_node_ref();
    let ids = &p.ids;
    let heading_id = format!("{ids}-lessons-h");
    let notice = p.notice.as_ref().map(|n| html! { <p class="ms-notice" role="status">{ n }</p> });
    let Some(idx) = p.current else {
        let items = p.lessons.iter().enumerate().map(|(i, l)| {
            let done = p.progress.get(i).copied().unwrap_or(0);
            let total = l.steps.len();
            let (state, class) = if done >= total {
                (t(Key::LessonDoneMark).to_string(), "ms-lesson-state ms-lesson-done")
            } else {
                (format!("{done}/{total}"), if done > 0 { "ms-lesson-state ms-lesson-begun" } else { "ms-lesson-state" })
            };
            let on_pick = p.on_pick.clone();
            html! {
                <li>
                    <button type="button" id={(i == 0).then(|| format!("{ids}-menu-first"))} onclick={Callback::from(move |_| on_pick.emit(i))}>
                        <span class="ms-lesson-no">{ format!("{}.", i + 1) }</span>
                        <span class="ms-lesson-name">{ &l.title }</span>
                        <span class={class}>{ state }</span>
                    </button>
                </li>
            }
        });
        let first = p.lessons.first().map(|l| {
            let on_pick = p.on_pick.clone();
            html! {
                <div class="ms-start">
                    <p>{ t(Key::StartHereText) }</p>
                    <button type="button" onclick={Callback::from(move |_| on_pick.emit(0))}>{ lang.f(Key::StartHere, &[("title", &l.title)]) }</button>
                </div>
            }
        });
        return html! {
            <section class="ms-lessons" role={p.embedded.then_some("group")} aria-labelledby={heading_id.clone()}>
                <h2 id={heading_id} tabindex="-1">{ t(Key::Lessons) }</h2>
                { for notice }
                { for first }
                <ol class="ms-lesson-menu">{ for items }</ol>
                <p class="ms-muted">{ t(Key::SandboxText) }</p>
                <div class="ms-lesson-bar">
                    <button type="button" class="ms-report" onclick={p.on_report.reform(|_| ())}>{ t(Key::ProgressPage) }</button>
                    <button type="button" class="ms-reset-all" onclick={p.on_reset_all.reform(|_| ())}>{ t(Key::ResetAll) }</button>
                </div>
                <div class="ms-own-lesson">
                    { file_picker(t(Key::LessonOpenFile), ".md,text/markdown,text/plain", &p.on_file) }
                    <p class="ms-muted">{ t(Key::LessonOpenFileText) }</p>
                    { file_picker(t(Key::ScenarioOpenFile), ".txt,text/plain", &p.on_scenario) }
                    if !p.file_errors.is_empty() {
                        <div class="ms-lesson-errors" role="alert">
                            <p><strong>{ t(Key::LessonFileErrors) }</strong></p>
                            <ul>{ for p.file_errors.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
                        </div>
                    }
                </div>
            </section>
        };
    };
    let Some(lesson) = p.lessons.get(idx) else { return html! {} };
    let total = lesson.steps.len();
    let done = p.shown.done;
    let steps = lesson.steps.iter().enumerate().map(|(i, s)| {
        let state = if i < done { "ms-step-done" } else if i == done { "ms-step-current" } else { "ms-step-todo" };
        let body = (i == done).then(|| {
            let hints =
                s.hints.iter().take(p.shown.hints).map(|h| html! { <div class="ms-hint">{ render(h, &p.on_code, lang) }</div> });
            let more_hints = p.shown.hints < s.hints.len();
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
                    <>
                        <form class="ms-answer" {onsubmit}>
                            <label>{ t(Key::YourAnswer) }<input id={format!("{ids}-answer")} ref={answer_ref.clone()} type="text" autocomplete="off" /></label>
                            <button type="submit">{ t(Key::Answer) }</button>
                        </form>
                        <p class="ms-answer-feedback" role="status">{ p.feedback.clone().unwrap_or_default() }</p>
                    </>
                }
            });
            html! {
                <div class="ms-step-body">
                    { render(&s.text, &p.on_code, lang) }
                    { for question }
                    { for hints }
                    <div class="ms-step-actions">
                        <button type="button" class="ms-hint-btn" disabled={!more_hints} onclick={p.on_hint.reform(|_| ())}>{ t(Key::Hint) }</button>
                        <button type="button" class="ms-show" onclick={p.on_show.reform(|_| ())}>{ t(Key::ShowMe) }</button>
                    </div>
                </div>
            }
        });
        html! {
            <li class={state} aria-current={(i == done).then_some("step")}>
                <span class="ms-step-title">{ if i < done { "✓ " } else { "" } }{ &s.title }</span>
                { for body }
            </li>
        }
    });
    let finished = done >= total;
    let next = (idx + 1 < p.lessons.len()).then(|| {
        let on_pick = p.on_pick.clone();
        html! { <button type="button" id={format!("{ids}-next-lesson")} class="ms-next-lesson" onclick={Callback::from(move |_| on_pick.emit(idx + 1))}>{ t(Key::NextLesson) }</button> }
    });
    html! {
        <section class="ms-lessons" role={p.embedded.then_some("group")} aria-labelledby={heading_id.clone()}>
            <div class="ms-lesson-bar">
                <button type="button" class="ms-back" onclick={p.on_menu.reform(|_| ())}>{ t(Key::AllLessons) }</button>
                <button type="button" class="ms-restart" onclick={p.on_restart.reform(|_| ())}>{ t(Key::Restart) }</button>
                if done > 0 {
                    <button type="button" class="ms-step-back" onclick={p.on_step_back.reform(|_| ())}>{ t(Key::StepBack) }</button>
                }
            </div>
            { for notice }
            <h2 id={heading_id} tabindex="-1">{ &lesson.title }</h2>
            <p class="ms-progress">{ lang.f(Key::StepsDone, &[("done", &done.min(total).to_string()), ("total", &total.to_string())]) }</p>
            <div class="ms-intro">{ render(&lesson.intro, &p.on_code, lang) }</div>
            <ol class="ms-lesson-steps">{ for steps }</ol>
            if finished {
                <p class="ms-finished" role="status">{ t(Key::LessonComplete) }</p>
                { for next }
            }
        </section>
    }
}
