//! The evidence area: the lab's real workers, live, and measured creation cost. Every figure
//! here comes from the OS or from a worker; anything not yet measured says so.

use crate::lab::spawn_cost::{self, MemoryCost, SpawnCost};
use crate::lab::stats::Summary;
use crate::lab::{LabCommand, LabSnapshot, OsState, WorkerKind, WorkerRow, hex};
use crate::lesson::{ExperimentKind, Language};

use super::command::Command;
use super::lab_panel::LabPanel;
use super::memory_map_view::memory_map_ui;
use super::strings::Msg;

/// Draws the controls and figures for `kind`; returns what the user asked for.
pub fn evidence_ui(
    ui: &mut egui::Ui,
    language: Language,
    kind: ExperimentKind,
    panel: &mut LabPanel,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if let Some(message) = &panel.message {
        ui.colored_label(ui.visuals().warn_fg_color, message);
    }
    match kind {
        ExperimentKind::Workers => workers_ui(ui, language, panel, &mut commands),
        ExperimentKind::MemoryProbe => {
            egui::ScrollArea::vertical()
                .id_salt("memory-probe")
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    if ui.button(Msg::ReadMap.text(language)).clicked() {
                        commands.push(Command::Lab(LabCommand::ReadMemoryMap));
                    }
                    if let Some(map) = &panel.memory_map {
                        memory_map_ui(ui, language, map);
                    }
                    ui.separator();
                    workers_ui(ui, language, panel, &mut commands);
                });
        }
        ExperimentKind::SpawnCost => spawn_cost_ui(ui, language, panel, &mut commands),
    }
    commands
}

/// A labelled whole-number field bounded to `range`, with the bound said beside it.
fn count_ui(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut u32,
    range: std::ops::RangeInclusive<u32>,
    note: &str,
) {
    let label = ui.label(label);
    ui.add(egui::DragValue::new(value).range(range))
        .labelled_by(label.id)
        .on_hover_text(note);
}

fn workers_ui(
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
    ui.label(Msg::SharedVerdict.text(lang));
    egui::ScrollArea::both()
        .id_salt("workers-table")
        .auto_shrink([false, true])
        .show(ui, |ui| workers_table_ui(ui, lang, snapshot));
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

fn workers_table_ui(ui: &mut egui::Ui, lang: Language, snapshot: &LabSnapshot) {
    egui::Grid::new("workers")
        .striped(true)
        .num_columns(10)
        .show(ui, |ui| {
            // The addresses come first: they are what this evidence is about.
            for header in [
                Msg::ColumnKind,
                Msg::ColumnId,
                Msg::ColumnStack,
                Msg::ColumnHeap,
                Msg::ColumnStatic,
                Msg::ColumnValue,
                Msg::ColumnState,
                Msg::ColumnCpu,
                Msg::ColumnSwitches,
                Msg::ColumnResident,
            ] {
                ui.label(egui::RichText::new(header.text(lang)).strong());
            }
            ui.end_row();
            // ProcLab's own row: the addresses its threads share.
            let shared = &snapshot.shared;
            ui.label(Msg::SharedProbe.text(lang));
            ui.monospace(snapshot.pid.to_string());
            ui.label("");
            ui.monospace(hex(shared.heap_addr));
            ui.monospace(hex(shared.static_addr));
            ui.monospace(shared.heap_value.to_string());
            ui.end_row();
            for worker in &snapshot.workers {
                worker_row_ui(ui, lang, worker);
                ui.end_row();
            }
        });
}

fn worker_row_ui(ui: &mut egui::Ui, lang: Language, worker: &WorkerRow) {
    let kind = match worker.kind {
        WorkerKind::Thread => Msg::KindThread,
        WorkerKind::Process => Msg::KindProcess,
    };
    ui.label(kind.text(lang));
    ui.monospace(worker.os_id.to_string());
    ui.monospace(hex(worker.memory.stack_addr));
    ui.monospace(hex(worker.memory.heap_addr));
    ui.monospace(hex(worker.memory.static_addr));
    ui.monospace(worker.memory.heap_value.to_string());
    ui.label(state_text(worker.os.state, lang));
    let figure = |value: Option<String>| value.unwrap_or_else(|| "—".into());
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

fn spawn_cost_ui(
    ui: &mut egui::Ui,
    lang: Language,
    panel: &mut LabPanel,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        count_ui(
            ui,
            Msg::Samples.text(lang),
            &mut panel.samples,
            10..=10_000,
            "10 – 10000",
        );
        match panel.measurement_progress() {
            Some((done, total)) => {
                ui.add(
                    egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                        .desired_width(160.0)
                        .text(format!("{} {done}/{total}", Msg::Measuring.text(lang))),
                );
                if ui.button(Msg::Cancel.text(lang)).clicked() {
                    commands.push(Command::CancelMeasurement);
                }
            }
            None => {
                if ui.button(Msg::Measure.text(lang)).clicked() {
                    commands.push(Command::MeasureSpawn);
                }
            }
        }
    });
    match &panel.spawn_cost {
        None => {
            ui.label(egui::RichText::new(Msg::NotMeasuredYet.text(lang)).weak());
        }
        Some(cost) => spawn_cost_table_ui(ui, lang, cost),
    }
}

fn spawn_cost_table_ui(ui: &mut egui::Ui, lang: Language, cost: &SpawnCost) {
    ui.label(egui::RichText::new(cost.machine.to_string()).small().weak());
    egui::Grid::new("spawn-cost").striped(true).show(ui, |ui| {
        for header in ["", Msg::Median.text(lang), "p10", "p90", "n"] {
            ui.label(egui::RichText::new(header).strong());
        }
        ui.end_row();
        let row = |ui: &mut egui::Ui, label: &str, s: &Summary| {
            ui.label(label);
            for value in [s.median, s.p10, s.p90] {
                ui.monospace(format!("{:.1} µs", value / 1e3));
            }
            ui.monospace(s.samples.to_string());
            ui.end_row();
        };
        row(ui, Msg::SpawnThread.text(lang), &cost.thread_spawn_ns);
        row(ui, Msg::SpawnProcess.text(lang), &cost.process_spawn_ns);
    });
    ui.horizontal(|ui| {
        ui.label(Msg::RatioOfMedians.text(lang));
        ui.strong(format!("× {:.0}", cost.ratio()));
    });
    let memory = |cost: Option<MemoryCost>| {
        cost.map_or("—".into(), |c| {
            format!(
                "{:.0} KiB resident, {:.0} KiB virtual",
                c.resident_bytes / 1024.0,
                c.virtual_bytes / 1024.0
            )
        })
    };
    ui.label(format!(
        "{} ({} {}): {}",
        Msg::MemoryPerThread.text(lang),
        Msg::MeanOf.text(lang),
        spawn_cost::THREAD_MEMORY_PROBES,
        memory(cost.thread_memory)
    ));
    ui.label(format!(
        "{} ({} {}): {}",
        Msg::MemoryPerProcess.text(lang),
        Msg::MedianOf.text(lang),
        spawn_cost::PROCESS_MEMORY_PROBES,
        memory(cost.process_memory)
    ));
    ui.label(egui::RichText::new(Msg::SpawnNote.text(lang)).small());
}
