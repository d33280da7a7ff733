//! Stepping real threads from the races lesson: start a real child, lose an update by hand
//! one machine instruction at a time, and see it told beside the same order in the
//! simulated game; presenting, number keys step the real threads; ending the run, leaving
//! the step or closing the window ends its child; where ptrace is refused the panel says why.

mod common;

use std::sync::Arc;

use common::{alive, builtin, click, harness, step_until};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use proclab::lesson::{ExperimentKind, Language};
use proclab::ui::ProcLabApp;

/// Clicks the button called `label` (the narration names the same words).
fn press(harness: &mut Harness<'static, ProcLabApp>, label: &str) {
    harness.get_by_role_and_label(Role::Button, label).click();
    harness.run();
}

/// Opens the races lesson at its step with real stepped threads.
fn open_stepping_step(harness: &mut Harness<'static, ProcLabApp>) {
    let lesson = builtin(2);
    click(harness, lesson.title.exact(Language::Ko).unwrap());
    let index = lesson
        .steps
        .iter()
        .position(|s| {
            s.experiment
                .as_ref()
                .is_some_and(|e| e.kind == ExperimentKind::SteppedRace)
        })
        .expect("the races lesson has a step with real stepped threads");
    for _ in 0..index {
        harness.key_press(egui::Key::ArrowRight);
        harness.run();
    }
}

/// Starts the real threads and returns their child's process id.
fn start(harness: &mut Harness<'static, ProcLabApp>) -> u32 {
    press(harness, "실제 스레드 시작");
    step_until(harness, "the traced child", |app| app.stepped().is_some());
    let pid = harness.state().stepped().unwrap().pid;
    assert!(alive(pid));
    pid
}

fn events(app: &ProcLabApp) -> usize {
    app.stepped().map_or(0, |s| s.events.len())
}

#[test]
fn an_update_is_lost_by_hand_on_real_threads_and_the_simulation_plays_the_same_order() {
    let mut harness = harness(Arc::default());
    open_stepping_step(&mut harness);
    let pid = start(&mut harness);

    // T1 loads (its number key); T2 runs a whole increment; T1 adds, then stores.
    harness.key_press(egui::Key::Num1);
    step_until(&mut harness, "T1's load", |app| events(app) == 1);
    harness
        .get_all_by_role_and_label(Role::Button, "쓰기까지 실행")
        .nth(1)
        .unwrap()
        .click();
    step_until(&mut harness, "T2's increment", |app| events(app) == 4);
    for done in [5, 6] {
        click(&mut harness, "한 명령어 (1)");
        step_until(&mut harness, "T1's next step", |app| events(app) == done);
    }

    let snapshot = harness.state().stepped().unwrap().clone();
    assert_eq!(
        snapshot.counter, 1,
        "the count read from the child's memory"
    );
    assert_eq!((snapshot.expected, snapshot.lost), (2, 1));
    assert_eq!(snapshot.lost_updates.len(), 1);
    harness.get_by_label_contains("실제로 증가를 잃었습니다: T1");
    harness.get_by_label_contains("T1 읽기, T2 읽기, T2 더하기, T2 쓰기, T1 더하기, T1 쓰기");
    // The game beside played the same six instructions and lost the same update.
    let caption = harness.state().diagram_caption(Language::En).to_owned();
    assert!(caption.contains("count = 1 of 2 expected"), "{caption}");
    assert_eq!(harness.state().diagram_timeline().step(), 6);

    // A second increment is more than the game has: it stops following, and says so.
    assert!(
        harness
            .query_by_label_contains("따라가기를 멈췄습니다")
            .is_none()
    );
    harness
        .get_all_by_role_and_label(Role::Button, "쓰기까지 실행")
        .nth(1)
        .unwrap()
        .click();
    step_until(&mut harness, "T2's second increment", |app| {
        events(app) >= 8
    });
    harness.get_by_label_contains("따라가기를 멈췄습니다");
    assert_eq!(harness.state().diagram_timeline().step(), 6);

    press(&mut harness, "실행 끝내기");
    assert!(harness.state().stepped().is_none());
    assert!(!alive(pid), "the child outlived its run");
}

#[test]
fn leaving_the_step_or_closing_the_window_ends_the_real_threads() {
    let mut harness = harness(Arc::default());
    open_stepping_step(&mut harness);
    let pid = start(&mut harness);
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    assert!(harness.state().stepped().is_none());
    assert!(!alive(pid), "the child outlived its step");

    harness.key_press(egui::Key::ArrowLeft);
    harness.run();
    let pid = start(&mut harness);
    drop(harness);
    assert!(!alive(pid), "the child outlived the window");
}

#[test]
fn the_steps_thread_count_is_the_runs_and_each_thread_gets_a_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/lessons/03-races-and-locks.toml"
    ))
    .unwrap()
    .replace(
        r#"scene = { kind = "interleavings", threads = 2 }
experiment = { kind = "stepped-race", threads = 2 }"#,
        r#"scene = { kind = "interleavings", threads = 3 }
experiment = { kind = "stepped-race", threads = 3 }"#,
    );
    let path = dir.path().join("three.toml");
    std::fs::write(&path, text).unwrap();
    let dialogs = Arc::new(common::ScriptedDialogs::default());
    dialogs.answer_open(path);
    let mut harness = harness(Arc::clone(&dialogs));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    common::wait_for_file_job(&mut harness);
    for _ in 0..2 {
        harness.key_press(egui::Key::ArrowRight);
        harness.run();
    }
    start(&mut harness);
    assert_eq!(harness.state().stepped().unwrap().threads.len(), 3);
    harness.get_by_role_and_label(Role::Button, "한 명령어 (3)");
}

#[test]
fn letting_the_kernel_schedule_them_runs_every_thread_and_says_what_each_did() {
    let mut harness = harness(Arc::default());
    open_stepping_step(&mut harness);
    start(&mut harness);
    press(&mut harness, "커널이 스케줄하게 두기");
    step_until(&mut harness, "the kernel run", |app| events(app) == 1);
    let snapshot = harness.state().stepped().unwrap().clone();
    let Some(proclab::lab::stepped::Event::Kernel(run)) = snapshot.events.first() else {
        panic!("no kernel run: {:?}", snapshot.events);
    };
    assert_eq!(run.millis, 20, "the default time");
    assert_eq!(snapshot.counter, run.counter_after);
    let shares = format!("T1 {}, T2 {}", run.increments[0], run.increments[1]);
    harness.get_by_label_contains(&shares);
}

#[test]
fn presenting_number_keys_step_the_real_threads() {
    let mut harness = harness(Arc::default());
    open_stepping_step(&mut harness);
    start(&mut harness);
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::F5);
    harness.run();
    assert!(harness.state().is_presenting());
    harness.key_press(egui::Key::Num2);
    step_until(&mut harness, "T2's load", |app| events(app) == 1);
    let snapshot = harness.state().stepped().unwrap();
    assert_eq!(snapshot.threads[1].ip, snapshot.listing.lines[5].next);
    assert_eq!(
        snapshot.threads[0].ip, snapshot.listing.loop_start,
        "T1 stayed"
    );
}

#[test]
fn where_ptrace_is_refused_the_panel_says_why_and_the_simulation_still_plays() {
    // This test's thread, and the stepper thread the app starts from it, may not ptrace.
    common::forbid_ptrace().unwrap();
    let mut harness = harness(Arc::default());
    open_stepping_step(&mut harness);
    press(&mut harness, "실제 스레드 시작");
    step_until(&mut harness, "the refusal", |app| {
        app.stepper_failure().is_some()
    });
    harness.get_by_label_contains("ProcLab이 자기 자식 프로세스를 추적할 수 없습니다");
    harness.get_by_label_contains("seccomp");
    // Nothing hung: the simulated game still takes the number keys.
    harness.key_press(egui::Key::Num1);
    harness.run();
    assert_eq!(harness.state().diagram_timeline().step(), 1);
}
