//! Image snapshots of a measured distribution as the evidence panel plots it: the histogram
//! with p10, median and p90 marked, and the side-by-side comparison; what ran when as a Gantt
//! chart; cost against a varied parameter as curves; in both themes.

mod common;

use egui_kittest::Harness;
use proclab::lab::experiment::{Curve, CurvePoint, Figure, Timeline, Unit, Words};
use proclab::lab::stats::Summary;
use proclab::lab::trace::{Event, EventKind, Recorded, timeline_of};
use proclab::lesson::Language;
use proclab::ui::curve_plot::curve_plot_ui;
use proclab::ui::distribution_plot::{comparison_plot_ui, distribution_plot_ui};
use proclab::ui::fonts::{find_korean_font, install_korean_font};
use proclab::ui::timeline_plot::timeline_plot_ui;

/// Two long-tailed timings, fixed so that the picture is the same on every run.
fn figures() -> (Figure, Figure) {
    let timing = |base: f64, spread: f64| -> Vec<f64> {
        (0..400)
            .map(|i| {
                base + (f64::from(i) * 7.3) % spread + if i % 50 == 0 { spread * 4.0 } else { 0.0 }
            })
            .collect()
    };
    let label = |en: &str, ko: &str| Words::new(en, ko);
    (
        Figure::of(
            label("thread: spawn + join", "스레드: 생성 + join"),
            Unit::Nanoseconds,
            timing(100_000.0, 30_000.0),
        )
        .unwrap(),
        Figure::of(
            label(
                "process: posix_spawn + exec + wait",
                "프로세스: posix_spawn + exec + wait",
            ),
            Unit::Nanoseconds,
            timing(160_000.0, 80_000.0),
        )
        .unwrap(),
    )
}

fn snapshot(theme: egui::Theme, language: Language, name: &str) {
    common::require_korean_font();
    let (first, second) = figures();
    let mut harness = Harness::builder()
        .with_size([760.0, 420.0])
        .with_theme(theme)
        .with_context_setup(|ctx| {
            install_korean_font(ctx, find_korean_font());
        })
        .build_ui(move |ui| {
            distribution_plot_ui(ui, language, &first, 180.0);
            comparison_plot_ui(ui, language, &[&first, &second], 120.0);
        });
    harness.run();
    harness.snapshot(name);
}

#[test]
fn plot_dark() {
    snapshot(egui::Theme::Dark, Language::Ko, "plot_dark");
}

#[test]
fn plot_light() {
    snapshot(egui::Theme::Light, Language::En, "plot_light");
}

/// Three threads: T1 holds lock A while T2 blocks on it and is handed it; T3 sleeps, runs
/// and is taken off the CPU once.
fn timeline() -> Timeline {
    use EventKind::*;
    let ms = |m: f64| (m * 1e6) as u64;
    let event = |at: f64, kind, object| Event {
        at: ms(at),
        kind,
        object,
    };
    let t1 = vec![
        event(0.0, Requested, 0),
        event(0.2, Acquired, 0),
        event(6.0, Released, 0),
        event(9.0, Finished, 0),
    ];
    let t2 = vec![
        event(1.0, Requested, 0),
        event(6.1, Acquired, 0),
        event(8.0, Released, 0),
        event(10.0, Finished, 0),
    ];
    let t3 = vec![
        event(0.0, SleepBegan, 0),
        event(3.0, SleepEnded, 0),
        event(5.0, GapBegan, 0),
        event(7.0, GapEnded, 0),
        event(12.0, Finished, 0),
    ];
    let thread = |i: usize, events| Recorded {
        label: Words::new(format!("thread {i}"), format!("스레드 {i}")),
        kernel: None,
        events,
        end: 12.0e6,
    };
    timeline_of(
        vec![thread(1, t1), thread(2, t2), thread(3, t3)],
        vec!["A".into()],
        0,
    )
}

/// Cost per hop against ring size, for two kinds, with a spread that widens.
fn curves() -> Vec<Curve> {
    let curve = |en: &str, ko: &str, scale: f64| Curve {
        label: Words::new(en, ko),
        x_label: Words::new("ring size", "고리 크기"),
        x_log2: true,
        unit: Unit::Nanoseconds,
        points: [2.0, 4.0, 8.0, 16.0, 32.0]
            .into_iter()
            .map(|x: f64| {
                let median = scale * (1.0 + x.log2() * 0.3);
                let samples = [median * 0.9, median, median * 1.2];
                CurvePoint {
                    x,
                    summary: Summary::of(&samples).unwrap(),
                }
            })
            .collect(),
    };
    vec![
        curve("threads", "스레드", 2_000.0),
        curve("processes", "프로세스", 2_600.0),
    ]
}

fn timeline_snapshot(theme: egui::Theme, language: Language, name: &str) {
    common::require_korean_font();
    let (timeline, curves) = (timeline(), curves());
    let mut harness = Harness::builder()
        .with_size([760.0, 460.0])
        .with_theme(theme)
        .with_context_setup(|ctx| {
            install_korean_font(ctx, find_korean_font());
        })
        .build_ui(move |ui| {
            timeline_plot_ui(ui, language, "snapshot", &timeline);
            let curves: Vec<&Curve> = curves.iter().collect();
            curve_plot_ui(ui, language, "snapshot", &curves);
        });
    harness.run();
    harness.snapshot(name);
}

#[test]
fn timeline_and_curves_dark() {
    timeline_snapshot(egui::Theme::Dark, Language::Ko, "timeline_curves_dark");
}

#[test]
fn timeline_and_curves_light() {
    timeline_snapshot(egui::Theme::Light, Language::En, "timeline_curves_light");
}

/// The pictures of a real deadlock run (the graph when the cycle was found) and of the crash
/// scenarios, as the evidence column draws them.
fn pictures_snapshot(theme: egui::Theme, language: Language, name: &str) {
    use proclab::lab::deadlock::WaitForGraph;
    use proclab::lab::picture::{CrashPicture, Picture, WaitForPicture};
    use proclab::ui::picture_view::picture_ui;
    common::require_korean_font();
    let graph = WaitForGraph {
        holders: vec![Some(0), Some(1), Some(2)],
        waiting: vec![Some(1), Some(2), Some(0)],
    };
    let wait_for = Picture::WaitFor(WaitForPicture {
        graph,
        lanes: vec![0, 1, 2],
        recovered: true,
    });
    let crash = |en: &str, ko: &str, exit: &str, after: u32| CrashPicture {
        scenario: Words::new(en, ko),
        exit: exit.into(),
        ended_by_crash: after == 0,
        threads_before: 5,
        threads_after: after,
        sibling_threads: 5,
        sibling_survived: true,
    };
    let crashes = Picture::Crashes(vec![
        crash(
            "a thread calls abort()",
            "스레드가 abort() 호출",
            "SIGABRT",
            0,
        ),
        crash(
            "a thread panics, caught at join",
            "스레드 패닉, join에서 잡음",
            "exit code 0",
            4,
        ),
    ]);
    let mut harness = Harness::builder()
        .with_size([640.0, 520.0])
        .with_theme(theme)
        .with_context_setup(|ctx| {
            install_korean_font(ctx, find_korean_font());
        })
        .build_ui(move |ui| {
            picture_ui(ui, language, &wait_for, None, None);
            picture_ui(ui, language, &crashes, None, None);
        });
    harness.run();
    harness.snapshot(name);
}

#[test]
fn deadlock_and_crash_pictures_dark() {
    pictures_snapshot(egui::Theme::Dark, Language::Ko, "pictures_dark");
}

#[test]
fn deadlock_and_crash_pictures_light() {
    pictures_snapshot(egui::Theme::Light, Language::En, "pictures_light");
}
