//! The list of steps: select one, add, duplicate, delete and move steps with buttons, with
//! Alt+Up / Alt+Down, or by dragging a step to its new place.

use egui::{Key, Modifiers};

use crate::lesson::edit::{self, Refusal};
use crate::lesson::{Language, Lesson, Step, Text};

use super::super::strings::Msg;
use super::EditorOutcome;

/// What is dragged in the step list: the index of the step picked up.
#[derive(Debug, Clone, Copy)]
struct StepDrag(usize);

/// Alt+Up and Alt+Down move the current step, unless a text field has the keyboard (there
/// the keys belong to the text).
pub fn step_keys(ui: &egui::Ui, lesson: &mut Lesson, step: usize, outcome: &mut EditorOutcome) {
    if ui.ctx().text_edit_focused() {
        return;
    }
    let (up, down) = ui.input_mut(|i| {
        (
            i.consume_key(Modifiers::ALT, Key::ArrowUp),
            i.consume_key(Modifiers::ALT, Key::ArrowDown),
        )
    });
    let to = match (up, down) {
        (true, false) if step > 0 => step - 1,
        (false, true) if step + 1 < lesson.steps.len() => step + 1,
        _ => return,
    };
    if let Ok(at) = edit::move_step(lesson, step, to) {
        outcome.structural(ui.ctx(), at);
    }
}

/// The "Steps" section: the list and the buttons, open by default.
pub fn steps_section_ui(
    ui: &mut egui::Ui,
    lang: Language,
    lesson: &mut Lesson,
    step: usize,
    outcome: &mut EditorOutcome,
) {
    egui::CollapsingHeader::new(Msg::EditStepsSection.text(lang))
        .id_salt("editor-steps")
        .default_open(true)
        .show(ui, |ui| {
            step_list_ui(ui, lang, lesson, step, outcome);
            step_buttons_ui(ui, lang, lesson, step, outcome);
            ui.weak(Msg::StepsHint.text(lang));
        });
}

/// Every step as a row: click to show it, drag to move it.
fn step_list_ui(
    ui: &mut egui::Ui,
    lang: Language,
    lesson: &mut Lesson,
    step: usize,
    outcome: &mut EditorOutcome,
) {
    let frame = egui::Frame::group(ui.style()).inner_margin(4.0);
    let (zone, dropped) = ui.dnd_drop_zone::<StepDrag, _>(frame, |ui| {
        ui.set_width(ui.available_width());
        let rows: Vec<egui::Rect> = (0..lesson.steps.len())
            .map(|i| step_row_ui(ui, lang, i, &lesson.steps[i], i == step, outcome))
            .collect();
        rows
    });
    let rows = zone.inner;
    let pointer = ui.ctx().pointer_interact_pos();
    let Some(pointer) = pointer.filter(|_| zone.response.contains_pointer()) else {
        return;
    };
    let before = insertion_index(&rows, pointer.y);
    if let Some(from) = dropped {
        let to = destination(from.0, before);
        if to != from.0
            && let Ok(at) = edit::move_step(lesson, from.0, to)
        {
            outcome.structural(ui.ctx(), at);
        }
    } else if egui::DragAndDrop::has_payload_of_type::<StepDrag>(ui.ctx()) {
        paint_insertion_line(ui, &rows, before);
    }
}

/// One row of the list; returns where it was drawn, for finding where a drop lands.
fn step_row_ui(
    ui: &mut egui::Ui,
    lang: Language,
    index: usize,
    step: &Step,
    current: bool,
    outcome: &mut EditorOutcome,
) -> egui::Rect {
    let id = ui.scope_id().with(("step-row", index));
    let row = ui.dnd_drag_source(id, StepDrag(index), |ui| {
        let text = format!("{}. {}", index + 1, step.title.get(lang));
        ui.add(egui::Button::selectable(current, text).truncate())
    });
    // The drag source lies on top of the row and senses only drags, which would hide the
    // row's clicks; sensing clicks on it too makes one widget take both.
    if !ui.ctx().is_being_dragged(id) {
        let clicked = row.response.interact(egui::Sense::click()).clicked();
        if clicked || row.inner.clicked() {
            outcome.go_to_step = Some(index);
        }
    }
    row.response.rect
}

/// The index a dragged row is inserted before, for a pointer at height `y`: after every row
/// whose middle is above it.
fn insertion_index(rows: &[egui::Rect], y: f32) -> usize {
    rows.iter().take_while(|r| r.center().y < y).count()
}

/// Where step `from` ends up when inserted before the row that is `before` now: taking it
/// out first shifts the rows after it up by one.
fn destination(from: usize, before: usize) -> usize {
    if before > from { before - 1 } else { before }
}

/// A line between the rows where the dragged step would land.
fn paint_insertion_line(ui: &egui::Ui, rows: &[egui::Rect], before: usize) {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return;
    };
    let y = match rows.get(before) {
        Some(row) if before > 0 => (row.top() + rows[before - 1].bottom()) / 2.0,
        Some(row) => row.top(),
        None => last.bottom(),
    };
    let stroke = egui::Stroke::new(2.0, ui.visuals().selection.stroke.color);
    ui.painter().hline(first.x_range(), y, stroke);
}

/// Add, duplicate, delete, move up and move down, each applied to the current step.
fn step_buttons_ui(
    ui: &mut egui::Ui,
    lang: Language,
    lesson: &mut Lesson,
    step: usize,
    outcome: &mut EditorOutcome,
) {
    let refused_id = ui.scope_id().with("only-step-refused");
    let count = lesson.steps.len();
    let mut result = None;
    ui.horizontal_wrapped(|ui| {
        let mut button = |enabled: bool, msg: Msg| {
            ui.add_enabled(enabled, egui::Button::new(msg.text(lang)))
                .clicked()
        };
        if button(true, Msg::AddStep) {
            result = Some(Ok(edit::insert_step_after(lesson, step, new_step())));
        }
        if button(true, Msg::DuplicateStep) {
            result = Some(edit::duplicate_step(lesson, step));
        }
        // Enabled even for the only step, so that the refusal can say why.
        if button(true, Msg::DeleteStep) {
            result = Some(edit::delete_step(lesson, step));
        }
        if button(step > 0, Msg::MoveStepUp) {
            result = Some(edit::move_step(lesson, step, step.saturating_sub(1)));
        }
        if button(step + 1 < count, Msg::MoveStepDown) {
            result = Some(edit::move_step(lesson, step, step + 1));
        }
    });
    match result {
        Some(Ok(at)) => {
            ui.data_mut(|d| d.remove::<bool>(refused_id));
            outcome.structural(ui.ctx(), at);
        }
        Some(Err(Refusal::OnlyStep)) => {
            ui.data_mut(|d| d.insert_temp(refused_id, true));
        }
        Some(Err(_)) | None => {}
    }
    let refused = ui.data(|d| d.get_temp::<bool>(refused_id).unwrap_or(false));
    if refused && lesson.steps.len() == 1 {
        ui.colored_label(ui.visuals().warn_fg_color, Msg::OnlyStep.text(lang));
    }
}

/// The step "Add step" inserts: a placeholder title and narration in both languages, so that
/// the lesson stays one that saves and loads.
pub fn new_step() -> Step {
    Step {
        title: Text::new(
            Msg::NewStep.text(Language::Ko),
            Msg::NewStep.text(Language::En),
        ),
        narration: Text::new(
            Msg::NewStepNarration.text(Language::Ko),
            Msg::NewStepNarration.text(Language::En),
        ),
        notes: Text::default(),
        scene: None,
        experiment: None,
        quiz: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(count: usize) -> Vec<egui::Rect> {
        (0..count)
            .map(|i| {
                egui::Rect::from_min_size(egui::pos2(0.0, i as f32 * 20.0), egui::vec2(100.0, 20.0))
            })
            .collect()
    }

    #[test]
    fn a_drop_lands_before_the_row_whose_middle_is_below_the_pointer() {
        let rows = rows(3);
        assert_eq!(insertion_index(&rows, -5.0), 0);
        assert_eq!(insertion_index(&rows, 9.0), 0);
        assert_eq!(insertion_index(&rows, 11.0), 1);
        assert_eq!(insertion_index(&rows, 35.0), 2);
        assert_eq!(insertion_index(&rows, 55.0), 3);
    }

    #[test]
    fn a_dragged_step_lands_where_the_line_was_drawn() {
        assert_eq!(destination(0, 0), 0);
        assert_eq!(destination(0, 1), 0, "just below itself: no move");
        assert_eq!(destination(0, 3), 2, "below the last of three");
        assert_eq!(destination(2, 0), 0);
        assert_eq!(destination(2, 1), 1);
    }

    #[test]
    fn a_new_step_has_a_title_and_narration_in_both_languages_and_nothing_else() {
        let step = new_step();
        assert_eq!(step.title.exact(Language::En), Some("New step"));
        assert_eq!(step.title.exact(Language::Ko), Some("새 단계"));
        assert!(!step.narration.is_empty() && step.quiz.is_empty());
        assert!(step.scene.is_none() && step.experiment.is_none());
    }
}
