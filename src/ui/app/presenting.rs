//! The app while presenting: entering and leaving, the scale that makes text readable from
//! the back of the room, the frame drawn for the audience, the presenter view and what the
//! clicker's commands do.

use std::sync::Arc;

use super::super::command::Command;
use super::super::lab_panel::LabPanel;
use super::super::present::{
    NumberKeys, Presentation, PresenterInfo, ProjectorParts, QuizState, Screen, blank_screen_ui,
    pointer_ui, presenter_view_ui, projector_step_ui, step_list_ui, typed_number_ui,
};
use super::super::scenes::DiagramPanel;
use super::super::strings::Msg;
use super::super::theme;
use super::ProcLabApp;

/// What number keys pick while presenting: the real threads while some are stepped (a run
/// belongs to the step shown: leaving the step ends it), else the diagram's threads where
/// the diagram offers a choice, else a step number.
pub(super) fn number_keys(diagram: &DiagramPanel, lab: &LabPanel) -> NumberKeys {
    if let Some(snapshot) = &lab.stepper.snapshot {
        return NumberKeys::RealThreads(snapshot.threads.len());
    }
    match diagram.choices().iter().max() {
        Some(&last) => NumberKeys::DiagramThreads(last + 1),
        None => NumberKeys::StepNumber,
    }
}

impl ProcLabApp {
    /// True while presentation mode is on.
    pub fn is_presenting(&self) -> bool {
        self.presentation.is_some()
    }

    /// What the audience sees instead of the lesson, if anything.
    pub fn screen(&self) -> Option<Screen> {
        self.presentation.as_ref().map(|p| p.screen)
    }

    /// True while the presenter view is open.
    pub fn presenter_view_open(&self) -> bool {
        self.presenter_view
    }

    pub(super) fn set_presenting(&mut self, ctx: &egui::Context, presenting: bool) {
        if self.presentation.is_some() == presenting {
            return;
        }
        self.presentation = presenting.then(Presentation::new);
        self.editing &= !presenting;
        if !presenting {
            self.presenter_view = false;
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(presenting));
        self.set_zoom(ctx, self.settings.zoom);
    }

    /// The zoom that makes the window about 720 points high while presenting, so a 768-line
    /// projector and a 1080-line one show the same layout, each letter a fixed share of the
    /// screen's height; the user's own zoom applies on top.
    pub(super) fn presentation_scale(&self, ctx: &egui::Context) -> f32 {
        if self.presentation.is_none() {
            return 1.0;
        }
        let (points, native) = ctx.input(|i| {
            let native = i.viewport().native_pixels_per_point.unwrap_or(1.0);
            (i.content_rect().height(), native)
        });
        let pixels = points * ctx.pixels_per_point();
        (pixels / native / theme::PROJECTOR_HEIGHT_POINTS).clamp(0.75, 4.0)
    }

    /// Keeps the presentation scale right as the window goes full screen or changes size.
    pub(super) fn keep_presentation_scale(&mut self, ctx: &egui::Context) {
        if self.presentation.is_none() {
            return;
        }
        let wanted = self.settings.zoom * self.presentation_scale(ctx);
        if (ctx.zoom_factor() - wanted).abs() > 0.01 {
            ctx.set_zoom_factor(wanted);
        }
    }

    /// Carries out a command of presentation mode.
    pub(super) fn apply_presenting(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::PresentFromHere => self.set_presenting(ctx, true),
            Command::TogglePresentation => {
                let on = self.presentation.is_none();
                if on {
                    self.document.go_to(0);
                }
                self.set_presenting(ctx, on);
            }
            Command::LeavePresentation => self.set_presenting(ctx, false),
            Command::Advance => self.advance(),
            Command::Retreat => self.retreat(),
            Command::Blank(screen) => self.set_screen(screen),
            Command::ShowLesson => self.set_screen(Screen::Lesson),
            Command::TogglePresenterView => self.presenter_view = !self.presenter_view,
            Command::ToggleStepList => {
                if let Some(p) = &mut self.presentation {
                    p.step_list = !p.step_list;
                }
            }
            Command::ToggleDiagramZoom => {
                if let Some(p) = &mut self.presentation {
                    p.diagram_zoom = !p.diagram_zoom;
                }
            }
            Command::ToggleQuiz => self.toggle_quiz(),
            _ => {}
        }
    }

    fn set_screen(&mut self, screen: Screen) {
        if let Some(p) = &mut self.presentation {
            p.screen = screen;
        }
    }

    fn toggle_quiz(&mut self) {
        let questions = self.document.step().map_or(0, |s| s.quiz.len());
        if let Some(p) = &mut self.presentation {
            p.quiz = match p.quiz {
                None if questions > 0 => Some(QuizState::default()),
                _ => None,
            };
        }
    }

    /// Next, as the clicker means it: the quiz's next answer or question, then the
    /// diagram's next stage where the lesson has builds, then the next step.
    fn advance(&mut self) {
        let questions = self.document.step().map_or(0, |s| s.quiz.len());
        if let Some(p) = &mut self.presentation
            && let Some(quiz) = p.quiz
        {
            p.quiz = Presentation::quiz_forward(quiz, questions);
            return;
        }
        self.load_diagram_of_step();
        let builds = self.builds_here();
        let timeline = &mut self.diagram.timeline;
        if builds && !timeline.is_at_end() {
            timeline.pause();
            timeline.step_forward();
        } else {
            self.go_to_step(self.document.step_index().saturating_add(1));
        }
    }

    /// Back: the diagram's previous stage where the lesson has builds, else the step before.
    fn retreat(&mut self) {
        if let Some(p) = &mut self.presentation {
            p.quiz = None;
        }
        self.load_diagram_of_step();
        let builds = self.builds_here();
        let timeline = &mut self.diagram.timeline;
        if builds && timeline.step() > 0 {
            timeline.pause();
            timeline.step_back();
        } else {
            self.go_to_step(self.document.step_index().saturating_sub(1));
        }
    }

    /// True when "next" and "back" play the current step's diagram: the lesson has builds
    /// and the step has a diagram (else the timeline is another step's).
    fn builds_here(&self) -> bool {
        self.document.lesson.builds && self.document.step().is_some_and(|s| s.scene.is_some())
    }

    /// Shows step `index`, its diagram loaded at once so that a second press in the same
    /// frame sees the new step's diagram, not the old one's.
    pub(super) fn go_to_step(&mut self, index: usize) {
        self.document.go_to(index);
        if let Some(p) = &mut self.presentation {
            p.quiz = None;
        }
        self.load_diagram_of_step();
    }

    /// Draws the window while presenting: the blank screen, or the step in the projector
    /// layout with its overlays; the presenter view; the pointer.
    pub(super) fn presenting_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let ctx = ui.ctx().clone();
        let mut commands = Vec::new();
        let Some(presentation) = &self.presentation else {
            return commands;
        };
        let screen = presentation.screen;
        if screen != Screen::Lesson {
            egui::CentralPanel::default()
                .frame(egui::Frame::NONE)
                .show(ui, |ui| blank_screen_ui(ui, screen));
        } else {
            ui.set_style(Arc::new(theme::projector_style(
                ui.style(),
                self.settings.projector_theme,
            )));
            egui::CentralPanel::default().show(ui, |ui| commands.extend(self.audience_ui(ui)));
            commands.extend(self.presentation_overlays_ui(&ctx));
        }
        commands.extend(self.presenter_window_ui(&ctx));
        pointer_ui(&ctx);
        commands
    }

    fn audience_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let lang = self.settings.language;
        let step_index = self.document.step_index();
        let step_count = self.document.step_count();
        let owner = (self.document.id(), step_index);
        let zoomed = self.presentation.as_ref().is_some_and(|p| p.diagram_zoom);
        let quiz = self.presentation.as_ref().and_then(|p| p.quiz);
        let Self {
            document,
            markdown,
            diagram,
            lab,
            ..
        } = self;
        let Some(step) = document.step() else {
            return Vec::new();
        };
        if let Some(quiz) = quiz {
            super::super::present::quiz_ui(ui, lang, step, quiz);
            return Vec::new();
        }
        projector_step_ui(
            ui,
            ProjectorParts {
                language: lang,
                step,
                step_index,
                step_count,
                owner,
                markdown,
                diagram,
                lab,
                zoomed,
            },
        )
    }

    fn presentation_overlays_ui(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let lang = self.settings.language;
        let Some(presentation) = &self.presentation else {
            return Vec::new();
        };
        typed_number_ui(ctx, lang, presentation.clicker.typed());
        if presentation.step_list {
            step_list_ui(ctx, lang, &self.document.lesson, self.document.step_index())
        } else {
            Vec::new()
        }
    }

    /// The presenter view in a window of its own where the platform has several; inside
    /// this window, over the lesson, where it has one (and in tests).
    fn presenter_window_ui(&mut self, ctx: &egui::Context) -> Vec<Command> {
        if !self.presenter_view {
            return Vec::new();
        }
        let lang = self.settings.language;
        let started = self.presentation.as_ref().map(|p| p.started);
        let info = PresenterInfo {
            language: lang,
            lesson: &self.document.lesson,
            step: self.document.step_index(),
            elapsed: started.map(|s| s.elapsed()).unwrap_or_default(),
            clock: chrono::Local::now().format("%H:%M").to_string(),
        };
        let lab = &mut self.lab;
        let builder = egui::ViewportBuilder::default()
            .with_title(format!("{} — ProcLab", Msg::PresenterView.text(lang)))
            .with_inner_size([900.0, 700.0]);
        let id = egui::ViewportId::from_hash_of("proclab-presenter-view");
        let (commands, closed) = ctx.show_viewport_immediate(id, builder, |ui, _class| {
            let closed = ui.input(|i| i.viewport().close_requested());
            let commands = egui::CentralPanel::default()
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .show(ui, |ui| presenter_view_ui(ui, &info, lab))
                        .inner
                })
                .inner;
            (commands, closed)
        });
        if closed {
            self.presenter_view = false;
        }
        // The elapsed time moves once a second: draw again when its next second begins, not
        // more often (each frame draws both windows).
        let into_second = started.map_or(0, |s| s.elapsed().subsec_millis());
        let next_second = std::time::Duration::from_millis(u64::from(1000 - into_second));
        ctx.request_repaint_after(next_second);
        commands
    }
}
