//! The evidence area: the lab's real workers, live, and measured creation cost. Every figure
//! here comes from the OS or from a worker; anything not yet measured says so.

use crate::lab::LabCommand;
use crate::lesson::{ExperimentKind, Language};

use super::command::Command;
use super::lab_errors::lab_error_text;
use super::lab_panel::LabPanel;
use super::measurement_view::measurement_ui;
use super::memory_map_view::memory_map_ui;
use super::stepper_view::stepper_ui;
use super::strings::Msg;
use super::workers_view::workers_ui;

/// Draws the controls and figures for `kind`; returns what the user asked for. `mirror`,
/// the number of threads of the diagram's game if it has one, plays real stepped
/// instructions in that game too.
pub fn evidence_ui(
    ui: &mut egui::Ui,
    language: Language,
    kind: ExperimentKind,
    panel: &mut LabPanel,
    mirror: Option<usize>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if let Some(error) = &panel.message {
        ui.colored_label(ui.visuals().warn_fg_color, lab_error_text(error, language));
    }
    match kind {
        ExperimentKind::Workers => workers_ui(ui, language, panel, &mut commands),
        ExperimentKind::SteppedRace => {
            egui::ScrollArea::vertical()
                .id_salt("stepped-race")
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    stepper_ui(ui, language, &mut panel.stepper, mirror, &mut commands);
                });
        }
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
        // Every other kind is a measurement family, found in the lab's registry by name.
        measured => {
            let renderer = panel.renderer.clone();
            if let Some(measurement) = panel.measurement_mut(measured.file_name()) {
                // Both ways: on a small screen the table's last columns stay reachable.
                egui::ScrollArea::both()
                    .id_salt(measured.file_name())
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        let renderer = renderer.as_ref();
                        measurement_ui(ui, language, measurement, renderer, &mut commands);
                    });
            }
        }
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
