//! The user's settings, kept between runs through eframe's storage.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::lesson::Language;

/// How many recently opened files the File menu remembers.
pub const MAX_RECENT_FILES: usize = 8;

/// The zoom range offered, from small laptops to projectors.
pub const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.5..=3.0;

/// Where a lesson came from, so it can be reopened next time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LessonSource {
    /// A lesson compiled into the program, by id.
    Builtin(String),
    /// A lesson file on disk.
    File(PathBuf),
    /// A new lesson written in the app and not saved yet.
    Untitled,
}

impl LessonSource {
    /// The file to save to, if the lesson has one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            LessonSource::Builtin(_) | LessonSource::Untitled => None,
            LessonSource::File(path) => Some(path),
        }
    }
}

/// Everything ProcLab remembers between runs. The window size is remembered by eframe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub language: Language,
    pub theme: egui::ThemePreference,
    pub zoom: f32,
    /// Most recent first.
    pub recent_files: Vec<PathBuf>,
    pub last_lesson: Option<LessonSource>,
    /// Present in the projector theme (light, high contrast, thick strokes).
    pub projector_theme: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            language: Language::Ko,
            theme: egui::ThemePreference::System,
            zoom: 1.0,
            recent_files: Vec::new(),
            last_lesson: None,
            projector_theme: true,
        }
    }
}

impl Settings {
    /// The key settings are stored under in eframe's storage.
    pub const STORAGE_KEY: &'static str = "proclab-settings";

    /// Puts `path` first in the recent files, without duplicates, keeping the list short.
    pub fn remember_file(&mut self, path: &Path) {
        self.recent_files.retain(|p| p != path);
        self.recent_files.insert(0, path.to_owned());
        self.recent_files.truncate(MAX_RECENT_FILES);
    }

    /// Brings values that may have been edited by hand back into range.
    pub fn sanitized(mut self) -> Self {
        if !self.zoom.is_finite() {
            self.zoom = 1.0;
        }
        self.zoom = self.zoom.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
        self.recent_files.truncate(MAX_RECENT_FILES);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_unique_newest_first_and_bounded() {
        let mut settings = Settings::default();
        for i in 0..12 {
            settings.remember_file(Path::new(&format!("{i}.toml")));
        }
        settings.remember_file(Path::new("5.toml"));
        assert_eq!(settings.recent_files.len(), MAX_RECENT_FILES);
        assert_eq!(settings.recent_files[0], Path::new("5.toml"));
        assert_eq!(settings.recent_files[1], Path::new("11.toml"));
    }

    #[test]
    fn hand_edited_zoom_is_brought_into_range() {
        let settings = Settings {
            zoom: 40.0,
            ..Settings::default()
        };
        assert_eq!(settings.sanitized().zoom, 3.0);
    }
}
