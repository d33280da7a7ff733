//! The evidence area: the lab's real workers, live, and measured creation cost. Every figure
//! here comes from the OS or from a worker; anything not yet measured says so.

use crate::lab::LabCommand;
use crate::lab::spawn_cost::SpawnCost;
use crate::lab::stats::Summary;
use crate::lesson::{ExperimentKind, Language};

use super::command::Command;
use super::lab_errors::lab_error_text;
use super::lab_panel::LabPanel;
use super::memory_map_view::memory_map_ui;
use super::strings::Msg;
use super::workers_view::workers_ui;

/// Draws the controls and figures for `kind`; returns what the user asked for.
pub fn evidence_ui(
    ui: &mut egui::Ui,
    language: Language,
    kind: ExperimentKind,
    panel: &mut LabPanel,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if let Some(error) = &panel.message {
        ui.colored_label(ui.visuals().warn_fg_color, lab_error_text(error, language));
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
pub(super) fn count_ui(
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
            crate::limits::SAMPLES,
            &format!(
                "{} – {}",
                crate::limits::SAMPLES.start(),
                crate::limits::SAMPLES.end()
            ),
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
        let micros = |v: f64| format!("{:.1} µs", v / 1e3);
        let kib = |v: f64| format!("{:.0} KiB", v / 1024.0);
        summary_row_ui(
            ui,
            Msg::SpawnThread.text(lang),
            &cost.thread_spawn_ns,
            micros,
        );
        summary_row_ui(
            ui,
            Msg::SpawnProcess.text(lang),
            &cost.process_spawn_ns,
            micros,
        );
        summary_row_ui(ui, Msg::RatioPerRound.text(lang), &cost.ratio, |v| {
            format!("× {v:.1}")
        });
        for (msg, figure) in [
            (Msg::MemoryPerThread, &cost.thread_unique_bytes),
            (Msg::MemoryPerProcess, &cost.process_unique_bytes),
        ] {
            match figure {
                Some(summary) => summary_row_ui(ui, msg.text(lang), summary, kib),
                None => {
                    ui.label(msg.text(lang));
                    ui.label(Msg::NotOffered.text(lang));
                    ui.end_row();
                }
            }
        }
    });
    ui.label(egui::RichText::new(Msg::SpawnNote.text(lang)).small());
}

/// One row of a measured figure: its median, p10, p90 and sample count.
fn summary_row_ui(ui: &mut egui::Ui, label: &str, s: &Summary, unit: impl Fn(f64) -> String) {
    ui.label(label);
    for value in [s.median, s.p10, s.p90] {
        ui.monospace(unit(value));
    }
    ui.monospace(s.samples.to_string());
    ui.end_row();
}
