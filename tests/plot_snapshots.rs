//! Image snapshots of a measured distribution as the evidence panel plots it: the histogram
//! with p10, median and p90 marked, and the side-by-side comparison, in both themes.

mod common;

use egui_kittest::Harness;
use proclab::lab::experiment::{Figure, Unit, Words};
use proclab::lesson::Language;
use proclab::ui::distribution_plot::{comparison_plot_ui, distribution_plot_ui};
use proclab::ui::fonts::{find_korean_font, install_korean_font};

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
