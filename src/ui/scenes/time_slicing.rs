//! Paints the time-slicing scene: a Gantt chart of the simulated round-robin schedule. A CPU
//! lane on top says who has the CPU; under it one lane per task shows when it runs (solid),
//! waits ready in the queue (pale, outlined) and is blocked on I/O (hatched), on a shared
//! millisecond axis with a tick every quantum. The chart is revealed up to the step's instant,
//! the current slice growing in and outlined, and the ready queue at that instant is drawn as
//! boxes under the axis, first in line first.

use egui::{Align2, Color32, Rect, Stroke, StrokeKind, pos2, vec2};

use super::draw::{Canvas, Fonts, estimated_width, fitted_text, padding, words};
use super::live::Live;
use super::provenance::SIM_MARK;
use super::scene::{Inputs, Scene, Scripted};
use crate::lesson::{Language, SceneSpec};
use crate::sim::round_robin::{self, Params, SliceEnd, State, TaskState};
use crate::ui::distribution_plot::series_color;

/// Tasks the scene draws when the lesson does not say (`threads` sets it, 1 to 8).
const DEFAULT_TASKS: usize = 3;

/// The scene as the registry builds it: `threads` tasks (the second blocks on I/O), the
/// textbook's 10 ms quantum.
pub fn build(spec: &SceneSpec, _: &Inputs) -> Box<dyn Scene> {
    let tasks = spec.threads.map_or(DEFAULT_TASKS, |t| t as usize);
    let max = *crate::limits::SCENE_THREADS.end() as usize;
    Scripted::boxed(
        round_robin::script(&Params::example(tasks.clamp(1, max))),
        |s| &s.caption,
        |canvas, state, previous, _: Option<&Live>, lang| paint(canvas, state, previous, lang),
    )
}

/// Rows from the top: a header (title and key), the "now" marker, the CPU lane, the task
/// lanes, the time axis, and the ready queue; names in a column on the left.
struct Layout {
    header: Rect,
    /// The lanes' area, time running left to right; row 0 is the CPU.
    chart: Rect,
    lane: f32,
    /// Pixels per millisecond.
    scale: f32,
    queue: Rect,
    pad: f32,
}

impl Layout {
    fn new(body: Rect, tasks: usize, end_ms: u32, fonts: &Fonts, lang: Language) -> Self {
        let pad = padding(body);
        let text = fonts.label.size + 6.0;
        let names = estimated_width(&lane_name(tasks.max(1) - 1, lang), &fonts.label);
        let note = estimated_width(&waited(888, lang), &fonts.small);
        let column = (names.max(note) + 2.0 * pad).clamp(24.0, body.width() * 0.22);
        let header = Rect::from_min_size(body.min, vec2(body.width(), text));
        let left = body.left() + column;
        let right = body.right() - pad * 2.0;
        let top = header.bottom() + fonts.small.size + 6.0;
        let below = fonts.small.size + 10.0 + (text * 1.8).max(20.0);
        let rows = tasks as f32 + 1.3;
        let lane = ((body.bottom() - below - top) / rows).clamp(4.0, 84.0);
        let chart = Rect::from_min_max(pos2(left, top), pos2(right, top + lane * rows));
        let queue_top = chart.bottom() + fonts.small.size + 10.0;
        Self {
            header,
            scale: chart.width().max(1.0) / end_ms.max(1) as f32,
            lane,
            queue: Rect::from_min_max(
                pos2(body.left(), queue_top),
                pos2(right, queue_top + (text * 1.6).max(18.0)),
            ),
            chart,
            pad,
        }
    }

    fn x(&self, ms: f32) -> f32 {
        self.chart.left() + ms * self.scale
    }

    /// The whole of row `row` (0 the CPU, 1 + i task i); task lanes sit a little apart from
    /// the CPU's.
    fn row(&self, row: usize) -> Rect {
        let gap = if row == 0 { 0.0 } else { 0.3 * self.lane };
        let top = self.chart.top() + self.lane * row as f32 + gap;
        Rect::from_min_size(
            pos2(self.chart.left(), top),
            vec2(self.chart.width(), self.lane),
        )
    }

    /// The bar of `[start, end)` ms in row `row`.
    fn bar(&self, row: usize, start: f32, end: f32) -> Rect {
        let r = self.row(row);
        Rect::from_min_max(
            pos2(self.x(start), r.top() + r.height() * 0.15),
            pos2(self.x(end), r.bottom() - r.height() * 0.15),
        )
    }
}

/// What every part of the painter reads.
struct View<'a> {
    canvas: &'a Canvas<'a>,
    state: &'a State,
    layout: Layout,
    fonts: Fonts,
    lang: Language,
    /// Drawn up to this instant, in ms: from the step before's instant to this step's.
    visible: f32,
}

impl View<'_> {
    /// `[start, end)` cut at what is revealed; `None` if none of it is.
    fn revealed(&self, start: u32, end: u32) -> Option<(f32, f32)> {
        let (start, end) = (start as f32, (end as f32).min(self.visible));
        (end > start).then_some((start, end))
    }
}

/// A task's name as its lane and the queue's boxes show it.
fn lane_name(task: usize, lang: Language) -> String {
    match lang {
        Language::En => format!("Task {}", task + 1),
        Language::Ko => format!("작업 {}", task + 1),
    }
}

/// A task's time in the ready queue, as written under its name once it is done.
fn waited(ms: u32, lang: Language) -> String {
    match lang {
        Language::En => format!("waited {ms} ms"),
        Language::Ko => format!("기다림 {ms} ms"),
    }
}

/// Draws `state`, revealing the chart from `previous`'s instant to this step's as the move
/// into the step runs.
pub fn paint(canvas: &Canvas, state: &State, previous: Option<&State>, lang: Language) {
    let fonts = Fonts::new(canvas.style, canvas.rect);
    let schedule = &state.schedule;
    let layout = Layout::new(
        canvas.rect,
        schedule.lanes.len(),
        schedule.end,
        &fonts,
        lang,
    );
    let from = previous.map_or(0.0, |p| p.now as f32);
    let visible = from + (state.now as f32 - from) * canvas.eased();
    let view = View {
        canvas,
        state,
        layout,
        fonts,
        lang,
        visible,
    };
    paint_header(&view);
    paint_names(&view);
    paint_axis(&view);
    paint_task_lanes(&view);
    paint_cpu_lane(&view);
    paint_current(&view);
    paint_now(&view);
    paint_queue(&view);
}

/// Running: solid in the task's colour. Ready: pale, outlined. Blocked: hatched in grey.
fn paint_state(canvas: &Canvas, rect: Rect, state: TaskState, color: Color32) {
    match state {
        TaskState::Running => {
            canvas.painter.rect_filled(rect, 2.0, color);
        }
        TaskState::Ready => {
            canvas
                .painter
                .rect_filled(rect, 2.0, color.gamma_multiply(0.18));
            let stroke = Stroke::new(canvas.style.line, color.gamma_multiply(0.8));
            canvas
                .painter
                .rect_stroke(rect, 2.0, stroke, StrokeKind::Inside);
        }
        TaskState::Blocked => hatch(canvas, rect, canvas.style.weak_text),
        TaskState::Done => {}
    }
}

/// Diagonal lines across `rect`, clipped to it, with a thin outline.
fn hatch(canvas: &Canvas, rect: Rect, color: Color32) {
    let clip = rect.intersect(canvas.painter.clip_rect());
    let painter = canvas.painter.with_clip_rect(clip);
    let stroke = Stroke::new(canvas.style.line, color.gamma_multiply(0.7));
    let step = 6.0;
    let mut x = rect.left() - rect.height();
    while x < rect.right() {
        painter.line_segment(
            [pos2(x, rect.bottom()), pos2(x + rect.height(), rect.top())],
            stroke,
        );
        x += step;
    }
    let outline = Stroke::new(canvas.style.line, color.gamma_multiply(0.5));
    canvas
        .painter
        .rect_stroke(rect, 2.0, outline, StrokeKind::Inside);
}

/// The title, which says the chart is a simulation, and the key to the three states.
fn paint_header(view: &View) {
    let (canvas, layout, lang) = (view.canvas, &view.layout, view.lang);
    let style = canvas.style;
    let header = layout.header;
    let title = match lang {
        Language::En => format!(
            "Simulated round robin, quantum {} ms{SIM_MARK}",
            view.state.schedule.quantum
        ),
        Language::Ko => format!(
            "라운드 로빈 시뮬레이션, 퀀텀 {} ms{SIM_MARK}",
            view.state.schedule.quantum
        ),
    };
    let key = [
        (TaskState::Running, words(lang, "running", "실행")),
        (
            TaskState::Ready,
            words(lang, "ready, in the queue", "준비 (큐에서 기다림)"),
        ),
        (
            TaskState::Blocked,
            words(lang, "blocked on I/O", "I/O 대기"),
        ),
    ];
    let font = &view.fonts.small;
    let swatch = vec2(font.size * 1.6, font.size);
    let widths: Vec<f32> = key.iter().map(|(_, w)| estimated_width(w, font)).collect();
    let key_width: f32 = widths.iter().map(|w| w + swatch.x + 14.0).sum();
    let title_width = (header.width() - key_width - layout.pad).max(20.0);
    fitted_text(
        canvas,
        header.left_center(),
        Align2::LEFT_CENTER,
        &title,
        &view.fonts.label,
        title_width,
        style.text,
    );
    let mut x = header.right() - key_width;
    for ((state, word), width) in key.iter().zip(widths) {
        let sample = Rect::from_min_size(pos2(x, header.center().y - swatch.y * 0.5), swatch);
        paint_state(canvas, sample, *state, series_color(0));
        let at = pos2(sample.right() + 4.0, header.center().y);
        canvas.text(at, Align2::LEFT_CENTER, word, font, style.text);
        x += width + swatch.x + 14.0;
    }
}

/// Each lane's name; under a task's name, its time in the ready queue once it is done, and
/// under the CPU's, the context switches so far.
fn paint_names(view: &View) {
    let (canvas, lang) = (view.canvas, view.lang);
    let style = canvas.style;
    let schedule = &view.state.schedule;
    let switches = schedule.slices[..view.state.shown]
        .iter()
        .filter(|s| s.switched)
        .count();
    let cpu_note = match lang {
        Language::En if switches == 1 => "1 switch".to_owned(),
        Language::En => format!("{switches} switches"),
        Language::Ko => format!("스위칭 {switches}번"),
    };
    let mut rows = vec![("CPU".to_owned(), Some(cpu_note), style.text)];
    for task in 0..schedule.lanes.len() {
        let done = schedule.finish[task] as f32 <= view.visible && view.state.shown > 0;
        let note = done.then(|| waited(schedule.waiting[task], lang));
        rows.push((lane_name(task, lang), note, series_color(task)));
    }
    for (row, (name, note, color)) in rows.into_iter().enumerate() {
        lane_label(view, row, &name, note.as_deref(), color);
    }
}

/// One lane's name, right-aligned before the lane, with a smaller note under it if the lane
/// is tall enough.
fn lane_label(view: &View, row: usize, name: &str, note: Option<&str>, color: Color32) {
    let (canvas, layout) = (view.canvas, &view.layout);
    let right = layout.chart.left() - layout.pad;
    let width = right - canvas.rect.left();
    let middle = layout.row(row).center().y;
    let note = note.filter(|_| layout.lane > view.fonts.small.size * 2.2);
    let lift = if note.is_some() {
        layout.lane * 0.18
    } else {
        0.0
    };
    let (label, small) = (&view.fonts.label, &view.fonts.small);
    fitted_text(
        canvas,
        pos2(right, middle - lift),
        Align2::RIGHT_CENTER,
        name,
        label,
        width,
        color,
    );
    if let Some(note) = note {
        let at = pos2(right, middle + layout.lane * 0.22);
        fitted_text(
            canvas,
            at,
            Align2::RIGHT_CENTER,
            note,
            small,
            width,
            canvas.style.weak_text,
        );
    }
}

/// The time axis under the lanes: a tick every quantum (or every few, if they would crowd),
/// labelled in ms.
fn paint_axis(view: &View) {
    let (canvas, layout) = (view.canvas, &view.layout);
    let style = canvas.style;
    let schedule = &view.state.schedule;
    let bottom = layout.chart.bottom();
    let stroke = Stroke::new(1.0 * style.line, style.stroke);
    let chart = layout.chart;
    canvas.painter.line_segment(
        [pos2(chart.left(), bottom), pos2(chart.right(), bottom)],
        stroke,
    );
    let quantum = schedule.quantum.max(1);
    let label_room = estimated_width("000", &view.fonts.small) + 6.0;
    let every = (label_room / (quantum as f32 * layout.scale))
        .ceil()
        .max(1.0) as u32;
    let grid = Stroke::new(1.0 * style.line, style.weak_text.gamma_multiply(0.25));
    for ms in (0..=schedule.end).step_by((quantum * every) as usize) {
        let x = layout.x(ms as f32);
        canvas
            .painter
            .line_segment([pos2(x, chart.top()), pos2(x, bottom)], grid);
        canvas
            .painter
            .line_segment([pos2(x, bottom), pos2(x, bottom + 5.0)], stroke);
        let at = pos2(x, bottom + 6.0);
        canvas.text(
            at,
            Align2::CENTER_TOP,
            ms,
            &view.fonts.small,
            style.weak_text,
        );
    }
    let unit = format!("ms{SIM_MARK}");
    let at = pos2(chart.left() - layout.pad, bottom + 6.0);
    canvas.text(
        at,
        Align2::RIGHT_TOP,
        unit,
        &view.fonts.small,
        style.weak_text,
    );
}

/// Each task's states, as far as revealed, and "done" after its completion.
fn paint_task_lanes(view: &View) {
    let (canvas, layout) = (view.canvas, &view.layout);
    let schedule = &view.state.schedule;
    for (task, lane) in schedule.lanes.iter().enumerate() {
        let color = series_color(task);
        for span in lane {
            if let Some((start, end)) = view.revealed(span.start, span.end) {
                paint_state(canvas, layout.bar(task + 1, start, end), span.state, color);
            }
        }
        let finish = schedule.finish[task];
        let row = layout.row(task + 1);
        if finish as f32 <= view.visible && layout.x(finish as f32) + 30.0 < row.right() {
            let at = pos2(layout.x(finish as f32) + 4.0, row.center().y);
            let room = row.right() - at.x;
            let done = words(view.lang, "done", "끝");
            fitted_text(
                canvas,
                at,
                Align2::LEFT_CENTER,
                done,
                &view.fonts.small,
                room,
                canvas.style.weak_text,
            );
        }
    }
}

/// Who has the CPU: each slice in its task's colour and number; the switches' cost, if any,
/// in grey; idle stretches as a dashed line.
fn paint_cpu_lane(view: &View) {
    let (canvas, layout) = (view.canvas, &view.layout);
    let style = canvas.style;
    let schedule = &view.state.schedule;
    for slice in &schedule.slices[..view.state.shown] {
        let Some((start, end)) = view.revealed(slice.start, slice.end) else {
            continue;
        };
        let bar = layout.bar(0, start, end);
        canvas
            .painter
            .rect_filled(bar, 2.0, series_color(slice.task));
        if bar.width() > view.fonts.label.size && bar.height() > view.fonts.label.size {
            let name = format!("{}", slice.task + 1);
            canvas.text(
                bar.center(),
                Align2::CENTER_CENTER,
                name,
                &view.fonts.label,
                Color32::BLACK,
            );
        }
    }
    for &(start, end) in &schedule.switching {
        if let Some((start, end)) = view.revealed(start, end) {
            canvas
                .painter
                .rect_filled(layout.bar(0, start, end), 0.0, style.weak_text);
        }
    }
    for &(start, end) in &schedule.idle {
        if let Some((start, end)) = view.revealed(start, end) {
            let y = layout.row(0).center().y;
            canvas.dashed(
                pos2(layout.x(start), y),
                pos2(layout.x(end), y),
                style.weak_text,
            );
        }
    }
}

/// The step's slice outlined in the CPU lane and its task's lane, with why it ended written
/// after it once it has grown in.
fn paint_current(view: &View) {
    let (canvas, layout) = (view.canvas, &view.layout);
    let style = canvas.style;
    let Some(slice) = view
        .state
        .current
        .and_then(|i| view.state.schedule.slices.get(i))
    else {
        return;
    };
    let Some((start, end)) = view.revealed(slice.start, slice.end) else {
        return;
    };
    let stroke = Stroke::new(2.5 * style.line, style.highlight);
    for row in [0, slice.task + 1] {
        let bar = layout.bar(row, start, end);
        canvas
            .painter
            .rect_stroke(bar.expand(2.0), 3.0, stroke, StrokeKind::Outside);
    }
    if end < slice.end as f32 {
        return;
    }
    let note = match slice.ended {
        SliceEnd::Expired => words(view.lang, "quantum expired", "퀀텀 끝"),
        SliceEnd::Blocked => words(view.lang, "blocked on I/O", "I/O 대기"),
        SliceEnd::Finished => words(view.lang, "finished", "완료"),
    };
    let bar = layout.bar(slice.task + 1, start, end);
    let galley =
        canvas
            .painter
            .layout_no_wrap(note.to_owned(), view.fonts.small.clone(), style.highlight);
    let width = galley.size().x;
    // After the bar if it fits before the chart's edge, else above the bar's end.
    let (at, anchor) = if bar.right() + 6.0 + width < layout.chart.right() + layout.pad {
        (pos2(bar.right() + 6.0, bar.center().y), Align2::LEFT_CENTER)
    } else {
        (bar.right_top() - vec2(0.0, 2.0), Align2::RIGHT_BOTTOM)
    };
    let rect = anchor.anchor_size(at, galley.size()).expand(2.0);
    canvas.painter.rect_filled(rect, 2.0, style.background);
    canvas
        .painter
        .galley(rect.min + vec2(2.0, 2.0), galley, style.highlight);
}

/// A line at the instant the step stands at, labelled with it.
fn paint_now(view: &View) {
    let (canvas, layout) = (view.canvas, &view.layout);
    let style = canvas.style;
    if view.state.shown == 0 {
        return;
    }
    let x = layout.x(view.visible);
    let top = layout.chart.top();
    canvas.dashed(
        pos2(x, top),
        pos2(x, layout.chart.bottom()),
        style.highlight,
    );
    let label = format!("{:.0} ms", view.visible);
    let font = &view.fonts.small;
    let half = estimated_width(&label, font) * 0.5;
    let x = x.clamp(layout.chart.left() + half, layout.chart.right() - half);
    canvas.text(
        pos2(x, top - 2.0),
        Align2::CENTER_BOTTOM,
        label,
        font,
        style.highlight,
    );
}

/// The ready queue at the step's instant: one box per task, first in line first.
fn paint_queue(view: &View) {
    let (canvas, layout, lang) = (view.canvas, &view.layout, view.lang);
    let style = canvas.style;
    let area = layout.queue;
    let label = match lang {
        Language::En => format!("Ready queue at {} ms, first in line first:", view.state.now),
        Language::Ko => format!("{} ms의 준비 큐 (맨 앞부터):", view.state.now),
    };
    let at = area.left_center() + vec2(layout.pad, 0.0);
    let font = &view.fonts.label;
    let drawn = fitted_text(
        canvas,
        at,
        Align2::LEFT_CENTER,
        &label,
        font,
        area.width() * 0.5,
        style.text,
    );
    let mut x = drawn.right() + 2.0 * layout.pad;
    if view.state.queue.is_empty() {
        let empty = words(lang, "empty", "비어 있음");
        canvas.text(
            pos2(x, area.center().y),
            Align2::LEFT_CENTER,
            empty,
            font,
            style.weak_text,
        );
        return;
    }
    for &task in &view.state.queue {
        let name = lane_name(task, lang);
        let width = estimated_width(&name, font) + 2.0 * layout.pad;
        let rect = Rect::from_min_size(pos2(x, area.top()), vec2(width, area.height()));
        if rect.right() > area.right() {
            break;
        }
        canvas.painter.rect_filled(rect, 4.0, series_color(task));
        canvas.text(
            rect.center(),
            Align2::CENTER_CENTER,
            name,
            font,
            Color32::BLACK,
        );
        x += width + layout.pad;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::scenes::draw::on_every_canvas;

    /// Every step of every task count, just arrived, mid-move and settled, at the smallest
    /// and largest canvas, in both languages: painting never panics.
    #[test]
    fn every_step_of_every_task_count_paints_at_every_size() {
        on_every_canvas(|canvas| {
            for tasks in [1, 3, 8] {
                let script = round_robin::script(&Params::example(tasks));
                for step in 0..script.len() {
                    for lang in [Language::En, Language::Ko] {
                        paint(canvas, script.state(step), script.previous(step), lang);
                    }
                }
            }
        });
    }
}
