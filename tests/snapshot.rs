//! Image snapshots of the main window, rendered on the CPU (Mesa lavapipe) and compared with
//! the reviewed PNGs in `tests/snapshots/`. Regenerate with `UPDATE_SNAPSHOTS=1` after an
//! intended visual change, and look at the new images before committing them.

mod common;

use std::sync::Arc;

use common::harness_with;
use proclab::lesson::BUILTIN_LESSONS;
use proclab::lesson::Language;
use proclab::ui::StartOptions;
use proclab::ui::settings::{LessonSource, Settings};

fn snapshot_main_window(name: &str, language: Language, theme: egui::ThemePreference) {
    // Lesson 2 opens on a live threads step, drawn simulated until workers run: the same
    // picture every time (lesson 1 opens on a step that reads the real memory map).
    let settings = Settings {
        language,
        theme,
        last_lesson: Some(LessonSource::Builtin(BUILTIN_LESSONS[1].id.into())),
        ..Settings::default()
    };
    let mut harness = harness_with(settings, StartOptions::default(), Arc::default());
    harness.snapshot(name);
}

#[test]
fn main_window_korean_dark() {
    snapshot_main_window(
        "main_window_ko_dark",
        Language::Ko,
        egui::ThemePreference::Dark,
    );
}

#[test]
fn main_window_english_light() {
    snapshot_main_window(
        "main_window_en_light",
        Language::En,
        egui::ThemePreference::Light,
    );
}
