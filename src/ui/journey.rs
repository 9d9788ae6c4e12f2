//! The journey view: the agents a message passed (MUA → MSA → MTA → DNS →
//! MTA → MDA → mailbox) drawn as an SVG diagram, the message moving along
//! each edge as an envelope labelled with protocol and port, a timeline of
//! steps, each hop's dialogue with its replies explained, play/step
//! controls, a clock to skip ahead to the next retry, and a small compose
//! form that sends through the world with switchable faults.
//!
//! Movement is a CSS transition, switched off by `prefers-reduced-motion`;
//! the same information is in the timeline either way.

use super::compose::Compose;
use super::explain::{tone_class, Explained};
use super::SharedShell;
use crate::explain::Reading;
use crate::lang::{Key, Lang};
use crate::sim::rfc5322_date;
use crate::smtp::client::Said;
use crate::world::events::Event;
use crate::world::journey::{journey, latest_start, Journey, Role, Status};
use gloo::timers::callback::Interval;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct JourneyProps {
    pub shell: SharedShell,
    /// Changes whenever the world may have changed (after terminal input).
    pub version: u32,
    /// A reply line to explain (clicked in a hop's dialogue).
    pub on_explain: Callback<Explained>,
    /// The view changed the world (sent mail, moved the clock).
    pub on_change: Callback<()>,
    /// A hop's dialogue, as C:/S: lines, to open in the transcript explorer.
    #[prop_or_default]
    pub on_explore: Callback<String>,
    #[prop_or_default]
    pub lang: Lang,
    /// Part of a larger page: its sections are groups, not landmarks (several instances would repeat them).
    #[prop_or_default]
    pub embedded: bool,
    /// The prefix of element ids.
    #[prop_or(AttrValue::Static("ms"))]
    pub ids: AttrValue,
}

pub enum Msg {
    Go(usize),
    Play,
    Pause,
    Tick,
    Speed(String),
    SkipAhead,
}

pub struct JourneyView {
    /// The current step.
    current: usize,
    /// Where the shown journey starts in the event stream.
    start: usize,
    /// The number of steps last seen, to notice new ones.
    seen: usize,
    timer: Option<Interval>,
    speed: f64,
    /// The diagram's box, scrolled on a small screen to keep the message in view.
    diagram: NodeRef,
    /// Where the message is (in the diagram's units) and the diagram's width, set by the last render.
    at: std::cell::Cell<Option<(f64, f64)>>,
    /// The step the box was last scrolled for.
    scrolled_for: Option<(usize, usize)>,
}

const NODE_W: f64 = 106.0;
const NODE_H: f64 = 54.0;
const GAP: f64 = 168.0;
/// How far apart the labels of two attempts over the same hop stand.
const LABEL_STEP: f64 = 14.0;
const ROW_Y: f64 = 150.0;
const DNS_Y: f64 = 40.0;

fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Node centres: DNS on top above the MTA that asked, the rest in a row.
fn layout(j: &Journey) -> Vec<(f64, f64)> {
    let mut pos = vec![(0.0, 0.0); j.nodes.len()];
    let mut x = 20.0 + NODE_W / 2.0;
    for (i, n) in j.nodes.iter().enumerate() {
        if n.role != Role::Dns {
            pos[i] = (x, ROW_Y);
            x += GAP;
        }
    }
    for (i, n) in j.nodes.iter().enumerate() {
        if n.role == Role::Dns {
            let asker = j.steps.iter().find(|s| s.to == i).map_or(0, |s| s.from);
            pos[i] = (pos.get(asker).map_or(x, |p| p.0) + GAP / 2.0, DNS_Y);
        }
    }
    pos
}

/// A small icon for the controls (inline SVG: no font needs the glyphs).
fn icon(kind: &str) -> Html {
    let d = match kind {
        "first" => "M3,2 h2 v12 h-2 z M14,2 L6,8 L14,14 z",
        "prev" => "M12,2 L4,8 L12,14 z",
        "play" => "M4,2 L13,8 L4,14 z",
        "pause" => "M3,2 h3 v12 h-3 z M10,2 h3 v12 h-3 z",
        "next" => "M4,2 L12,8 L4,14 z",
        _ => "M2,2 L10,8 L2,14 z M11,2 h2 v12 h-2 z",
    };
    html! { <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d={d} fill="currentColor" /></svg> }
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Ok => "ms-ok",
        Status::Deferred => "ms-deferred",
        Status::Failed => "ms-failed",
        Status::Info => "ms-info",
    }
}

fn short(name: &str) -> String {
    if name.chars().count() > 19 {
        format!("{}…", name.chars().take(18).collect::<String>())
    } else {
        name.to_string()
    }
}

impl JourneyView {
    fn stop(&mut self) {
        self.timer = None;
    }

    fn play(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        let period = (1100.0 / self.speed) as u32;
        self.timer = Some(Interval::new(period, move || link.send_message(Msg::Tick)));
    }
}

impl Component for JourneyView {
    type Message = Msg;
    type Properties = JourneyProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Self {
            current: 0,
            start: 0,
            seen: 0,
            timer: None,
            speed: 1.0,
            diagram: NodeRef::default(),
            at: Default::default(),
            scrolled_for: None,
        }
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &Self::Properties) -> bool {
        let shell = ctx.props().shell.borrow();
        let events = shell.world().events();
        let start = latest_start(events);
        let steps = journey(events, start).steps.len();
        if start != self.start || steps < self.seen {
            // A new journey: watch it from the start (or see it whole without motion).
            self.start = start;
            self.seen = 0;
            self.current = 0;
        }
        if steps > self.seen {
            let from = self.seen;
            self.seen = steps;
            drop(shell);
            if reduced_motion() {
                self.current = steps - 1;
            } else {
                self.current = from.min(steps - 1);
                self.play(ctx);
            }
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Go(i) => {
                self.stop();
                self.current = i.min(self.seen.saturating_sub(1));
            }
            Msg::Play => {
                if self.current + 1 >= self.seen {
                    self.current = 0;
                }
                self.play(ctx);
            }
            Msg::Pause => self.stop(),
            Msg::Tick => {
                if self.current + 1 < self.seen {
                    self.current += 1;
                } else {
                    self.stop();
                }
            }
            Msg::Speed(s) => {
                self.speed = s.parse().unwrap_or(1.0);
                if self.timer.is_some() {
                    self.play(ctx);
                }
            }
            Msg::SkipAhead => {
                {
                    let mut shell = ctx.props().shell.borrow_mut();
                    let world = shell.world_mut();
                    if let Some(t) = world.queue().next_due() {
                        world.tick(t);
                    }
                }
                ctx.props().on_change.emit(());
            }
        }
        true
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        // A box narrower than the diagram (a phone) scrolls to where the message is,
        // once per step, so the learner's own scrolling is left alone.
        let key = (self.start, self.current);
        if self.scrolled_for == Some(key) {
            return;
        }
        let (Some(el), Some((x, width))) = (self.diagram.cast::<web_sys::HtmlElement>(), self.at.get()) else { return };
        self.scrolled_for = Some(key);
        let (shown, scroll) = (f64::from(el.client_width()), f64::from(el.scroll_width()));
        if scroll > shown && width > 0.0 {
            el.set_scroll_left((x * scroll / width - shown / 2.0).max(0.0) as i32);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lang = ctx.props().lang;
        let ids = ctx.props().ids.clone();
        let arrow = format!("{ids}-arrow");
        let shell = ctx.props().shell.borrow();
        let world = shell.world();
        let events = world.events();
        let j = journey(events, self.start);
        let n = j.steps.len();
        let cur = self.current.min(n.saturating_sub(1));
        let pos = layout(&j);
        let width = pos.iter().map(|p| p.0).fold(0.0, f64::max) + NODE_W / 2.0 + 20.0;
        let width = width.max(760.0);

        // Edges: one per (from, to, label), drawn once; the current one highlighted.
        let mut edges: Vec<(usize, usize, String)> = Vec::new();
        for s in j.steps.iter().take(cur + 1) {
            if s.from != s.to && !edges.iter().any(|(a, b, l)| *a == s.from && *b == s.to && *l == s.label) {
                edges.push((s.from, s.to, s.label.clone()));
            }
        }
        let current = j.steps.get(cur);
        // Each edge's path, and its label: drawn after the nodes, so a label wider than the gap
        // between two boxes is not cut by them; a second attempt over the same hop (a retry after
        // 450) stacks its label over the first's rather than on it.
        let drawn: Vec<(Html, Html)> = edges.iter().enumerate().map(|(i, (a, b, label))| {
            let nth = edges[..i].iter().filter(|(x, y, _)| x == a && y == b).count() as f64;
            let (x1, y1) = pos[*a];
            let (x2, y2) = pos[*b];
            let active = current.is_some_and(|s| s.from == *a && s.to == *b && s.label == *label);
            let class = match current {
                Some(s) if active => format!("ms-edge ms-active {}", status_class(s.status)),
                _ => "ms-edge".to_string(),
            };
            let d = if y1 != y2 {
                format!("M{x1},{} L{x2},{}", y1 - NODE_H / 2.0, y2 + NODE_H / 2.0)
            } else if x2 > x1 {
                format!("M{},{y1} L{},{y2}", x1 + NODE_W / 2.0, x2 - NODE_W / 2.0)
            } else {
                let mid = (x1 + x2) / 2.0;
                format!("M{x1},{} Q{mid},{} {x2},{}", y1 + NODE_H / 2.0, y1 + NODE_H / 2.0 + 70.0, y2 + NODE_H / 2.0)
            };
            let (lx, ly) = if y1 != y2 {
                ((x1 + x2) / 2.0 + 8.0, (y1 + y2) / 2.0 + LABEL_STEP * nth)
            } else if x2 > x1 {
                ((x1 + x2) / 2.0, y1 - 8.0 - LABEL_STEP * nth)
            } else {
                ((x1 + x2) / 2.0, y1 + NODE_H / 2.0 + 44.0 + LABEL_STEP * nth)
            };
            let path = html! {
                <g class={class.clone()}>
                    <path d={d} marker-end={format!("url(#{arrow})")} />
                </g>
            };
            let text = html! {
                <g class={class}>
                    <text x={lx.to_string()} y={ly.to_string()} class="ms-edge-label" text-anchor="middle">{ label.clone() }</text>
                </g>
            };
            (path, text)
        }).collect();
        // Nodes, with a mark for trouble seen so far.
        let node_svg = j.nodes.iter().enumerate().map(|(i, node)| {
            let (x, y) = pos[i];
            // The worst thing that happened at this node so far: a failure, or a deferral.
            let here_steps = || j.steps.iter().take(cur + 1).filter(|s| s.from == i && s.from == s.to);
            let trouble = if here_steps().any(|s| s.status == Status::Failed) {
                Some(Status::Failed)
            } else if here_steps().any(|s| s.status == Status::Deferred) {
                Some(Status::Deferred)
            } else {
                None
            };
            let here = current.is_some_and(|s| s.to == i || s.from == i);
            let class = format!("ms-node ms-role-{}{}", node.role.name().to_lowercase(), if here { " ms-here" } else { "" });
            html! {
                <g class={class} transform={format!("translate({},{})", x - NODE_W / 2.0, y - NODE_H / 2.0)}>
                    <title>{ format!("{} {}", node.role.name(), node.name) }</title>
                    <rect width={NODE_W.to_string()} height={NODE_H.to_string()} rx="10" />
                    <text x={(NODE_W / 2.0).to_string()} y="22" text-anchor="middle" class="ms-node-role">{ node.role.name() }</text>
                    <text x={(NODE_W / 2.0).to_string()} y="40" text-anchor="middle" class="ms-node-name">{ short(&node.name) }</text>
                    { for trouble.filter(|s| *s != Status::Ok && *s != Status::Info).map(|s| html! {
                        <circle cx={(NODE_W - 6.0).to_string()} cy="0" r="7" class={status_class(s)} />
                    }) }
                </g>
            }
        });
        // The envelope: where the message is after the current step.
        let envelope = current.map(|s| {
            let at = if s.moves { s.to } else { s.from };
            let (x, y) = pos[at];
            self.at.set(Some((x, width)));
            html! {
                <g class="ms-env" style={format!("transform: translate({}px, {}px)", x - 13.0, y - NODE_H / 2.0 - 22.0)} aria-hidden="true">
                    <rect width="26" height="18" rx="3" />
                    <path d="M1,2 L13,11 L25,2" />
                </g>
            }
        });

        let controls = {
            let playing = self.timer.is_some();
            let last = n.saturating_sub(1);
            html! {
                <div class="ms-controls" role="toolbar" aria-label={lang.t(Key::JourneyControls)}>
                    <button type="button" aria-label={lang.t(Key::FirstStep)} disabled={n == 0} onclick={link.callback(|_| Msg::Go(0))}>{ icon("first") }</button>
                    <button type="button" aria-label={lang.t(Key::PreviousStep)} disabled={cur == 0} onclick={link.callback(move |_| Msg::Go(cur.saturating_sub(1)))}>{ icon("prev") }</button>
                    if playing {
                        <button type="button" aria-label={lang.t(Key::Pause)} onclick={link.callback(|_| Msg::Pause)}>{ icon("pause") }</button>
                    } else {
                        <button type="button" aria-label={lang.t(Key::Play)} disabled={n == 0} onclick={link.callback(|_| Msg::Play)}>{ icon("play") }</button>
                    }
                    <button type="button" aria-label={lang.t(Key::NextStep)} disabled={cur >= last} onclick={link.callback(move |_| Msg::Go(cur + 1))}>{ icon("next") }</button>
                    <button type="button" aria-label={lang.t(Key::LastStep)} disabled={n == 0} onclick={link.callback(move |_| Msg::Go(last))}>{ icon("last") }</button>
                    <label class="ms-speed">{ format!("{} ", lang.t(Key::Speed)) }
                        <select onchange={link.callback(|e: web_sys::Event| Msg::Speed(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))}>
                            <option value="0.5" selected={self.speed == 0.5}>{ "½×" }</option>
                            <option value="1" selected={self.speed == 1.0}>{ "1×" }</option>
                            <option value="2" selected={self.speed == 2.0}>{ "2×" }</option>
                        </select>
                    </label>
                    <span class="ms-stepno" aria-live="polite">{ if n == 0 { lang.t(Key::NoSteps).to_string() } else { lang.f(Key::StepOf, &[("step", &(cur + 1).to_string()), ("total", &n.to_string())]) } }</span>
                </div>
            }
        };

        let timeline = html! {
            <ol class="ms-timeline">
                { for j.steps.iter().enumerate().map(|(i, s)| {
                    let cls = format!("{}{}", status_class(s.status), if i == cur { " ms-current" } else { "" });
                    html! {
                        <li class={cls} aria-current={(i == cur).then_some("step")}>
                            <button type="button" onclick={link.callback(move |_| Msg::Go(i))}>
                                <span class="ms-tl-no">{ format!("{}.", i + 1) }</span>
                                <span class="ms-tl-text">{ s.caption_in(lang) }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        };

        let transcript = current.and_then(|s| events.get(s.event)).and_then(|e| match e {
            Event::Hop { from, to, port, protocol, transcript, .. } => Some((
                lang.f(
                    Key::Dialogue,
                    &[("protocol", protocol.name()), ("from", from), ("to", to), ("port", &port.to_string())],
                ),
                *protocol,
                transcript.clone(),
            )),
            _ => None,
        });
        let explain = ctx.props().on_explain.clone();
        let transcript_html = transcript.map(|(title, protocol, lines)| {
            let readings = crate::explain::read_dialogue(protocol, &lines);
            let cs: String = lines
                .iter()
                .map(|l| match l {
                    Said::Server(t) => format!("S: {t}\n"),
                    Said::Client(t) => format!("C: {t}\n"),
                })
                .collect();
            let explore = ctx.props().on_explore.clone();
            html! {
                <section class="ms-dialogue" role={ctx.props().embedded.then_some("group")} aria-label={title.clone()}>
                    <h3>{ title }</h3>
                    <button type="button" class="ms-explore" onclick={Callback::from(move |_| explore.emit(cs.clone()))}>{ lang.t(Key::DialogueExplore) }</button>
                    <pre tabindex="0">{ for lines.iter().zip(readings).map(|(l, reading)| match (l, reading) {
                        (Said::Server(t), Some(Reading { badge: Some((a, b)), explanation: Some(e), tone })) => {
                            let explained = Explained { line: t.clone(), explanation: e };
                            let explain = explain.clone();
                            html! {
                                <div class={classes!("ms-s", tone_class(tone))}>{ "S: " }{ t.get(..a).unwrap_or("") }
                                    <button type="button" class="ms-code" title={lang.t(Key::WhatDoesReplyMean)} onclick={Callback::from(move |_| explain.emit(explained.clone()))}>{ t.get(a..b).unwrap_or(t) }</button>
                                    { t.get(b..).unwrap_or("") }
                                </div>
                            }
                        }
                        (Said::Server(t), _) => html! { <div class="ms-s">{ format!("S: {t}") }</div> },
                        (Said::Client(t), _) => html! { <div class="ms-c">{ format!("C: {t}") }</div> },
                    }) }</pre>
                </section>
            }
        });

        let queued = world.queue().entries().len();
        let clock = html! {
            <p class="ms-clock">
                { format!("{} ", lang.f(Key::SimulatedTime, &[("time", &rfc5322_date(world.now()))])) }
                if queued > 0 {
                    { format!("{} ", lang.f(Key::QueueWaiting, &[("count", &queued.to_string()), ("time", &world.queue().next_due().map(rfc5322_date).unwrap_or_default())])) }
                    <button type="button" class="ms-skip" onclick={link.callback(|_| Msg::SkipAhead)}>{ lang.t(Key::SkipAhead) }</button>
                }
            </p>
        };

        html! {
            <section class="ms-journey" role={ctx.props().embedded.then_some("group")} aria-labelledby={format!("{ids}-journey-h")}>
                <h2 id={format!("{ids}-journey-h")}>{ lang.t(Key::JourneyTitle) }</h2>
                <div class="ms-journey-grid">
                    <div class="ms-journey-main">
                        if n == 0 {
                            <p class="ms-muted">{ lang.t(Key::JourneyEmpty) }</p>
                        } else {
                            // Never smaller than 4/5 of its size: on a phone the box scrolls sideways instead.
                            <div class="ms-diagram" ref={self.diagram.clone()} tabindex="0" role="group" aria-label={lang.t(Key::DiagramRegion)}>
                                <svg viewBox={format!("0 0 {width} 260")} width="100%" style={format!("max-width: {width}px; min-width: {}px", (width * 0.8).round())} role="img"
                                    aria-label={lang.f(Key::JourneyDiagram, &[("agents", &j.nodes.len().to_string()), ("step", &(cur + 1).to_string()), ("total", &n.to_string())])}>
                                    <defs>
                                        <marker id={arrow.clone()} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                                            <path d="M0,0 L10,5 L0,10 z" />
                                        </marker>
                                    </defs>
                                    { for drawn.iter().map(|(path, _)| path.clone()) }
                                    { for node_svg }
                                    { for drawn.iter().map(|(_, text)| text.clone()) }
                                    { for envelope }
                                </svg>
                            </div>
                        }
                        { controls }
                        { clock }
                        { timeline }
                        { for transcript_html }
                    </div>
                    <Compose embedded={ctx.props().embedded} shell={ctx.props().shell.clone()} on_change={ctx.props().on_change.clone()} lang={lang} />
                </div>
            </section>
        }
    }
}
