//! Paints the threads scene: one process whose code, data and heap are drawn once and shared,
//! one stack column per thread, a PC arrow from every thread to the code line it is at, and
//! an arrow from the running thread to the shared item it touches. In live mode the columns
//! carry ProcLab's real thread ids and stack addresses.

use super::scene::{Inputs, Scene, Scripted};
use crate::lesson::SceneSpec;
use crate::sim;
use egui::{Align2, FontId, Rect, Stroke, StrokeKind, pos2, vec2};

use super::draw::{Canvas, Fonts, MIN_TEXT, fitted_text, padding, words};
use super::live::Live;
use super::provenance::real_hex;
use super::style::RegionColor;
use crate::lesson::Language;
use crate::sim::threads::{MAX_THREADS, Shared, Stage, State};

/// Where the code lines are, for the PC arrows.
struct CodeLayout {
    rect: Rect,
    rows: Vec<Rect>,
    /// The free strip right of the code text, where PC arrows land.
    gutter: (f32, f32),
}

/// Paints `state`, animating what changed since `previous`; with `live` threads, labels the
/// columns with the real ones.
/// The scene as the registry builds it.
/// Live mode draws as many threads as really run.
pub fn build(spec: &SceneSpec, inputs: &Inputs) -> Box<dyn Scene> {
    let threads = match inputs.live_threads {
        0 => spec.threads.map_or(3, |t| t as usize),
        live => live,
    };
    Scripted::boxed(
        sim::threads::script(&sim::threads::Params { threads }),
        |s| &s.caption,
        paint,
    )
}

pub fn paint(
    canvas: &Canvas,
    state: &State,
    previous: Option<&State>,
    live: Option<&Live>,
    lang: Language,
) {
    let rect = canvas.rect;
    let fonts = Fonts::new(canvas.style, rect);
    let ctx = Ctx {
        canvas,
        state,
        previous,
        // Live mode with no real thread left draws the simulation.
        live: live.filter(|l| !l.threads.is_empty()),
        fonts: &fonts,
        pad: padding(rect),
        lang,
    };
    let Some(inner) = paint_frame(&ctx) else {
        return;
    };
    let layout = Layout::new(inner, ctx.pad);
    let code = paint_code(&ctx, layout.code);
    let count_target = paint_data(&ctx, layout.data);
    let heap_target = paint_heap(&ctx, layout.heap);
    let headers = paint_columns(&ctx, layout.stacks);
    paint_pc_arrows(&ctx, &code, &headers, layout.gap);
    paint_touch(&ctx, &headers, count_target, heap_target);
}

/// What every part of the painter reads: the canvas, the step and the one before, the live
/// threads if any, the fonts and padding for this size, and the language.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    canvas: &'a Canvas<'a>,
    state: &'a State,
    previous: Option<&'a State>,
    live: Option<&'a Live>,
    fonts: &'a Fonts,
    pad: f32,
    lang: Language,
}

/// The process's inside: the shared regions on top, once; the threads' own stacks below;
/// the gap between carries the arrows.
struct Layout {
    code: Rect,
    data: Rect,
    heap: Rect,
    stacks: Rect,
    gap: f32,
}

impl Layout {
    fn new(inner: Rect, pad: f32) -> Self {
        let shared_height = inner.height() * 0.40;
        let gap = inner.height() * 0.12;
        let shared = Rect::from_min_size(inner.min, vec2(inner.width(), shared_height));
        let spacing = pad * 0.8;
        let usable = shared.width() - 2.0 * spacing;
        let code = Rect::from_min_size(shared.min, vec2(usable * 0.46, shared_height));
        let data = Rect::from_min_size(
            pos2(code.right() + spacing, shared.top()),
            vec2(usable * 0.2, shared_height),
        );
        Self {
            code,
            data,
            heap: Rect::from_min_max(pos2(data.right() + spacing, shared.top()), shared.max),
            stacks: Rect::from_min_max(pos2(inner.left(), shared.bottom() + gap), inner.max),
            gap,
        }
    }
}

/// Whether the picture is simulated or the real threads, and the process's box with its
/// title (the panel draws the caption above); returns the inside, or `None` when there is no room for it.
fn paint_frame(ctx: &Ctx) -> Option<Rect> {
    let Ctx {
        canvas,
        live,
        fonts,
        pad,
        lang,
        ..
    } = *ctx;
    let (style, rect) = (canvas.style, canvas.rect);
    let mode = match live {
        Some(l) => match lang {
            Language::En => format!(
                "live: real thread ids and addresses of ProcLab (pid {}); the steps they take are simulated",
                l.pid
            ),
            Language::Ko => format!(
                "실시간: ProcLab(pid {})의 실제 스레드 ID와 주소 · 실행 단계는 시뮬레이션",
                l.pid
            ),
        },
        None => words(lang, "simulated", "시뮬레이션").to_owned(),
    };
    let at = pos2(rect.left() + pad, rect.top() + pad * 0.2);
    let mode_rect = fitted_text(
        canvas,
        at,
        Align2::LEFT_TOP,
        &mode,
        &fonts.small,
        rect.width() - 2.0 * pad,
        style.weak_text,
    );
    let body = Rect::from_min_max(
        pos2(rect.left() + pad, mode_rect.bottom() + pad * 0.6),
        rect.max - vec2(pad, pad),
    );
    if body.height() < 60.0 || body.width() < 80.0 {
        return None;
    }
    canvas.labelled_box(body, style.region(RegionColor::Free), "", false);
    let name = words(
        lang,
        "process: one address space",
        "프로세스: 주소 공간 하나",
    );
    let title = live.map_or_else(|| name.to_owned(), |l| format!("{name} (pid {})", l.pid));
    let at = body.left_top() + vec2(pad, pad * 0.5);
    let title_rect = fitted_text(
        canvas,
        at,
        Align2::LEFT_TOP,
        &title,
        &fonts.label,
        body.width() - 2.0 * pad,
        style.text,
    );
    Some(Rect::from_min_max(
        pos2(body.left() + pad, title_rect.bottom() + pad * 0.5),
        body.max - vec2(pad, pad),
    ))
}

/// main's column and one per thread (live: per real thread, up to the most drawn, with
/// how many more there are); returns each thread column's header.
fn paint_columns(ctx: &Ctx, mut band: Rect) -> Vec<(usize, Rect)> {
    let Ctx {
        canvas,
        state,
        previous,
        live,
        fonts,
        pad,
        lang,
    } = *ctx;
    let columns = match (state.stage, live) {
        (Stage::MainOnly, _) => 0,
        (_, Some(l)) => l.threads.len().min(MAX_THREADS),
        (_, None) => state.threads.len().min(MAX_THREADS),
    };
    let hidden = live.map_or(0, |l| l.threads.len().saturating_sub(columns));
    if hidden > 0 && columns > 0 {
        let line = fonts.small.size * 1.4;
        band.max.y -= line;
        let more = match lang {
            Language::En => format!("+{hidden} more"),
            Language::Ko => format!("+{hidden}개 더"),
        };
        let at = pos2(band.right(), band.bottom() + line * 0.5);
        canvas.text(
            at,
            Align2::RIGHT_CENTER,
            more,
            &fonts.small,
            canvas.style.text,
        );
    }
    let total = columns + 1;
    let spacing = pad * 0.6;
    let width = (band.width() - spacing * (total - 1) as f32) / total as f32;
    let column_rect = |i: usize| {
        Rect::from_min_size(
            pos2(band.left() + i as f32 * (width + spacing), band.top()),
            vec2(width, band.height()),
        )
    };
    let main_labels = [
        "main".to_owned(),
        words(lang, "runs main()", "main() 실행").to_owned(),
        live.map_or_else(String::new, |l| format!("TID {}", l.pid)),
    ];
    let main = Column {
        rect: column_rect(0),
        labels: &main_labels,
        stack_name: words(lang, "stack of main", "main의 스택"),
        frames: &state.main_stack,
        old_frames: previous.map_or(state.main_stack.len(), |p| p.main_stack.len()),
        running: false,
        appearing: false,
        highlight_stack: previous.is_some_and(|p| p.main_stack.len() < state.main_stack.len()),
    };
    paint_column(canvas, &main, fonts, pad);
    (0..columns)
        .map(|index| {
            (
                index,
                paint_thread_column(ctx, index, column_rect(index + 1)),
            )
        })
        .collect()
}

/// One thread's column: its name (live: its real TID and stack address), its PC and its own
/// stack; returns its header.
fn paint_thread_column(ctx: &Ctx, index: usize, rect: Rect) -> Rect {
    let Ctx {
        canvas,
        state,
        previous,
        live,
        fonts,
        pad,
        lang,
    } = *ctx;
    let thread = state.threads.get(index);
    let real = live.and_then(|l| l.threads.get(index));
    let name = thread.map_or_else(|| format!("T{}", index + 1), |t| t.name.clone());
    let pc = thread.map_or_else(String::new, |t| match lang {
        Language::En => format!("PC: line {}", t.pc + 1),
        Language::Ko => format!("PC: {}번째 줄", t.pc + 1),
    });
    let labels = match real {
        Some(r) => [
            format!("{name} · TID {}", r.tid),
            pc,
            format!(
                "{} {}",
                words(lang, "stack", "스택"),
                real_hex(r.stack_addr)
            ),
        ],
        None => [
            name.clone(),
            pc,
            thread.map_or_else(String::new, |t| format!("SP {}", t.sp)),
        ],
    };
    let stack_name = match lang {
        Language::En => format!("stack of {name}"),
        Language::Ko => format!("{name}의 스택"),
    };
    let before = previous.and_then(|p| p.threads.get(index));
    let frames: &[String] = thread.map(|t| t.stack.as_slice()).unwrap_or_default();
    let appearing = previous.is_some() && before.is_none() && thread.is_some();
    let column = Column {
        rect,
        labels: &labels,
        stack_name: &stack_name,
        frames,
        old_frames: before.map_or(if appearing { 0 } else { frames.len() }, |t| t.stack.len()),
        running: state
            .running_thread()
            .is_some_and(|t| Some(t.id) == thread.map(|own| own.id)),
        appearing,
        highlight_stack: appearing,
    };
    paint_column(canvas, &column, fonts, pad)
}

/// PC arrows: from each thread's label, through the gap, up the code's right strip to the
/// line it is at. The running thread's arrow is thick and moves from its old line.
fn paint_pc_arrows(ctx: &Ctx, code: &CodeLayout, headers: &[(usize, Rect)], gap: f32) {
    let Ctx {
        canvas,
        state,
        previous,
        ..
    } = *ctx;
    let (style, eased) = (canvas.style, canvas.eased());
    let slots = state.threads.len().clamp(1, MAX_THREADS) as f32;
    let (gutter_left, gutter_right) = code.gutter;
    let gutter_width = gutter_right - gutter_left;
    for &(index, header) in headers {
        let Some(thread) = state.threads.get(index) else {
            continue;
        };
        let Some(row) = code.rows.get(thread.pc) else {
            continue;
        };
        let is_running = state.running_thread().is_some_and(|t| t.id == thread.id);
        let before_row = previous
            .and_then(|p| p.threads.get(index))
            .and_then(|t| code.rows.get(t.pc))
            .unwrap_or(row);
        let tip_y = egui::lerp(before_row.center().y..=row.center().y, eased) + row.height() * 0.25;
        let slot_x = if gutter_width >= 4.0 {
            gutter_left + (index as f32 + 0.5) * gutter_width / slots
        } else {
            code.rect.right() - 2.0
        };
        let fade = if previous.is_some_and(|p| p.threads.len() <= index) {
            eased
        } else {
            1.0
        };
        let (color, width) = if is_running {
            (style.highlight, 2.5)
        } else {
            (style.stroke.gamma_multiply(0.55 * fade), 1.2)
        };
        let elbow = pos2(slot_x, code.rect.bottom() + gap * 0.5);
        canvas.painter.line_segment(
            [header.center_top(), elbow],
            Stroke::new(width * style.line, color),
        );
        canvas.arrow(elbow, pos2(slot_x, tip_y), color, width);
    }
}

/// The running thread reaching into the shared item it writes.
fn paint_touch(ctx: &Ctx, headers: &[(usize, Rect)], count_target: Rect, heap_target: Rect) {
    let Ctx {
        canvas,
        state,
        fonts,
        lang,
        ..
    } = *ctx;
    let (Some(thread), Some(touching)) = (state.running_thread(), state.touching) else {
        return;
    };
    let Some(&(_, header)) = headers
        .iter()
        .find(|(i, _)| state.threads.get(*i).is_some_and(|t| t.id == thread.id))
    else {
        return;
    };
    let eased = canvas.eased().max(0.05);
    let start = header.center_top() + vec2(header.width() * 0.25, 0.0);
    let (target, verb) = match touching {
        Shared::Heap => (
            heap_target.center_bottom(),
            words(lang, "writes heap", "힙에 씀"),
        ),
        Shared::Count => (
            count_target.center_bottom(),
            words(lang, "writes data", "데이터에 씀"),
        ),
    };
    canvas.growing_arrow(start, target, eased, canvas.style.highlight, 2.5);
    let middle = start.lerp(start.lerp(target, eased), 0.5);
    canvas.text(
        middle + vec2(6.0, 0.0),
        Align2::LEFT_CENTER,
        verb,
        &fonts.small,
        canvas.style.highlight,
    );
}

/// A shared region's box with its title at the top left; returns where the title went.
fn titled_region(
    canvas: &Canvas,
    rect: Rect,
    color: RegionColor,
    title: &str,
    fonts: &Fonts,
    pad: f32,
) -> Rect {
    canvas.labelled_box(rect, canvas.style.region(color), "", false);
    fitted_text(
        canvas,
        rect.left_top() + vec2(pad, pad * 0.4),
        Align2::LEFT_TOP,
        title,
        &fonts.small,
        rect.width() - 2.0 * pad,
        canvas.style.text,
    )
}

/// The one copy of the code, with line numbers; the running thread's line outlined.
fn paint_code(ctx: &Ctx, rect: Rect) -> CodeLayout {
    let Ctx {
        canvas,
        state,
        fonts,
        pad,
        lang,
        ..
    } = *ctx;
    let running_line = state.running_thread().map(|t| t.pc);
    let style = canvas.style;
    let title_rect = titled_region(
        canvas,
        rect,
        RegionColor::Code,
        words(lang, "code (shared, read-only)", "코드 (공유, 읽기 전용)"),
        fonts,
        pad,
    );
    let area = Rect::from_min_max(
        pos2(rect.left() + pad, title_rect.bottom() + pad * 0.3),
        pos2(rect.right() - pad * 0.5, rect.bottom() - pad * 0.4),
    );
    let count = state.code.len().max(1);
    let row_height = area.height() / count as f32;
    // "5 " before each line, then the longest line; the text keeps a third of the width free
    // for the PC arrows.
    let longest = state
        .code
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let by_height = row_height * 0.8;
    let by_width = area.width() * 0.66 / (longest as f32 * 0.62);
    let mono = FontId::new(
        fonts
            .mono
            .size
            .min(by_height)
            .min(by_width)
            .max(MIN_TEXT * 0.8),
        fonts.mono.family.clone(),
    );
    let text_width = longest as f32 * 0.62 * mono.size;
    let mut rows = Vec::with_capacity(count);
    for (i, line) in state.code.iter().enumerate() {
        let row = Rect::from_min_size(
            pos2(area.left(), area.top() + row_height * i as f32),
            vec2(area.width(), row_height),
        );
        if running_line == Some(i) {
            canvas
                .painter
                .rect_filled(row, 3.0, style.highlight.gamma_multiply(0.18));
            canvas.painter.rect_stroke(
                row,
                3.0,
                Stroke::new(1.5 * style.line, style.highlight),
                StrokeKind::Inside,
            );
        }
        canvas.text(
            row.left_center() + vec2(pad * 0.3, 0.0),
            Align2::LEFT_CENTER,
            format!("{} {line}", i + 1),
            &mono,
            style.text,
        );
        rows.push(row);
    }
    CodeLayout {
        rect,
        rows,
        gutter: (
            area.left() + pad * 0.6 + text_width,
            area.right() - pad * 0.3,
        ),
    }
}

/// The data region with the one static `count`; returns the box the running thread touches.
fn paint_data(ctx: &Ctx, rect: Rect) -> Rect {
    let Ctx {
        canvas,
        state,
        previous,
        live,
        fonts,
        pad,
        lang,
    } = *ctx;
    let style = canvas.style;
    let title_rect = titled_region(
        canvas,
        rect,
        RegionColor::Data,
        words(lang, "data (shared)", "데이터 (공유)"),
        fonts,
        pad,
    );
    let area = Rect::from_min_max(
        pos2(rect.left() + pad * 0.6, title_rect.bottom() + pad * 0.5),
        rect.max - vec2(pad * 0.6, pad * 0.6),
    );
    let cell_height = (fonts.mono.size * 3.2).min(area.height());
    let cell = Rect::from_min_size(
        pos2(area.left(), area.center().y - cell_height * 0.5),
        vec2(area.width(), cell_height),
    );
    let changed = previous.is_some_and(|p| p.count() != state.count());
    canvas.labelled_box(cell, style.background, "", changed);
    let name = state.data.first().map_or("count", |s| s.name);
    let value = if changed && canvas.phase < 1.0 {
        // The old value stays in view while the new one arrives.
        format!(
            "static {name} = {} » {}",
            previous.map_or(0, State::count),
            state.count()
        )
    } else {
        format!("static {name} = {}", state.count())
    };
    let width = cell.width() - pad;
    match live {
        Some(l) => {
            // The address is real; the count is the simulation's.
            let value = format!("{value} ({})", words(lang, "sim.", "시뮬"));
            fitted_text(
                canvas,
                cell.center() - vec2(0.0, cell_height * 0.2),
                Align2::CENTER_CENTER,
                &value,
                &fonts.mono,
                width,
                style.text,
            );
            fitted_text(
                canvas,
                cell.center() + vec2(0.0, cell_height * 0.25),
                Align2::CENTER_CENTER,
                &real_hex(l.shared_static_addr),
                &fonts.small,
                width,
                style.weak_text,
            );
        }
        None => {
            fitted_text(
                canvas,
                cell.center(),
                Align2::CENTER_CENTER,
                &value,
                &fonts.mono,
                width,
                style.text,
            );
        }
    }
    cell
}

/// The heap with the one object `shared`, its items as cells; returns the object's box.
fn paint_heap(ctx: &Ctx, rect: Rect) -> Rect {
    let Ctx {
        canvas,
        state,
        previous,
        live,
        fonts,
        pad,
        lang,
    } = *ctx;
    let style = canvas.style;
    let title_rect = titled_region(
        canvas,
        rect,
        RegionColor::Heap,
        words(lang, "heap (shared)", "힙 (공유)"),
        fonts,
        pad,
    );
    let area = Rect::from_min_max(
        pos2(rect.left() + pad * 0.6, title_rect.bottom() + pad * 0.5),
        rect.max - vec2(pad * 0.6, pad * 0.6),
    );
    let object_height = (fonts.mono.size * 4.4).min(area.height());
    let object = Rect::from_min_size(
        pos2(area.left(), area.center().y - object_height * 0.5),
        vec2(area.width(), object_height),
    );
    let grew = previous.is_some_and(|p| p.shared().len() < state.shared().len());
    canvas.labelled_box(object, style.background, "", grew);
    let name = state.heap.first().map_or("shared", |h| h.name);
    let label = match live {
        Some(l) => match lang {
            Language::En => format!("shared heap object {}", real_hex(l.shared_heap_addr)),
            Language::Ko => format!("공유 힙 객체 {}", real_hex(l.shared_heap_addr)),
        },
        None => format!("{name}: Vec"),
    };
    fitted_text(
        canvas,
        object.center_top() + vec2(0.0, object_height * 0.27),
        Align2::CENTER_CENTER,
        &label,
        &fonts.small,
        object.width() - pad,
        style.text,
    );

    // One cell per item, room kept for every thread's push.
    let items = state.shared();
    let capacity = state.threads.len().max(items.len()).max(1);
    let row = Rect::from_min_max(
        pos2(object.left() + pad * 0.5, object.center().y),
        pos2(object.right() - pad * 0.5, object.bottom() - pad * 0.4),
    );
    let cell_width = row.width() / capacity as f32;
    let old_len = previous.map_or(items.len(), |p| p.shared().len());
    let eased = canvas.eased();
    for slot in 0..capacity {
        let cell = Rect::from_min_size(
            pos2(row.left() + cell_width * slot as f32, row.top()),
            vec2(cell_width, row.height()),
        )
        .shrink(1.0);
        match items.get(slot) {
            Some(value) => {
                let new = slot >= old_len;
                let fill = style.region(RegionColor::Heap).gamma_multiply(if new {
                    0.3 + 0.7 * eased
                } else {
                    1.0
                });
                canvas.labelled_box(cell, fill, "", new);
                // Under a real object's address, the values pushed are still the simulation's.
                let text = match live {
                    Some(_) => format!("{value}{}", super::provenance::SIM_MARK),
                    None => value.to_string(),
                };
                fitted_text(
                    canvas,
                    cell.center(),
                    Align2::CENTER_CENTER,
                    &text,
                    &fonts.mono,
                    cell.width() - 2.0,
                    style.text,
                );
            }
            None => {
                canvas.painter.rect_stroke(
                    cell,
                    2.0,
                    Stroke::new(1.0 * style.line, style.stroke.gamma_multiply(0.3)),
                    StrokeKind::Inside,
                );
            }
        }
    }
    object
}

/// One thread's column: its labels, then its own stack with its frames.
struct Column<'a> {
    rect: Rect,
    /// Name, PC, and a register or address line.
    labels: &'a [String; 3],
    stack_name: &'a str,
    frames: &'a [String],
    /// How many frames there were before this step; the rest are new.
    old_frames: usize,
    running: bool,
    /// The thread was created in this step.
    appearing: bool,
    highlight_stack: bool,
}

/// Paints a column; returns its label box, where its PC arrow starts.
fn paint_column(canvas: &Canvas, column: &Column, fonts: &Fonts, pad: f32) -> Rect {
    let style = canvas.style;
    let eased = canvas.eased();
    let fade = if column.appearing { eased } else { 1.0 };
    let rect = column.rect;
    let line = fonts.small.size * 1.25;
    let header = Rect::from_min_size(
        rect.min,
        vec2(
            rect.width(),
            (line * 3.0 + pad * 0.4).min(rect.height() * 0.45),
        ),
    );
    canvas.labelled_box(
        header,
        style.background.gamma_multiply(fade.max(0.3)),
        "",
        column.running || column.appearing,
    );
    let width = header.width() - pad * 0.6;
    let mut y = header.top() + pad * 0.2;
    for (i, text) in column.labels.iter().enumerate() {
        if !text.is_empty() {
            let color = if i == 0 { style.text } else { style.weak_text };
            fitted_text(
                canvas,
                pos2(header.center().x, y),
                Align2::CENTER_TOP,
                text,
                &fonts.small,
                width,
                color.gamma_multiply(fade),
            );
        }
        y += line;
    }

    let stack = Rect::from_min_max(pos2(rect.left(), header.bottom() + pad * 0.4), rect.max);
    if stack.height() < 10.0 {
        return header;
    }
    canvas.labelled_box(
        stack,
        style
            .region(RegionColor::Stack)
            .gamma_multiply(fade.max(0.2)),
        "",
        column.highlight_stack,
    );
    let title = fitted_text(
        canvas,
        stack.center_top() + vec2(0.0, pad * 0.3),
        Align2::CENTER_TOP,
        column.stack_name,
        &fonts.small,
        stack.width() - pad * 0.6,
        style.text.gamma_multiply(fade),
    );
    let area = Rect::from_min_max(
        pos2(stack.left() + pad * 0.4, title.bottom() + pad * 0.3),
        stack.max - vec2(pad * 0.4, pad * 0.3),
    );
    let frame_height =
        (fonts.mono.size * 1.9).min(area.height() / column.frames.len().max(3) as f32);
    // Oldest frame at the top: stacks grow down, each new entry below the last.
    for (i, frame) in column.frames.iter().enumerate() {
        let new = i >= column.old_frames;
        let mut cell = Rect::from_min_size(
            pos2(area.left(), area.top() + frame_height * i as f32),
            vec2(area.width(), frame_height),
        )
        .shrink(1.0);
        let mut alpha = fade;
        if new {
            cell = cell.translate(vec2(0.0, -(1.0 - eased) * frame_height * 0.6));
            alpha = eased.max(0.15);
        }
        canvas.labelled_box(cell, style.background.gamma_multiply(alpha), "", new);
        fitted_text(
            canvas,
            cell.center(),
            Align2::CENTER_CENTER,
            frame,
            &fonts.mono,
            cell.width() - 4.0,
            style.text.gamma_multiply(alpha),
        );
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::threads::{Params, script};
    use crate::ui::scenes::draw::{estimated_width, on_every_canvas};
    use crate::ui::scenes::live::LiveThread;

    #[test]
    fn text_estimates_grow_with_length_and_hangul_is_wider() {
        let font = FontId::proportional(10.0);
        assert!(estimated_width("abcd", &font) > estimated_width("ab", &font));
        assert!(estimated_width("스택", &font) > estimated_width("st", &font));
    }

    fn live_with(threads: u32) -> Live {
        Live {
            pid: 4242,
            shared_heap_addr: 0x5555_5555_a2c0,
            shared_static_addr: 0x5555_5555_8010,
            threads: (0..threads)
                .map(|i| LiveThread {
                    tid: 4300 + i,
                    stack_addr: 0x7f00_0000_0000 + i as usize * 0x20_1000,
                })
                .collect(),
            processes: Vec::new(),
        }
    }

    /// Every step, mid-move and settled, at the smallest and largest canvas, simulated and
    /// live (with more real threads than columns): painting never panics.
    #[test]
    fn every_step_paints_at_every_size_simulated_and_live() {
        let many = live_with(12);
        let few = live_with(2);
        on_every_canvas(|canvas| {
            for (threads, live) in [
                (1, None),
                (3, None),
                (8, None),
                (8, Some(&many)),
                (2, Some(&few)),
            ] {
                let script = script(&Params { threads });
                for step in 0..script.len() {
                    let (state, previous) = (script.state(step), script.previous(step));
                    paint(canvas, state, previous, live, Language::En);
                }
            }
        });
    }
}
