//! The evidence area for stepping real threads: each thread's loop with the instruction it
//! executes next, its registers (what changed in the last move stands out), the counter in
//! the child's memory, the buttons and number keys that step a thread, and each lost update
//! told as the instructions that made it, beside the same order in the simulation.

use egui::{RichText, Ui};

use crate::lab::stepped::{Event, Executed, Listing, LostUpdate, Move, Role, Snapshot, ThreadNow};
use crate::lesson::Language;
use crate::limits::STEPPED_THREADS;

use super::command::Command;
use super::distribution_plot::distribution_plot_ui;
use super::evidence::count_ui;
use super::lab_errors::lab_error_text;
use super::stepper_panel::{StepperOrder, StepperPanel};
use super::strings::Msg;

/// The keys that step threads 1 to 4.
const THREAD_KEYS: [egui::Key; 4] = [
    egui::Key::Num1,
    egui::Key::Num2,
    egui::Key::Num3,
    egui::Key::Num4,
];

/// How many of the latest events the history lists.
const HISTORY: usize = 8;

/// Draws the stepper; `mirror` (the game's thread count) plays each real load, add and
/// store in the diagram's game for as long as the game can follow.
pub fn stepper_ui(
    ui: &mut Ui,
    lang: Language,
    panel: &mut StepperPanel,
    mirror: Option<usize>,
    commands: &mut Vec<Command>,
) {
    if let Some(failure) = &panel.failure {
        ui.colored_label(ui.visuals().warn_fg_color, lab_error_text(failure, lang));
    }
    controls_ui(ui, lang, panel, mirror.is_some(), commands);
    if let Some(game_threads) = mirror {
        let played = panel.unmirrored(game_threads);
        commands.extend(played.into_iter().map(Command::ChooseInDiagram));
        if !panel.mirror_follows() {
            ui.label(
                RichText::new(Msg::StepMirrorStopped.text(lang))
                    .small()
                    .weak(),
            );
        }
    }
    let Some(snapshot) = panel.snapshot.as_deref() else {
        if panel.starting() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(Msg::StepStarting.text(lang));
            });
        }
        return;
    };
    keys_ui(ui, snapshot, commands);
    ui.label(RichText::new(headline(snapshot, lang)).strong());
    // Above the threads, so that it is in sight on a small screen without scrolling.
    kernel_ui(ui, lang, &mut panel.kernel_millis, commands);
    counter_ui(ui, snapshot, lang);
    ui.columns(snapshot.threads.len(), |columns| {
        for (t, column) in columns.iter_mut().enumerate() {
            let loaded = panel.loaded.get(t).copied().unwrap_or(false);
            thread_ui(column, snapshot, (t, loaded), lang, commands);
        }
    });
    if let Some(lost) = snapshot.lost_updates.last() {
        lost_update_ui(ui, snapshot, lost, lang);
    }
    history_ui(ui, snapshot, lang);
    if let Some(figure) = &panel.step_times {
        egui::CollapsingHeader::new(Msg::StepCost.text(lang))
            .id_salt("stepped-step-times")
            .show(ui, |ui| distribution_plot_ui(ui, lang, figure, 140.0));
    }
}

/// Start, restart and close, with the thread count and the plain word that nothing undoes.
fn controls_ui(
    ui: &mut Ui,
    lang: Language,
    panel: &mut StepperPanel,
    mirror: bool,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let range = STEPPED_THREADS;
        let note = format!("{}..={}", range.start(), range.end());
        count_ui(
            ui,
            Msg::ExperimentThreads.text(lang),
            &mut panel.threads,
            range,
            &note,
        );
        let start = match panel.running() {
            true => Msg::StepRestart,
            false => Msg::StepStart,
        };
        if ui.button(start.text(lang)).clicked() {
            let threads = panel.threads;
            commands.push(Command::Stepper(StepperOrder::Start { threads }));
            if mirror {
                commands.push(Command::SeekDiagram(0));
            }
        }
        if panel.running() && ui.button(Msg::StepClose.text(lang)).clicked() {
            commands.push(Command::Stepper(StepperOrder::Close));
        }
    });
    ui.label(RichText::new(Msg::StepNoUndo.text(lang)).small().weak());
}

/// Number keys step threads, unless the user is typing somewhere.
fn keys_ui(ui: &Ui, snapshot: &Snapshot, commands: &mut Vec<Command>) {
    if ui.ctx().memory(|m| m.focused().is_some()) {
        return;
    }
    for (thread, key) in THREAD_KEYS.iter().enumerate().take(snapshot.threads.len()) {
        if ui.input(|i| i.key_pressed(*key)) {
            commands.push(Command::Stepper(StepperOrder::one_instruction(thread)));
        }
    }
}

fn headline(snapshot: &Snapshot, lang: Language) -> String {
    let threads = snapshot.threads.len();
    match lang {
        Language::En => format!(
            "Child process {}: {threads} real threads, stopped with ptrace. Nothing here is simulated.",
            snapshot.pid
        ),
        Language::Ko => format!(
            "자식 프로세스 {}: ptrace로 멈춘 실제 스레드 {threads}개. 여기에는 시뮬레이션이 없습니다.",
            snapshot.pid
        ),
    }
}

/// The counter as read from the child's memory, with what was expected and lost.
fn counter_ui(ui: &mut Ui, snapshot: &Snapshot, lang: Language) {
    let text = match lang {
        Language::En => format!(
            "count in the child's memory ({:#x}) = {} · increments finished {} · lost {}",
            snapshot.count_address, snapshot.counter, snapshot.expected, snapshot.lost
        ),
        Language::Ko => format!(
            "자식 메모리의 count ({:#x}) = {} · 완료한 증가 {} · 잃음 {}",
            snapshot.count_address, snapshot.counter, snapshot.expected, snapshot.lost
        ),
    };
    let color = match snapshot.lost {
        0 => ui.visuals().text_color(),
        _ => ui.visuals().error_fg_color,
    };
    ui.label(RichText::new(text).monospace().color(color));
}

/// One thread: its buttons, its loop with the next instruction marked, and its registers.
/// `loaded` says whether its value register holds a load of this run yet.
fn thread_ui(
    ui: &mut Ui,
    snapshot: &Snapshot,
    (t, loaded): (usize, bool),
    lang: Language,
    commands: &mut Vec<Command>,
) {
    let thread = &snapshot.threads[t];
    ui.label(RichText::new(format!("T{} · tid {}", t + 1, thread.tid)).strong());
    ui.horizontal_wrapped(|ui| {
        let step = format!("{} ({})", Msg::StepOne.text(lang), t + 1);
        if ui.button(step).clicked() {
            commands.push(Command::Stepper(StepperOrder::one_instruction(t)));
        }
        if ui.button(Msg::StepToStore.text(lang)).clicked() {
            let step = Move::Until {
                thread: t,
                role: Role::Store,
            };
            commands.push(Command::Stepper(StepperOrder::Move(step)));
        }
    });
    listing_ui(ui, &snapshot.listing, thread.line, t);
    let before = snapshot.before.get(t).unwrap_or(thread);
    registers_ui(ui, &snapshot.listing, (thread, before), loaded, lang);
}

/// Narrower than this, a thread's column has no room for the source beside each
/// instruction, and gives only the next instruction's source under the listing.
const ROOM_FOR_SOURCE: f32 = 330.0;

/// The loop's instructions, each with the source line it stands for; the next one marked.
fn listing_ui(ui: &mut Ui, listing: &Listing, next: Option<usize>, t: usize) {
    let beside = ui.available_width() >= ROOM_FOR_SOURCE;
    egui::Grid::new(("stepped-listing", t))
        .num_columns(if beside { 2 } else { 1 })
        .spacing([6.0, 2.0])
        .show(ui, |ui| {
            for (i, line) in listing.loop_lines() {
                let is_next = next == Some(i);
                let mark = if is_next { ">" } else { " " };
                let text = RichText::new(format!("{mark} {}", line.text)).monospace();
                let text = match is_next {
                    true => text
                        .strong()
                        .background_color(ui.visuals().selection.bg_fill),
                    false => text,
                };
                ui.label(text);
                if beside {
                    ui.label(RichText::new(line.role.source()).monospace().weak());
                }
                ui.end_row();
            }
        });
    if let Some(line) = next.filter(|_| !beside) {
        let source = listing.lines[line].role.source();
        ui.label(RichText::new(format!("// {source}")).monospace().weak());
    }
}

/// The registers that matter, a changed one in the warning colour.
fn registers_ui(
    ui: &mut Ui,
    listing: &Listing,
    (now, before): (&ThreadNow, &ThreadNow),
    loaded: bool,
    lang: Language,
) {
    let (copy, own) = match (lang, loaded) {
        (Language::En, true) => ("its copy of count", "its own increments"),
        (Language::En, false) => ("not loaded yet", "its own increments"),
        (Language::Ko, true) => ("count의 자기 사본", "자기 증가 횟수"),
        (Language::Ko, false) => ("아직 읽지 않음", "자기 증가 횟수"),
    };
    let rows = [
        (
            "rip".to_owned(),
            format!("{:#x}", now.ip),
            now.ip != before.ip,
        ),
        (
            "rsp".to_owned(),
            format!("{:#x}", now.sp),
            now.sp != before.sp,
        ),
        (
            listing.value_register.clone(),
            format!("{} ({copy})", now.value),
            now.value != before.value,
        ),
        (
            listing.tally_register.clone(),
            format!("{} ({own})", now.tally),
            now.tally != before.tally,
        ),
    ];
    for (name, value, changed) in rows {
        let text = RichText::new(format!("{name:>3} = {value}"))
            .monospace()
            .small();
        let text = match changed {
            true => text.strong().color(ui.visuals().warn_fg_color),
            false => text,
        };
        ui.label(text);
    }
}

/// "Let the kernel schedule for N ms": every thread runs freely, then all stop again.
fn kernel_ui(ui: &mut Ui, lang: Language, millis: &mut u32, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let range = 1..=crate::lab::stepped::MOST_KERNEL_MILLIS;
        let note = format!("{}..={} ms", range.start(), range.end());
        count_ui(ui, Msg::StepKernelMillis.text(lang), millis, range, &note);
        if ui.button(Msg::StepKernel.text(lang)).clicked() {
            let step = Move::Kernel { millis: *millis };
            commands.push(Command::Stepper(StepperOrder::Move(step)));
        }
    });
}

/// A lost update: who overwrote what, the instructions that did it, and the simulation's
/// verdict on the same order.
fn lost_update_ui(ui: &mut Ui, snapshot: &Snapshot, lost: &LostUpdate, lang: Language) {
    let order: Vec<String> = lost
        .sequence
        .iter()
        .filter_map(|&i| match snapshot.events.get(i) {
            Some(Event::Instruction(x)) => Some(step_name(x, lang)),
            _ => None,
        })
        .collect();
    let (what, how) = match lang {
        Language::En => (
            format!(
                "Update lost for real: T{} stored {} over {} in the child's memory, a value \
                 it computed from a load made before another thread's store.",
                lost.thread + 1,
                lost.stored,
                lost.overwrote,
            ),
            format!("The order that did it: {}.", order.join(", ")),
        ),
        Language::Ko => (
            format!(
                "실제로 증가를 잃었습니다: T{}이(가) 자식 메모리의 {} 위에 {}을(를) 저장했습니다. \
                 다른 스레드가 저장하기 전에 읽은 값으로 계산한 값입니다.",
                lost.thread + 1,
                lost.overwrote,
                lost.stored,
            ),
            format!("그렇게 만든 순서: {}.", order.join(", ")),
        ),
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(
            RichText::new(what)
                .strong()
                .color(ui.visuals().error_fg_color),
        );
        ui.label(how);
        ui.label(simulated_text(lost, lang));
    });
}

fn simulated_text(lost: &LostUpdate, lang: Language) -> String {
    match (&lost.simulated, lang) {
        (Some(s), Language::En) => format!(
            "The same order replayed in the simulation, from 0: count = {}, lost {}.",
            s.count, s.lost
        ),
        (Some(s), Language::Ko) => format!(
            "같은 순서를 시뮬레이션에서 0부터 재생하면: count = {}, 잃음 {}.",
            s.count, s.lost
        ),
        (None, Language::En) => "Part of it ran under the kernel, where no single instruction was \
            seen, so the simulation cannot replay it."
            .into(),
        (None, Language::Ko) => "일부가 커널 아래에서 실행되어 명령어 하나하나를 보지 못했으므로 \
            시뮬레이션으로 재생할 수 없습니다."
            .into(),
    }
}

/// "T2 load", as the order of a lost update names each step.
fn step_name(x: &Executed, lang: Language) -> String {
    let role = match (x.role, lang) {
        (Role::Load, Language::En) => "load",
        (Role::Add, Language::En) => "add",
        (Role::Store, Language::En) => "store",
        (Role::Load, Language::Ko) => "읽기",
        (Role::Add, Language::Ko) => "더하기",
        (Role::Store, Language::Ko) => "쓰기",
        _ => "",
    };
    format!("T{} {role}", x.thread + 1)
}

/// The latest events, newest last.
fn history_ui(ui: &mut Ui, snapshot: &Snapshot, lang: Language) {
    let start = snapshot.events.len().saturating_sub(HISTORY);
    for event in &snapshot.events[start..] {
        let text = match event {
            Event::Instruction(x) => format!(
                "T{}  {:<18} count {} -> {}",
                x.thread + 1,
                x.instruction,
                x.counter_before,
                x.counter_after
            ),
            Event::Kernel(k) => kernel_text(k, lang),
        };
        ui.label(RichText::new(text).monospace().small());
    }
}

fn kernel_text(k: &crate::lab::stepped::KernelRun, lang: Language) -> String {
    let done: u64 = k.increments.iter().sum();
    let ms = k.nanos as f64 / 1e6;
    // All threads together, wall time: how fast the loop runs when nobody steps it.
    let each = k.nanos as f64 / done.max(1) as f64;
    // Each thread's share shows how evenly the scheduler handed out the CPUs.
    let shares: Vec<String> = k
        .increments
        .iter()
        .enumerate()
        .map(|(t, n)| format!("T{} {n}", t + 1))
        .collect();
    let shares = shares.join(", ");
    match lang {
        Language::En => format!(
            "kernel ran every thread {ms:.1} ms ({} asked): {done} increments ({shares}; one every {each:.1} ns), count {} -> {}, lost {}",
            k.millis,
            k.counter_before,
            k.counter_after,
            k.lost()
        ),
        Language::Ko => format!(
            "커널이 모든 스레드를 {ms:.1} ms 실행 ({} 요청): 증가 {done} ({shares}; {each:.1} ns마다 하나), count {} -> {}, 잃음 {}",
            k.millis,
            k.counter_before,
            k.counter_after,
            k.lost()
        ),
    }
}
