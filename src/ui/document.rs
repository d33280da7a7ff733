//! The open lesson: its content, where it came from, the current step, whether it has
//! changes not yet saved, and the undo and redo history of its edits.

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
    /// Names the content as it is now: every edit makes a new revision and undo brings an
    /// old one back, so undoing to what was saved makes the document clean again. A save
    /// records the revision it wrote, so an edit made while a save is in flight still leaves
    /// the document dirty.
    revision: u64,
    saved_revision: u64,
    /// The last revision handed out, so that a revision is never reused.
    last_revision: u64,
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    /// The group the last edit belonged to: more typing into the same field is one undo.
    last_group: Option<u64>,
    /// The lesson as of the last recorded edit (or as opened, undone or redone): what an
    /// edit made in place since then is undone to. Copied once an edit, not once a frame.
    recorded: Lesson,
}

/// The lesson as it was before an edit, to go back to.
#[derive(Debug, Clone)]
struct Snapshot {
    lesson: Lesson,
    step: usize,
    revision: u64,
}

/// Most edits that can be undone; older ones are forgotten.
pub const UNDO_DEPTH: usize = 200;

impl Document {
    /// A freshly opened, unmodified lesson at its first step.
    pub fn new(lesson: Lesson, source: LessonSource) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            recorded: lesson.clone(),
            lesson,
            source,
            step: 0,
            revision: 0,
            saved_revision: 0,
            last_revision: 0,
            undo: Vec::new(),
            redo: Vec::new(),
            last_group: None,
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

    /// Marks the content as changed, with no way back (content that did not come from an
    /// edit, such as a restored recovery copy).
    pub fn mark_edited(&mut self) {
        self.revision = self.new_revision();
        self.last_group = None;
    }

    /// Records an edit that has just been made to [`Self::lesson`] in place, while step
    /// `before_step` was shown. Edits in the same `group` one after another (typing into one
    /// field) are undone together.
    pub fn record_edit(&mut self, before_step: usize, group: u64) {
        let before = std::mem::replace(&mut self.recorded, self.lesson.clone());
        if self.last_group != Some(group) || self.undo.is_empty() {
            self.undo.push(Snapshot {
                lesson: before,
                step: before_step,
                revision: self.revision,
            });
            if self.undo.len() > UNDO_DEPTH {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.last_group = Some(group);
        self.revision = self.new_revision();
    }

    /// Takes back the last edit; false when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(snapshot) = self.undo.pop() else {
            return false;
        };
        let current = self.swap_in(snapshot);
        self.redo.push(current);
        true
    }

    /// Makes the last undone edit again; false when there is none.
    pub fn redo(&mut self) -> bool {
        let Some(snapshot) = self.redo.pop() else {
            return false;
        };
        let current = self.swap_in(snapshot);
        self.undo.push(current);
        true
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Puts `snapshot` in place and returns what was there.
    fn swap_in(&mut self, snapshot: Snapshot) -> Snapshot {
        let current = Snapshot {
            lesson: std::mem::replace(&mut self.lesson, snapshot.lesson),
            step: self.step,
            revision: self.revision,
        };
        self.recorded = self.lesson.clone();
        self.revision = snapshot.revision;
        self.last_group = None;
        self.go_to(snapshot.step);
        current
    }

    fn new_revision(&mut self) -> u64 {
        self.last_revision += 1;
        self.last_revision
    }

    /// The revision a save started now would record.
    pub fn edit_count(&self) -> u64 {
        self.revision
    }

    /// Records that the content as of revision `edit_count` is on disk.
    pub fn mark_saved(&mut self, edit_count: u64) {
        self.saved_revision = edit_count;
    }

    /// True when the content differs from what is on disk.
    pub fn is_dirty(&self) -> bool {
        self.revision != self.saved_revision
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

    /// Types `text` at the end of step 0's English title as the editor would, in `group`.
    fn type_title(doc: &mut Document, text: &str, group: u64) {
        let title = doc.lesson.steps[0]
            .title
            .raw(crate::lesson::Language::En)
            .to_owned();
        doc.lesson.steps[0]
            .title
            .set(crate::lesson::Language::En, title + text);
        doc.record_edit(doc.step_index(), group);
    }

    fn title(doc: &Document) -> &str {
        doc.lesson.steps[0].title.get(crate::lesson::Language::En)
    }

    #[test]
    fn typing_into_one_field_is_one_undo_and_redo_brings_it_back() {
        let mut doc = document();
        let original = title(&doc).to_owned();
        type_title(&mut doc, "a", 1);
        type_title(&mut doc, "b", 1);
        type_title(&mut doc, "c", 2);
        assert!(doc.undo());
        assert_eq!(title(&doc), format!("{original}ab"));
        assert!(doc.undo());
        assert_eq!(title(&doc), original);
        assert!(!doc.is_dirty(), "undone back to what was loaded");
        assert!(!doc.undo());
        assert!(doc.redo());
        assert_eq!(title(&doc), format!("{original}ab"));
        assert!(doc.is_dirty());
        assert!(doc.redo());
        assert_eq!(title(&doc), format!("{original}abc"));
        assert!(!doc.redo());
    }

    #[test]
    fn a_new_edit_after_undo_forgets_the_redo() {
        let mut doc = document();
        type_title(&mut doc, "a", 1);
        doc.undo();
        type_title(&mut doc, "z", 3);
        assert!(!doc.can_redo());
        assert!(title(&doc).ends_with('z'));
    }

    #[test]
    fn undo_goes_back_to_the_step_of_the_edit() {
        let mut doc = document();
        type_title(&mut doc, "a", 1);
        doc.go_to(2);
        doc.undo();
        assert_eq!(doc.step_index(), 0);
    }

    #[test]
    fn the_history_is_bounded() {
        let mut doc = document();
        for group in 0..(UNDO_DEPTH as u64 + 20) {
            type_title(&mut doc, "x", group);
        }
        let mut undone = 0;
        while doc.undo() {
            undone += 1;
        }
        assert_eq!(undone, UNDO_DEPTH);
    }
}
