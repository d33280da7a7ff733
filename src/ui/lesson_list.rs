//! The lesson picker: built-in lessons and the file the user opened.

use crate::lesson::{Language, Text};

use super::command::Command;
use super::settings::LessonSource;
use super::strings::Msg;

/// One entry of the picker.
pub struct LessonEntry<'a> {
    pub id: &'static str,
    pub title: &'a Text,
    pub summary: &'a Text,
}

/// Lists the lessons; returns the one the user picked.
pub fn lesson_list_ui(
    ui: &mut egui::Ui,
    language: Language,
    builtins: &[LessonEntry<'_>],
    current: &LessonSource,
    current_title: &Text,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.heading(Msg::Lessons.text(language));
    ui.add_space(4.0);
    ui.label(
        egui::RichText::new(Msg::BuiltIn.text(language))
            .small()
            .weak(),
    );
    for entry in builtins {
        let selected = matches!(current, LessonSource::Builtin(id) if id == entry.id);
        let response = ui
            .add(
                egui::Button::selectable(selected, entry.title.get(language))
                    .wrap_mode(egui::TextWrapMode::Wrap),
            )
            .on_hover_text(entry.summary.get(language));
        if response.clicked() && !selected {
            commands.push(Command::OpenBuiltin(entry.id));
        }
    }
    if let LessonSource::File(path) = current {
        ui.add_space(8.0);
        ui.label(
            egui::RichText::new(Msg::OpenedFile.text(language))
                .small()
                .weak(),
        );
        ui.add(
            egui::Button::selectable(true, current_title.get(language))
                .wrap_mode(egui::TextWrapMode::Wrap),
        )
        .on_hover_text(path.display().to_string());
    }
    commands
}
