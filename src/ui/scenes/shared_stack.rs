//! Paints the shared-stack scene: the one stack region both threads were given, drawn as a
//! column of slots (high addresses at the top, growing down), each thread's SP pointing into
//! it, each thread's PC pointing into the code, and the slots the other thread overwrote.
//!
//! Layout, as fractions of the area below the caption: the two threads on the left, the stack
//! in the middle with notes on overwritten slots beside it, the code on the right.

use super::scene::{Inputs, Scene, Scripted};
use crate::lesson::SceneSpec;
use crate::sim;
use egui::{Align2, Pos2, Rect, Stroke, StrokeKind, pos2, vec2};

use super::draw::{Canvas, Fonts};
use super::style::RegionColor;
use crate::lesson::Language;
use crate::sim::shared_stack::{Event, Slot, SlotKind, State, Thread};

/// Rows the stack always shows, so free space below the frames is visible.
const MIN_ROWS: usize = 5;

/// The functions of the code region, top to bottom, as the PC labels name them.
const FUNCTIONS: [&str; 4] = ["run_a", "f", "run_b", "g"];

/// Horizontal bands of the body, as fractions of its width.
const THREADS: (f32, f32) = (0.0, 0.22);
const STACK: (f32, f32) = (0.30, 0.58);
const NOTES: (f32, f32) = (0.60, 0.77);
const CODE: (f32, f32) = (0.79, 0.90);

/// Where everything is, computed once per frame from the body rectangle.
struct Layout {
    body: Rect,
    top: f32,
    bottom: f32,
    slots_top: f32,
    slot_h: f32,
    rows: usize,
    panel_a: Rect,
    panel_b: Rect,
}

impl Layout {
    fn x(&self, fraction: f32) -> f32 {
        self.body.left() + self.body.width() * fraction
    }

    fn slot(&self, index: usize) -> Rect {
        Rect::from_min_size(
            pos2(self.x(STACK.0), self.slots_top + self.slot_h * index as f32),
            vec2(self.x(STACK.1) - self.x(STACK.0), self.slot_h),
        )
        .shrink2(vec2(0.0, (self.slot_h * 0.04).min(2.0)))
    }

    /// The y of an SP that has `sp` slots in use: the boundary below its last slot.
    fn sp_y(&self, sp: f32) -> f32 {
        self.slots_top + self.slot_h * sp
    }

    fn function_box(&self, index: usize) -> Rect {
        let band = (self.bottom - self.top) / FUNCTIONS.len() as f32;
        let center = pos2(
            (self.x(CODE.0) + self.x(CODE.1)) * 0.5,
            self.top + band * (index as f32 + 0.5),
        );
        Rect::from_center_size(center, vec2(self.x(CODE.1) - self.x(CODE.0), band * 0.62))
    }

    fn panel(&self, thread: Thread) -> Rect {
        match thread {
            Thread::A => self.panel_a,
            Thread::B => self.panel_b,
        }
    }
}

/// Paints one step of the shared-stack scene into `canvas.rect`.
/// The scene as the registry builds it.
pub fn build(_: &SceneSpec, _: &Inputs) -> Box<dyn Scene> {
    Scripted::boxed(
        sim::shared_stack::script(&Default::default()),
        |s| &s.caption,
        |canvas, state, previous, _, lang| paint(canvas, state, previous, lang),
    )
}

pub fn paint(canvas: &Canvas, state: &State, previous: Option<&State>, lang: Language) {
    let ko = lang == Language::Ko;
    let fonts = Fonts::new(canvas.style, canvas.rect);
    let body = canvas.rect;
    if body.width() < 80.0 || body.height() < 60.0 {
        return;
    }

    let head_h = fonts.small.size * 1.9;
    let top = body.top() + head_h;
    let bottom = body.bottom();
    let label_h = fonts.small.size * 1.5;
    let rows = MIN_ROWS.max(state.slots.len() + 1);
    let slots_top = top + label_h;
    let slot_h = ((bottom - label_h - slots_top) / rows as f32).max(1.0);
    let panel_h = (bottom - top) * 0.38;
    let left = body.left() + body.width() * THREADS.0;
    let right = body.left() + body.width() * THREADS.1;
    let layout = Layout {
        body,
        top,
        bottom,
        slots_top,
        slot_h,
        rows,
        panel_a: Rect::from_min_max(pos2(left, top), pos2(right, top + panel_h)),
        panel_b: Rect::from_min_max(pos2(left, bottom - panel_h), pos2(right, bottom)),
    };

    headings(canvas, &layout, &fonts, ko);
    stack(canvas, &layout, state, previous, &fonts, ko);
    code(canvas, &layout, state, previous, &fonts);
    for thread in [Thread::A, Thread::B] {
        panel(canvas, &layout, state, previous, thread, &fonts, ko);
        stack_pointer(canvas, &layout, state, previous, thread, &fonts);
        program_counter(canvas, &layout, state, previous, thread, &fonts);
    }
    event_arrow(canvas, &layout, state, &fonts, ko);
}

fn headings(canvas: &Canvas, layout: &Layout, fonts: &Fonts, ko: bool) {
    let style = canvas.style;
    let y = layout.body.top();
    let center = |band: (f32, f32)| (layout.x(band.0) + layout.x(band.1)) * 0.5;
    let titles = [
        (THREADS, if ko { "스레드" } else { "Threads" }),
        (
            STACK,
            if ko {
                "공유된 스택 영역 하나"
            } else {
                "One shared stack"
            },
        ),
        (CODE, if ko { "코드" } else { "Code" }),
    ];
    for (band, title) in titles {
        canvas.text(
            pos2(center(band), y),
            Align2::CENTER_TOP,
            title,
            &fonts.label,
            style.text,
        );
    }
}

/// The slots, top (high addresses) to bottom, with what changed sliding in.
fn stack(
    canvas: &Canvas,
    layout: &Layout,
    state: &State,
    previous: Option<&State>,
    fonts: &Fonts,
    ko: bool,
) {
    let style = canvas.style;
    let t = canvas.eased();
    let x = layout.x(STACK.0);
    let (high, low) = if ko {
        ("높은 주소", "낮은 주소 · 아래로 자람")
    } else {
        ("high addresses", "low addresses · grows down")
    };
    canvas.text(
        pos2(x, layout.slots_top - 2.0),
        Align2::LEFT_BOTTOM,
        high,
        &fonts.small,
        style.weak_text,
    );
    let end = layout.sp_y(layout.rows as f32);
    canvas.text(
        pos2(x, end + 2.0),
        Align2::LEFT_TOP,
        low,
        &fonts.small,
        style.weak_text,
    );

    for index in 0..layout.rows {
        let rect = layout.slot(index);
        let now = state.slots.get(index);
        let before = previous.and_then(|p| p.slots.get(index));
        let changed = previous.is_some() && now != before;
        let Some(slot) = now else {
            free_slot(canvas, rect, fonts, ko);
            continue;
        };
        if changed {
            // The old content fades out where it was; the new one slides in from the side
            // the pushing thread's SP points from.
            match before {
                Some(old) => draw_slot(canvas, rect, old, 1.0 - t, fonts, ko),
                None => free_slot(canvas, rect, fonts, ko),
            }
            let shift = vec2(-(1.0 - t) * rect.width() * 0.4, 0.0);
            draw_slot(canvas, rect.translate(shift), slot, t, fonts, ko);
        } else {
            draw_slot(canvas, rect, slot, 1.0, fonts, ko);
        }

        if let Some(victim) = slot.overwrote {
            let alpha = if changed { t } else { 1.0 };
            canvas.painter.rect_stroke(
                rect,
                3.0,
                Stroke::new(
                    3.5 * style.line,
                    style.danger.gamma_multiply(alpha.max(0.2)),
                ),
                StrokeKind::Inside,
            );
            let overwrite = Overwrite {
                by: slot.owner,
                victim,
                return_address: state.corrupted == Some(index),
                alpha,
            };
            overwrite_note(canvas, layout, rect, &overwrite, fonts, ko);
        }
        if changed {
            canvas.painter.rect_stroke(
                rect.expand(2.0),
                4.0,
                Stroke::new(2.5 * style.line, style.highlight),
                StrokeKind::Inside,
            );
            canvas.tag(rect.right_top() + vec2(-4.0, 2.0), "•");
        }
    }
}

fn free_slot(canvas: &Canvas, rect: Rect, fonts: &Fonts, ko: bool) {
    let style = canvas.style;
    canvas
        .painter
        .rect_filled(rect, 3.0, style.region(RegionColor::Free));
    canvas.painter.rect_stroke(
        rect,
        3.0,
        Stroke::new(1.0 * style.line, style.stroke.gamma_multiply(0.3)),
        StrokeKind::Inside,
    );
    let label = if ko { "빈 칸" } else { "free" };
    canvas.text(
        rect.center(),
        Align2::CENTER_CENTER,
        label,
        &fonts.small,
        style.weak_text,
    );
}

/// One written slot: its owner and kind on the first line, its value on the second.
fn draw_slot(canvas: &Canvas, rect: Rect, slot: &Slot, alpha: f32, fonts: &Fonts, ko: bool) {
    if alpha <= 0.01 {
        return;
    }
    let style = canvas.style;
    let region = match slot.owner {
        Thread::A => RegionColor::Stack,
        Thread::B => RegionColor::Heap,
    };
    canvas
        .painter
        .rect_filled(rect, 3.0, style.region(region).gamma_multiply(alpha));
    canvas.painter.rect_stroke(
        rect,
        3.0,
        Stroke::new(1.0 * style.line, style.stroke.gamma_multiply(0.6 * alpha)),
        StrokeKind::Inside,
    );
    let color = style.text.gamma_multiply(alpha);
    let kind = kind_name(slot.kind, ko);
    let x = rect.left() + rect.width() * 0.05;
    let cy = rect.center().y;
    if rect.height() >= fonts.small.size + fonts.mono.size + 4.0 {
        let head = format!("{} · {kind}", slot.owner.name());
        canvas.text(pos2(x, cy), Align2::LEFT_BOTTOM, head, &fonts.small, color);
        canvas.text(
            pos2(x, cy + 1.0),
            Align2::LEFT_TOP,
            slot.label.as_str(),
            &fonts.mono,
            color,
        );
    } else {
        let line = format!("{} · {}", slot.owner.name(), slot.label);
        canvas.text(pos2(x, cy), Align2::LEFT_CENTER, line, &fonts.mono, color);
    }
}

fn kind_name(kind: SlotKind, ko: bool) -> &'static str {
    match (kind, ko) {
        (SlotKind::ReturnAddress, false) => "return address",
        (SlotKind::ReturnAddress, true) => "복귀 주소",
        (SlotKind::Argument, false) => "argument",
        (SlotKind::Argument, true) => "인자",
        (SlotKind::Local, false) => "local variable",
        (SlotKind::Local, true) => "지역 변수",
    }
}

/// A slot one thread wrote over another's value.
struct Overwrite {
    by: Thread,
    victim: Thread,
    /// The value destroyed was a return address.
    return_address: bool,
    /// How far the note has faded in.
    alpha: f32,
}

/// Says in words, beside the slot, whose value was destroyed and by whom.
fn overwrite_note(
    canvas: &Canvas,
    layout: &Layout,
    rect: Rect,
    overwrite: &Overwrite,
    fonts: &Fonts,
    ko: bool,
) {
    let style = canvas.style;
    let alpha = overwrite.alpha;
    let (by, victim) = (overwrite.by.name(), overwrite.victim.name());
    let note = match (overwrite.return_address, ko) {
        (true, false) => format!("× {victim}'s return address, overwritten by {by}"),
        (true, true) => format!("× {victim}의 복귀 주소, {by}가 덮어씀"),
        (false, false) => format!("× {victim}'s value, overwritten by {by}"),
        (false, true) => format!("× {victim}의 값, {by}가 덮어씀"),
    };
    let x0 = layout.x(NOTES.0);
    let wrap = (layout.x(NOTES.1) - x0).max(20.0);
    let color = style.danger.gamma_multiply(alpha.max(0.05));
    // Measured first, so that the note is centred on the row.
    let height = canvas
        .painter
        .layout(note.clone(), fonts.small.clone(), color, wrap)
        .size()
        .y;
    let pos = pos2(x0, rect.center().y - height * 0.5);
    canvas.wrapped(pos, &note, &fonts.small, color, wrap);
}

/// A thread's registers as the thread sees them: whether it runs, its PC and its SP.
fn panel(
    canvas: &Canvas,
    layout: &Layout,
    state: &State,
    previous: Option<&State>,
    thread: Thread,
    fonts: &Fonts,
    ko: bool,
) {
    let style = canvas.style;
    let rect = layout.panel(thread);
    let now = state.thread(thread);
    let running = state.running == thread;
    let changed =
        previous.is_some_and(|p| p.thread(thread) != now || (p.running == thread) != running);
    let fill = if running {
        style.region(RegionColor::Data)
    } else {
        style.region(RegionColor::Free)
    };
    canvas.labelled_box(rect, fill, "", changed);

    let status = match (running, ko) {
        (true, false) => "running",
        (true, true) => "실행 중",
        (false, false) => "paused",
        (false, true) => "대기 중",
    };
    let title = format!("{} · {status}", thread.name());
    let pc = format!("PC  {}", now.pc);
    let sp = match (ko, now.sp) {
        (true, n) => format!("SP  {n}칸 사용"),
        (false, 1) => "SP  1 slot used".to_string(),
        (false, n) => format!("SP  {n} slots used"),
    };
    let broken = state.control_broken && thread == Thread::A;
    let lines = if broken { 4.0 } else { 3.0 };
    let x = rect.left() + rect.width() * 0.07;
    let line_y = |k: f32| rect.top() + rect.height() * (k + 0.75) / (lines + 0.5);
    canvas.text(
        pos2(x, line_y(0.0)),
        Align2::LEFT_CENTER,
        title,
        &fonts.label,
        style.text,
    );
    canvas.text(
        pos2(x, line_y(1.0)),
        Align2::LEFT_CENTER,
        pc,
        &fonts.mono,
        style.text,
    );
    canvas.text(
        pos2(x, line_y(2.0)),
        Align2::LEFT_CENTER,
        sp,
        &fonts.mono,
        style.text,
    );
    if broken {
        let alert = if ko {
            "× 엉뚱한 곳: 오류"
        } else {
            "× wrong place: crash"
        };
        let color = if previous.is_some_and(|p| !p.control_broken) {
            style.danger.gamma_multiply(canvas.eased().max(0.05))
        } else {
            style.danger
        };
        canvas.text(
            pos2(x, line_y(3.0)),
            Align2::LEFT_CENTER,
            alert,
            &fonts.small,
            color,
        );
        canvas
            .painter
            .rect_stroke(rect, 4.0, Stroke::new(3.0, color), StrokeKind::Inside);
    }
}

/// The thread's SP: a short arrow onto the slot boundary below its last slot, joined to its
/// panel by a dashed line. A's label sits above the arrow, B's below, so that both stay
/// readable when the two point at the same place.
fn stack_pointer(
    canvas: &Canvas,
    layout: &Layout,
    state: &State,
    previous: Option<&State>,
    thread: Thread,
    fonts: &Fonts,
) {
    let style = canvas.style;
    let now = state.thread(thread).sp as f32;
    let before = previous.map_or(now, |p| p.thread(thread).sp as f32);
    let sp = before + (now - before) * canvas.eased();
    let side = match thread {
        Thread::A => -1.0,
        Thread::B => 1.0,
    };
    let together = state.a.sp == state.b.sp;
    let y = layout.sp_y(sp) + if together { side * 3.0 } else { 0.0 };
    let tip = pos2(layout.x(STACK.0) - 2.0, y);
    let tail = pos2(
        layout.x(THREADS.1) + (layout.x(STACK.0) - layout.x(THREADS.1)) * 0.25,
        y,
    );
    let moved = now != before;
    let (color, width) = if moved {
        (style.highlight, 2.5)
    } else {
        (style.stroke, 1.5)
    };
    let panel = layout.panel(thread);
    canvas.dashed(
        pos2(panel.right(), panel.center().y),
        tail,
        style.stroke.gamma_multiply(0.5),
    );
    canvas.arrow(tail, tip, color, width);
    let label = format!("SP {}", thread.name());
    let (anchor, dy) = match thread {
        Thread::A => (Align2::CENTER_BOTTOM, -2.0),
        Thread::B => (Align2::CENTER_TOP, 2.0),
    };
    let mid = pos2((tail.x + tip.x) * 0.5, y + dy);
    canvas.text(mid, anchor, label, &fonts.small, style.text);
}

/// The code boxes; a box is highlighted when a PC moved into it this step.
fn code(canvas: &Canvas, layout: &Layout, state: &State, previous: Option<&State>, fonts: &Fonts) {
    let style = canvas.style;
    for (index, name) in FUNCTIONS.iter().enumerate() {
        let rect = layout.function_box(index);
        let arrived = previous.is_some_and(|p| {
            [Thread::A, Thread::B].iter().any(|&t| {
                function_of(&state.thread(t).pc) == Some(index)
                    && function_of(&p.thread(t).pc) != Some(index)
            })
        });
        canvas.labelled_box(rect, style.region(RegionColor::Code), "", arrived);
        canvas.text(
            rect.center(),
            Align2::CENTER_CENTER,
            name,
            &fonts.mono,
            style.text,
        );
    }
}

/// Which code box a PC label ("function+offset") points into.
fn function_of(pc: &str) -> Option<usize> {
    let name = pc.split('+').next()?;
    FUNCTIONS.iter().position(|f| *f == name)
}

/// The thread's PC: an arrow from the right into the function it executes. A's turns to a
/// thick danger arrow once it has returned into B's code.
fn program_counter(
    canvas: &Canvas,
    layout: &Layout,
    state: &State,
    previous: Option<&State>,
    thread: Thread,
    fonts: &Fonts,
) {
    let style = canvas.style;
    let Some(now) = function_of(&state.thread(thread).pc) else {
        return;
    };
    let before = previous
        .and_then(|p| function_of(&p.thread(thread).pc))
        .unwrap_or(now);
    let t = canvas.eased();
    let offset = match thread {
        Thread::A => -0.22,
        Thread::B => 0.22,
    };
    let y_of = |index: usize| {
        let rect = layout.function_box(index);
        rect.center().y + rect.height() * offset
    };
    let y = y_of(before) + (y_of(now) - y_of(before)) * t;
    let tip = pos2(layout.x(CODE.1) + 2.0, y);
    let tail = pos2(layout.body.right(), y);
    let broken = state.control_broken && thread == Thread::A;
    let moved = previous.is_some_and(|p| p.thread(thread).pc != state.thread(thread).pc);
    let (color, width) = if broken {
        (style.danger, 3.0)
    } else if moved {
        (style.highlight, 2.5)
    } else {
        (style.stroke, 1.5)
    };
    canvas.arrow(tail, tip, color, width);
    let (anchor, dy) = match thread {
        Thread::A => (Align2::CENTER_BOTTOM, -2.0),
        Thread::B => (Align2::CENTER_TOP, 2.0),
    };
    let label = format!("PC {}", thread.name());
    canvas.text(
        pos2((tail.x + tip.x) * 0.5, y + dy),
        anchor,
        label,
        &fonts.small,
        style.text,
    );
}

/// What the step's event points at: the switch between threads, the slot a thread reads, or
/// the slot a return pops and where it sends the thread.
fn event_arrow(canvas: &Canvas, layout: &Layout, state: &State, fonts: &Fonts, ko: bool) {
    let style = canvas.style;
    let t = canvas.eased();
    let grow = |from: Pos2, to: Pos2| from + (to - from) * t.max(0.05);
    match state.event {
        Event::Switch => {
            let to = layout.panel(state.running);
            let from = layout.panel(state.running.other());
            let x = to.center().x;
            let (start, end) = if to.top() > from.top() {
                (pos2(x, from.bottom() + 3.0), pos2(x, to.top() - 3.0))
            } else {
                (pos2(x, from.top() - 3.0), pos2(x, to.bottom() + 3.0))
            };
            canvas.arrow(start, grow(start, end), style.highlight, 2.5);
            let label = if ko {
                "스케줄러가 전환"
            } else {
                "scheduler switch"
            };
            let mid = pos2(x + 6.0, (start.y + end.y) * 0.5);
            canvas.text(mid, Align2::LEFT_CENTER, label, &fonts.small, style.text);
        }
        Event::Read => {
            let Some(index) = state.focus else { return };
            let slot = layout.slot(index);
            let panel = layout.panel(state.running);
            let start = pos2(slot.left() - 2.0, slot.center().y + slot.height() * 0.25);
            let end = pos2(panel.right() + 2.0, panel.bottom() - panel.height() * 0.2);
            canvas.arrow(start, grow(start, end), style.highlight, 2.5);
            let value = state.slots.get(index).map_or("", |s| s.label.as_str());
            let label = if ko {
                format!("{} 읽음: {value}", state.running.name())
            } else {
                format!("{} reads {value}", state.running.name())
            };
            let mid = pos2((start.x + end.x) * 0.5, end.y.max(start.y) + 3.0);
            canvas.text(mid, Align2::CENTER_TOP, label, &fonts.small, style.text);
        }
        Event::Return => {
            let Some(index) = state.focus else { return };
            let Some(target) = function_of(&state.thread(state.running).pc) else {
                return;
            };
            let slot = layout.slot(index);
            let code = layout.function_box(target);
            // From the slot's lower edge, so the arrow leaves the note beside it readable.
            let start = pos2(slot.right() + 2.0, slot.bottom() - slot.height() * 0.15);
            let end = pos2(code.left() - 2.0, code.center().y);
            let color = if state.control_broken {
                style.danger
            } else {
                style.good
            };
            canvas.arrow(start, grow(start, end), color, 3.0);
            let label = if ko {
                format!("{}가 여기로 복귀", state.running.name())
            } else {
                format!("{} returns here", state.running.name())
            };
            canvas.text(
                pos2(code.left() - 4.0, code.top() - 2.0),
                Align2::RIGHT_BOTTOM,
                label,
                &fonts.small,
                color,
            );
        }
        Event::Start | Event::Push | Event::Summary => {}
    }
}
