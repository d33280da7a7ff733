//! The panels of the window: the lesson list, the step navigation bar, the status bar, and the
//! step itself (narration beside the diagram and the evidence). Each returns the commands the
//! user gave; the app applies them.

use egui_commonmark::CommonMarkCache;

use crate::lesson::Language;

use super::super::command::Command;
use super::super::document::Document;
use super::super::editor::lesson_editor_ui;
use super::super::file_jobs::JobKind;
use super::super::lesson_list::{LessonEntry, lesson_list_ui};
use super::super::settings::LessonSource;
use super::super::step_view::{diagram_area_ui, evidence_area_ui, narration_ui};
use super::super::strings::{Msg, UNSAVED_MARK, step_counter};
use super::ProcLabApp;

impl ProcLabApp {
    pub(super) fn lesson_list_ui(&self, ui: &mut egui::Ui) -> Vec<Command> {
        let entries: Vec<LessonEntry<'_>> = self
            .builtins
            .iter()
            .filter_map(|b| {
                let lesson = b.lesson.as_ref().ok()?;
                Some(LessonEntry {
                    id: b.id,
                    title: &lesson.title,
                    summary: &lesson.summary,
                })
            })
            .collect();
        egui::ScrollArea::vertical()
            .show(ui, |ui| {
                lesson_list_ui(
                    ui,
                    self.settings.language,
                    &entries,
                    &self.document.source,
                    &self.document.lesson.title,
                )
            })
            .inner
    }

    pub(super) fn navigation_ui(&self, ui: &mut egui::Ui) -> Vec<Command> {
        let lang = self.settings.language;
        let index = self.document.step_index();
        let count = self.document.step_count();
        let mut commands = Vec::new();
        ui.horizontal(|ui| {
            let mut nav = |ui: &mut egui::Ui, enabled: bool, msg: Msg, command: Command| {
                let hint = command.shortcut_text(ui.ctx());
                let button = ui
                    .add_enabled(enabled, egui::Button::new(msg.text(lang)))
                    .on_hover_text(hint);
                if button.clicked() {
                    commands.push(command);
                }
            };
            nav(ui, index > 0, Msg::First, Command::FirstStep);
            nav(ui, index > 0, Msg::Previous, Command::PreviousStep);
            ui.label(step_counter(lang, index, count));
            nav(ui, index + 1 < count, Msg::Next, Command::NextStep);
            nav(ui, index + 1 < count, Msg::Last, Command::LastStep);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let edit = if self.editing {
                    Msg::StopEditing
                } else {
                    Msg::Edit
                };
                nav(ui, true, Msg::Present, Command::TogglePresentation);
                nav(ui, true, edit, Command::ToggleEditing);
            });
        });
        commands
    }

    pub(super) fn status_bar_ui(&self, ui: &mut egui::Ui) {
        let lang = self.settings.language;
        ui.horizontal(|ui| {
            if self.document.is_dirty() {
                ui.label(format!("{UNSAVED_MARK} {}", Msg::Unsaved.text(lang)));
            }
            match &self.document.source {
                LessonSource::File(path) => ui.label(path.display().to_string()),
                LessonSource::Builtin(id) => ui.label(format!("{}: {id}", Msg::BuiltIn.text(lang))),
                LessonSource::Untitled => ui.label(Msg::Untitled.text(lang)),
            };
            if let Some(kind) = self.files.busy() {
                ui.spinner();
                ui.label(match kind {
                    JobKind::Opening => Msg::Opening.text(lang),
                    JobKind::Saving => Msg::Saving.text(lang),
                    JobKind::Exporting => Msg::Exporting.text(lang),
                });
            } else if let Some(notice) = self.notice {
                ui.label(notice.text(lang));
            }
            if !self.korean_font.is_loaded() {
                ui.label(
                    egui::RichText::new(Msg::NoKoreanFont.text(Language::En))
                        .color(ui.visuals().warn_fg_color),
                );
            }
        });
    }

    pub(super) fn step_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let lang = self.settings.language;
        if let Some(banner) = &self.banner {
            let mut dismissed = false;
            egui::Frame::new()
                .fill(ui.visuals().extreme_bg_color)
                .stroke(egui::Stroke::new(1.0, ui.visuals().error_fg_color))
                .inner_margin(8.0)
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal(|ui| {
                        ui.label(
                            egui::RichText::new(banner.headline.text(lang))
                                .color(ui.visuals().error_fg_color)
                                .strong(),
                        );
                        dismissed = ui.button(Msg::Dismiss.text(lang)).clicked();
                    });
                    ui.label(egui::RichText::new(&banner.details).monospace());
                });
            if dismissed {
                self.banner = None;
            }
            ui.add_space(6.0);
        }
        let step_index = self.document.step_index();
        let Some(step) = self.document.step() else {
            return Vec::new();
        };
        ui.heading(step.title.get(lang));
        ui.add_space(4.0);
        let editing = self.editing;
        let Self {
            document,
            markdown,
            quiz_answers,
            lab,
            diagram,
            ..
        } = self;
        let owner = (document.id(), step_index);
        let mut commands = Vec::new();
        // Narration on the left; the diagram above the evidence on the right, which gets the
        // larger share because its tables are wide.
        let size = ui.available_size();
        let gap = ui.spacing().item_spacing.x * 2.0;
        let left_width = (size.x * 0.4).max(240.0);
        let right_width = (size.x - left_width - gap).max(200.0);
        let has_experiment = document.step().is_some_and(|s| s.experiment.is_some());
        let diagram_share = if has_experiment { 0.55 } else { 1.0 };
        ui.horizontal_top(|ui| {
            let column = egui::Layout::top_down(egui::Align::Min);
            ui.allocate_ui_with_layout(egui::vec2(left_width, size.y), column, |ui| {
                egui::ScrollArea::vertical()
                    // The editor keeps its scroll position when the step changes under it.
                    .id_salt(("narration", if editing { usize::MAX } else { step_index }))
                    .auto_shrink(false)
                    .show(ui, |ui| {
                        if editing {
                            document_editor_ui(ui, lang, document, markdown);
                        } else if let Some(step) = document.step() {
                            narration_ui(ui, lang, step_index, step, markdown, quiz_answers, true);
                        }
                    });
            });
            ui.add_space(gap / 2.0);
            ui.allocate_ui_with_layout(egui::vec2(right_width, size.y), column, |ui| {
                ui.set_width(right_width);
                if let Some(step) = document.step() {
                    let diagram_size = egui::vec2(right_width, size.y * diagram_share);
                    commands = ui
                        .allocate_ui(diagram_size, |ui| {
                            diagram_area_ui(ui, lang, step, owner, diagram, lab, 1.0)
                        })
                        .inner;
                    if has_experiment {
                        ui.add_space(8.0);
                        commands.extend(evidence_area_ui(ui, lang, step, lab));
                    }
                }
            });
        });
        commands
    }
}

/// The lesson editor, with a word on where edits to a built-in lesson go.
fn document_editor_ui(
    ui: &mut egui::Ui,
    lang: Language,
    document: &mut Document,
    markdown: &mut CommonMarkCache,
) {
    if matches!(document.source, LessonSource::Builtin(_)) {
        ui.label(egui::RichText::new(Msg::BuiltinReadOnly.text(lang)).weak());
        ui.add_space(4.0);
    }
    let step = document.step_index();
    let outcome = lesson_editor_ui(ui, lang, &mut document.lesson, step, markdown);
    if let Some(key) = outcome.changed {
        document.record_edit(step, key.0.value());
    }
    if let Some(index) = outcome.go_to_step {
        document.go_to(index);
    }
}
