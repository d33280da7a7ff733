//! The live workers: controls to start, load and stop them, what their rows show about
//! sharing (judged from the rows, never a fixed sentence), and the table of their real ids,
//! addresses, states and CPU shares as the OS reports them.

use crate::lab::memory_map::Part;
use crate::lab::sharing::{Finding, SharingVerdict, verdict};
use crate::lab::{LabCommand, LabSnapshot, Load, OsState, WorkerKind, WorkerRow, hex};
use crate::lesson::Language;

use super::command::Command;
use super::evidence::count_ui;
use super::lab_panel::LabPanel;
use super::memory_map_view::part_name;
use super::strings::Msg;

/// Start and stop buttons, the load switch, the verdict and the table.
pub fn workers_ui(
    ui: &mut egui::Ui,
    lang: Language,
    panel: &mut LabPanel,
    commands: &mut Vec<Command>,
) {
    start_stop_ui(ui, lang, panel, commands);
    load_ui(ui, lang, panel, commands);
    let snapshot = &panel.snapshot;
    if snapshot.workers.is_empty() {
        ui.label(egui::RichText::new(Msg::NoWorkers.text(lang)).weak());
        return;
    }
    ui.label(
        egui::RichText::new(Msg::MeasuredLive.text(lang))
            .small()
            .weak(),
    );
    write_buttons_ui(ui, lang, snapshot, commands);
    verdict_ui(ui, lang, &verdict(snapshot));
    egui::ScrollArea::both()
        .id_salt("workers-table")
        .auto_shrink([false, true])
        .show(ui, |ui| workers_table_ui(ui, lang, snapshot));
}

fn start_stop_ui(
    ui: &mut egui::Ui,
    lang: Language,
    panel: &mut LabPanel,
    commands: &mut Vec<Command>,
) {
    use crate::lab::limits::{MAX_PROCESSES, MAX_THREADS};
    ui.horizontal_wrapped(|ui| {
        count_ui(
            ui,
            Msg::ThreadsLabel.text(lang),
            &mut panel.threads,
            1..=MAX_THREADS,
            Msg::ThreadCap.text(lang),
        );
        if ui.button(Msg::StartThreads.text(lang)).clicked() {
            commands.push(Command::Lab(LabCommand::StartThreads(panel.threads)));
        }
        ui.separator();
        count_ui(
            ui,
            Msg::ProcessesLabel.text(lang),
            &mut panel.processes,
            1..=MAX_PROCESSES,
            Msg::ProcessCap.text(lang),
        );
        if ui.button(Msg::StartProcesses.text(lang)).clicked() {
            commands.push(Command::Lab(LabCommand::StartProcesses(panel.processes)));
        }
        ui.separator();
        let any = !panel.snapshot.workers.is_empty();
        if ui
            .add_enabled(any, egui::Button::new(Msg::StopAll.text(lang)))
            .clicked()
        {
            commands.push(Command::Lab(LabCommand::StopAll));
        }
    });
}

/// The CPU-bound switch, and while it is on, how many CPUs the workers compete for.
fn load_ui(ui: &mut egui::Ui, lang: Language, panel: &LabPanel, commands: &mut Vec<Command>) {
    let mut cpu_bound = panel.load == Load::CpuBound;
    if ui
        .checkbox(&mut cpu_bound, Msg::CpuBound.text(lang))
        .on_hover_text(Msg::CpuBoundHint.text(lang))
        .changed()
    {
        let load = if cpu_bound {
            Load::CpuBound
        } else {
            Load::Parked
        };
        commands.push(Command::SetLoad(load));
    }
    let workers = panel.snapshot.workers.len();
    if cpu_bound && workers > 0 {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let most = (cpus as f64 / workers as f64).min(1.0) * 100.0;
        ui.label(format!(
            "{} {cpus} · {} {workers} · {} {most:.0}%",
            Msg::CpusHere.text(lang),
            Msg::WorkersNow.text(lang),
            Msg::FairShare.text(lang)
        ));
    }
}

fn write_buttons_ui(
    ui: &mut egui::Ui,
    lang: Language,
    snapshot: &LabSnapshot,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let first = |kind| snapshot.of_kind(kind).next().map(|w| w.id);
        for (kind, msg) in [
            (WorkerKind::Thread, Msg::WriteFromThread),
            (WorkerKind::Process, Msg::WriteFromProcess),
        ] {
            if let Some(worker) = first(kind)
                && ui
                    .button(msg.text(lang))
                    .on_hover_text(Msg::WriteExplained.text(lang))
                    .clicked()
            {
                // A fresh value each time, so that every write is visible as a change.
                let value = snapshot
                    .workers
                    .iter()
                    .map(|w| w.memory.heap_value)
                    .chain([snapshot.shared.heap_value, snapshot.shared.static_value])
                    .max()
                    .unwrap_or(0)
                    + 1;
                commands.push(Command::Lab(LabCommand::WriteFrom { worker, value }));
            }
        }
    });
}

/// One line per claim, saying whether the rows below show it.
fn verdict_ui(ui: &mut egui::Ui, lang: Language, verdict: &SharingVerdict) {
    for (finding, claim) in [
        (verdict.thread_stacks_private, Msg::ClaimThreadStacks),
        (verdict.threads_share_addresses, Msg::ClaimThreadsShare),
        (verdict.thread_write_seen_by_all, Msg::ClaimThreadWrite),
        (verdict.process_write_private, Msg::ClaimProcessWrite),
    ] {
        let (mark, color) = match finding {
            Finding::Holds => (Msg::FindingHolds, ui.visuals().text_color()),
            Finding::Contradicted => (Msg::FindingContradicted, ui.visuals().error_fg_color),
            Finding::NotShownYet => (Msg::FindingNotYet, ui.visuals().weak_text_color()),
        };
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 4.0;
            ui.label(
                egui::RichText::new(mark.text(lang))
                    .small()
                    .strong()
                    .color(color),
            );
            ui.label(egui::RichText::new(claim.text(lang)).small().color(color));
        });
    }
}

fn state_text(state: Option<OsState>, lang: Language) -> &'static str {
    match state {
        Some(OsState::Running) => Msg::StateRunning.text(lang),
        Some(OsState::Sleeping) => Msg::StateSleeping.text(lang),
        Some(OsState::Blocked) => Msg::StateBlocked.text(lang),
        Some(OsState::Stopped) => Msg::StateStopped.text(lang),
        Some(OsState::Zombie) => Msg::StateZombie.text(lang),
        Some(OsState::Exited) => Msg::StateExited.text(lang),
        Some(OsState::Unknown) | None => Msg::StateUnknown.text(lang),
    }
}

const COLUMNS: [Msg; 12] = [
    Msg::ColumnKind,
    Msg::ColumnId,
    Msg::ColumnStack,
    Msg::ColumnHeap,
    Msg::ColumnOwnHeap,
    Msg::ColumnStatic,
    Msg::ColumnValue,
    Msg::ColumnState,
    Msg::ColumnShare,
    Msg::ColumnCpu,
    Msg::ColumnSwitches,
    Msg::ColumnResident,
];

fn workers_table_ui(ui: &mut egui::Ui, lang: Language, snapshot: &LabSnapshot) {
    // Addresses and figures never wrap: the table scrolls sideways instead.
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
    egui::Grid::new("workers")
        .striped(true)
        .num_columns(COLUMNS.len())
        .show(ui, |ui| {
            // The addresses come first: they are what this evidence is about.
            for header in COLUMNS {
                ui.label(egui::RichText::new(header.text(lang)).strong());
            }
            ui.end_row();
            // ProcLab's own row: the addresses its threads share.
            let shared = &snapshot.shared;
            ui.label(Msg::SharedProbe.text(lang));
            ui.monospace(snapshot.pid.to_string());
            ui.label("");
            address_ui(ui, lang, shared.heap_addr, snapshot.shared_heap_region);
            ui.label("");
            ui.monospace(hex(shared.static_addr));
            ui.monospace(shared.heap_value.to_string());
            ui.end_row();
            for worker in &snapshot.workers {
                worker_row_ui(ui, lang, worker);
                ui.end_row();
            }
        });
}

/// An address with, under it, the region of the memory map it lies in.
fn address_ui(ui: &mut egui::Ui, lang: Language, address: usize, region: Option<Part>) {
    ui.vertical(|ui| {
        ui.monospace(hex(address));
        if let Some(part) = region {
            ui.label(egui::RichText::new(region_text(part, lang)).small().weak());
        }
    });
}

/// A heap address's region: the main arena's `[heap]`, or an anonymous mapping, which for a
/// heap block is an arena the C library made for other threads.
fn region_text(part: Part, lang: Language) -> &'static str {
    match part {
        Part::Heap => Msg::RegionMainHeap.text(lang),
        Part::Anonymous => Msg::RegionArena.text(lang),
        other => part_name(other).text(lang),
    }
}

fn worker_row_ui(ui: &mut egui::Ui, lang: Language, worker: &WorkerRow) {
    let kind = match worker.kind {
        WorkerKind::Thread => Msg::KindThread,
        WorkerKind::Process => Msg::KindProcess,
    };
    ui.label(kind.text(lang));
    ui.monospace(worker.os_id.to_string());
    ui.monospace(hex(worker.memory.stack_addr));
    address_ui(ui, lang, worker.memory.heap_addr, worker.regions.heap);
    address_ui(
        ui,
        lang,
        worker.memory.own_heap_addr,
        worker.regions.own_heap,
    );
    ui.monospace(hex(worker.memory.static_addr));
    ui.monospace(worker.memory.heap_value.to_string());
    ui.label(state_text(worker.os.state, lang));
    let figure = |value: Option<String>| value.unwrap_or_else(|| "—".into());
    ui.monospace(figure(worker.share.map(|s| {
        format!("{:.0}% / {:.0}%", s.on_cpu * 100.0, s.waiting * 100.0)
    })));
    ui.monospace(figure(
        worker
            .os
            .cpu_time
            .map(|t| format!("{:.1}", t.as_secs_f64() * 1000.0)),
    ));
    ui.monospace(format!(
        "{} / {}",
        figure(worker.os.voluntary_switches.map(|v| v.to_string())),
        figure(worker.os.involuntary_switches.map(|v| v.to_string()))
    ));
    ui.monospace(figure(
        worker
            .os
            .resident_bytes
            .map(|b| format!("{:.1} MiB", b as f64 / 1048576.0)),
    ));
}
