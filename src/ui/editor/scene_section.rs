//! The current step's diagram: which one, and only the parameters that diagram uses.

use crate::lesson::limits;
use crate::lesson::{IpcKind, Language, SceneKind, SceneSpec, Step};

use super::super::strings::Msg;
use super::fields::{flag_ui, kind_choice_ui, optional_count_ui};
use super::params::{
    STACK_LIMIT_DEFAULT, SceneParam, scene_threads_default, scene_uses, with_scene_kind,
};
use super::{EditKey, StepSections};

/// The "Diagram" section; returns the edit made, if any.
pub fn scene_section_ui(
    ui: &mut egui::Ui,
    sections: &StepSections,
    step: &mut Step,
) -> Option<EditKey> {
    let lang = sections.lang;
    sections
        .section(ui, Msg::EditDiagramSection, |ui| {
            let mut edit = kind_ui(ui, lang, sections.index, &mut step.scene);
            if let Some(scene) = &mut step.scene {
                edit = params_ui(ui, lang, sections.index, scene).or(edit);
            }
            edit
        })
        .flatten()
}

/// The diagram kind: none, or one of the diagrams by the name lesson files give it.
fn kind_ui(
    ui: &mut egui::Ui,
    lang: Language,
    index: usize,
    scene: &mut Option<SceneSpec>,
) -> Option<EditKey> {
    let current = scene.as_ref().map(|s| s.kind);
    let chosen = kind_choice_ui(
        ui,
        ("scene-kind", index),
        Msg::SceneKindLabel,
        lang,
        current,
        &SceneKind::ALL,
        SceneKind::file_name,
    )?;
    *scene = chosen.map(|kind| with_scene_kind(scene.as_ref(), kind));
    Some(EditKey::fresh(ui.ctx()))
}

/// The parameters `scene`'s kind uses, each bounded as validation bounds it.
fn params_ui(
    ui: &mut egui::Ui,
    lang: Language,
    index: usize,
    scene: &mut SceneSpec,
) -> Option<EditKey> {
    let kind = scene.kind;
    let uses = |param| scene_uses(kind, param);
    let mut edit = None;
    if uses(SceneParam::Live) {
        edit = flag_ui(ui, Msg::SceneLive.text(lang), &mut scene.live).or(edit);
    }
    if uses(SceneParam::StackLimit) {
        let label = Msg::StackLimit.text(lang);
        let range = limits::STACK_LIMIT;
        let value = &mut scene.stack_limit;
        edit = ui
            .push_id("stack_limit", |ui| {
                optional_count_ui(ui, lang, label, value, range, STACK_LIMIT_DEFAULT)
            })
            .inner
            .or(edit);
    }
    if uses(SceneParam::Threads) {
        let label = Msg::SceneThreads.text(lang);
        let default = scene_threads_default(kind);
        let value = &mut scene.threads;
        edit = ui
            .push_id("threads", |ui| {
                optional_count_ui(ui, lang, label, value, limits::SCENE_THREADS, default)
            })
            .inner
            .or(edit);
    }
    if uses(SceneParam::Ipc) {
        edit = ipc_ui(ui, lang, index, &mut scene.ipc).or(edit);
    }
    if uses(SceneParam::Pcid) {
        edit = pcid_ui(ui, lang, &mut scene.pcid).or(edit);
    }
    edit
}

/// The IPC path a processes diagram shows; left out, the scene draws a pipe.
fn ipc_ui(
    ui: &mut egui::Ui,
    lang: Language,
    index: usize,
    ipc: &mut Option<IpcKind>,
) -> Option<EditKey> {
    let before = *ipc;
    let name = |kind: Option<IpcKind>| kind.map_or(Msg::IpcDefault.text(lang), |k| k.file_name());
    egui::ComboBox::new(("scene-ipc", index), Msg::IpcPath.text(lang))
        .selected_text(name(*ipc))
        .show_ui(ui, |ui| {
            ui.selectable_value(ipc, None, name(None));
            for kind in IpcKind::ALL {
                ui.selectable_value(ipc, Some(kind), kind.file_name());
            }
        });
    (*ipc != before).then(|| EditKey::fresh(ui.ctx()))
}

/// Whether the context-switch diagram's CPU tags TLB entries: as this machine's does, or
/// always, or never.
fn pcid_ui(ui: &mut egui::Ui, lang: Language, pcid: &mut Option<bool>) -> Option<EditKey> {
    let before = *pcid;
    ui.horizontal_wrapped(|ui| {
        ui.label(Msg::Pcid.text(lang));
        ui.radio_value(pcid, None, Msg::PcidMachine.text(lang));
        ui.radio_value(pcid, Some(true), Msg::PcidOn.text(lang));
        ui.radio_value(pcid, Some(false), Msg::PcidOff.text(lang));
    });
    (*pcid != before).then(|| EditKey::fresh(ui.ctx()))
}
