//! Editing the current step's text in place (title, narration, speaker notes) in the
//! language shown. The full lesson editor comes later; this is enough to change a lesson
//! and save it.

use crate::lesson::{Language, Step, Text};

use super::strings::Msg;

/// Draws the fields; returns true when the user changed something this frame.
pub fn step_editor_ui(ui: &mut egui::Ui, language: Language, step: &mut Step) -> bool {
    let mut changed = text_field_ui(ui, language, Msg::Title, &mut step.title, false);
    changed |= text_field_ui(ui, language, Msg::Narration, &mut step.narration, true);
    changed |= text_field_ui(ui, language, Msg::Notes, &mut step.notes, true);
    changed
}

/// One labelled field editing `text` in `language`. The text is copied for the widget so an
/// untouched field leaves the lesson exactly as loaded.
fn text_field_ui(
    ui: &mut egui::Ui,
    language: Language,
    label: Msg,
    text: &mut Text,
    multiline: bool,
) -> bool {
    let label = ui.label(label.text(language));
    let mut buffer = text.raw(language).to_owned();
    let edit = if multiline {
        egui::TextEdit::multiline(&mut buffer).desired_rows(8)
    } else {
        egui::TextEdit::singleline(&mut buffer)
    };
    let response = ui
        .add(edit.desired_width(f32::INFINITY))
        .labelled_by(label.id);
    ui.add_space(6.0);
    if response.changed() {
        text.set(language, buffer);
    }
    response.changed()
}
