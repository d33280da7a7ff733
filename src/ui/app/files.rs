//! The app's care for unsaved work and files: opening and saving through background jobs,
//! asking before anything would throw edits away, and holding a window close until the user
//! has decided.

use std::path::PathBuf;

use crate::lab::export;
use crate::lesson::Language;

use super::super::command::{Command, ExportFormat};
use super::super::document::Document;
use super::super::file_jobs::{FileEvent, JobKind, SaveRequest, suggested_file_name};
use super::super::recovery::RecoveryOffer;
use super::super::settings::LessonSource;
use super::super::strings::Msg;
use super::{Banner, Pending, ProcLabApp};

impl ProcLabApp {
    /// The "save changes?" question, while an action waits on it.
    pub(super) fn confirm_ui(&mut self, ctx: &egui::Context) -> Vec<Command> {
        if self.confirm.is_none() {
            return Vec::new();
        }
        let lang = self.settings.language;
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("confirm-unsaved")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.heading(Msg::UnsavedTitle.text(lang));
            ui.label(Msg::UnsavedBody.text(lang));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                for msg in [Msg::SaveFirst, Msg::Discard, Msg::Cancel] {
                    if ui.button(msg.text(lang)).clicked() {
                        choice = Some(msg);
                    }
                }
            });
        });
        if modal.should_close() && choice.is_none() {
            choice = Some(Msg::Cancel);
        }
        let Some(choice) = choice else {
            return Vec::new();
        };
        let pending = self.confirm.take();
        match (choice, pending) {
            (Msg::SaveFirst, Some(pending)) => {
                self.after_save = Some(pending);
                vec![Command::Save]
            }
            (Msg::Discard, Some(pending)) => {
                self.proceed(ctx, pending);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Keeps the recovery copy in step with the unsaved edits, and wakes the window when
    /// the copy is due.
    pub(super) fn keep_recovery_copy(&mut self, ctx: &egui::Context) {
        if self.recovery_offer.is_some() {
            return;
        }
        let document = &self.document;
        let revision = document.is_dirty().then(|| document.edit_count());
        let step = document.step_index();
        if let Some(wait) = self
            .recovery
            .keep(&document.lesson, &document.source, step, revision)
        {
            ctx.request_repaint_after(wait);
        }
    }

    /// Offers the edits a run that did not end normally left behind, and does what the user
    /// chooses.
    pub(super) fn recovery_offer_ui(&mut self, ctx: &egui::Context) {
        let Some(offer) = &self.recovery_offer else {
            return;
        };
        let Some(choice) = recovery_offer_modal(ctx, self.settings.language, offer) else {
            return;
        };
        let Some(offer) = self.recovery_offer.take() else {
            return;
        };
        match (choice, offer.lesson) {
            (Msg::Restore, Ok(lesson)) => {
                let mut document = Document::new(lesson, offer.source);
                document.go_to(offer.step);
                document.mark_edited();
                self.install(document);
            }
            _ => self.recovery.discard_found(),
        }
    }

    pub(super) fn start_open(&mut self, path: Option<PathBuf>) {
        if !self.files.open(path) {
            self.notice = Some(Msg::Busy);
        }
    }

    pub(super) fn start_save(&mut self, path: Option<PathBuf>) {
        let title = self.document.lesson.title.get(Language::En).to_owned();
        let name = suggested_file_name(&title, self.document.source.path());
        let request = SaveRequest {
            lesson: self.document.lesson.clone(),
            document: self.document.id(),
            edit_count: self.document.edit_count(),
            suggested_name: name,
        };
        if !self.files.save(path, request) {
            self.notice = Some(Msg::Busy);
            // Whatever waited on this save waits on the user again.
            if let Some(pending) = self.after_save.take() {
                self.confirm = Some(pending);
            }
        }
    }

    /// Writes the last report of family `name` where the user chooses, off the UI thread.
    pub(super) fn export_report(&mut self, name: &str, format: ExportFormat) {
        let Some(report) = self.lab.measurement(name).and_then(|m| m.report.as_ref()) else {
            return;
        };
        let contents = match format {
            ExportFormat::Csv => Ok(export::to_csv(report)),
            ExportFormat::Json => export::to_json(report),
        };
        let contents = match contents {
            Ok(contents) => contents,
            Err(e) => return self.show_problem(Msg::CannotExport, e.to_string()),
        };
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let extension = format.extension();
        let suggested = export::file_name(report.family, seconds, extension);
        if !self.files.export(suggested, extension, contents) {
            self.notice = Some(Msg::Busy);
        }
    }

    /// Hands a screenshot asked for by "Export view as PNG" to a file job, which encodes it
    /// and writes it where the user chooses.
    pub(super) fn export_screenshot(&mut self) {
        let Ok(image) = self.screenshots.1.try_recv() else {
            return;
        };
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let suggested = export::file_name("view", seconds, "png");
        if !self.files.export_png(suggested, image) {
            self.notice = Some(Msg::Busy);
        }
    }

    pub(super) fn on_file_event(&mut self, ctx: &egui::Context, event: FileEvent) {
        match event {
            FileEvent::Opened {
                path,
                result: Ok(lesson),
            } => self.replace(ctx, Document::new(lesson, LessonSource::File(path))),
            FileEvent::Opened { result: Err(e), .. } => {
                self.show_problem(Msg::CannotOpen, e.to_string());
            }
            FileEvent::Saved {
                path,
                document,
                edit_count,
                result: Ok(()),
            } => {
                self.settings.remember_file(&path);
                self.notice = Some(Msg::Saved);
                if document != self.document.id() {
                    return;
                }
                self.document.mark_saved(edit_count);
                self.document.source = LessonSource::File(path);
                self.settings.last_lesson = Some(self.document.source.clone());
                if let Some(pending) = self.after_save.take() {
                    // Edits made while the save ran are not on disk: ask again.
                    if self.document.is_dirty() {
                        self.confirm = Some(pending);
                    } else {
                        self.proceed(ctx, pending);
                    }
                }
            }
            FileEvent::Saved { result: Err(e), .. } => {
                self.after_save = None;
                self.show_problem(Msg::CannotSave, e);
            }
            FileEvent::Exported { result: Ok(()), .. } => self.notice = Some(Msg::Exported),
            FileEvent::Exported { result: Err(e), .. } => {
                self.show_problem(Msg::CannotExport, e);
            }
            FileEvent::Cancelled => self.after_save = None,
            FileEvent::Crashed(kind) => {
                self.after_save = None;
                let headline = match kind {
                    JobKind::Opening => Msg::CannotOpen,
                    JobKind::Saving => Msg::CannotSave,
                    JobKind::Exporting => Msg::CannotExport,
                };
                self.show_problem(headline, "the file job stopped unexpectedly".into());
            }
        }
    }

    pub(super) fn show_problem(&mut self, headline: Msg, details: String) {
        self.banner = Some(Banner { headline, details });
    }

    /// Replaces the open lesson, asking first if that would lose edits.
    pub(super) fn replace(&mut self, ctx: &egui::Context, document: Document) {
        if self.document.is_dirty() {
            self.confirm = Some(Pending::Replace(Box::new(document)));
        } else {
            self.proceed(ctx, Pending::Replace(Box::new(document)));
        }
    }

    /// Does what was held back, now that unsaved edits are saved or given up.
    pub(super) fn proceed(&mut self, ctx: &egui::Context, pending: Pending) {
        match pending {
            Pending::Replace(document) => self.install(*document),
            Pending::Quit => {
                self.quit_confirmed = true;
                // A save under way finishes first, so no half-written temporary file is left.
                if self.files.busy() != Some(JobKind::Saving) {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
        }
    }

    pub(super) fn install(&mut self, document: Document) {
        if let LessonSource::File(path) = &document.source {
            self.settings.remember_file(path);
        }
        self.settings.last_lesson = Some(document.source.clone());
        self.document = document;
        self.quiz_answers.clear();
        self.banner = None;
    }

    /// Holds a window close while there are unsaved edits and asks instead.
    pub(super) fn intercept_close(&mut self, ctx: &egui::Context) {
        let requested = ctx.input(|i| i.viewport().close_requested());
        if requested && self.document.is_dirty() && !self.quit_confirmed {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm = Some(Pending::Quit);
        }
    }
}

/// The question about a recovery copy; the button chosen this frame, if any.
fn recovery_offer_modal(ctx: &egui::Context, lang: Language, offer: &RecoveryOffer) -> Option<Msg> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("recovery-offer")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.heading(Msg::RecoveryTitle.text(lang));
        ui.label(Msg::RecoveryBody.text(lang));
        if let Ok(lesson) = &offer.lesson {
            ui.label(egui::RichText::new(lesson.title.get(lang)).strong());
        }
        ui.label(format!(
            "{} {}",
            Msg::RecoveredFrom.text(lang),
            offer.kept_at
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            for msg in [Msg::Restore, Msg::DiscardRecovery] {
                let enabled = offer.lesson.is_ok() || msg != Msg::Restore;
                if ui
                    .add_enabled(enabled, egui::Button::new(msg.text(lang)))
                    .clicked()
                {
                    choice = Some(msg);
                }
            }
        });
    });
    choice
}
