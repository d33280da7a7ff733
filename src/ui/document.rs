//! The open lesson: its content, where it came from, the current step, and whether it has
//! changes not yet saved.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::lesson::{Lesson, Step};

use super::settings::LessonSource;

/// A lesson open in the app.
#[derive(Debug, Clone)]
pub struct Document {
    /// Tells documents apart, so that a save finishing after the user moved on is credited
    /// to the document it saved, not to whatever is open then.
    id: u64,
    pub lesson: Lesson,
    pub source: LessonSource,
    step: usize,
    /// Counts edits; a save records the count it wrote, so an edit made while a save is in
    /// flight still leaves the document dirty.
    edits: u64,
    saved_edits: u64,
}

impl Document {
    /// A freshly opened, unmodified lesson at its first step.
    pub fn new(lesson: Lesson, source: LessonSource) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            lesson,
            source,
            step: 0,
            edits: 0,
            saved_edits: 0,
        }
    }

    /// This document's identity, unique in this run.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Index of the current step.
    pub fn step_index(&self) -> usize {
        self.step
    }

    pub fn step_count(&self) -> usize {
        self.lesson.steps.len()
    }

    /// The current step, if the lesson has any.
    pub fn step(&self) -> Option<&Step> {
        self.lesson.steps.get(self.step)
    }

    /// Mutable access to the current step; counts as an edit only through [`Self::mark_edited`].
    pub fn step_mut(&mut self) -> Option<&mut Step> {
        self.lesson.steps.get_mut(self.step)
    }

    /// Moves to step `index`, clamped to the lesson.
    pub fn go_to(&mut self, index: usize) {
        self.step = index.min(self.step_count().saturating_sub(1));
    }

    /// Moves by `delta` steps, stopping at either end.
    pub fn go_by(&mut self, delta: isize) {
        self.go_to(self.step.saturating_add_signed(delta));
    }

    pub fn mark_edited(&mut self) {
        self.edits += 1;
    }

    /// The edit count a save started now would record.
    pub fn edit_count(&self) -> u64 {
        self.edits
    }

    /// Records that the content as of `edit_count` is on disk.
    pub fn mark_saved(&mut self, edit_count: u64) {
        self.saved_edits = edit_count;
    }

    /// True when the content has edits that are not on disk.
    pub fn is_dirty(&self) -> bool {
        self.edits != self.saved_edits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::BUILTIN_LESSONS;

    fn document() -> Document {
        let lesson = BUILTIN_LESSONS[0].load().unwrap();
        Document::new(lesson, LessonSource::Builtin(BUILTIN_LESSONS[0].id.into()))
    }

    #[test]
    fn navigation_stops_at_both_ends() {
        let mut doc = document();
        doc.go_by(-1);
        assert_eq!(doc.step_index(), 0);
        doc.go_to(usize::MAX);
        assert_eq!(doc.step_index(), doc.step_count() - 1);
        doc.go_by(1);
        assert_eq!(doc.step_index(), doc.step_count() - 1);
    }

    #[test]
    fn an_edit_during_a_save_keeps_the_document_dirty() {
        let mut doc = document();
        doc.mark_edited();
        let saving = doc.edit_count();
        doc.mark_edited();
        doc.mark_saved(saving);
        assert!(doc.is_dirty());
        doc.mark_saved(doc.edit_count());
        assert!(!doc.is_dirty());
    }
}
