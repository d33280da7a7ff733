//! Paints the processes scene: two address spaces side by side with `x` at the same virtual
//! address and different values, the kernel below them, and the message travelling by the
//! chosen IPC: through kernel buffers (two copies, each a system call) or through one shared
//! page mapped into both (no copy). In live mode the boxes carry ProcLab's real child
//! processes.

use super::scene::{Inputs, Scene, Scripted};
use crate::lesson::{IpcKind, SceneSpec};
use crate::sim;
use egui::{Align2, Pos2, Rect, Stroke, StrokeKind, pos2, vec2};

use super::draw::{Canvas, Fonts, estimated_width, fitted_text, padding, words};
use super::live::{Live, LiveProcess};
use super::provenance::real_hex;
use super::style::RegionColor;
use crate::lesson::Language;
use crate::sim::processes::{Ipc, Process, State, Where, X_ADDRESS};

fn ipc_name(ipc: Ipc, lang: Language) -> &'static str {
    match lang {
        Language::En => ipc.name_en(),
        Language::Ko => ipc.name_ko(),
    }
}

/// Where the parts of one address space were drawn.
struct Space {
    /// The row holding the message: a private buffer, or the mapped shared page.
    buffer: Rect,
}

/// Where the kernel's buffers were drawn: for a socket the send and receive buffers differ,
/// for a pipe or a queue they are the one kernel buffer.
struct Kernel {
    send: Rect,
    receive: Rect,
}

/// Paints `state`, animating what changed since `previous`; with `live` processes, labels
/// the two address spaces with the real children.
/// The scene as the registry builds it.
pub fn build(spec: &SceneSpec, _: &Inputs) -> Box<dyn Scene> {
    let ipc = match spec.ipc.unwrap_or(IpcKind::Pipe) {
        IpcKind::Pipe => Ipc::Pipe,
        IpcKind::MessageQueue => Ipc::MessageQueue,
        IpcKind::SharedMemory => Ipc::SharedMemory,
        IpcKind::Socket => Ipc::Socket,
    };
    Scripted::boxed(
        sim::processes::script(&sim::processes::Params { ipc }),
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
        live: live.filter(|l| !l.processes.is_empty()),
        fonts: &fonts,
        pad: padding(rect),
        lang,
    };
    let Some(body) = paint_frame(&ctx) else {
        return;
    };
    let layout = Layout::new(body, ctx.pad);
    let a = paint_space(&ctx, layout.a, Side::A);
    let b = paint_space(&ctx, layout.b, Side::B);
    let ipc_label = format!("IPC: {}", ipc_name(state.ipc, lang));
    let at = layout.middle.center_top() + vec2(0.0, ctx.pad * 0.3);
    let (label, style) = (&ctx.fonts.label, canvas.style);
    fitted_text(
        canvas,
        at,
        Align2::CENTER_TOP,
        &ipc_label,
        label,
        layout.middle.width(),
        style.text,
    );
    let kernel = paint_kernel(&ctx, layout.kernel);
    let page = paint_shared_page(&ctx, layout.middle, &a, &b);
    if state.ipc != Ipc::SharedMemory {
        paint_route(canvas, &a, &b, &kernel);
    }
    let places = Places { a, b, kernel, page };
    paint_message(&ctx, body, &places);
    paint_shared_load(&ctx, body, &places);
}

/// What every part of the painter reads: the canvas, the step and the one before, the live
/// children if any, the fonts and padding for this size, and the language.
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

/// Two address spaces on top, the kernel beneath both, the gap between for the arrows.
struct Layout {
    a: Rect,
    b: Rect,
    middle: Rect,
    kernel: Rect,
}

impl Layout {
    fn new(body: Rect, pad: f32) -> Self {
        let spaces_height = body.height() * 0.60;
        let side = body.width() * 0.36;
        let a = Rect::from_min_size(body.min, vec2(side, spaces_height));
        let b = Rect::from_min_size(
            pos2(body.right() - side, body.top()),
            vec2(side, spaces_height),
        );
        Self {
            a,
            b,
            middle: Rect::from_min_max(
                pos2(a.right() + pad, body.top()),
                pos2(b.left() - pad, body.top() + spaces_height),
            ),
            kernel: Rect::from_min_max(
                pos2(body.left(), body.top() + body.height() * 0.70),
                body.max,
            ),
        }
    }
}

/// Where the message can be, once everything is drawn.
struct Places {
    a: Space,
    b: Space,
    kernel: Kernel,
    page: Option<Rect>,
}

impl Places {
    fn spot(&self, at: Where) -> Option<Pos2> {
        match at {
            Where::Nowhere => None,
            Where::InA => Some(self.a.buffer.center()),
            Where::InB => Some(self.b.buffer.center()),
            Where::InKernel => Some(self.kernel.send.center()),
            Where::InKernelForB => Some(self.kernel.receive.center()),
            // The page's bottom line, below its name and frame.
            Where::InShared => self
                .page
                .map(|p| p.center_bottom() - vec2(0.0, p.height() / 6.0)),
        }
    }
}

/// Whether the picture is simulated or the real children (the panel draws the caption
/// above); returns the body below it, or `None` when there is no room for it.
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
    let mode = if live.is_some() {
        words(
            lang,
            "live: the rows marked real were read from ProcLab's children (which do not talk to each other); x, the page tables and the message are simulated",
            "실시간: '실제' 행은 ProcLab의 자식 프로세스에서 읽은 값(자식끼리는 통신하지 않음) · x, 페이지 테이블, 메시지는 시뮬레이션",
        )
    } else {
        words(lang, "simulated", "시뮬레이션")
    };
    let at = pos2(rect.left() + pad, rect.top() + pad * 0.2);
    let mode_rect = fitted_text(
        canvas,
        at,
        Align2::LEFT_TOP,
        mode,
        &fonts.small,
        rect.width() - 2.0 * pad,
        style.weak_text,
    );
    let body = Rect::from_min_max(
        pos2(rect.left() + pad, mode_rect.bottom() + pad * 0.6),
        rect.max - vec2(pad, pad),
    );
    (body.height() >= 60.0 && body.width() >= 80.0).then_some(body)
}

/// The route a message takes through the kernel, drawn faintly so the moving part stands
/// out; into and out of one shared buffer side by side.
fn paint_route(canvas: &Canvas, a: &Space, b: &Space, kernel: &Kernel) {
    let faint = canvas.style.stroke.gamma_multiply(0.45);
    let shift = if kernel.send == kernel.receive {
        kernel.send.width() * 0.2
    } else {
        0.0
    };
    canvas.arrow(
        a.buffer.center_bottom(),
        kernel.send.center_top() - vec2(shift, 0.0),
        faint,
        1.2,
    );
    canvas.arrow(
        kernel.receive.center_top() + vec2(shift, 0.0),
        b.buffer.center_bottom(),
        faint,
        1.2,
    );
}

/// The message itself, moving from where it was to where it is, with the system call that
/// moved it.
fn paint_message(ctx: &Ctx, body: Rect, places: &Places) {
    let Ctx {
        canvas,
        state,
        previous,
        fonts,
        pad,
        lang,
        ..
    } = *ctx;
    let style = canvas.style;
    let eased = canvas.eased();
    let Some(now) = places.spot(state.message_at) else {
        return;
    };
    // With shared memory the message is written from A into the page: it comes from A.
    let before = previous.and_then(|p| match (p.message_at, state.message_at) {
        (Where::Nowhere, Where::InShared) => Some(places.a.buffer.center()),
        (at, _) => places.spot(at),
    });
    let moved_from = before.filter(|from| from.distance(now) > 1.0);
    if let Some(from) = moved_from {
        canvas.growing_arrow(from, now, eased.max(0.05), style.highlight, 2.5);
        if let Some(call) = state.call {
            let label = format!("{call} · {}", words(lang, "system call", "시스템 콜"));
            let at = from.lerp(now, 0.5) + vec2(pad, 0.0);
            fitted_text(
                canvas,
                at,
                Align2::LEFT_CENTER,
                &label,
                &fonts.small,
                body.width() * 0.3,
                style.highlight,
            );
        }
    }
    let position = moved_from.map_or(now, |from| from.lerp(now, eased));
    let alpha = if before.is_none() && previous.is_some() {
        eased.max(0.2)
    } else {
        1.0
    };
    let shown = match (state.ipc, state.message_at) {
        // A queue keeps the message whole; the marks show its boundaries.
        (Ipc::MessageQueue, Where::InKernel) => format!("‹{}›", state.message),
        _ => state.message.clone(),
    };
    let size = vec2(
        estimated_width(&shown, &fonts.mono) + pad * 1.5,
        fonts.mono.size * 1.8,
    );
    let token = Rect::from_center_size(position, size);
    canvas.labelled_box(token, style.background.gamma_multiply(alpha), "", true);
    canvas.text(
        token.center(),
        Align2::CENTER_CENTER,
        shown,
        &fonts.mono,
        style.text.gamma_multiply(alpha),
    );
}

/// Shared memory: B loading what A stored, through its own mapping.
fn paint_shared_load(ctx: &Ctx, body: Rect, places: &Places) {
    let Ctx {
        canvas,
        state,
        previous,
        fonts,
        pad,
        lang,
        ..
    } = *ctx;
    let Some(page) = places.page else { return };
    let first_read = state.b.buffer.is_some() && previous.is_some_and(|p| p.b.buffer.is_none());
    if state.ipc != Ipc::SharedMemory || !first_read {
        return;
    }
    let style = canvas.style;
    let (from, to) = (page.right_center(), places.b.buffer.left_center());
    canvas.growing_arrow(from, to, canvas.eased().max(0.05), style.highlight, 2.5);
    let label = words(lang, "load, no copy", "읽기, 복사 없음");
    let at = from.lerp(to, 0.5) - vec2(0.0, pad);
    fitted_text(
        canvas,
        at,
        Align2::CENTER_BOTTOM,
        label,
        &fonts.small,
        body.width() * 0.3,
        style.highlight,
    );
}

/// Which of the two processes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    A,
    B,
}

impl Side {
    /// This side's process now, before, and the real child drawn beside it.
    fn of<'a>(self, ctx: &Ctx<'a>) -> (&'a Process, Option<&'a Process>, Option<&'a LiveProcess>) {
        let real = |i: usize| ctx.live.and_then(|l| l.processes.get(i));
        match self {
            Side::A => (&ctx.state.a, ctx.previous.map(|p| &p.a), real(0)),
            Side::B => (&ctx.state.b, ctx.previous.map(|p| &p.b), real(1)),
        }
    }
}

/// One address space: its name, `x` at the shared virtual address, the frame behind it, the
/// real child's heap in live mode, and the buffer or mapped page the message goes through.
fn paint_space(ctx: &Ctx, rect: Rect, side: Side) -> Space {
    let Ctx {
        canvas,
        fonts,
        pad,
        lang,
        ..
    } = *ctx;
    let style = canvas.style;
    let (process, before, real) = side.of(ctx);
    canvas.labelled_box(rect, style.region(RegionColor::Free), "", false);
    // The exchange between A and B is simulated, so they are named, never numbered: a real
    // child's id appears only on the row of what was read from it.
    let title = match lang {
        Language::En => format!("process {}", process.name),
        Language::Ko => format!("프로세스 {}", process.name),
    };
    let width = rect.width() - 2.0 * pad;
    let title_rect = fitted_text(
        canvas,
        rect.left_top() + vec2(pad, pad * 0.5),
        Align2::LEFT_TOP,
        &title,
        &fonts.label,
        width,
        style.text,
    );
    let sub = words(lang, "its own address space", "자기만의 주소 공간");
    let at = pos2(rect.left() + pad, title_rect.bottom());
    let sub_rect = fitted_text(
        canvas,
        at,
        Align2::LEFT_TOP,
        sub,
        &fonts.small,
        width,
        style.weak_text,
    );
    let area = Rect::from_min_max(
        pos2(rect.left() + pad, sub_rect.bottom() + pad * 0.4),
        rect.max - vec2(pad, pad * 0.6),
    );
    let rows = if real.is_some() { 4 } else { 3 };
    let row_height = area.height() / rows as f32;
    let row = |i: usize| {
        Rect::from_min_size(
            pos2(area.left(), area.top() + row_height * i as f32),
            vec2(area.width(), row_height),
        )
        .shrink(1.5)
    };
    paint_x(ctx, row(0), process, before);
    // The page table's answer for that address: a frame only this process uses.
    let frame_text = match lang {
        Language::En => format!("page table » physical {:#x}", process.x_physical),
        Language::Ko => format!("페이지 테이블 » 물리 주소 {:#x}", process.x_physical),
    };
    fitted_text(
        canvas,
        row(1).center(),
        Align2::CENTER_CENTER,
        &frame_text,
        &fonts.small,
        row(1).width(),
        style.weak_text,
    );
    if let Some(r) = real {
        paint_real_row(ctx, row(2), r);
    }
    let buffer = row(rows - 1);
    paint_buffer(ctx, buffer, process, before);
    Space { buffer }
}

/// `x`: the same address in both processes, each with its own value.
fn paint_x(ctx: &Ctx, rect: Rect, process: &Process, before: Option<&Process>) {
    let Ctx {
        canvas, fonts, pad, ..
    } = *ctx;
    let changed = before.is_some_and(|b| b.x != process.x);
    canvas.labelled_box(rect, canvas.style.region(RegionColor::Data), "", changed);
    let text = if changed && canvas.phase < 1.0 {
        format!(
            "x @ {X_ADDRESS:#x} = {} » {}",
            before.map_or(0, |b| b.x),
            process.x
        )
    } else {
        format!("x @ {X_ADDRESS:#x} = {}", process.x)
    };
    fitted_text(
        canvas,
        rect.center(),
        Align2::CENTER_CENTER,
        &text,
        &fonts.mono,
        rect.width() - pad,
        canvas.style.text,
    );
}

/// What was read from the real child beside this simulated process.
fn paint_real_row(ctx: &Ctx, rect: Rect, real: &LiveProcess) {
    let Ctx {
        canvas,
        fonts,
        pad,
        lang,
        ..
    } = *ctx;
    canvas.labelled_box(rect, canvas.style.region(RegionColor::Heap), "", false);
    let heap = real_hex(real.heap_addr);
    let text = match lang {
        Language::En => format!("real child pid {}: heap {heap} = {}", real.pid, real.value),
        Language::Ko => format!("실제 자식 pid {}: 힙 {heap} = {}", real.pid, real.value),
    };
    fitted_text(
        canvas,
        rect.center(),
        Align2::CENTER_CENTER,
        &text,
        &fonts.mono,
        rect.width() - pad,
        canvas.style.text,
    );
}

/// The buffer, or for shared memory the page as mapped here, with what it holds.
fn paint_buffer(ctx: &Ctx, rect: Rect, process: &Process, before: Option<&Process>) {
    let Ctx {
        canvas,
        state,
        fonts,
        pad,
        lang,
        ..
    } = *ctx;
    let style = canvas.style;
    let received = before.is_some_and(|b| b.buffer.is_none()) && process.buffer.is_some();
    let mapped_at = state
        .shared_page
        .as_ref()
        .map(|p| if process.name == "A" { p.in_a } else { p.in_b });
    let (fill, name) = match mapped_at {
        Some(address) => (
            style.region(RegionColor::Heap),
            match lang {
                Language::En => format!("shared page @ {address:#x}"),
                Language::Ko => format!("공유 페이지 @ {address:#x}"),
            },
        ),
        None => (
            style.region(RegionColor::Stack),
            words(lang, "buffer", "버퍼").to_owned(),
        ),
    };
    canvas.labelled_box(rect, fill, "", received);
    let content = match &process.buffer {
        Some(message) => format!("{name}: {message}"),
        None => format!("{name}: {}", words(lang, "(empty)", "(비어 있음)")),
    };
    fitted_text(
        canvas,
        rect.center(),
        Align2::CENTER_CENTER,
        &content,
        &fonts.small,
        rect.width() - pad,
        style.text,
    );
}

/// The kernel, with the buffer this IPC uses and the running counts of copies and calls.
fn paint_kernel(ctx: &Ctx, rect: Rect) -> Kernel {
    let Ctx {
        canvas,
        state,
        previous,
        ..
    } = *ctx;
    canvas.labelled_box(rect, canvas.style.region(RegionColor::Kernel), "", false);
    let area = paint_kernel_header(ctx, rect);
    let holds = state.kernel_buffer.is_some()
        || matches!(state.message_at, Where::InKernel | Where::InKernelForB);
    let arrived = holds && previous.is_some_and(|p| p.message_at != state.message_at);
    match state.ipc {
        Ipc::Socket => paint_sockets(ctx, area, arrived),
        Ipc::Pipe | Ipc::MessageQueue => paint_kernel_buffer(ctx, area, arrived),
        Ipc::SharedMemory => {
            let note = words(
                ctx.lang,
                "not involved per message: it only mapped the shared page once",
                "메시지마다 관여하지 않음: 공유 페이지를 한 번 매핑했을 뿐",
            );
            let style = canvas.style;
            fitted_text(
                canvas,
                area.center(),
                Align2::CENTER_CENTER,
                note,
                &ctx.fonts.small,
                area.width(),
                style.weak_text,
            );
            let centre =
                Rect::from_center_size(area.center(), vec2(area.width() * 0.4, area.height()));
            Kernel {
                send: centre,
                receive: centre,
            }
        }
    }
}

/// The kernel's name and the copies and system calls so far (outlined when this step added
/// one); returns the area below them.
fn paint_kernel_header(ctx: &Ctx, rect: Rect) -> Rect {
    let Ctx {
        canvas,
        state,
        previous,
        fonts,
        pad,
        lang,
        ..
    } = *ctx;
    let style = canvas.style;
    let title = words(
        lang,
        "kernel (shared by all processes, only via system calls)",
        "커널 (모든 프로세스가 공유, 시스템 콜로만 접근)",
    );
    let at = rect.left_top() + vec2(pad, pad * 0.4);
    let title_rect = fitted_text(
        canvas,
        at,
        Align2::LEFT_TOP,
        title,
        &fonts.small,
        rect.width() * 0.55,
        style.text,
    );
    let counts = match lang {
        Language::En => format!(
            "copies through the kernel: {}, system calls: {}",
            state.copies, state.syscalls
        ),
        Language::Ko => format!(
            "커널을 거친 복사: {}번, 시스템 콜: {}번",
            state.copies, state.syscalls
        ),
    };
    let counted =
        previous.is_some_and(|p| p.copies != state.copies || p.syscalls != state.syscalls);
    let counts_width =
        (estimated_width(&counts, &fonts.label) + pad * 1.5).min(rect.width() * 0.42);
    let counts_rect = Rect::from_min_size(
        pos2(
            rect.right() - pad * 0.5 - counts_width,
            rect.top() + pad * 0.3,
        ),
        vec2(counts_width, fonts.label.size * 1.6),
    );
    canvas.labelled_box(counts_rect, style.background, "", counted);
    fitted_text(
        canvas,
        counts_rect.center(),
        Align2::CENTER_CENTER,
        &counts,
        &fonts.label,
        counts_width - pad,
        style.text,
    );
    Rect::from_min_max(
        pos2(
            rect.left() + pad,
            title_rect.bottom().max(counts_rect.bottom()) + pad * 0.4,
        ),
        rect.max - vec2(pad, pad * 0.5),
    )
}

/// A Unix domain socket: the send buffer under A, the receive buffer under B, the kernel's
/// hand-over between.
fn paint_sockets(ctx: &Ctx, area: Rect, arrived: bool) -> Kernel {
    let Ctx {
        canvas,
        state,
        fonts,
        pad,
        lang,
        ..
    } = *ctx;
    let style = canvas.style;
    let part = area.width() * 0.3;
    let send = Rect::from_min_size(area.min, vec2(part, area.height()));
    let receive = Rect::from_min_size(
        pos2(area.right() - part, area.top()),
        vec2(part, area.height()),
    );
    let between = Rect::from_min_max(
        pos2(send.right() + pad, area.top()),
        pos2(receive.left() - pad, area.bottom()),
    );
    let at_receive = state.message_at == Where::InKernelForB;
    canvas.labelled_box(
        send,
        style.background,
        "",
        arrived && state.message_at == Where::InKernel,
    );
    canvas.labelled_box(receive, style.background, "", arrived && at_receive);
    canvas.labelled_box(
        between,
        style.region(RegionColor::Kernel),
        "",
        arrived && at_receive,
    );
    for (r, en, ko) in [
        (send, "socket send buffer", "소켓 송신 버퍼"),
        (receive, "socket receive buffer", "소켓 수신 버퍼"),
        (
            between,
            "Unix domain socket: kernel to kernel, no TCP/IP",
            "유닉스 도메인 소켓: 커널 안에서, TCP/IP 없이",
        ),
    ] {
        let at = r.center_top() + vec2(0.0, pad * 0.2);
        fitted_text(
            canvas,
            at,
            Align2::CENTER_TOP,
            words(lang, en, ko),
            &fonts.small,
            r.width() - pad * 0.5,
            style.text,
        );
    }
    let faint = style.stroke.gamma_multiply(0.45);
    canvas.arrow(send.right_center(), between.left_center(), faint, 1.2);
    canvas.arrow(between.right_center(), receive.left_center(), faint, 1.2);
    Kernel { send, receive }
}

/// A pipe's or a message queue's one kernel buffer, with the kind of data it keeps.
fn paint_kernel_buffer(ctx: &Ctx, area: Rect, arrived: bool) -> Kernel {
    let Ctx {
        canvas,
        state,
        fonts,
        pad,
        lang,
        ..
    } = *ctx;
    let style = canvas.style;
    let buffer = Rect::from_center_size(area.center(), vec2(area.width() * 0.4, area.height()));
    canvas.labelled_box(buffer, style.background, "", arrived);
    let (name, kind) = if state.ipc == Ipc::Pipe {
        (
            words(lang, "pipe buffer", "파이프 버퍼"),
            words(
                lang,
                "byte stream: no boundaries",
                "바이트 스트림: 경계 없음",
            ),
        )
    } else {
        (
            words(lang, "message queue", "메시지 큐"),
            words(
                lang,
                "whole messages, boundaries kept",
                "메시지 단위, 경계 유지",
            ),
        )
    };
    let width = buffer.width() - pad * 0.5;
    let top = buffer.center_top() + vec2(0.0, pad * 0.2);
    fitted_text(
        canvas,
        top,
        Align2::CENTER_TOP,
        name,
        &fonts.small,
        width,
        style.text,
    );
    let bottom = buffer.center_bottom() - vec2(0.0, pad * 0.2);
    fitted_text(
        canvas,
        bottom,
        Align2::CENTER_BOTTOM,
        kind,
        &fonts.small,
        width,
        style.weak_text,
    );
    Kernel {
        send: buffer,
        receive: buffer,
    }
}

/// The one physical page both processes map, between them, linked to where each maps it.
fn paint_shared_page(ctx: &Ctx, middle: Rect, a: &Space, b: &Space) -> Option<Rect> {
    let Ctx {
        canvas,
        state,
        previous,
        fonts,
        pad,
        lang,
        ..
    } = *ctx;
    let page = state.shared_page.as_ref()?;
    let style = canvas.style;
    let appeared = previous.is_some_and(|p| p.shared_page.is_none());
    let fade = if appeared {
        canvas.eased().max(0.15)
    } else {
        1.0
    };
    let height = (a.buffer.height() * 2.2).min(middle.height() * 0.6);
    // Centred on the rows that map it, and a little over both spaces' edges: one page, in
    // both at once.
    let centre = pos2(
        middle.center().x,
        a.buffer.center().y.min(middle.bottom() - height * 0.5),
    );
    let rect = Rect::from_center_size(centre, vec2((middle.width() + pad * 2.0).max(10.0), height));
    let was_empty = previous.is_some_and(|p| {
        p.shared_page
            .as_ref()
            .and_then(|s| s.content.as_ref())
            .is_none()
    });
    let written = was_empty && page.content.is_some();
    canvas.labelled_box(
        rect,
        style.region(RegionColor::Heap).gamma_multiply(fade),
        "",
        appeared || written,
    );
    let line = rect.height() / 3.0;
    let text_width = rect.width() - pad * 0.6;
    let name = words(lang, "shared page", "공유 페이지");
    let at = pos2(rect.center().x, rect.top() + line * 0.5);
    fitted_text(
        canvas,
        at,
        Align2::CENTER_CENTER,
        name,
        &fonts.small,
        text_width,
        style.text.gamma_multiply(fade),
    );
    let frame = match lang {
        Language::En => format!("physical {:#x}", page.frame),
        Language::Ko => format!("물리 주소 {:#x}", page.frame),
    };
    let at = pos2(rect.center().x, rect.top() + line * 1.5);
    fitted_text(
        canvas,
        at,
        Align2::CENTER_CENTER,
        &frame,
        &fonts.small,
        text_width,
        style.weak_text.gamma_multiply(fade),
    );
    if state.needs_sync {
        let warn = words(
            lang,
            "needs synchronization (semaphore)",
            "동기화 필요 (세마포어)",
        );
        let at = pos2(rect.center().x, rect.bottom() + pad * 0.4);
        let width = (middle.width() + pad * 2.0).max(10.0);
        let warn_rect = fitted_text(
            canvas,
            at,
            Align2::CENTER_TOP,
            warn,
            &fonts.small,
            width,
            style.danger,
        );
        canvas.painter.rect_stroke(
            warn_rect.expand(2.0),
            3.0,
            Stroke::new(1.5 * style.line, style.danger),
            StrokeKind::Outside,
        );
    }
    // Each process reaches the same frame through its own mapping.
    let link = style.text.gamma_multiply(0.6 * fade);
    canvas.dashed(a.buffer.right_center(), rect.left_center(), link);
    canvas.dashed(rect.right_center(), b.buffer.left_center(), link);
    Some(rect)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::processes::{Params, script};
    use crate::ui::scenes::draw::on_every_canvas;
    use egui::FontId;

    #[test]
    fn text_estimates_grow_with_length_and_hangul_is_wider() {
        let font = FontId::monospace(10.0);
        assert!(estimated_width("x=42x=42", &font) > estimated_width("x=42", &font));
        assert!(estimated_width("버퍼", &font) > estimated_width("bu", &font));
    }

    /// Every step of every IPC, mid-move and settled, at the smallest and largest canvas,
    /// simulated and live: painting never panics.
    #[test]
    fn every_step_of_every_ipc_paints_at_every_size() {
        let child = |pid: u32, value: u64| LiveProcess {
            pid,
            heap_addr: 0x5555_5555_a2c0,
            static_addr: 0x5555_5555_8010,
            value,
        };
        let live = Live {
            pid: 4000,
            processes: vec![child(4001, 7), child(4002, 9), child(4003, 11)],
            ..Live::default()
        };
        let one = Live {
            pid: 4000,
            processes: vec![child(4001, 7)],
            ..Live::default()
        };
        on_every_canvas(|canvas| {
            for ipc in Ipc::ALL {
                let script = script(&Params { ipc });
                for live in [None, Some(&live), Some(&one)] {
                    for step in 0..script.len() {
                        let (state, previous) = (script.state(step), script.previous(step));
                        paint(canvas, state, previous, live, Language::En);
                    }
                }
            }
        });
    }
}
