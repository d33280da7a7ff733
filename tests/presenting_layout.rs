//! Presentation mode on the projector sizes a classroom has (1024x768, 1280x720, 1920x1080):
//! the projector theme's image snapshots, and, with real workers running and a real
//! measurement plotted, the title, the diagram and the evidence each whole on screen and
//! apart from one another.

mod common;

use std::sync::Arc;

use common::{builtin, harness_sized, step_until};
use egui::{Key, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use proclab::lab::WorkerKind;
use proclab::lesson::{ExperimentKind, Language::Ko};
use proclab::ui::settings::{LessonSource, Settings};
use proclab::ui::{ProcLabApp, StartOptions};

const SIZES: [[f32; 2]; 3] = [[1024.0, 768.0], [1280.0, 720.0], [1920.0, 1080.0]];

/// The app presenting lesson 2 from the first step whose experiment is `kind`.
fn presenting(size: [f32; 2], kind: ExperimentKind) -> Harness<'static, ProcLabApp> {
    let settings = Settings {
        theme: egui::ThemePreference::Dark,
        last_lesson: Some(LessonSource::Builtin(
            proclab::lesson::BUILTIN_LESSONS[1].id.into(),
        )),
        ..Settings::default()
    };
    let mut harness = harness_sized(settings, StartOptions::default(), Arc::default(), size);
    let index = builtin(1)
        .steps
        .iter()
        .position(|s| s.experiment.as_ref().is_some_and(|e| e.kind == kind))
        .unwrap();
    for _ in 0..index {
        harness.key_press(Key::ArrowRight);
    }
    harness.key_press_modifiers(egui::Modifiers::SHIFT, Key::F5);
    harness.run();
    assert!(harness.state().is_presenting());
    assert_eq!(harness.state().document().step_index(), index);
    harness
}

/// The window in the harness's points.
fn window(harness: &Harness<'static, ProcLabApp>) -> Rect {
    harness.ctx.content_rect()
}

fn rect_of(harness: &Harness<'static, ProcLabApp>, label: &str) -> Rect {
    harness.get_by_label(label).rect()
}

/// The diagram: the one picture described by the diagram's caption.
fn diagram_rect(harness: &Harness<'static, ProcLabApp>) -> Rect {
    let caption = harness.state().diagram_caption(Ko).to_owned();
    harness
        .get_all_by_role(egui::accesskit::Role::Image)
        .find(|n| n.accesskit_node().label().as_deref() == Some(caption.as_str()))
        .expect("the diagram is on screen")
        .rect()
}

fn assert_whole(window: Rect, what: &str, rect: Rect) {
    assert!(
        window.expand(0.5).contains_rect(rect),
        "{what} at {rect:?} is cut off by the window {window:?}"
    );
}

#[test]
fn with_live_workers_nothing_is_cut_off_or_overlaps() {
    for size in SIZES {
        let mut harness = presenting(size, ExperimentKind::Workers);
        harness.get_by_label("스레드 시작").click();
        step_until(&mut harness, "the threads", |app| {
            app.lab_snapshot().of_kind(WorkerKind::Thread).count() == 4
        });
        harness.run();
        let window = window(&harness);
        let title = rect_of(&harness, builtin(1).steps[0].title.exact(Ko).unwrap());
        let diagram = diagram_rect(&harness);
        let stop = rect_of(&harness, "모두 멈추기");
        for (what, rect) in [
            ("the title", title),
            ("the diagram", diagram),
            ("Stop all", stop),
        ] {
            assert_whole(window, what, rect);
        }
        assert!(
            !title.intersects(diagram),
            "{size:?}: the title overlaps the diagram"
        );
        assert!(
            !diagram.intersects(stop),
            "{size:?}: the diagram overlaps the controls"
        );
        assert!(
            diagram.area() > window.area() * 0.2,
            "{size:?}: the diagram takes a large share of the screen"
        );
        harness.state_mut().stop_lab();
    }
}

#[test]
fn with_a_measurement_plotted_nothing_is_cut_off() {
    for size in SIZES {
        let mut harness = presenting(size, ExperimentKind::SpawnCost);
        harness.get_by_label("측정").click();
        step_until(&mut harness, "the measurement", |app| {
            app.report("spawn-cost").is_some()
        });
        harness.run();
        let window = window(&harness);
        assert_whole(window, "the diagram", diagram_rect(&harness));
        let table = harness
            .get_all_by_label_contains("중앙값")
            .next()
            .expect("the figures are shown")
            .rect();
        assert!(
            table.intersects(window),
            "{size:?}: the figures are on screen"
        );
        assert!(!diagram_rect(&harness).intersects(table));
    }
}

fn snapshot(name: &str, size: [f32; 2]) {
    let mut harness = presenting(size, ExperimentKind::Workers);
    harness.snapshot(name);
}

#[test]
fn projector_theme_at_1024x768() {
    snapshot("present_projector_1024x768", [1024.0, 768.0]);
}

#[test]
fn projector_theme_at_1920x1080() {
    snapshot("present_projector_1920x1080", [1920.0, 1080.0]);
}
