//! Paints the critical-section scene: threads busy elsewhere on the left, the line of
//! waiting threads in the middle (first in line nearest the door), and the critical section
//! on the right with the one thread inside. Each thread shows how many turns it has had.

use egui::{Align2, Color32, Rect, pos2, vec2};

use super::draw::{Canvas, Fonts, words};
use super::live::Live;
use super::scene::{Inputs, Scene, Scripted};
use super::style::RegionColor;
use crate::lesson::{Language, SceneSpec};
use crate::sim;
use crate::sim::critical_section::{Place, State};

/// The scene as the registry builds it; `threads` says how many take turns.
pub fn build(spec: &SceneSpec, _: &Inputs) -> Box<dyn Scene> {
    let params = sim::critical_section::Params {
        threads: spec.threads.map_or(3, |t| t as usize),
    };
    Scripted::boxed(
        sim::critical_section::script(&params),
        |s| &s.caption,
        |canvas, state, _, _: Option<&Live>, lang| paint(canvas, state, lang),
    )
}

/// The three areas, as fractions of the body's width, and the size of a thread's card.
struct Layout {
    elsewhere: Rect,
    queue: Rect,
    room: Rect,
    card: egui::Vec2,
}

impl Layout {
    fn new(body: Rect, threads: usize) -> Self {
        let at = |from: f32, to: f32| {
            Rect::from_min_max(
                pos2(body.left() + body.width() * from, body.top()),
                pos2(body.left() + body.width() * to, body.bottom()),
            )
        };
        let queue = at(0.26, 0.70);
        let card_w = (queue.width() / threads.max(1) as f32 - 8.0).clamp(30.0, 140.0);
        Self {
            elsewhere: at(0.0, 0.22),
            queue,
            room: at(0.74, 1.0),
            card: vec2(card_w, (body.height() * 0.22).clamp(28.0, 90.0)),
        }
    }

    /// Where thread `t` stands when busy elsewhere: one row each.
    fn elsewhere_slot(&self, t: usize, threads: usize) -> Rect {
        let row = self.elsewhere.height() / threads.max(1) as f32;
        let centre = pos2(
            self.elsewhere.center().x,
            self.elsewhere.top() + row * (t as f32 + 0.5),
        );
        Rect::from_center_size(
            centre,
            vec2(self.elsewhere.width() * 0.8, self.card.y.min(row * 0.85)),
        )
    }

    /// Where the `place`-th in line stands: the first nearest the room.
    fn queue_slot(&self, place: usize) -> Rect {
        let right = self.queue.right() - 8.0 - (self.card.x + 8.0) * place as f32;
        Rect::from_min_size(
            pos2(
                right - self.card.x,
                self.queue.center().y - self.card.y * 0.5,
            ),
            self.card,
        )
    }
}

pub fn paint(canvas: &Canvas, state: &State, lang: Language) {
    let body = canvas.rect;
    let fonts = Fonts::new(canvas.style, canvas.rect);
    let threads = state.places.len();
    let layout = Layout::new(body, threads);
    paint_areas(canvas, &layout, &fonts, lang);
    for (t, place) in state.places.iter().enumerate() {
        let rect = match place {
            Place::Elsewhere => layout.elsewhere_slot(t, threads),
            Place::Waiting => {
                let position = state.queue.iter().position(|&q| q == t).unwrap_or(0);
                layout.queue_slot(position)
            }
            Place::Inside => Rect::from_center_size(layout.room.center(), layout.card),
        };
        paint_thread(canvas, rect, t, state, &fonts, lang);
    }
}

/// The three areas with their names, and the door into the critical section.
fn paint_areas(canvas: &Canvas, layout: &Layout, fonts: &Fonts, lang: Language) {
    let style = canvas.style;
    canvas.labelled_box(layout.room, style.region(RegionColor::Heap), "", false);
    let names = [
        (
            layout.elsewhere,
            words(lang, "busy elsewhere", "다른 일 중"),
        ),
        (
            layout.queue,
            words(lang, "waiting in line", "줄 서서 기다림"),
        ),
        (
            layout.room,
            words(
                lang,
                "critical section: one at a time",
                "임계 구역: 한 번에 하나",
            ),
        ),
    ];
    for (area, name) in names {
        canvas.text(
            area.center_top() + vec2(0.0, 2.0),
            Align2::CENTER_TOP,
            name,
            &fonts.label,
            style.text,
        );
    }
    let door = layout.room.left();
    canvas.arrow(
        pos2(layout.queue.right() - 4.0, layout.queue.center().y),
        pos2(door + 2.0, layout.room.center().y),
        style.stroke,
        2.0,
    );
}

/// One thread's card: its name, and its turns so far; the thread that just moved is
/// outlined.
fn paint_thread(
    canvas: &Canvas,
    rect: Rect,
    t: usize,
    state: &State,
    fonts: &Fonts,
    lang: Language,
) {
    let style = canvas.style;
    let fill = match state.places[t] {
        Place::Inside => style.good,
        Place::Waiting => style.highlight.gamma_multiply(0.5),
        Place::Elsewhere => style.region(RegionColor::Free),
    };
    canvas.labelled_box(rect, fill, "", state.moved == Some(t));
    let text_color = if fill == style.good {
        Color32::BLACK
    } else {
        style.text
    };
    canvas.text(
        rect.center() - vec2(0.0, rect.height() * 0.15),
        Align2::CENTER_CENTER,
        format!("T{}", t + 1),
        &fonts.label,
        text_color,
    );
    let turns = match lang {
        Language::En => format!("turns: {}", state.turns[t]),
        Language::Ko => format!("차례: {}번", state.turns[t]),
    };
    canvas.text(
        rect.center() + vec2(0.0, rect.height() * 0.22),
        Align2::CENTER_CENTER,
        turns,
        &fonts.small,
        text_color,
    );
}
