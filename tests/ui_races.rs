//! The races lesson in the real app: play the scheduler by hand until an update is lost,
//! undo it, and start a real race from the lesson and see its counts.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{builtin, click, harness};
use egui_kittest::kittest::Queryable;
use proclab::lesson::{Language, SceneKind};

/// Opens the races lesson at its first step showing `kind`.
fn open_step_with_scene(
    harness: &mut egui_kittest::Harness<'static, proclab::ui::ProcLabApp>,
    kind: SceneKind,
) {
    let lesson = builtin(2);
    click(harness, lesson.title.exact(Language::Ko).unwrap());
    let index = lesson
        .steps
        .iter()
        .position(|s| s.scene.as_ref().is_some_and(|s| s.kind == kind))
        .unwrap();
    for _ in 0..index {
        harness.key_press(egui::Key::ArrowRight);
        harness.run();
    }
}

#[test]
fn playing_the_scheduler_by_hand_loses_an_update_and_back_undoes_it() {
    let mut harness = harness(Arc::default());
    open_step_with_scene(&mut harness, SceneKind::Interleavings);
    // Thread 1 loads; thread 2 runs a whole increment; thread 1 adds and stores.
    for key in [
        egui::Key::Num1,
        egui::Key::Num2,
        egui::Key::Num2,
        egui::Key::Num2,
    ] {
        harness.key_press(key);
        harness.run();
    }
    click(&mut harness, "다음 실행: T1 (1)");
    click(&mut harness, "다음 실행: T1 (1)");
    let caption = harness.state().diagram_caption(Language::En).to_owned();
    assert!(caption.contains("an update is lost"), "{caption}");
    assert!(caption.contains("count = 1 of 2 expected"), "{caption}");
    assert_eq!(harness.state().diagram_timeline().step(), 6);

    // Undo the last store: the loss is gone again, and a different choice is open.
    click(&mut harness, "뒤로");
    let caption = harness.state().diagram_caption(Language::En).to_owned();
    assert!(!caption.contains("lost"), "{caption}");
    assert_eq!(harness.state().diagram_timeline().step(), 5);
    harness.get_by_label("다음 실행: T1 (1)");
}

#[test]
fn a_race_started_from_the_lesson_shows_its_counts() {
    let mut harness = harness(Arc::default());
    open_step_with_scene(&mut harness, SceneKind::Interleavings);
    click(&mut harness, "측정");
    let deadline = Instant::now() + Duration::from_secs(60);
    while harness.state().report("race").is_none() {
        assert!(Instant::now() < deadline, "the race did not finish");
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.step();
    let report = harness.state().report("race").unwrap();
    let expected = report.json["expected"].as_u64().unwrap();
    let actual = report.json["actual"].as_u64().unwrap();
    // The last run's expected and actual counts stand among the report's facts.
    for count in [expected, actual] {
        assert!(
            harness.query_all_by_label(&count.to_string()).count() >= 1,
            "{count}"
        );
    }
    assert!(actual <= expected);
    harness.get_by_label("스레드: 실행마다 최종 count");
}
