//! The presenter view, for the teacher's own screen: the speaker notes, the current and the
//! next step, the time since the start and the clock, and the step's live experiment with
//! its controls and progress. The audience sees none of it.

use std::time::Duration;

use egui::{RichText, Ui};

use crate::lesson::{Language, Lesson};

use super::super::command::Command;
use super::super::lab_panel::LabPanel;
use super::super::step_view::evidence_area_ui;
use super::super::strings::{Msg, step_counter};

/// What the presenter view shows.
pub struct PresenterInfo<'a> {
    pub language: Language,
    pub lesson: &'a Lesson,
    pub step: usize,
    /// Since the presentation started.
    pub elapsed: Duration,
    /// The wall clock, as hours and minutes in the local time zone.
    pub clock: String,
}

/// Draws the presenter view; returns what the teacher asked for.
pub fn presenter_view_ui(
    ui: &mut Ui,
    info: &PresenterInfo<'_>,
    lab: &mut LabPanel,
) -> Vec<Command> {
    let lang = info.language;
    let mut commands = Vec::new();
    times_ui(ui, info);
    ui.separator();
    let count = info.lesson.steps.len();
    if let Some(step) = info.lesson.steps.get(info.step) {
        ui.label(RichText::new(Msg::NowShowing.text(lang)).weak());
        ui.heading(format!(
            "{} — {}",
            step_counter(lang, info.step, count),
            step.title.get(lang)
        ));
        ui.add_space(6.0);
        ui.label(RichText::new(Msg::Notes.text(lang)).weak());
        let notes = match step.notes.get(lang) {
            "" => Msg::NoNotes.text(lang),
            notes => notes,
        };
        ui.label(RichText::new(notes).size(ui.text_style_height(&egui::TextStyle::Body) * 1.25));
    }
    ui.separator();
    next_step_ui(ui, info);
    ui.separator();
    commands.extend(controls_ui(ui, lang));
    if let Some(step) = info
        .lesson
        .steps
        .get(info.step)
        .filter(|s| s.experiment.is_some())
    {
        ui.push_id("presenter-evidence", |ui| {
            commands.extend(evidence_area_ui(ui, lang, step, lab));
        });
    }
    commands
}

/// Elapsed time on the left, the clock on the right.
fn times_ui(ui: &mut Ui, info: &PresenterInfo<'_>) {
    let lang = info.language;
    let seconds = info.elapsed.as_secs();
    let elapsed = format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    );
    ui.horizontal(|ui| {
        ui.label(RichText::new(Msg::Elapsed.text(lang)).weak());
        ui.label(RichText::new(elapsed).monospace().heading());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(RichText::new(&info.clock).monospace().heading());
            ui.label(RichText::new(Msg::Clock.text(lang)).weak());
        });
    });
}

/// The next step's title and the start of its narration, or that this is the last one.
fn next_step_ui(ui: &mut Ui, info: &PresenterInfo<'_>) {
    let lang = info.language;
    ui.label(RichText::new(Msg::NextUp.text(lang)).weak());
    match info.lesson.steps.get(info.step + 1) {
        Some(next) => {
            let counter = step_counter(lang, info.step + 1, info.lesson.steps.len());
            ui.label(RichText::new(format!("{counter} — {}", next.title.get(lang))).strong());
            ui.label(RichText::new(first_words(next.narration.get(lang), 240)).weak());
        }
        None => {
            ui.label(Msg::LastStepNow.text(lang));
        }
    }
}

/// The clicker's commands as buttons, for a teacher at the laptop.
fn controls_ui(ui: &mut Ui, lang: Language) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal_wrapped(|ui| {
        for (msg, command) in [
            (Msg::Previous, Command::Retreat),
            (Msg::Next, Command::Advance),
            (Msg::BlackScreen, Command::Blank(super::Screen::Black)),
            (Msg::WhiteScreen, Command::Blank(super::Screen::White)),
            (Msg::StepList, Command::ToggleStepList),
        ] {
            if ui.button(msg.text(lang)).clicked() {
                commands.push(command);
            }
        }
    });
    commands
}

/// The first `limit` characters of `markdown`, on one line, cut at a word.
fn first_words(markdown: &str, limit: usize) -> String {
    let flat: String = markdown
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['*', '`', '#'], "");
    if flat.chars().count() <= limit {
        return flat;
    }
    let cut: String = flat.chars().take(limit).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_steps_preview_is_one_line_cut_at_a_word() {
        assert_eq!(
            first_words("A **process**\n\nis running.", 100),
            "A process is running."
        );
        assert_eq!(first_words("one two three", 9), "one two…");
    }
}
