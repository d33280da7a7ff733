//! What really ran when: one lane per thread, each span coloured by the thread's state
//! (running, waiting for a CPU, asleep, blocked on a lock) with the locks it held drawn over
//! it and the hand-overs the run inferred as arrows between lanes. Drag to pan, scroll to
//! zoom around the pointer, double-click to see everything, click to place the cursor; hover
//! a span for its details.
//!
//! Drawn with the painter rather than a plot of bars, so that a timeline of 64 threads with
//! 10,000 events each stays cheap: spans off screen are skipped and spans narrower than a
//! pixel are merged into the pixel column they fall in.

use egui::{Color32, Pos2, Rect, Sense, Stroke, Ui, vec2};

use crate::lab::timeline::{Span, ThreadState, Timeline};
use crate::lesson::Language;

use super::strings::{Msg, words};

const LANE_HEIGHT: f32 = 18.0;
const LABEL_WIDTH: f32 = 150.0;
const AXIS_HEIGHT: f32 = 18.0;
/// Most hand-over arrows drawn at once; with more in view none are drawn.
const MAX_ARROWS: usize = 300;
/// Most lanes shown at once before the lanes scroll.
const VISIBLE_LANES: usize = 14;

/// The view's own state: the visible time range, the cursor, and the end of the whole run,
/// in nanoseconds (the end is found once, not every frame).
#[derive(Debug, Clone, Copy, PartialEq)]
struct View {
    from: f64,
    to: f64,
    cursor: Option<f64>,
    end: f64,
}

impl View {
    /// Where moment `t` falls across `track`.
    fn x_of(&self, track: Rect, t: f64) -> f32 {
        track.left() + ((t - self.from) / (self.to - self.from)) as f32 * track.width()
    }

    /// The moment at `x` across `track`.
    fn t_of(&self, track: Rect, x: f32) -> f64 {
        let fraction = f64::from(x - track.left()) / f64::from(track.width().max(1.0));
        self.from + fraction * (self.to - self.from)
    }

    /// The whole run, keeping the cursor.
    fn whole(self) -> Self {
        Self {
            from: 0.0,
            to: self.end,
            ..self
        }
    }
}

/// Where the view of `timeline` in the widget called `name` keeps its state: a timeline of
/// another run starts afresh rather than inheriting the last one's zoom and cursor.
fn view_id(ui: &Ui, name: &str, timeline: &Timeline) -> egui::Id {
    let first = timeline.lanes.first();
    let run = (
        timeline.lanes.len(),
        first.map_or(0, |l| l.spans.len()),
        first
            .and_then(|l| l.spans.last())
            .map_or(0, |s| s.end.to_bits()),
    );
    ui.make_persistent_id(("timeline", name, run))
}

/// The colour of a state, the same in both themes (each reads on light and dark).
pub fn state_color(state: ThreadState) -> Color32 {
    match state {
        ThreadState::Running => Color32::from_rgb(46, 160, 67),
        ThreadState::Runnable => Color32::from_rgb(90, 150, 230),
        ThreadState::Sleeping => Color32::from_rgb(150, 150, 150),
        ThreadState::Blocked => Color32::from_rgb(215, 58, 58),
        ThreadState::Holding => Color32::from_rgb(240, 170, 30),
    }
}

/// The name of a state, with whether it is measured or inferred.
pub fn state_name(state: ThreadState) -> Msg {
    match state {
        ThreadState::Running => Msg::LaneRunning,
        ThreadState::Runnable => Msg::LaneRunnable,
        ThreadState::Sleeping => Msg::LaneSleeping,
        ThreadState::Blocked => Msg::LaneBlocked,
        ThreadState::Holding => Msg::LaneHolding,
    }
}

/// Where the user placed the cursor, in nanoseconds, and whether it moved this frame.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cursor {
    pub at: Option<f64>,
    pub moved: bool,
}

/// Where the cursor of `timeline` in the widget called `id` was left last frame, if placed.
pub fn placed_cursor(ui: &Ui, id: &str, timeline: &Timeline) -> Option<f64> {
    let id = view_id(ui, id, timeline);
    ui.data(|d| d.get_temp::<View>(id)).and_then(|v| v.cursor)
}

/// Draws `timeline` and returns its cursor.
pub fn timeline_plot_ui(ui: &mut Ui, lang: Language, id: &str, timeline: &Timeline) -> Cursor {
    ui.label(egui::RichText::new(Msg::WhatRanWhen.text(lang)).strong());
    legend_ui(ui, lang);
    let id = view_id(ui, id, timeline);
    let mut view = ui.data(|d| d.get_temp::<View>(id)).unwrap_or_else(|| {
        let end = timeline.end().max(1.0);
        View {
            from: 0.0,
            to: end,
            cursor: None,
            end,
        }
    });
    let placed = view.cursor;
    let shown = timeline.lanes.len().clamp(1, VISIBLE_LANES);
    let height = LANE_HEIGHT * shown as f32 + AXIS_HEIGHT;
    let (rect, response) =
        ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click_and_drag());
    let track = Rect::from_min_max(
        rect.min + vec2(LABEL_WIDTH, 0.0),
        rect.max - vec2(0.0, AXIS_HEIGHT),
    );
    interact(ui, &response, track, &mut view);
    let first_lane = scroll_lanes(ui, &response, id, timeline.lanes.len());
    let painter = ui.painter_at(rect);
    for row in 0..shown {
        let Some(lane) = timeline.lanes.get(first_lane + row) else {
            break;
        };
        let band = Rect::from_min_size(
            Pos2::new(track.left(), track.top() + row as f32 * LANE_HEIGHT),
            vec2(track.width(), LANE_HEIGHT),
        );
        painter.text(
            Pos2::new(rect.left(), band.center().y),
            egui::Align2::LEFT_CENTER,
            words(&lane.label, lang),
            egui::FontId::proportional(11.0),
            ui.visuals().text_color(),
        );
        paint_lane(&painter, band, &lane.spans, &view);
    }
    let lanes = first_lane..first_lane + shown;
    paint_wakes(
        &painter,
        track,
        timeline,
        lanes,
        &view,
        ui.visuals().strong_text_color(),
    );
    paint_axis(&painter, ui, track, &view, lang);
    if let Some(at) = view.cursor {
        let x = view.x_of(track, at);
        painter.line_segment(
            [Pos2::new(x, track.top()), Pos2::new(x, track.bottom())],
            Stroke::new(1.5, ui.visuals().strong_text_color()),
        );
    }
    hover_details(&response, track, timeline, first_lane, &view, lang);
    hover_kernel(&response, track, timeline, first_lane, lang);
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Image, true, Msg::WhatRanWhen.text(lang))
    });
    ui.data_mut(|d| d.insert_temp(id, view));
    ui.small(Msg::TimelineProvenance.text(lang));
    Cursor {
        at: view.cursor,
        moved: view.cursor != placed,
    }
}

/// One colour swatch and name per kind of span, and the inferred hand-over arrow.
fn legend_ui(ui: &mut Ui, lang: Language) {
    ui.horizontal_wrapped(|ui| {
        for state in ThreadState::ALL {
            let (swatch, _) = ui.allocate_exact_size(vec2(12.0, 12.0), Sense::hover());
            ui.painter().rect_filled(swatch, 2.0, state_color(state));
            ui.small(state_name(state).text(lang));
        }
        let (arrow, _) = ui.allocate_exact_size(vec2(18.0, 12.0), Sense::hover());
        let stroke = Stroke::new(1.0, ui.visuals().strong_text_color());
        ui.painter()
            .arrow(arrow.left_center(), vec2(arrow.width(), 0.0), stroke);
        ui.small(Msg::HandOverInferred.text(lang));
    });
}

/// Drag pans, scroll zooms around the pointer, double-click shows everything, click places
/// the cursor.
fn interact(ui: &Ui, response: &egui::Response, track: Rect, view: &mut View) {
    let span = view.to - view.from;
    let per_point = span / f64::from(track.width().max(1.0));
    if response.dragged() {
        let shift = -f64::from(response.drag_delta().x) * per_point;
        view.from += shift;
        view.to += shift;
    }
    if response.double_clicked() {
        *view = view.whole();
    } else if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
        && track.contains(pos)
    {
        view.cursor = Some(view.t_of(track, pos.x));
    }
    if response.hovered() && !ui.input(|i| i.modifiers.shift) {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y + i.zoom_delta().ln() * 200.0);
        if scroll != 0.0
            && let Some(pos) = response.hover_pos()
        {
            let at = view.t_of(track, pos.x);
            let factor = (-f64::from(scroll) / 200.0).exp();
            // No closer than 100 ns across, no wider than twice the whole run.
            let new_span = (span * factor).clamp(100.0, view.end * 2.0);
            let ratio = (at - view.from) / span;
            view.from = at - ratio * new_span;
            view.to = view.from + new_span;
        }
    }
}

/// The first lane shown: with more lanes than fit, the lanes scroll with shift+scroll.
fn scroll_lanes(ui: &Ui, response: &egui::Response, id: egui::Id, lanes: usize) -> usize {
    let top_id = id.with("top");
    let mut top: usize = ui.data(|d| d.get_temp(top_id)).unwrap_or(0);
    let most = lanes.saturating_sub(VISIBLE_LANES);
    if response.hovered() {
        let delta = ui.input(|i| i.smooth_scroll_delta.x + i.smooth_scroll_delta.y);
        if ui.input(|i| i.modifiers.shift) && delta.abs() > 0.5 {
            top = match delta < 0.0 {
                true => (top + 1).min(most),
                false => top.saturating_sub(1),
            };
        }
    }
    top = top.min(most);
    ui.data_mut(|d| d.insert_temp(top_id, top));
    top
}

/// The spans of one lane in `band`: states full height, holds as a thinner bar on top, all
/// in one mesh. Spans off screen are skipped; several in one pixel column are drawn once, as
/// the first; neighbouring rectangles of one colour become one.
fn paint_lane(painter: &egui::Painter, band: Rect, spans: &[Span], view: &View) {
    let scale = f64::from(band.width()) / (view.to - view.from);
    let mut layers = [Strip::default(), Strip::default()];
    // Spans are in order of their start: none after the view's end needs looking at.
    let starting_in_view = spans.partition_point(|s| s.start <= view.to);
    for span in &spans[..starting_in_view] {
        if span.end < view.from {
            continue;
        }
        let x0 = band.left() + ((span.start.max(view.from) - view.from) * scale) as f32;
        let x1 = band.left() + ((span.end.min(view.to) - view.from) * scale) as f32;
        let layer = usize::from(span.state == ThreadState::Holding);
        let (top, bottom) = match layer {
            1 => (band.top() + 1.0, band.top() + 5.0),
            _ => (band.top() + 3.0, band.bottom() - 2.0),
        };
        layers[layer].add(x0, x1.max(x0 + 1.0), top..=bottom, state_color(span.state));
    }
    let mut mesh = egui::Mesh::default();
    for layer in layers {
        layer.finish(&mut mesh);
    }
    painter.add(egui::Shape::mesh(mesh));
}

/// One row of rectangles being merged: the pending one grows while the next is the same
/// colour and touches it; a span starting in a pixel column already drawn is skipped.
#[derive(Default)]
struct Strip {
    pending: Option<(Rect, Color32)>,
    done: Vec<(Rect, Color32)>,
}

impl Strip {
    fn add(&mut self, x0: f32, x1: f32, y: std::ops::RangeInclusive<f32>, color: Color32) {
        let mut from = x0;
        if let Some((rect, pending)) = &mut self.pending {
            // Within the pixels already drawn: nothing to add.
            if x1 <= rect.right().ceil() {
                return;
            }
            if *pending == color && x0 <= rect.right() + 1.0 {
                rect.max.x = x1;
                return;
            }
            from = x0.max(rect.right());
        }
        self.done.extend(self.pending.take());
        self.pending = Some((Rect::from_x_y_ranges(from..=x1, y), color));
    }

    fn finish(mut self, mesh: &mut egui::Mesh) {
        self.done.extend(self.pending.take());
        for (rect, color) in self.done {
            mesh.add_colored_rect(rect, color);
        }
    }
}

/// An arrow for every hand-over in view between two lanes that are both shown.
fn paint_wakes(
    painter: &egui::Painter,
    track: Rect,
    timeline: &Timeline,
    lanes: std::ops::Range<usize>,
    view: &View,
    color: Color32,
) {
    let y_of =
        |lane: usize| track.top() + (lane - lanes.start) as f32 * LANE_HEIGHT + LANE_HEIGHT / 2.0;
    let in_view = || {
        timeline
            .wakes
            .iter()
            .filter(|w| lanes.contains(&w.from) && lanes.contains(&w.to))
            .filter(|w| w.acquired >= view.from && w.released <= view.to)
    };
    // Past a few hundred, arrows hide the lanes: zoom in to see them.
    if in_view().nth(MAX_ARROWS).is_some() {
        return;
    }
    for wake in in_view() {
        let from = Pos2::new(view.x_of(track, wake.released), y_of(wake.from));
        let to = Pos2::new(view.x_of(track, wake.acquired), y_of(wake.to));
        painter.arrow(from, to - from, Stroke::new(1.0, color));
    }
}

/// Ticks under the track in milliseconds, about one every 100 points.
fn paint_axis(painter: &egui::Painter, ui: &Ui, track: Rect, view: &View, lang: Language) {
    let span = view.to - view.from;
    let raw = span / f64::from((track.width() / 100.0).max(1.0));
    let step = nice_step(raw);
    let color = ui.visuals().weak_text_color();
    let mut t = (view.from / step).ceil() * step;
    while t <= view.to {
        let x = view.x_of(track, t);
        painter.line_segment(
            [
                Pos2::new(x, track.bottom()),
                Pos2::new(x, track.bottom() + 4.0),
            ],
            Stroke::new(1.0, color),
        );
        painter.text(
            Pos2::new(x, track.bottom() + 4.0),
            egui::Align2::CENTER_TOP,
            format_ms(t, step),
            egui::FontId::proportional(10.0),
            color,
        );
        t += step;
    }
    painter.text(
        Pos2::new(track.left() - 4.0, track.bottom() + 4.0),
        egui::Align2::RIGHT_TOP,
        Msg::TimeMs.text(lang),
        egui::FontId::proportional(10.0),
        color,
    );
}

/// A step of 1, 2 or 5 times a power of ten, at least `raw`.
pub fn nice_step(raw: f64) -> f64 {
    let power = 10f64.powf(raw.max(1.0).log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * power)
}

/// `t` nanoseconds as milliseconds, with as many decimals as `step` needs.
fn format_ms(t: f64, step: f64) -> String {
    let decimals = (6.0 - step.log10().floor()).clamp(0.0, 6.0) as usize;
    format!("{:.*}", decimals, t / 1e6)
}

/// The state, lock and times of the span under the pointer.
fn hover_details(
    response: &egui::Response,
    track: Rect,
    timeline: &Timeline,
    first_lane: usize,
    view: &View,
    lang: Language,
) {
    let Some(pos) = response.hover_pos().filter(|p| track.contains(*p)) else {
        return;
    };
    let lane = first_lane + ((pos.y - track.top()) / LANE_HEIGHT) as usize;
    let at = view.t_of(track, pos.x);
    let Some(span) = timeline.span_at(lane, at) else {
        return;
    };
    let object = span
        .object
        .and_then(|o| timeline.objects.get(o))
        .map_or_else(String::new, |name| format!(" {name}"));
    let held: Vec<&str> = timeline
        .held_at(lane, at)
        .into_iter()
        .filter_map(|o| timeline.objects.get(o).map(String::as_str))
        .collect();
    let text = format!(
        "{}{object}\n{:.3} – {:.3} ms ({:.1} µs){}",
        state_name(span.state).text(lang),
        span.start / 1e6,
        span.end / 1e6,
        (span.end - span.start) / 1e3,
        match held.is_empty() {
            true => String::new(),
            false => format!("\n{}: {}", Msg::LaneHolding.text(lang), held.join(", ")),
        }
    );
    response.clone().on_hover_text_at_pointer(text);
}

/// Over a lane's name: the kernel's own account of that thread.
fn hover_kernel(
    response: &egui::Response,
    track: Rect,
    timeline: &Timeline,
    first_lane: usize,
    lang: Language,
) {
    let Some(pos) = response
        .hover_pos()
        .filter(|p| p.x < track.left() && p.y < track.bottom())
    else {
        return;
    };
    let lane = first_lane + ((pos.y - track.top()) / LANE_HEIGHT) as usize;
    let Some(account) = timeline.lanes.get(lane).and_then(|l| l.kernel) else {
        return;
    };
    let text = Msg::KernelAccount
        .text(lang)
        .replace("{run}", &format!("{:.3}", account.run_ns as f64 / 1e6))
        .replace("{wait}", &format!("{:.3}", account.wait_ns as f64 / 1e6))
        .replace("{slices}", &account.slices.to_string());
    response.clone().on_hover_text_at_pointer(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(3.0e6), 5.0e6);
        assert_eq!(nice_step(1.0e6), 1.0e6);
        assert_eq!(nice_step(1.2e5), 2.0e5);
        assert_eq!(format_ms(2.5e6, 5e5), "2.5");
    }
}
