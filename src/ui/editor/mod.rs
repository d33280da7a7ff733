//! The lesson editor: every field of a lesson in both teaching languages, and the structural
//! edits of [`crate::lesson::edit`] (steps, review questions, choices), drawn in the left
//! column while the diagram and the evidence stay in view on the right.
//!
//! It changes the lesson in place and says what it did in an [`EditorOutcome`]; the caller
//! owns undo, the dirty mark and which step is shown.

mod experiment_section;
mod fields;
mod lesson_section;
mod params;
mod quiz_section;
mod scene_section;
mod step_section;
mod steps_section;

pub use steps_section::new_step;

use egui_commonmark::CommonMarkCache;

use crate::lesson::{Language, Lesson};

/// What one frame of the editor did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct EditorOutcome {
    /// Set when the lesson changed this frame: an id for undo grouping. Consecutive changes
    /// with the same key (typing into one field) form one undo entry; structural edits
    /// (adding, deleting, moving steps or questions, changing a scene kind) use a fresh key
    /// each time so each is its own undo entry.
    pub changed: Option<EditKey>,
    /// The step the editor wants shown next (after add, duplicate, delete, move, or a click in
    /// the step list).
    pub go_to_step: Option<usize>,
}

impl EditorOutcome {
    /// Records `edit`, if there was one; a later edit in the same frame wins.
    fn record(&mut self, edit: Option<EditKey>) {
        if edit.is_some() {
            self.changed = edit;
        }
    }

    /// Records a structural edit that leaves step `step` to be shown.
    fn structural(&mut self, ctx: &egui::Context, step: usize) {
        self.changed = Some(EditKey::fresh(ctx));
        self.go_to_step = Some(step);
    }
}

/// Groups edits into undo entries: equal keys in a row are one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EditKey(pub egui::Id);

impl EditKey {
    /// The key of continuous edits to one widget (typing, dragging a number), so that they
    /// are undone together.
    pub fn of_widget(id: egui::Id) -> Self {
        Self(id)
    }

    /// A key no edit had before, for an edit that is its own undo entry.
    pub fn fresh(ctx: &egui::Context) -> Self {
        let counter = egui::Id::unique("proclab-editor-fresh-edit");
        let count = ctx.data_mut(|d| {
            let count = d.get_temp_mut_or_default::<u64>(counter);
            *count += 1;
            *count
        });
        // The frame number keeps keys apart even if egui's memory (and the count) is reset.
        Self(counter.with((ctx.cumulative_frame_nr(), count)))
    }
}

/// Draws the editor for `lesson`, whose step `step` is shown; returns what the user did.
///
/// Labels are in `lang`; content is edited in both teaching languages. The caller provides
/// the vertical scroll area.
pub fn lesson_editor_ui(
    ui: &mut egui::Ui,
    lang: Language,
    lesson: &mut Lesson,
    step: usize,
    markdown: &mut CommonMarkCache,
) -> EditorOutcome {
    let mut outcome = EditorOutcome::default();
    let step = step.min(lesson.steps.len().saturating_sub(1));
    steps_section::step_keys(ui, lesson, step, &mut outcome);
    lesson_section::lesson_section_ui(ui, lang, lesson, &mut outcome);
    steps_section::steps_section_ui(ui, lang, lesson, step, &mut outcome);
    // A structural edit above moved the current step: show the one the editor goes to, so
    // the sections below never edit a step the list no longer marks as current.
    let current = outcome.go_to_step.unwrap_or(step);
    if let Some(current_step) = lesson.steps.get_mut(current) {
        let sections = StepSections {
            lang,
            index: current,
        };
        outcome.record(step_section::step_section_ui(
            ui,
            &sections,
            current_step,
            markdown,
        ));
        outcome.record(scene_section::scene_section_ui(ui, &sections, current_step));
        outcome.record(experiment_section::experiment_section_ui(
            ui,
            &sections,
            current_step,
        ));
        outcome.record(quiz_section::quiz_section_ui(ui, &sections, current_step));
    }
    outcome
}

/// What the sections about the current step share.
struct StepSections {
    lang: Language,
    /// The current step's index: part of every id, so that each step has its own open or
    /// closed sections and its own text cursors.
    index: usize,
}

impl StepSections {
    /// A collapsible section about this step, open by default.
    fn section<R>(
        &self,
        ui: &mut egui::Ui,
        title: super::strings::Msg,
        add_contents: impl FnOnce(&mut egui::Ui) -> R,
    ) -> Option<R> {
        egui::CollapsingHeader::new(title.text(self.lang))
            .id_salt(("editor-step-section", title.text(Language::En), self.index))
            .default_open(true)
            .show(ui, add_contents)
            .body_returned
    }
}
#[cfg(test)]
mod tests;
