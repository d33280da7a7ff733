//! Paints the deadlock scene: the ring's wait-for graph (drawn as the lab's real one is), the
//! cycle in the danger colour once it closes, the process crossed out once it is killed, and
//! the fix with its shorter chain.

use egui::{Align2, Rect, Stroke, vec2};

use super::draw::{Canvas, Fonts, words};
use super::live::Live;
use super::scene::{Inputs, Scene, Scripted};
use crate::lesson::{Language, SceneSpec};
use crate::sim;
use crate::sim::deadlock::{Stage, State};
use crate::ui::picture_view::{GraphInk, paint_wait_for};

/// The scene as the registry builds it; `threads` says how many sit in the ring.
pub fn build(spec: &SceneSpec, _: &Inputs) -> Box<dyn Scene> {
    let params = sim::deadlock::Params {
        threads: spec.threads.map_or(2, |t| t as usize),
    };
    Scripted::boxed(
        sim::deadlock::script(&params),
        |s| &s.caption,
        |canvas, state, _, _: Option<&Live>, lang| paint(canvas, state, lang),
    )
}

pub fn paint(canvas: &Canvas, state: &State, lang: Language) {
    let style = canvas.style;
    let fonts = Fonts::new(style, canvas.rect);
    let process = canvas
        .rect
        .shrink(canvas.rect.height().min(canvas.rect.width()) * 0.04);
    let killed = state.stage == Stage::Killed;
    let label = match state.stage {
        Stage::GlobalOrder => words(
            lang,
            "process (fixed: one global order)",
            "프로세스 (해결: 하나의 전역 순서)",
        ),
        _ => words(lang, "process", "프로세스"),
    };
    canvas.labelled_box(process, style.background, "", false);
    canvas.text(
        process.left_top() + vec2(8.0, 4.0),
        Align2::LEFT_TOP,
        label,
        &fonts.label,
        style.text,
    );
    let ink = GraphInk {
        text: if killed { style.weak_text } else { style.text },
        fill: style.background,
        cycle: if killed {
            style.weak_text
        } else {
            style.danger
        },
        font: fonts.label.clone(),
        line: style.line * 1.5,
    };
    let graph_area = Rect::from_center_size(process.center(), process.size() * vec2(0.8, 0.85));
    let cycle = state.graph.cycle();
    paint_wait_for(
        canvas.painter,
        graph_area,
        &state.graph,
        cycle.as_ref(),
        &ink,
    );
    if killed {
        paint_killed(canvas, process, &fonts, lang);
    }
}

/// The process crossed out: killed by ProcLab and reaped.
fn paint_killed(canvas: &Canvas, process: Rect, fonts: &Fonts, lang: Language) {
    let stroke = Stroke::new(canvas.style.line * 2.0, canvas.style.danger);
    canvas
        .painter
        .line_segment([process.left_top(), process.right_bottom()], stroke);
    canvas
        .painter
        .line_segment([process.right_top(), process.left_bottom()], stroke);
    canvas.text(
        process.center_bottom() - vec2(0.0, 6.0),
        Align2::CENTER_BOTTOM,
        words(
            lang,
            "killed (SIGKILL) and reaped",
            "종료(SIGKILL)되고 회수됨",
        ),
        &fonts.label,
        canvas.style.danger,
    );
}
