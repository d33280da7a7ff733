//! The deadlock and crash lesson in the real app: trigger a real deadlock from the lesson and
//! see it found as a cycle and recovered, place the timeline's cursor and see the diagram go
//! to the same moment, and run the crash scenarios and see the sibling survive.

mod common;

use std::sync::Arc;

use common::{builtin, click, harness_sized, step_until};
use egui_kittest::kittest::Queryable;
use proclab::lesson::{Language, SceneKind};
use proclab::ui::ProcLabApp;
use proclab::ui::settings::Settings;
use proclab::ui::strings::Msg;

const LESSON: usize = 5;

/// The app, tall enough that the whole evidence column is on screen, at the lesson's step
/// `step`.
fn at_step(step: usize) -> egui_kittest::Harness<'static, ProcLabApp> {
    let mut harness = harness_sized(
        Settings::default(),
        Default::default(),
        Arc::default(),
        [1400.0, 2200.0],
    );
    let lesson = builtin(LESSON);
    click(&mut harness, lesson.title.exact(Language::Ko).unwrap());
    for _ in 0..step {
        harness.key_press(egui::Key::ArrowRight);
        harness.run();
    }
    harness
}

fn measure(harness: &mut egui_kittest::Harness<'static, ProcLabApp>, family: &'static str) {
    click(harness, Msg::Measure.text(Language::Ko));
    step_until(harness, family, |app| app.report(family).is_some());
    harness.run();
}

#[test]
fn a_deadlock_triggered_from_the_lesson_is_found_as_a_cycle_and_recovered() {
    let mut harness = at_step(0);
    assert_eq!(
        builtin(LESSON).steps[0].scene.as_ref().unwrap().kind,
        SceneKind::Deadlock
    );
    measure(&mut harness, "deadlock");
    let report = harness.state().report("deadlock").unwrap();
    assert_eq!(report.json["detected"], true);
    assert_eq!(report.json["left_running"], 0);
    // The picture says so in the user's language: a cycle, and the child killed and reaped.
    for words in [
        Msg::CycleDeadlock.text(Language::Ko),
        Msg::RecoveredByKill.text(Language::Ko),
        "T1은(는) T2이(가) 잡은 B을(를) 기다림",
    ] {
        assert!(
            harness.query_all_by_label_contains(words).count() >= 1,
            "{words}"
        );
    }
}

#[test]
fn placing_the_timeline_cursor_moves_the_graph_and_the_diagram_to_that_moment() {
    let mut harness = at_step(0);
    measure(&mut harness, "deadlock");
    assert_eq!(harness.state().diagram_timeline().step(), 0);
    // The middle of the run is after the ring was killed: the fixes run then.
    let timeline = Msg::WhatRanWhen.text(Language::Ko);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Image, timeline)
        .click();
    harness.run();
    let killed = 2 * 2 + 1;
    assert_eq!(harness.state().diagram_timeline().step(), killed);
    let caption = harness.state().diagram_caption(Language::En).to_owned();
    assert!(caption.contains("kills the process"), "{caption}");
    assert!(harness.query_all_by_label_contains("타임라인 커서").count() >= 1);
}

#[test]
fn a_crash_run_from_the_lesson_shows_every_sibling_alive_and_the_app_goes_on() {
    let mut harness = at_step(2);
    measure(&mut harness, "crash");
    let report = harness.state().report("crash").unwrap();
    let rows = report.json["scenarios"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 4);
    // Each sibling keeps all five of its threads; three crashing processes keep none.
    let alive = |n: u32| format!("스레드 5개 중 {n}개 살아 있음");
    assert_eq!(harness.query_all_by_label(&alive(5)).count(), 4);
    assert_eq!(harness.query_all_by_label(&alive(0)).count(), 3);
    assert_eq!(harness.query_all_by_label(&alive(4)).count(), 1);
    for signal in ["SIGABRT", "SIGSEGV"] {
        assert!(harness.query_all_by_label(signal).count() >= 1, "{signal}");
    }
    // The app itself is still here and still answers.
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    assert_eq!(harness.state().document().step_index(), 3);
}
