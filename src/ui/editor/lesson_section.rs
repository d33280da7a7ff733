//! The lesson's own fields: title, summary, author, and whether presenting plays diagram
//! stages as builds.

use crate::lesson::{Language, Lesson};

use super::super::strings::Msg;
use super::EditorOutcome;
use super::fields::{required_note_ui, text_pair_ui};

/// The "Lesson details" section, closed by default: these fields change rarely.
pub fn lesson_section_ui(
    ui: &mut egui::Ui,
    lang: Language,
    lesson: &mut Lesson,
    outcome: &mut EditorOutcome,
) {
    egui::CollapsingHeader::new(Msg::EditLessonSection.text(lang))
        .id_salt("editor-lesson")
        .show(ui, |ui| {
            let title = Msg::LessonTitle.text(lang);
            outcome.record(text_pair_ui(
                ui,
                title,
                "lesson-title",
                &mut lesson.title,
                1,
            ));
            required_note_ui(ui, lang, &lesson.title);
            let summary = Msg::Summary.text(lang);
            outcome.record(text_pair_ui(
                ui,
                summary,
                "lesson-summary",
                &mut lesson.summary,
                2,
            ));
            outcome.record(author_ui(ui, lang, &mut lesson.author));
            outcome.record(builds_ui(ui, lang, &mut lesson.builds));
        });
}

/// Whether "next" while presenting plays the diagram's stages before the next step.
fn builds_ui(ui: &mut egui::Ui, lang: Language, builds: &mut bool) -> Option<super::EditKey> {
    let response = ui.checkbox(builds, Msg::BuildsSetting.text(lang));
    response.changed().then(|| super::EditKey::fresh(ui.ctx()))
}

/// The author credit: one string, in no particular language.
fn author_ui(ui: &mut egui::Ui, lang: Language, author: &mut String) -> Option<super::EditKey> {
    let label = ui.label(Msg::Author.text(lang));
    let response = ui
        .add(
            egui::TextEdit::singleline(author)
                .id_salt("lesson-author")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    response
        .changed()
        .then(|| super::EditKey::of_widget(response.id))
}
