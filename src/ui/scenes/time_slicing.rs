//! Paints the time-slicing scene: a Gantt chart of the simulated round-robin schedule, one
//! lane per task on a shared millisecond axis, revealed slice by slice; the slice of the
//! current step grows in and is outlined, and how it ended is written at its end.

use egui::{Align2, Rect, Stroke, pos2, vec2};

use super::draw::{Canvas, Fonts, words};
use super::live::Live;
use super::scene::{Inputs, Scene, Scripted};
use crate::lesson::{Language, SceneSpec};
use crate::sim::round_robin::{self, Slice, SliceEnd, State};
use crate::ui::distribution_plot::series_color;

/// The textbook's quantum, in milliseconds.
const QUANTUM_MS: u32 = 10;

/// The scene as the registry builds it.
pub fn build(_: &SceneSpec, _: &Inputs) -> Box<dyn Scene> {
    Scripted::boxed(
        round_robin::script(&round_robin::example_tasks(), QUANTUM_MS),
        |s| &s.caption,
        |canvas, state, _, _: Option<&Live>, lang| paint(canvas, state, lang),
    )
}

/// Where the lanes and the axis go.
struct Layout {
    /// The chart area: lanes stacked from the top, time from left to right.
    chart: Rect,
    lane_height: f32,
    /// Pixels per millisecond.
    scale: f32,
}

impl Layout {
    fn new(body: Rect, tasks: usize, end_ms: u32) -> Self {
        let chart = Rect::from_min_max(
            pos2(body.left() + body.width() * 0.12, body.top() + 8.0),
            pos2(body.right() - 12.0, body.bottom() - 36.0),
        );
        Self {
            lane_height: chart.height() / tasks.max(1) as f32,
            scale: chart.width() / end_ms.max(1) as f32,
            chart,
        }
    }

    fn x(&self, ms: u32) -> f32 {
        self.chart.left() + ms as f32 * self.scale
    }

    /// The bar of `slice`, `grown` of the way across (0 to 1).
    fn bar(&self, slice: &Slice, grown: f32) -> Rect {
        let top = self.chart.top() + self.lane_height * slice.task as f32;
        let width = (slice.end - slice.start) as f32 * self.scale * grown;
        Rect::from_min_size(
            pos2(self.x(slice.start), top + self.lane_height * 0.18),
            vec2(width, self.lane_height * 0.64),
        )
    }
}

pub fn paint(canvas: &Canvas, state: &State, lang: Language) {
    let fonts = Fonts::new(canvas.style, canvas.rect);
    let end = state.schedule.slices.last().map_or(1, |s| s.end);
    let layout = Layout::new(canvas.rect, state.tasks, end);
    paint_lanes(canvas, &layout, state.tasks, &fonts, lang);
    paint_axis(canvas, &layout, end, state.quantum, &fonts);
    for (index, slice) in state.schedule.slices.iter().take(state.shown).enumerate() {
        let current = index + 1 == state.shown;
        let grown = if current { canvas.eased() } else { 1.0 };
        paint_slice(canvas, &layout, slice, current, grown, &fonts, lang);
    }
}

/// Each task's name and the line its slices sit on.
fn paint_lanes(canvas: &Canvas, layout: &Layout, tasks: usize, fonts: &Fonts, lang: Language) {
    let style = canvas.style;
    for task in 0..tasks {
        let middle = layout.chart.top() + layout.lane_height * (task as f32 + 0.5);
        let name = format!("{} {}", words(lang, "task", "작업"), task + 1);
        canvas.text(
            pos2(layout.chart.left() - 8.0, middle),
            Align2::RIGHT_CENTER,
            &name,
            &fonts.label,
            series_color(task),
        );
        canvas.painter.line_segment(
            [
                pos2(layout.chart.left(), middle),
                pos2(layout.chart.right(), middle),
            ],
            Stroke::new(1.0, style.weak_text.gamma_multiply(0.4)),
        );
    }
}

/// The time axis: a tick every quantum, labelled in milliseconds.
fn paint_axis(canvas: &Canvas, layout: &Layout, end: u32, quantum: u32, fonts: &Fonts) {
    let style = canvas.style;
    let bottom = layout.chart.bottom();
    let stroke = Stroke::new(1.0, style.stroke);
    canvas.painter.line_segment(
        [
            pos2(layout.chart.left(), bottom),
            pos2(layout.chart.right(), bottom),
        ],
        stroke,
    );
    for ms in (0..=end).step_by(quantum.max(1) as usize) {
        let x = layout.x(ms);
        canvas
            .painter
            .line_segment([pos2(x, bottom), pos2(x, bottom + 5.0)], stroke);
        canvas.text(
            pos2(x, bottom + 6.0),
            Align2::CENTER_TOP,
            format!("{ms}"),
            &fonts.small,
            style.weak_text,
        );
    }
    canvas.text(
        pos2(layout.chart.right(), bottom + 20.0),
        Align2::RIGHT_TOP,
        "ms",
        &fonts.small,
        style.weak_text,
    );
}

/// One slice: a bar in its task's colour; the current one outlined, with how it ended.
fn paint_slice(
    canvas: &Canvas,
    layout: &Layout,
    slice: &Slice,
    current: bool,
    grown: f32,
    fonts: &Fonts,
    lang: Language,
) {
    let style = canvas.style;
    let color = series_color(slice.task);
    let bar = layout.bar(slice, grown);
    let fill = if current {
        color
    } else {
        color.gamma_multiply(0.6)
    };
    canvas.painter.rect_filled(bar, 3.0, fill);
    if !current {
        return;
    }
    canvas.painter.rect_stroke(
        bar.expand(2.0),
        3.0,
        Stroke::new(2.0, style.highlight),
        egui::StrokeKind::Outside,
    );
    let note = match slice.ended {
        SliceEnd::Expired => words(lang, "quantum over, back of the queue", "퀀텀 끝, 큐 뒤로"),
        SliceEnd::Blocked => words(lang, "blocked on I/O", "I/O 대기"),
        SliceEnd::Finished => words(lang, "done", "끝"),
    };
    canvas.text(
        bar.right_top() + vec2(4.0, -2.0),
        Align2::LEFT_BOTTOM,
        note,
        &fonts.small,
        style.text,
    );
}
