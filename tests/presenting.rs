//! Presentation mode in the real app, driven headless as a teacher with a clicker would:
//! F5 and Shift+F5, every press counted, a black screen, a jump by number, the list of steps,
//! the presenter view with its notes and the next step, builds, the quiz, and Esc.

mod common;

use std::sync::Arc;

use common::{builtin, harness, step_title};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use proclab::lesson::Language::Ko;
use proclab::ui::ProcLabApp;
use proclab::ui::present::Screen;

fn press(harness: &mut Harness<'static, ProcLabApp>, keys: &[Key]) {
    for &key in keys {
        harness.key_press(key);
    }
    harness.run();
}

fn step(harness: &Harness<'static, ProcLabApp>) -> usize {
    harness.state().document().step_index()
}

/// The app presenting the first built-in lesson from its first step.
fn presenting() -> Harness<'static, ProcLabApp> {
    let mut harness = harness(Arc::default());
    press(&mut harness, &[Key::F5]);
    assert!(harness.state().is_presenting());
    harness
}

#[test]
fn f5_presents_from_the_first_step_and_esc_leaves() {
    let mut harness = harness(Arc::default());
    press(&mut harness, &[Key::ArrowRight, Key::ArrowRight]);
    assert_eq!(step(&harness), 2);
    press(&mut harness, &[Key::F5]);
    assert!(harness.state().is_presenting());
    assert_eq!(step(&harness), 0, "F5 starts at the beginning");
    harness.get_by_label(&step_title(0, 0, Ko));
    // No menus, no lesson list: the room sees the lesson only.
    assert!(harness.query_by_label("파일").is_none());
    press(&mut harness, &[Key::Escape]);
    assert!(!harness.state().is_presenting());
    harness.get_by_label("파일");
}

#[test]
fn shift_f5_presents_from_the_current_step() {
    let mut harness = harness(Arc::default());
    press(&mut harness, &[Key::ArrowRight, Key::ArrowRight]);
    harness.key_press_modifiers(egui::Modifiers::SHIFT, Key::F5);
    harness.run();
    assert!(harness.state().is_presenting());
    assert_eq!(step(&harness), 2);
}

#[test]
fn two_presses_in_one_frame_move_two_steps() {
    let mut harness = presenting();
    press(&mut harness, &[Key::PageDown, Key::PageDown]);
    assert_eq!(step(&harness), 2);
    press(&mut harness, &[Key::Space, Key::Enter, Key::ArrowRight]);
    assert_eq!(step(&harness), 5);
    press(&mut harness, &[Key::PageUp, Key::Backspace, Key::ArrowLeft]);
    assert_eq!(step(&harness), 2);
    press(&mut harness, &[Key::End]);
    assert_eq!(step(&harness), builtin(0).steps.len() - 1);
    press(&mut harness, &[Key::Home]);
    assert_eq!(step(&harness), 0);
}

#[test]
fn b_blanks_the_screen_and_any_key_brings_it_back_without_moving() {
    let mut harness = presenting();
    press(&mut harness, &[Key::B]);
    assert_eq!(harness.state().screen(), Some(Screen::Black));
    assert!(harness.query_by_label(&step_title(0, 0, Ko)).is_none());
    press(&mut harness, &[Key::PageDown]);
    assert_eq!(harness.state().screen(), Some(Screen::Lesson));
    assert_eq!(step(&harness), 0, "the key that returns does not also move");
    harness.get_by_label(&step_title(0, 0, Ko));

    press(&mut harness, &[Key::W]);
    assert_eq!(harness.state().screen(), Some(Screen::White));
    press(&mut harness, &[Key::Period]);
    assert_eq!(harness.state().screen(), Some(Screen::Lesson));
    press(&mut harness, &[Key::Period]);
    assert_eq!(harness.state().screen(), Some(Screen::Black));
}

#[test]
fn a_number_and_enter_jump_to_that_step() {
    let mut harness = presenting();
    press(&mut harness, &[Key::Num4]);
    harness.get_by_label_contains("이동할 단계: 4");
    assert_eq!(step(&harness), 0, "nothing moves before Enter");
    press(&mut harness, &[Key::Enter]);
    assert_eq!(step(&harness), 3);
    harness.get_by_label(&step_title(0, 3, Ko));
}

#[test]
fn g_lists_the_steps_and_a_click_jumps() {
    let mut harness = presenting();
    press(&mut harness, &[Key::G]);
    let entry = format!("3. {}", step_title(0, 2, Ko));
    harness.get_by_label(&entry).click();
    harness.run();
    assert_eq!(step(&harness), 2);
    assert!(harness.query_by_label(&entry).is_none(), "the list closes");
}

#[test]
fn keys_typed_while_presenting_never_reach_a_text_field() {
    let mut harness = harness(Arc::default());
    common::click(&mut harness, "단계 편집");
    harness.get_by_label("제목 (한국어)").focus();
    harness.run();
    let before = harness.state().document().lesson.clone();
    press(&mut harness, &[Key::F5]);
    harness.get_by_label(&step_title(0, 0, Ko));
    harness.key_press(Key::X);
    harness.event(egui::Event::Text("x".into()));
    press(&mut harness, &[Key::PageDown]);
    assert_eq!(harness.state().document().lesson, before);
    assert!(!harness.state().document().is_dirty());
    assert_eq!(step(&harness), 1, "Page Down turned the page");
}

#[test]
fn the_presenter_view_shows_the_notes_and_the_next_step() {
    let mut harness = presenting();
    press(&mut harness, &[Key::P]);
    assert!(harness.state().presenter_view_open());
    let lesson = builtin(0);
    let notes = lesson.steps[0].notes.exact(Ko).expect("step 1 has notes");
    harness.get_by_label(notes);
    let next = format!("단계 2 / {} — {}", lesson.steps.len(), step_title(0, 1, Ko));
    harness.get_by_label(&next);
    press(&mut harness, &[Key::PageDown]);
    let after = format!("단계 3 / {} — {}", lesson.steps.len(), step_title(0, 2, Ko));
    harness.get_by_label(&after);
}

#[test]
fn with_builds_next_plays_the_diagrams_stages_before_the_next_step() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("builds.toml");
    let mut lesson = builtin(0);
    lesson.builds = true;
    let with_scene = lesson.steps.iter().position(|s| s.scene.is_some()).unwrap();
    proclab::lesson::save(&path, &lesson).unwrap();
    let start = proclab::ui::StartOptions {
        file: Some(path),
        present: true,
    };
    let mut harness = common::harness_with(Default::default(), start, Arc::default());
    press(&mut harness, &vec![Key::PageDown; with_scene]);
    assert_eq!(step(&harness), with_scene);
    let stages = harness.state().diagram_timeline().steps();
    assert!(stages > 1);
    for stage in 1..stages {
        press(&mut harness, &[Key::PageDown]);
        assert_eq!(step(&harness), with_scene, "stage {stage} is a build");
        assert_eq!(harness.state().diagram_timeline().step(), stage);
    }
    press(&mut harness, &[Key::PageDown]);
    assert_eq!(step(&harness), with_scene + 1);
}

#[test]
fn the_quiz_asks_one_question_at_a_time_and_reveals_on_next() {
    let lesson = builtin(0);
    let (index, step_with_quiz) = lesson
        .steps
        .iter()
        .enumerate()
        .find(|(_, s)| !s.quiz.is_empty())
        .unwrap();
    let mut harness = presenting();
    for digit in (index + 1).to_string().chars() {
        let key = Key::from_name(&digit.to_string()).unwrap();
        press(&mut harness, &[key]);
    }
    press(&mut harness, &[Key::Enter, Key::Q]);
    let question = &step_with_quiz.quiz[0];
    harness.get_by_label(question.prompt.get(Ko));
    let right = question.choices[question.answer as usize].get(Ko);
    assert!(harness.query_by_label_contains("— 정답").is_none());
    press(&mut harness, &[Key::PageDown]);
    harness.get_by_label_contains(&format!("{right} — 정답"));
    assert_eq!(step(&harness), index, "the quiz holds the step");

    // Esc closes the quiz and stays presenting; a second Esc leaves.
    press(&mut harness, &[Key::Escape]);
    assert!(harness.query_by_label(question.prompt.get(Ko)).is_none());
    assert!(harness.state().is_presenting());
    press(&mut harness, &[Key::Escape]);
    assert!(!harness.state().is_presenting());
}
