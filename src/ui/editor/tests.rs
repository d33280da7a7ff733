//! The editor driven headless through egui_kittest: what typing, the step buttons, the keys
//! and the kind menus do to the lesson, and what an untouched editor leaves alone.

use egui::{Key, Modifiers};
use egui_commonmark::CommonMarkCache;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::{EditKey, lesson_editor_ui};
use crate::lesson::{BUILTIN_LESSONS, Language, Lesson, SceneKind};
use crate::ui::fonts::{find_korean_font, install_korean_font};
use crate::ui::strings::Msg;

/// What the test harness keeps between frames, as the app would.
struct Editing {
    lesson: Lesson,
    step: usize,
    markdown: CommonMarkCache,
    /// Every key the editor reported, in order.
    edits: Vec<EditKey>,
}

fn builtin() -> Lesson {
    BUILTIN_LESSONS[0].load().unwrap()
}

fn harness(lesson: Lesson) -> Harness<'static, Editing> {
    let state = Editing {
        lesson,
        step: 0,
        markdown: CommonMarkCache::default(),
        edits: Vec::new(),
    };
    let mut harness = Harness::builder()
        .with_size([480.0, 4000.0])
        .with_context_setup(|ctx| {
            assert!(install_korean_font(ctx, find_korean_font()).is_loaded());
        })
        .build_ui_state(
            |ui, state: &mut Editing| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let outcome = lesson_editor_ui(
                        ui,
                        Language::En,
                        &mut state.lesson,
                        state.step,
                        &mut state.markdown,
                    );
                    state.edits.extend(outcome.changed);
                    if let Some(step) = outcome.go_to_step {
                        state.step = step;
                    }
                });
            },
            state,
        );
    harness.run();
    harness
}

fn title_field(language: Language) -> String {
    format!(
        "{} ({})",
        Msg::Title.text(Language::En),
        language.native_name()
    )
}

#[test]
fn an_untouched_editor_leaves_the_lesson_as_it_was() {
    let mut harness = harness(builtin());
    harness.run_steps(3);
    assert_eq!(harness.state().lesson, builtin());
    assert!(harness.state().edits.is_empty());
}

#[test]
fn typing_edits_one_language_as_one_undo_entry() {
    let mut harness = harness(builtin());
    harness.get_by_label(&title_field(Language::En)).focus();
    harness.run();
    harness.key_press(Key::End);
    harness
        .get_by_label(&title_field(Language::En))
        .type_text("!");
    harness.run();
    harness
        .get_by_label(&title_field(Language::En))
        .type_text("?");
    harness.run();
    let before = builtin().steps[0].title.clone();
    let state = harness.state();
    let title = &state.lesson.steps[0].title;
    let expected = format!("{}!?", before.raw(Language::En));
    assert_eq!(title.raw(Language::En), expected);
    assert_eq!(title.ko, before.ko, "the Korean title is untouched");
    assert_eq!(state.edits.len(), 2);
    assert_eq!(state.edits[0], state.edits[1], "one field, one undo entry");
}

#[test]
fn add_step_inserts_a_placeholder_after_the_current_step_and_shows_it() {
    let mut harness = harness(builtin());
    harness
        .get_by_label(Msg::AddStep.text(Language::En))
        .click();
    harness.run();
    let state = harness.state();
    assert_eq!(state.lesson.steps.len(), builtin().steps.len() + 1);
    assert_eq!(state.step, 1);
    let new = &state.lesson.steps[1];
    assert_eq!(new.title.exact(Language::En), Some("New step"));
    assert_eq!(new.title.exact(Language::Ko), Some("새 단계"));
    assert_eq!(state.lesson.steps[2], builtin().steps[1]);
}

#[test]
fn deleting_the_only_step_is_refused_with_a_note() {
    let mut lesson = builtin();
    lesson.steps.truncate(1);
    let mut harness = harness(lesson.clone());
    harness
        .get_by_label(Msg::DeleteStep.text(Language::En))
        .click();
    harness.run();
    assert_eq!(harness.state().lesson, lesson);
    assert!(harness.state().edits.is_empty());
    harness.get_by_label(Msg::OnlyStep.text(Language::En));
}

#[test]
fn alt_down_moves_the_step_unless_a_text_field_has_the_keyboard() {
    let mut harness = harness(builtin());
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    harness.run();
    let moved = &harness.state().lesson.steps;
    assert_eq!(moved[1], builtin().steps[0]);
    assert_eq!(moved[0], builtin().steps[1]);
    assert_eq!(harness.state().step, 1);

    harness.get_by_label(&title_field(Language::Ko)).focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
    harness.run();
    assert_eq!(harness.state().step, 1, "the key went to the text field");
}

#[test]
fn each_structural_edit_is_its_own_undo_entry() {
    let mut harness = harness(builtin());
    for _ in 0..2 {
        harness
            .get_by_label(Msg::DuplicateStep.text(Language::En))
            .click();
        harness.run();
    }
    let edits = &harness.state().edits;
    assert_eq!(edits.len(), 2);
    assert_ne!(edits[0], edits[1]);
    assert_eq!(harness.state().step, 2);
}

#[test]
fn choosing_a_diagram_kind_sets_it_and_shows_its_parameters() {
    let mut harness = harness(builtin());
    harness
        .get_by_label(Msg::SceneKindLabel.text(Language::En))
        .click();
    harness.run();
    harness
        .get_by_label(SceneKind::MemoryLayout.file_name())
        .click();
    harness.run();
    let scene = harness.state().lesson.steps[0].scene.clone().unwrap();
    assert_eq!(scene.kind, SceneKind::MemoryLayout);
    assert_eq!(scene.stack_limit, None);
    harness.get_by_label(Msg::StackLimit.text(Language::En));
    assert!(
        harness
            .query_by_label(Msg::SceneThreads.text(Language::En))
            .is_none()
    );
}

#[test]
fn dragging_a_step_below_another_moves_it_there() {
    let mut harness = harness(builtin());
    let row = |harness: &Harness<'_, Editing>, index: usize| {
        let title = builtin().steps[index].title.get(Language::En).to_owned();
        harness
            .get_by_label(&format!("{}. {title}", index + 1))
            .rect()
    };
    let (first, third) = (row(&harness, 0), row(&harness, 2));
    harness.drag_at(first.center());
    harness.run();
    for y in [
        first.center().y + 8.0,
        third.center().y,
        third.bottom() - 2.0,
    ] {
        harness.hover_at(egui::pos2(first.center().x, y));
        harness.run();
    }
    harness.drop_at(egui::pos2(first.center().x, third.bottom() - 2.0));
    harness.run();
    let steps = &harness.state().lesson.steps;
    let original = builtin().steps;
    assert_eq!(steps[2], original[0], "dropped below the third row");
    assert_eq!((&steps[0], &steps[1]), (&original[1], &original[2]));
    assert_eq!(harness.state().step, 2);
}

#[test]
fn a_click_in_the_step_list_asks_for_that_step() {
    let mut harness = harness(builtin());
    let title = builtin().steps[2].title.get(Language::En).to_owned();
    harness.get_by_label(&format!("3. {title}")).click();
    harness.run();
    assert_eq!(harness.state().step, 2);
    assert!(
        harness.state().edits.is_empty(),
        "showing a step is no edit"
    );
}

#[test]
fn a_question_built_in_the_editor_saves() {
    let mut harness = harness(builtin());
    let en = |msg: Msg| msg.text(Language::En);
    let questions = harness.state().lesson.steps[0].quiz.len();
    harness.get_by_label(en(Msg::AddQuestion)).click();
    harness.run();
    let new = questions;
    let add_choice = harness
        .get_all_by_label(en(Msg::AddChoice))
        .nth(new)
        .unwrap();
    add_choice.click();
    harness.run();
    harness.get_all_by_label("Choice 3").last().unwrap().click();
    harness.run();
    let question = &harness.state().lesson.steps[0].quiz[new];
    assert_eq!(question.choices.len(), 3);
    assert_eq!(question.answer, 2);
    assert!(crate::lesson::to_toml(&harness.state().lesson).is_ok());
}

#[test]
fn pin_is_offered_for_ctx_switch_and_not_for_race() {
    let mut harness = harness(builtin());
    let pin = Msg::Pin.text(Language::En);
    for (kind, offered) in [("ctx-switch", true), ("race", false)] {
        harness
            .get_by_label(Msg::ExperimentKindLabel.text(Language::En))
            .click();
        harness.run();
        harness.get_by_label(kind).click();
        harness.run();
        assert_eq!(harness.query_by_label(pin).is_some(), offered, "{kind}");
    }
}
