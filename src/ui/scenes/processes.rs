//! Paints the processes scene: two address spaces side by side with `x` at the same virtual
//! address and different values, the kernel below them, and the message travelling by the
//! chosen IPC: through kernel buffers (two copies, each a system call) or through one shared
//! page mapped into both (no copy). In live mode the boxes carry ProcLab's real child
//! processes.

use super::scene::{Inputs, Scene, Scripted};
use crate::lesson::{IpcKind, SceneSpec};
use crate::sim;
use egui::{Align2, Pos2, Rect, Stroke, StrokeKind, pos2, vec2};

use super::draw::{Canvas, Fonts, estimated_width, fitted_text, in_language, words};
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
    let style = canvas.style;
    let rect = canvas.rect;
    let live = live.filter(|l| !l.processes.is_empty());
    let pad = (rect.width().min(rect.height()) * 0.02).clamp(4.0, 12.0);
    let fonts = Fonts::new(style, rect);
    let eased = canvas.eased();

    // Caption, then whether the picture is simulated or the real children.
    let caption = in_language(&state.caption, lang);
    let width = (rect.width() - 2.0 * pad).max(10.0);
    let caption_height = canvas
        .wrapped(
            rect.left_top() + vec2(pad, pad),
            caption,
            &style.font,
            style.text,
            width,
        )
        .y;
    let mode = if live.is_some() {
        words(
            lang,
            "live: the rows marked real were read from ProcLab's children (which do not talk to each other); x, the page tables and the message are simulated",
            "실시간: '실제' 행은 ProcLab의 자식 프로세스에서 읽은 값(자식끼리는 통신하지 않음) · x, 페이지 테이블, 메시지는 시뮬레이션",
        )
    } else {
        words(lang, "simulated", "시뮬레이션")
    };
    let mode_rect = fitted_text(
        canvas,
        pos2(
            rect.left() + pad,
            rect.top() + pad + caption_height + pad * 0.4,
        ),
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
    if body.height() < 60.0 || body.width() < 80.0 {
        return;
    }

    // Two address spaces on top, the kernel beneath both, the gap between for the arrows.
    let spaces_height = body.height() * 0.60;
    let kernel_rect = Rect::from_min_max(
        pos2(body.left(), body.top() + body.height() * 0.70),
        body.max,
    );
    let side = body.width() * 0.36;
    let a_rect = Rect::from_min_size(body.min, vec2(side, spaces_height));
    let b_rect = Rect::from_min_size(
        pos2(body.right() - side, body.top()),
        vec2(side, spaces_height),
    );
    let middle = Rect::from_min_max(
        pos2(a_rect.right() + pad, body.top()),
        pos2(b_rect.left() - pad, body.top() + spaces_height),
    );

    let shared_memory = state.ipc == Ipc::SharedMemory;
    let a = paint_space(
        canvas,
        a_rect,
        &state.a,
        previous.map(|p| &p.a),
        live.and_then(|l| l.processes.first()),
        state,
        &fonts,
        pad,
        lang,
    );
    let b = paint_space(
        canvas,
        b_rect,
        &state.b,
        previous.map(|p| &p.b),
        live.and_then(|l| l.processes.get(1)),
        state,
        &fonts,
        pad,
        lang,
    );

    // Which IPC, at the top of the middle.
    let ipc_label = format!("IPC: {}", ipc_name(state.ipc, lang));
    fitted_text(
        canvas,
        middle.center_top() + vec2(0.0, pad * 0.3),
        Align2::CENTER_TOP,
        &ipc_label,
        &fonts.label,
        middle.width(),
        style.text,
    );

    let kernel = paint_kernel(canvas, kernel_rect, state, previous, &fonts, pad, lang);
    let page = paint_shared_page(canvas, middle, state, previous, &a, &b, &fonts, pad, lang);

    // The route a message takes, drawn faintly so the moving part stands out.
    let faint = style.stroke.gamma_multiply(0.45);
    if !shared_memory {
        let shift = kernel.send.width() * 0.2;
        let into_kernel = if kernel.send == kernel.receive {
            kernel.send.center_top() - vec2(shift, 0.0)
        } else {
            kernel.send.center_top()
        };
        let out_of_kernel = if kernel.send == kernel.receive {
            kernel.receive.center_top() + vec2(shift, 0.0)
        } else {
            kernel.receive.center_top()
        };
        canvas.arrow(a.buffer.center_bottom(), into_kernel, faint, 1.2);
        canvas.arrow(out_of_kernel, b.buffer.center_bottom(), faint, 1.2);
    }

    // The message itself, moving from where it was to where it is.
    let spot = |at: Where| -> Option<Pos2> {
        match at {
            Where::Nowhere => None,
            Where::InA => Some(a.buffer.center()),
            Where::InB => Some(b.buffer.center()),
            Where::InKernel => Some(kernel.send.center()),
            Where::InKernelForB => Some(kernel.receive.center()),
            // The page's bottom line, below its name and frame.
            Where::InShared => page.map(|p| p.center_bottom() - vec2(0.0, p.height() / 6.0)),
        }
    };
    let now = spot(state.message_at);
    // With shared memory the message is written from A into the page: it comes from A.
    let before = previous.and_then(|p| match (p.message_at, state.message_at) {
        (Where::Nowhere, Where::InShared) => Some(a.buffer.center()),
        (at, _) => spot(at),
    });
    if let Some(now) = now {
        let moved_from = before.filter(|from| from.distance(now) > 1.0);
        if let Some(from) = moved_from {
            canvas.growing_arrow(from, now, eased.max(0.05), style.highlight, 2.5);
            if let Some(call) = state.call {
                let label = format!("{call} · {}", words(lang, "system call", "시스템 콜"));
                let middle_of_leg = from.lerp(now, 0.5);
                fitted_text(
                    canvas,
                    middle_of_leg + vec2(pad, 0.0),
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

    // Shared memory: B loading what A stored, through its own mapping.
    if shared_memory
        && let Some(page) = page
        && state.b.buffer.is_some()
        && previous.is_some_and(|p| p.b.buffer.is_none())
    {
        let from = page.right_center();
        let to = b.buffer.left_center();
        canvas.growing_arrow(from, to, eased.max(0.05), style.highlight, 2.5);
        let label = words(lang, "load, no copy", "읽기, 복사 없음");
        fitted_text(
            canvas,
            from.lerp(to, 0.5) - vec2(0.0, pad),
            Align2::CENTER_BOTTOM,
            label,
            &fonts.small,
            body.width() * 0.3,
            style.highlight,
        );
    }
}

/// One address space: its name, `x` at the shared virtual address, the frame behind it, the
/// real child's heap in live mode, and the buffer or mapped page the message goes through.
#[allow(clippy::too_many_arguments)]
fn paint_space(
    canvas: &Canvas,
    rect: Rect,
    process: &Process,
    before: Option<&Process>,
    real: Option<&LiveProcess>,
    state: &State,
    fonts: &Fonts,
    pad: f32,
    lang: Language,
) -> Space {
    let style = canvas.style;
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
    let sub_rect = fitted_text(
        canvas,
        pos2(rect.left() + pad, title_rect.bottom()),
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

    // x: same address in both, its own value.
    let x_row = row(0);
    let changed = before.is_some_and(|b| b.x != process.x);
    canvas.labelled_box(x_row, style.region(RegionColor::Data), "", changed);
    let x_text = if changed && canvas.phase < 1.0 {
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
        x_row.center(),
        Align2::CENTER_CENTER,
        &x_text,
        &fonts.mono,
        x_row.width() - pad,
        style.text,
    );

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
        let live_row = row(2);
        canvas.labelled_box(live_row, style.region(RegionColor::Heap), "", false);
        let text = match lang {
            Language::En => format!(
                "real child pid {}: heap {} = {}",
                r.pid,
                real_hex(r.heap_addr),
                r.value
            ),
            Language::Ko => format!(
                "실제 자식 pid {}: 힙 {} = {}",
                r.pid,
                real_hex(r.heap_addr),
                r.value
            ),
        };
        fitted_text(
            canvas,
            live_row.center(),
            Align2::CENTER_CENTER,
            &text,
            &fonts.mono,
            live_row.width() - pad,
            style.text,
        );
    }

    // The buffer, or for shared memory the page as mapped here.
    let buffer = row(rows - 1);
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
    canvas.labelled_box(buffer, fill, "", received);
    let content = match &process.buffer {
        Some(message) => format!("{name}: {message}"),
        None => format!("{name}: {}", words(lang, "(empty)", "(비어 있음)")),
    };
    fitted_text(
        canvas,
        buffer.center(),
        Align2::CENTER_CENTER,
        &content,
        &fonts.small,
        buffer.width() - pad,
        style.text,
    );

    Space { buffer }
}

/// The kernel, with the buffer this IPC uses and the running counts of copies and calls.
fn paint_kernel(
    canvas: &Canvas,
    rect: Rect,
    state: &State,
    previous: Option<&State>,
    fonts: &Fonts,
    pad: f32,
    lang: Language,
) -> Kernel {
    let style = canvas.style;
    canvas.labelled_box(rect, style.region(RegionColor::Kernel), "", false);
    let title = words(
        lang,
        "kernel (shared by all processes, only via system calls)",
        "커널 (모든 프로세스가 공유, 시스템 콜로만 접근)",
    );
    let title_rect = fitted_text(
        canvas,
        rect.left_top() + vec2(pad, pad * 0.4),
        Align2::LEFT_TOP,
        title,
        &fonts.small,
        rect.width() * 0.55,
        style.text,
    );

    // Copies and system calls so far, outlined when this step added one.
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

    let area = Rect::from_min_max(
        pos2(
            rect.left() + pad,
            title_rect.bottom().max(counts_rect.bottom()) + pad * 0.4,
        ),
        rect.max - vec2(pad, pad * 0.5),
    );
    let holds = state.kernel_buffer.is_some()
        || matches!(state.message_at, Where::InKernel | Where::InKernelForB);
    let arrived = holds && previous.is_some_and(|p| p.message_at != state.message_at);
    let width = area.width();
    match state.ipc {
        Ipc::Socket => {
            // Send buffer under A, receive buffer under B, the kernel's hand-over between.
            let part = width * 0.3;
            let send = Rect::from_min_size(area.min, vec2(part, area.height()));
            let receive = Rect::from_min_size(
                pos2(area.right() - part, area.top()),
                vec2(part, area.height()),
            );
            let stack = Rect::from_min_max(
                pos2(send.right() + pad, area.top()),
                pos2(receive.left() - pad, area.bottom()),
            );
            let at_send = state.message_at == Where::InKernel;
            let at_receive = state.message_at == Where::InKernelForB;
            canvas.labelled_box(send, style.background, "", arrived && at_send);
            canvas.labelled_box(receive, style.background, "", arrived && at_receive);
            canvas.labelled_box(
                stack,
                style.region(RegionColor::Kernel),
                "",
                arrived && at_receive,
            );
            let name_at = |r: Rect, text: &str| {
                fitted_text(
                    canvas,
                    r.center_top() + vec2(0.0, pad * 0.2),
                    Align2::CENTER_TOP,
                    text,
                    &fonts.small,
                    r.width() - pad * 0.5,
                    style.text,
                );
            };
            name_at(send, words(lang, "socket send buffer", "소켓 송신 버퍼"));
            name_at(
                receive,
                words(lang, "socket receive buffer", "소켓 수신 버퍼"),
            );
            name_at(
                stack,
                words(
                    lang,
                    "Unix domain socket: kernel to kernel, no TCP/IP",
                    "유닉스 도메인 소켓: 커널 안에서, TCP/IP 없이",
                ),
            );
            let faint = style.stroke.gamma_multiply(0.45);
            canvas.arrow(send.right_center(), stack.left_center(), faint, 1.2);
            canvas.arrow(stack.right_center(), receive.left_center(), faint, 1.2);
            Kernel { send, receive }
        }
        Ipc::Pipe | Ipc::MessageQueue => {
            let buffer = Rect::from_center_size(area.center(), vec2(width * 0.4, area.height()));
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
            fitted_text(
                canvas,
                buffer.center_top() + vec2(0.0, pad * 0.2),
                Align2::CENTER_TOP,
                name,
                &fonts.small,
                buffer.width() - pad * 0.5,
                style.text,
            );
            fitted_text(
                canvas,
                buffer.center_bottom() - vec2(0.0, pad * 0.2),
                Align2::CENTER_BOTTOM,
                kind,
                &fonts.small,
                buffer.width() - pad * 0.5,
                style.weak_text,
            );
            Kernel {
                send: buffer,
                receive: buffer,
            }
        }
        Ipc::SharedMemory => {
            let note = words(
                lang,
                "not involved per message: it only mapped the shared page once",
                "메시지마다 관여하지 않음: 공유 페이지를 한 번 매핑했을 뿐",
            );
            fitted_text(
                canvas,
                area.center(),
                Align2::CENTER_CENTER,
                note,
                &fonts.small,
                width,
                style.weak_text,
            );
            let centre = Rect::from_center_size(area.center(), vec2(width * 0.4, area.height()));
            Kernel {
                send: centre,
                receive: centre,
            }
        }
    }
}

/// The one physical page both processes map, between them, linked to where each maps it.
#[allow(clippy::too_many_arguments)]
fn paint_shared_page(
    canvas: &Canvas,
    middle: Rect,
    state: &State,
    previous: Option<&State>,
    a: &Space,
    b: &Space,
    fonts: &Fonts,
    pad: f32,
    lang: Language,
) -> Option<Rect> {
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
    let width = (middle.width() + pad * 2.0).max(10.0);
    let rect = Rect::from_center_size(centre, vec2(width, height));
    let written = previous.is_some_and(|p| {
        p.shared_page
            .as_ref()
            .and_then(|s| s.content.as_ref())
            .is_none()
    }) && page.content.is_some();
    canvas.labelled_box(
        rect,
        style.region(RegionColor::Heap).gamma_multiply(fade),
        "",
        appeared || written,
    );
    let line = rect.height() / 3.0;
    let text_width = rect.width() - pad * 0.6;
    fitted_text(
        canvas,
        pos2(rect.center().x, rect.top() + line * 0.5),
        Align2::CENTER_CENTER,
        words(lang, "shared page", "공유 페이지"),
        &fonts.small,
        text_width,
        style.text.gamma_multiply(fade),
    );
    let frame = match lang {
        Language::En => format!("physical {:#x}", page.frame),
        Language::Ko => format!("물리 주소 {:#x}", page.frame),
    };
    fitted_text(
        canvas,
        pos2(rect.center().x, rect.top() + line * 1.5),
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
        let warn_rect = fitted_text(
            canvas,
            pos2(rect.center().x, rect.bottom() + pad * 0.4),
            Align2::CENTER_TOP,
            warn,
            &fonts.small,
            (middle.width() + pad * 2.0).max(10.0),
            style.danger,
        );
        canvas.painter.rect_stroke(
            warn_rect.expand(2.0),
            3.0,
            Stroke::new(1.5, style.danger),
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
