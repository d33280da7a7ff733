//! The real app driven headless through egui_kittest: starting, moving between steps with
//! buttons and keys, switching language, and opening files without losing work.

mod common;

use std::sync::Arc;

use common::{ScriptedDialogs, builtin, harness, step_title, wait_for_file_job};
use egui::Key;
use egui_kittest::kittest::Queryable;
use proclab::lesson::Language::{En, Ko};

#[test]
fn the_app_starts_on_the_first_step_of_the_first_lesson() {
    let harness = harness(Arc::default());
    assert_eq!(harness.state().document().lesson, builtin(0));
    assert_eq!(harness.state().document().step_index(), 0);
    harness.get_by_label(&step_title(0, 0, Ko));
    let count = builtin(0).steps.len();
    harness.get_by_label(&format!("단계 1 / {count}"));
}

#[test]
fn next_and_previous_buttons_move_between_steps() {
    let mut harness = harness(Arc::default());
    common::click(&mut harness, "다음 ›");
    harness.get_by_label(&step_title(0, 1, Ko));
    assert!(harness.query_by_label(&step_title(0, 0, Ko)).is_none());

    common::click(&mut harness, "‹ 이전");
    harness.get_by_label(&step_title(0, 0, Ko));
}

#[test]
fn keys_move_between_steps_and_stop_at_the_ends() {
    let mut harness = harness(Arc::default());
    let last = builtin(0).steps.len() - 1;
    let mut press = |key| {
        harness.key_press(key);
        harness.run();
        harness.state().document().step_index()
    };
    assert_eq!(press(Key::ArrowRight), 1);
    assert_eq!(press(Key::PageDown), 2);
    assert_eq!(press(Key::ArrowLeft), 1);
    assert_eq!(press(Key::PageUp), 0);
    assert_eq!(press(Key::ArrowLeft), 0, "stays on the first step");
    assert_eq!(press(Key::End), last);
    assert_eq!(press(Key::ArrowRight), last, "stays on the last step");
    assert_eq!(press(Key::Home), 0);
    harness.get_by_label(&step_title(0, 0, Ko));
}

#[test]
fn the_language_switch_changes_ui_and_lesson_text() {
    let mut harness = harness(Arc::default());
    harness.get_by_label("파일");
    harness.get_by_label(&step_title(0, 0, Ko));

    common::click(&mut harness, "English");
    harness.get_by_label("File");
    harness.get_by_label(&step_title(0, 0, En));
    assert!(harness.query_by_label("파일").is_none());
    assert!(harness.query_by_label(&step_title(0, 0, Ko)).is_none());
    assert_eq!(harness.state().settings().language, En);

    common::click(&mut harness, "한국어");
    harness.get_by_label(&step_title(0, 0, Ko));
}

#[test]
fn the_lesson_picker_opens_the_other_built_in_lesson() {
    let mut harness = harness(Arc::default());
    let other = builtin(1);
    common::click(&mut harness, other.title.exact(Ko).unwrap());
    assert_eq!(harness.state().document().lesson, other);
    harness.get_by_label(&step_title(1, 0, Ko));
}

/// Opens edit mode and types `text` at the end of the current step's title.
fn edit_step_title(
    harness: &mut egui_kittest::Harness<'static, proclab::ui::ProcLabApp>,
    text: &str,
) {
    common::type_into_title(harness, text);
    assert!(harness.state().document().is_dirty());
}

#[test]
fn opening_a_bad_file_shows_the_error_and_keeps_the_lesson_and_its_edits() {
    let folder = tempfile::tempdir().unwrap();
    let bad = folder.path().join("bad.toml");
    std::fs::write(&bad, "format = 1\ntitle.en = 3\n").unwrap();
    let dialogs = Arc::new(ScriptedDialogs::default());
    let mut harness = harness(dialogs.clone());
    edit_step_title(&mut harness, " (edited)");
    let edited = harness.state().document().lesson.clone();

    dialogs.answer_open(bad.clone());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::O);
    wait_for_file_job(&mut harness);

    let banner = harness.state().banner_text().expect("an error is shown");
    let position = format!("{}:2:12:", bad.display());
    assert!(banner.contains(&position), "{banner}");
    harness.get_by_label_contains(&position);
    assert_eq!(harness.state().document().lesson, edited);
    assert!(harness.state().document().is_dirty());
    let edited_title = format!("{} (edited)", step_title(0, 0, Ko));
    assert_eq!(
        harness.state().document().step().unwrap().title.get(Ko),
        edited_title
    );
}

#[test]
fn opening_over_unsaved_edits_asks_first() {
    let folder = tempfile::tempdir().unwrap();
    let good = folder.path().join("good.toml");
    proclab::lesson::save(&good, &builtin(1)).unwrap();
    let dialogs = Arc::new(ScriptedDialogs::default());
    let mut harness = harness(dialogs.clone());
    edit_step_title(&mut harness, "!");
    let edited = harness.state().document().lesson.clone();

    dialogs.answer_open(good.clone());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::O);
    wait_for_file_job(&mut harness);
    harness.get_by_label("저장하지 않은 변경 사항");
    common::click(&mut harness, "취소");
    assert_eq!(
        harness.state().document().lesson,
        edited,
        "cancel keeps the edits"
    );

    dialogs.answer_open(good.clone());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::O);
    wait_for_file_job(&mut harness);
    common::click(&mut harness, "저장 안 함");
    assert_eq!(harness.state().document().lesson, builtin(1));
    assert!(!harness.state().document().is_dirty());
    assert_eq!(harness.state().settings().recent_files, vec![good]);
}

#[test]
fn save_as_writes_the_edits_to_a_file_that_loads_back() {
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("mine.toml");
    let dialogs = Arc::new(ScriptedDialogs::default());
    let mut harness = harness(dialogs.clone());
    edit_step_title(&mut harness, " v2");

    dialogs.answer_save(target.clone());
    harness.key_press_modifiers(
        egui::Modifiers {
            shift: true,
            ..egui::Modifiers::COMMAND
        },
        Key::S,
    );
    wait_for_file_job(&mut harness);

    assert!(!harness.state().document().is_dirty());
    let saved = proclab::lesson::load(&target).unwrap();
    assert_eq!(saved, harness.state().document().lesson);
    assert!(saved.steps[0].title.get(Ko).ends_with(" v2"));
    // From now on plain Save writes to the same file.
    assert_eq!(
        harness.state().document().source.path(),
        Some(target.as_path())
    );
}

#[test]
fn quitting_with_unsaved_edits_asks_first() {
    let mut harness = harness(Arc::default());
    edit_step_title(&mut harness, "?");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Q);
    harness.run();
    harness.get_by_label("저장하지 않은 변경 사항");
    common::click(&mut harness, "취소");
    assert!(harness.query_by_label("저장하지 않은 변경 사항").is_none());
    assert!(harness.state().document().is_dirty());
}

#[test]
fn arrow_keys_edit_text_instead_of_turning_the_page_while_typing() {
    let mut harness = harness(Arc::default());
    edit_step_title(&mut harness, "x");
    harness.key_press(Key::ArrowLeft);
    harness.key_press(Key::ArrowRight);
    harness.run();
    assert_eq!(harness.state().document().step_index(), 0);
}

#[test]
fn a_bad_file_on_the_command_line_opens_the_first_lesson_and_says_why() {
    let folder = tempfile::tempdir().unwrap();
    let bad = folder.path().join("bad.toml");
    std::fs::write(&bad, "format = 2\n").unwrap();
    let harness = common::harness_with(
        proclab::ui::settings::Settings::default(),
        proclab::ui::StartOptions {
            file: Some(bad.clone()),
            present: false,
        },
        Arc::default(),
    );
    assert_eq!(harness.state().document().lesson, builtin(0));
    let banner = harness.state().banner_text().unwrap();
    assert!(
        banner.contains(&format!(
            "{}:1:10: unsupported lesson format version 2",
            bad.display()
        )),
        "{banner}"
    );
}

#[test]
fn settings_carry_the_language_and_last_lesson_into_the_next_run() {
    let mut harness = harness(Arc::default());
    common::click(&mut harness, "English");
    common::click(&mut harness, builtin(1).title.exact(En).unwrap());
    harness.key_press(Key::ArrowRight);
    harness.run();

    // What eframe stores on exit, through serde as eframe does (it writes RON).
    let stored = serde_json::to_string(harness.state().settings()).unwrap();
    let restored = serde_json::from_str(&stored).unwrap();
    let next_run = common::harness_with(
        restored,
        proclab::ui::StartOptions::default(),
        Arc::default(),
    );
    assert_eq!(next_run.state().document().lesson, builtin(1));
    assert_eq!(next_run.state().settings().language, En);
    next_run.get_by_label(&step_title(1, 0, En));
}

#[test]
fn presentation_mode_hides_the_side_panels_until_escape() {
    let mut harness = harness(Arc::default());
    harness.get_by_label("강의");
    harness.key_press(Key::F5);
    harness.run();
    assert!(
        harness.query_by_label("강의").is_none(),
        "the lesson list is hidden"
    );
    assert!(
        harness.query_by_label("파일").is_none(),
        "the menu is hidden"
    );
    harness.key_press(Key::ArrowRight);
    harness.run();
    harness.get_by_label(&step_title(0, 1, Ko));
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label("강의");
}

#[test]
fn a_quiz_answer_marks_the_right_choice() {
    let mut harness = harness(Arc::default());
    harness.key_press(Key::End);
    harness.run();
    let lesson = builtin(0);
    let question = &lesson.steps.last().unwrap().quiz[0];
    let right = question.answer as usize;
    let wrong = (right + 1) % question.choices.len();
    common::click(&mut harness, question.choices[wrong].exact(Ko).unwrap());
    harness.get_by_label("틀렸습니다. 정답을 표시했습니다.");
    harness.get_by_label(&format!(
        "{} — 정답",
        question.choices[right].exact(Ko).unwrap()
    ));
    harness.get_by_label(&format!(
        "{} — 내 답",
        question.choices[wrong].exact(Ko).unwrap()
    ));
}

#[test]
fn presentation_mode_scales_to_the_screens_height_and_gives_the_users_zoom_back() {
    let mut harness = harness(Arc::default());
    let zoom = harness.ctx.zoom_factor();
    harness.key_press(Key::F5);
    harness.run();
    // The harness window is 800 pixels high; presenting, it is laid out 720 points high.
    let expected = zoom * 800.0 / 720.0;
    assert!((harness.ctx.zoom_factor() - expected).abs() < 0.01);
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.ctx.zoom_factor(), zoom);
    assert_eq!(harness.state().settings().zoom, zoom);
}

#[test]
fn without_a_korean_font_the_app_says_so_and_works_in_english() {
    let mut harness = egui_kittest::Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(|cc| {
            let environment = proclab::ui::Environment {
                dialogs: Arc::new(ScriptedDialogs::default()),
                find_korean_font: || None,
                worker_exe: None,
                recovery_dir: None,
            };
            // Korean was chosen last time; there is no font to draw it now.
            proclab::ui::ProcLabApp::new(
                &cc.egui_ctx,
                proclab::ui::settings::Settings::default(),
                proclab::ui::StartOptions::default(),
                environment,
            )
        });
    harness.run();
    assert_eq!(harness.state().settings().language, En);
    harness.get_by_label(&step_title(0, 0, En));
    harness.get_by_label_contains("No Korean font was found");
    harness.get_by_label_contains("fonts-nanum");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::L);
    harness.run();
    assert_eq!(harness.state().settings().language, En, "Korean stays off");
}

fn ctrl(key: Key) -> (egui::Modifiers, Key) {
    (egui::Modifiers::COMMAND, key)
}

fn press(
    harness: &mut egui_kittest::Harness<'static, proclab::ui::ProcLabApp>,
    (modifiers, key): (egui::Modifiers, Key),
) {
    harness.key_press_modifiers(modifiers, key);
}

#[test]
fn save_first_saves_the_open_file_then_opens_the_other() {
    let folder = tempfile::tempdir().unwrap();
    let (first, second) = (folder.path().join("a.toml"), folder.path().join("b.toml"));
    proclab::lesson::save(&first, &builtin(0)).unwrap();
    proclab::lesson::save(&second, &builtin(1)).unwrap();
    let dialogs = Arc::new(ScriptedDialogs::default());
    let mut harness = harness(dialogs.clone());
    dialogs.answer_open(first.clone());
    press(&mut harness, ctrl(Key::O));
    wait_for_file_job(&mut harness);
    edit_step_title(&mut harness, " saved first");

    dialogs.answer_open(second.clone());
    press(&mut harness, ctrl(Key::O));
    wait_for_file_job(&mut harness);
    harness.get_by_label("저장").click();
    wait_for_file_job(&mut harness);

    assert_eq!(
        harness.state().document().lesson,
        builtin(1),
        "then the other opens"
    );
    let on_disk = proclab::lesson::load(&first).unwrap();
    assert!(on_disk.steps[0].title.get(Ko).ends_with(" saved first"));
}

#[test]
fn ctrl_s_saves_an_opened_file_in_place() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("lesson.toml");
    proclab::lesson::save(&file, &builtin(1)).unwrap();
    let dialogs = Arc::new(ScriptedDialogs::default());
    let mut harness = harness(dialogs.clone());
    dialogs.answer_open(file.clone());
    press(&mut harness, ctrl(Key::O));
    wait_for_file_job(&mut harness);
    edit_step_title(&mut harness, " in place");
    press(&mut harness, ctrl(Key::S));
    wait_for_file_job(&mut harness);
    assert!(!harness.state().document().is_dirty());
    assert_eq!(
        proclab::lesson::load(&file).unwrap(),
        harness.state().document().lesson
    );
}

#[test]
fn a_failed_save_says_why_and_keeps_the_edits_unsaved() {
    let folder = tempfile::tempdir().unwrap();
    let dialogs = Arc::new(ScriptedDialogs::default());
    let mut harness = harness(dialogs.clone());
    edit_step_title(&mut harness, " lost?");
    dialogs.answer_save(folder.path().join("no-such-folder").join("x.toml"));
    press(
        &mut harness,
        (
            egui::Modifiers {
                shift: true,
                ..egui::Modifiers::COMMAND
            },
            Key::S,
        ),
    );
    wait_for_file_job(&mut harness);
    let banner = harness.state().banner_text().unwrap();
    assert!(banner.contains("no-such-folder"), "{banner}");
    assert!(harness.state().document().is_dirty());
    assert!(
        harness
            .state()
            .document()
            .step()
            .unwrap()
            .title
            .get(Ko)
            .ends_with(" lost?")
    );
}

#[test]
fn a_save_that_finishes_after_switching_lessons_is_credited_to_the_saved_lesson() {
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("first.toml");
    let dialogs = Arc::new(ScriptedDialogs::default());
    let mut harness = harness(dialogs.clone());
    dialogs.answer_save(target.clone());
    let release = dialogs.hold_save_dialog();
    press(
        &mut harness,
        (
            egui::Modifiers {
                shift: true,
                ..egui::Modifiers::COMMAND
            },
            Key::S,
        ),
    );
    harness.step();
    // While the dialog is open the user picks the other lesson.
    harness
        .get_by_label(builtin(1).title.exact(Ko).unwrap())
        .click();
    harness.step();
    assert_eq!(harness.state().document().lesson, builtin(1));
    release.send(()).unwrap();
    wait_for_file_job(&mut harness);

    assert_eq!(
        proclab::lesson::load(&target).unwrap(),
        builtin(0),
        "the first lesson was saved"
    );
    let open = harness.state().document();
    assert_eq!(open.lesson, builtin(1));
    assert!(
        matches!(open.source, proclab::ui::settings::LessonSource::Builtin(_)),
        "not given the first one's file"
    );
    assert!(!open.is_dirty());
}

#[test]
fn keys_do_not_act_behind_the_unsaved_changes_question_and_escape_cancels_it() {
    let mut harness = harness(Arc::default());
    edit_step_title(&mut harness, "!");
    harness.get_by_label("제목 (한국어)").focus();
    press(&mut harness, ctrl(Key::Q));
    harness.run();
    harness.get_by_label("저장하지 않은 변경 사항");
    harness.key_press(Key::End);
    harness.run();
    assert_eq!(harness.state().document().step_index(), 0);
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("저장하지 않은 변경 사항").is_none());
    assert!(harness.state().document().is_dirty());
}

#[test]
fn present_on_the_command_line_starts_in_presentation_mode() {
    let harness = common::harness_with(
        proclab::ui::settings::Settings::default(),
        proclab::ui::StartOptions {
            file: None,
            present: true,
        },
        Arc::default(),
    );
    assert!(harness.query_by_label("강의").is_none());
    assert!(harness.ctx.zoom_factor() > 1.2);
}

#[test]
fn zoom_keys_stay_in_range_and_are_remembered() {
    let settings = proclab::ui::settings::Settings {
        zoom: 2.8,
        ..Default::default()
    };
    let mut harness = common::harness_with(
        settings,
        proclab::ui::StartOptions::default(),
        Arc::default(),
    );
    for _ in 0..4 {
        press(&mut harness, ctrl(Key::Plus));
        harness.run();
    }
    assert_eq!(harness.state().settings().zoom, 3.0);
    press(&mut harness, ctrl(Key::Num0));
    harness.run();
    assert_eq!(harness.state().settings().zoom, 1.0);
    assert_eq!(harness.ctx.zoom_factor(), 1.0);
}
