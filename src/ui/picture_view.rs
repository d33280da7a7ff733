//! A report's picture of what the run really saw. The wait-for graph draws threads as
//! circles and locks as squares round a ring, "held by" as solid arrows from a lock to its
//! holder and "waits for" as dashed arrows from a thread to a lock, the cycle in red; with the
//! timeline's cursor placed it is drawn as it stood at that moment. The crash picture draws
//! each scenario's two processes with a dot per thread, dark once the thread is gone.

use std::f32::consts::TAU;

use egui::{Color32, Pos2, Rect, Sense, Stroke, Ui, vec2};

use crate::lab::deadlock::{Cycle, WaitForGraph, lock_name};
use crate::lab::picture::{CrashPicture, Picture, WaitForPicture};
use crate::lab::timeline::{ThreadState, Timeline};
use crate::lesson::Language;

use super::strings::{Msg, words};

const CYCLE: Color32 = Color32::from_rgb(215, 58, 58);
const ALIVE: Color32 = Color32::from_rgb(46, 160, 67);
const GONE: Color32 = Color32::from_rgb(70, 70, 70);

/// Draws `picture`; `cursor` (ns into `timeline`) redraws a wait-for graph at that moment.
pub fn picture_ui(
    ui: &mut Ui,
    lang: Language,
    picture: &Picture,
    timeline: Option<&Timeline>,
    cursor: Option<f64>,
) {
    match picture {
        Picture::WaitFor(wait_for) => {
            let at = cursor.zip(timeline);
            let graph = match at {
                Some((t, timeline)) => std::borrow::Cow::Owned(graph_at_cached(
                    ui,
                    timeline,
                    &wait_for.lanes,
                    wait_for.graph.holders.len(),
                    t,
                )),
                None => std::borrow::Cow::Borrowed(&wait_for.graph),
            };
            wait_for_ui(ui, lang, wait_for, &graph, cursor);
        }
        Picture::Crashes(rows) => crashes_ui(ui, lang, rows),
    }
}

/// [`graph_at`], worked out again only when the cursor or the run changes: a still cursor
/// costs a copy of the small graph per frame, not a walk through every lane's spans.
fn graph_at_cached(
    ui: &Ui,
    timeline: &Timeline,
    lanes: &[usize],
    locks: usize,
    at: f64,
) -> WaitForGraph {
    let id = ui.make_persistent_id("wait-for-graph-at");
    let key = (at.to_bits(), timeline.end().to_bits(), timeline.lanes.len());
    let cached = ui.data(|d| d.get_temp::<((u64, u64, usize), WaitForGraph)>(id));
    if let Some((seen, graph)) = cached
        && seen == key
    {
        return graph;
    }
    let graph = graph_at(timeline, lanes, locks, at);
    ui.data_mut(|d| d.insert_temp(id, (key, graph.clone())));
    graph
}

/// The wait-for graph of `lanes` and the first `locks` objects as the timeline says it stood
/// at `at`: who held which lock, and which lock each thread was blocked on.
pub fn graph_at(timeline: &Timeline, lanes: &[usize], locks: usize, at: f64) -> WaitForGraph {
    let mut graph = WaitForGraph {
        holders: vec![None; locks],
        waiting: vec![None; lanes.len()],
    };
    for (thread, &lane) in lanes.iter().enumerate() {
        for lock in timeline.held_at(lane, at) {
            if let Some(holder) = graph.holders.get_mut(lock) {
                *holder = Some(thread);
            }
        }
        if let Some((ThreadState::Blocked, Some(lock))) = timeline.state_at(lane, at)
            && lock < locks
        {
            graph.waiting[thread] = Some(lock);
        }
    }
    graph
}

/// The step of the simulated deadlock scene that shows the same moment as `at` in a real
/// ring run: as many locks taken and second locks waited for, or the kill once the ring's
/// lanes have ended.
pub fn diagram_step_at(picture: &Picture, timeline: &Timeline, at: f64) -> Option<usize> {
    let Picture::WaitFor(wait_for) = picture else {
        return None;
    };
    let lanes = &wait_for.lanes;
    if at >= timeline.end_of(lanes) {
        return Some(crate::sim::deadlock::killed_step(lanes.len()));
    }
    let acts: usize = lanes
        .iter()
        .map(|&lane| {
            let held = timeline.held_at(lane, at).len();
            let waits = matches!(timeline.state_at(lane, at), Some((ThreadState::Blocked, _)));
            held + usize::from(waits && held > 0)
        })
        .sum();
    Some(crate::sim::deadlock::step_for_acts(lanes.len(), acts))
}

fn wait_for_ui(
    ui: &mut Ui,
    lang: Language,
    picture: &WaitForPicture,
    graph: &WaitForGraph,
    cursor: Option<f64>,
) {
    let heading = match cursor {
        Some(at) => Msg::GraphAtCursor
            .text(lang)
            .replace("{t}", &format!("{:.2}", at / 1e6)),
        None => Msg::GraphWhenFound.text(lang).to_owned(),
    };
    ui.label(egui::RichText::new(heading).strong());
    let (rect, response) =
        ui.allocate_exact_size(vec2(ui.available_width(), 220.0), Sense::hover());
    let ink = GraphInk {
        text: ui.visuals().text_color(),
        fill: ui.visuals().extreme_bg_color,
        cycle: CYCLE,
        font: egui::FontId::proportional(14.0),
        line: 2.0,
    };
    let cycle = graph.cycle();
    paint_wait_for(&ui.painter_at(rect), rect, graph, cycle.as_ref(), &ink);
    let summary = describe(
        graph,
        cycle.is_some(),
        lang,
        picture.recovered && cursor.is_none(),
    );
    ui.label(&summary);
    ui.small(Msg::GraphLegend.text(lang));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &summary));
}

/// The colours, type and line width a wait-for graph is drawn with.
pub struct GraphInk {
    pub text: Color32,
    pub fill: Color32,
    pub cycle: Color32,
    pub font: egui::FontId,
    pub line: f32,
}

/// Paints `graph` into `rect`: nodes round a ring, "held by" and "waits for" arrows, its
/// `cycle` in `ink.cycle`.
pub fn paint_wait_for(
    painter: &egui::Painter,
    rect: Rect,
    graph: &WaitForGraph,
    cycle: Option<&Cycle>,
    ink: &GraphInk,
) {
    let nodes = Ring::new(rect, graph.waiting.len(), graph.holders.len());
    let in_cycle = |thread: usize, lock: usize| {
        cycle.is_some_and(|c| c.threads.contains(&thread) && c.locks.contains(&lock))
    };
    let color = |thread, lock| {
        if in_cycle(thread, lock) {
            ink.cycle
        } else {
            ink.text
        }
    };
    let holds = graph.holders.iter().enumerate();
    let holds = holds.filter_map(|(lock, holder)| holder.map(|thread| (thread, lock, false)));
    let waits = graph.waiting.iter().enumerate();
    let waits = waits.filter_map(|(thread, wants)| wants.map(|lock| (thread, lock, true)));
    for (thread, lock, waiting) in holds.chain(waits) {
        // "Held by" points from the lock to its holder, "waits for" from the thread to the lock.
        let ends = match waiting {
            true => [nodes.thread(thread), nodes.lock(lock)],
            false => [nodes.lock(lock), nodes.thread(thread)],
        };
        let color = color(thread, lock);
        arrow(painter, ends, nodes.node, color, ink.line, waiting);
    }
    nodes.paint(painter, ink, cycle);
}

/// Where the nodes go: threads and locks alternating round one circle, lock i just before
/// thread i and lock i + 1 just after, so that a ring's arrows are short.
struct Ring {
    center: Pos2,
    radius: f32,
    /// Half the size of a node.
    node: f32,
    threads: usize,
    locks: usize,
}

impl Ring {
    fn new(rect: Rect, threads: usize, locks: usize) -> Self {
        let node = (rect.height().min(rect.width()) * 0.07).clamp(14.0, 36.0);
        Self {
            center: rect.center(),
            node,
            radius: (rect.height() * 0.5 - node - 8.0).max(20.0),
            threads: threads.max(1),
            locks: locks.max(1),
        }
    }

    fn at(&self, turn: f32) -> Pos2 {
        let angle = TAU * turn - TAU / 4.0;
        self.center + self.radius * vec2(angle.cos(), angle.sin())
    }

    fn thread(&self, index: usize) -> Pos2 {
        self.at(index as f32 / self.threads as f32)
    }

    fn lock(&self, index: usize) -> Pos2 {
        self.at((index as f32 - 0.5) / self.locks as f32)
    }

    fn paint(&self, painter: &egui::Painter, ink: &GraphInk, cycle: Option<&Cycle>) {
        let (fill, text, font) = (ink.fill, ink.text, ink.font.clone());
        let stroke = |color| Stroke::new(ink.line, color);
        for thread in 0..self.threads {
            let stuck = cycle.as_ref().is_some_and(|c| c.threads.contains(&thread));
            let ring = stroke(if stuck { ink.cycle } else { text });
            painter.circle(self.thread(thread), self.node, fill, ring);
            let name = format!("T{}", thread + 1);
            painter.text(
                self.thread(thread),
                egui::Align2::CENTER_CENTER,
                name,
                font.clone(),
                text,
            );
        }
        for lock in 0..self.locks {
            let square = Rect::from_center_size(self.lock(lock), vec2(1.7, 1.7) * self.node);
            painter.rect(
                square,
                3.0,
                fill,
                Stroke::new(ink.line, text),
                egui::StrokeKind::Inside,
            );
            let at = self.lock(lock);
            painter.text(
                at,
                egui::Align2::CENTER_CENTER,
                lock_name(lock),
                font.clone(),
                text,
            );
        }
    }
}

/// An arrow from one node's edge to the other's, its head a fixed size; dashed for "waits
/// for".
fn arrow(
    painter: &egui::Painter,
    ends: [Pos2; 2],
    node: f32,
    color: Color32,
    width: f32,
    dashed: bool,
) {
    let [from, to] = ends;
    let direction = (to - from).normalized();
    let gap = node + 4.0;
    let (start, end) = (from + direction * gap, to - direction * gap);
    let stroke = Stroke::new(width, color);
    if dashed {
        painter.extend(egui::Shape::dashed_line(&[start, end], stroke, 8.0, 5.0));
    } else {
        painter.line_segment([start, end], stroke);
    }
    let head = 6.0 + 3.0 * width;
    let back = end - direction * head;
    let side = direction.rot90() * head * 0.5;
    painter.add(egui::Shape::convex_polygon(
        vec![end, back + side, back - side],
        color,
        Stroke::NONE,
    ));
}

/// The graph in words: each wait and who holds what is waited for, or that there is no cycle.
pub fn describe(graph: &WaitForGraph, cyclic: bool, lang: Language, recovered: bool) -> String {
    let mut parts = Vec::new();
    for (thread, waits) in graph.waiting.iter().enumerate() {
        let Some(lock) = *waits else { continue };
        let holder = graph.holders.get(lock).copied().flatten();
        let template = match holder {
            Some(_) => Msg::WaitsForHeldBy,
            None => Msg::WaitsFor,
        };
        parts.push(
            template
                .text(lang)
                .replace("{t}", &format!("T{}", thread + 1))
                .replace("{l}", &lock_name(lock))
                .replace(
                    "{h}",
                    &holder.map_or(String::new(), |h| format!("T{}", h + 1)),
                ),
        );
    }
    let verdict = match cyclic {
        true => Msg::CycleDeadlock,
        false => Msg::NoCycle,
    };
    let mut out = parts.join("; ");
    if !out.is_empty() {
        out.push_str(". ");
    }
    out.push_str(verdict.text(lang));
    if recovered {
        out.push(' ');
        out.push_str(Msg::RecoveredByKill.text(lang));
    }
    out
}

fn crashes_ui(ui: &mut Ui, lang: Language, rows: &[CrashPicture]) {
    ui.label(egui::RichText::new(Msg::CrashPictureTitle.text(lang)).strong());
    egui::Grid::new("crash-picture")
        .striped(true)
        .show(ui, |ui| {
            for header in [
                Msg::CrashScenario,
                Msg::CrashingProcess,
                Msg::SiblingProcess,
                Msg::CrashExit,
            ] {
                ui.label(egui::RichText::new(header.text(lang)).strong());
            }
            ui.end_row();
            for row in rows {
                ui.label(words(&row.scenario, lang));
                threads_ui(ui, row.threads_before, row.threads_after, lang);
                // The sibling started as the crashing process did; the kernel counted it after.
                threads_ui(ui, row.threads_before, row.sibling_threads, lang);
                match row.ended_by_crash {
                    true => ui.monospace(&row.exit),
                    false => ui.label(Msg::LivedOn.text(lang)),
                };
                ui.end_row();
            }
        });
}

/// A process box with a dot per thread: the first `alive` lit, the rest dark.
fn threads_ui(ui: &mut Ui, threads: u32, alive: u32, lang: Language) {
    let size = vec2(14.0 * threads as f32 + 10.0, 20.0);
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let painter = ui.painter_at(rect);
    let border = if alive == 0 {
        GONE
    } else {
        ui.visuals().text_color()
    };
    painter.rect_stroke(
        rect,
        4.0,
        Stroke::new(1.5, border),
        egui::StrokeKind::Inside,
    );
    for index in 0..threads {
        let center = rect.left_center() + vec2(12.0 + 14.0 * index as f32, 0.0);
        let color = if index < alive { ALIVE } else { GONE };
        painter.circle_filled(center, 5.0, color);
    }
    let words = Msg::ThreadsAliveOf
        .text(lang)
        .replace("{alive}", &alive.to_string())
        .replace("{all}", &threads.to_string());
    response
        .on_hover_text(&words)
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &words));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::experiment::Words;
    use crate::lab::trace::{Event, EventKind, Recorded, timeline_of};

    #[test]
    fn the_graph_at_a_moment_is_read_from_the_timeline() {
        use EventKind::*;
        let e = |at, kind, object| Event { at, kind, object };
        let t1 = vec![e(0, Requested, 0), e(1, Acquired, 0), e(5, Requested, 1)];
        let t2 = vec![e(0, Requested, 1), e(2, Acquired, 1), e(6, Requested, 0)];
        let thread = |events| Recorded {
            label: Words::new("t", "t"),
            kernel: None,
            events,
            end: 10.0,
        };
        let timeline = timeline_of(
            vec![thread(t1), thread(t2)],
            vec!["A".into(), "B".into()],
            0,
        );
        let early = graph_at(&timeline, &[0, 1], 2, 3.0);
        assert_eq!(early.holders, [Some(0), Some(1)]);
        assert_eq!(early.cycle(), None);
        let late = graph_at(&timeline, &[0, 1], 2, 7.0);
        assert_eq!(late.waiting, [Some(1), Some(0)]);
        assert!(late.cycle().is_some());
        assert!(describe(&late, true, Language::En, false).contains("T1 waits for B, held by T2"));
    }
}
