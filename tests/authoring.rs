//! Writing lessons in the app: edits undone and redone, saved and opened again; steps added,
//! moved and deleted; and the recovery copy that brings unsaved edits back after a crash.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{
    ScriptedDialogs, builtin, harness, harness_keeping_recovery, step_title, type_into_title,
};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use proclab::lesson::Language::Ko;
use proclab::ui::settings::Settings;
use proclab::ui::{ProcLabApp, StartOptions};

const COMMAND_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

fn title_now(harness: &Harness<'static, ProcLabApp>) -> String {
    harness
        .state()
        .document()
        .step()
        .unwrap()
        .title
        .get(Ko)
        .to_owned()
}

fn shortcut(harness: &mut Harness<'static, ProcLabApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

#[test]
fn an_edit_undone_and_redone_is_saved_and_opens_again() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("mine.toml");
    let dialogs = Arc::new(ScriptedDialogs::default());
    let mut harness = harness(dialogs.clone());
    let original = step_title(0, 0, Ko);
    type_into_title(&mut harness, " v2");
    let edited = format!("{original} v2");
    assert_eq!(title_now(&harness), edited);

    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(title_now(&harness), original, "the typing is one undo");
    assert!(!harness.state().document().is_dirty());
    shortcut(&mut harness, COMMAND_SHIFT, Key::Z);
    assert_eq!(title_now(&harness), edited);
    assert!(harness.state().document().is_dirty());

    dialogs.answer_save(file.clone());
    shortcut(&mut harness, COMMAND_SHIFT, Key::S);
    common::wait_for_file_job(&mut harness);
    assert!(!harness.state().document().is_dirty());
    let saved = proclab::lesson::load(&file).unwrap();
    assert_eq!(saved.steps[0].title.get(Ko), edited);

    // Opened again in a fresh app, the file has the edit.
    let dialogs = Arc::new(ScriptedDialogs::default());
    let mut again = harness_keeping_recovery(
        Settings::default(),
        StartOptions::default(),
        dialogs.clone(),
        [1280.0, 800.0],
        None,
    );
    dialogs.answer_open(file);
    shortcut(&mut again, Modifiers::COMMAND, Key::O);
    common::wait_for_file_job(&mut again);
    assert_eq!(title_now(&again), edited);
    again.get_by_label(&edited);
}

#[test]
fn steps_are_added_moved_and_deleted_and_each_is_one_undo() {
    let mut harness = harness(Arc::default());
    let original = builtin(0);
    common::click(&mut harness, "단계 편집");

    common::click(&mut harness, "단계 추가");
    let lesson = &harness.state().document().lesson;
    assert_eq!(lesson.steps.len(), original.steps.len() + 1);
    assert_eq!(harness.state().document().step_index(), 1);
    assert_eq!(lesson.steps[1].title.get(Ko), "새 단계");

    common::click(&mut harness, "단계를 아래로");
    let lesson = &harness.state().document().lesson;
    assert_eq!(harness.state().document().step_index(), 2);
    assert_eq!(lesson.steps[2].title.get(Ko), "새 단계");
    assert_eq!(lesson.steps[1], original.steps[1]);

    common::click(&mut harness, "단계 삭제");
    let lesson = &harness.state().document().lesson;
    assert_eq!(lesson.steps, original.steps);

    for _ in 0..3 {
        shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    }
    assert_eq!(harness.state().document().lesson, original);
    assert!(!harness.state().document().is_dirty());
}

/// Steps the app until `done` holds for the recovery folder.
fn wait_for(harness: &mut Harness<'static, ProcLabApp>, what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        harness.step();
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn recovering_app(folder: &Path) -> Harness<'static, ProcLabApp> {
    let settings = Settings {
        theme: egui::ThemePreference::Dark,
        ..Settings::default()
    };
    harness_keeping_recovery(
        settings,
        StartOptions::default(),
        Arc::default(),
        [1280.0, 800.0],
        Some(folder.to_owned()),
    )
}

#[test]
fn a_recovery_copy_is_kept_and_offered_again_after_a_crash() {
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("recovery.json");
    let mut harness = recovering_app(folder.path());
    type_into_title(&mut harness, " (unsaved)");
    let edited = title_now(&harness);
    wait_for(&mut harness, "the recovery copy", || copy.exists());
    // A crash: the app goes away without its normal end.
    drop(harness);
    assert!(copy.exists(), "a crash leaves the copy");

    let mut harness = recovering_app(folder.path());
    harness.get_by_label("저장하지 않은 작업이 남아 있습니다");
    common::click(&mut harness, "복구");
    assert_eq!(title_now(&harness), edited);
    assert!(
        harness.state().document().is_dirty(),
        "restored edits are unsaved"
    );

    // A normal end removes the copy, so it is not offered again.
    eframe::App::on_exit(harness.state_mut());
    assert!(!copy.exists());
}

#[test]
fn undoing_every_edit_removes_the_recovery_copy() {
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("recovery.json");
    let mut harness = recovering_app(folder.path());
    type_into_title(&mut harness, "!");
    wait_for(&mut harness, "the recovery copy", || copy.exists());
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    wait_for(&mut harness, "the copy to go", || !copy.exists());
}

#[test]
fn a_new_lesson_is_written_from_scratch_and_saved() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("new.toml");
    let dialogs = Arc::new(ScriptedDialogs::default());
    let mut harness = harness(dialogs.clone());
    shortcut(&mut harness, Modifiers::COMMAND, Key::N);
    assert_eq!(harness.state().document().step_count(), 1);
    type_into_title(&mut harness, " 1");
    common::click(&mut harness, "단계 추가");
    assert_eq!(harness.state().document().step_count(), 2);

    // Plain Save of a lesson that has no file yet asks where to save it.
    dialogs.answer_save(file.clone());
    shortcut(&mut harness, Modifiers::COMMAND, Key::S);
    common::wait_for_file_job(&mut harness);
    assert!(!harness.state().document().is_dirty());
    let saved = proclab::lesson::load(&file).unwrap();
    assert_eq!(saved, harness.state().document().lesson);
    assert_eq!(saved.steps[0].title.get(Ko), "새 단계 1");
}
