//! The current step's text: title, narration (Markdown, with a preview) and speaker notes.

use egui_commonmark::CommonMarkCache;

use crate::lesson::Step;

use super::super::strings::Msg;
use super::fields::{markdown_pair_ui, required_note_ui, text_pair_ui};
use super::{EditKey, StepSections};

/// The "This step" section; returns the edit made, if any.
pub fn step_section_ui(
    ui: &mut egui::Ui,
    sections: &StepSections,
    step: &mut Step,
    markdown: &mut CommonMarkCache,
) -> Option<EditKey> {
    let lang = sections.lang;
    let index = sections.index;
    sections
        .section(ui, Msg::EditThisStepSection, |ui| {
            let mut edit = None;
            let title = Msg::Title.text(lang);
            edit = text_pair_ui(ui, title, ("step-title", index), &mut step.title, 1).or(edit);
            required_note_ui(ui, lang, &step.title);
            ui.add_space(4.0);
            let narration = Msg::NarrationField.text(lang);
            let salt = ("step-narration", index);
            edit =
                markdown_pair_ui(ui, lang, narration, salt, &mut step.narration, markdown).or(edit);
            required_note_ui(ui, lang, &step.narration);
            ui.add_space(4.0);
            let notes = Msg::Notes.text(lang);
            edit = text_pair_ui(ui, notes, ("step-notes", index), &mut step.notes, 3).or(edit);
            edit
        })
        .flatten()
}
