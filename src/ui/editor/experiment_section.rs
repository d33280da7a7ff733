//! The current step's real experiment: which one, and the parameters it takes, each bounded
//! as validation bounds it for that kind.

use crate::lesson::{ExperimentKind, ExperimentSpec, Language, Step};

use super::super::strings::Msg;
use super::fields::{flag_ui, kind_choice_ui, optional_count_ui};
use super::params::{
    ExperimentParam, count_default, count_mut, count_range, experiment_shows, flag_mut,
    with_experiment_kind,
};
use super::{EditKey, StepSections};

/// The "Experiment" section; returns the edit made, if any.
pub fn experiment_section_ui(
    ui: &mut egui::Ui,
    sections: &StepSections,
    step: &mut Step,
) -> Option<EditKey> {
    let lang = sections.lang;
    sections
        .section(ui, Msg::EditExperimentSection, |ui| {
            let mut edit = kind_ui(ui, lang, sections.index, &mut step.experiment);
            if let Some(experiment) = &mut step.experiment {
                for param in ExperimentParam::ALL {
                    if experiment_shows(experiment, param) {
                        edit = param_ui(ui, lang, experiment, param).or(edit);
                    }
                }
            }
            edit
        })
        .flatten()
}

/// The experiment kind: none, or one of the lab's by the name lesson files give it.
fn kind_ui(
    ui: &mut egui::Ui,
    lang: Language,
    index: usize,
    experiment: &mut Option<ExperimentSpec>,
) -> Option<EditKey> {
    let current = experiment.as_ref().map(|e| e.kind);
    let chosen = kind_choice_ui(
        ui,
        ("experiment-kind", index),
        Msg::ExperimentKindLabel,
        lang,
        current,
        &ExperimentKind::ALL,
        ExperimentKind::file_name,
    )?;
    *experiment = chosen.map(|kind| with_experiment_kind(experiment.as_ref(), kind));
    Some(EditKey::fresh(ui.ctx()))
}

/// One parameter: a bounded optional count, or a checkbox for a switch.
fn param_ui(
    ui: &mut egui::Ui,
    lang: Language,
    experiment: &mut ExperimentSpec,
    param: ExperimentParam,
) -> Option<EditKey> {
    let kind = experiment.kind;
    let label = label(param).text(lang);
    if let Some(flag) = flag_mut(experiment, param) {
        return flag_ui(ui, label, flag);
    }
    let (Some(range), Some(value)) = (count_range(kind, param), count_mut(experiment, param))
    else {
        return None;
    };
    let default = count_default(kind, param);
    ui.push_id(param.file_name(), |ui| {
        optional_count_ui(ui, lang, label, value, range, default)
    })
    .inner
}

/// What the editor calls `param`.
fn label(param: ExperimentParam) -> Msg {
    match param {
        ExperimentParam::Threads => Msg::ExperimentThreads,
        ExperimentParam::Processes => Msg::ExperimentProcesses,
        ExperimentParam::Samples => Msg::SamplesField,
        ExperimentParam::Increments => Msg::Increments,
        ExperimentParam::Runs => Msg::Runs,
        ExperimentParam::Millis => Msg::Millis,
        ExperimentParam::CpuBound => Msg::CpuBound,
        ExperimentParam::Pin => Msg::Pin,
    }
}
