//! The app shell: owns the open lesson, the settings and the file jobs, lays out the panels,
//! and applies every [`Command`] in one place.

mod files;
mod panels;
mod presenting;

use std::path::PathBuf;
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};
use egui_commonmark::CommonMarkCache;

use crate::lesson::{self, BUILTIN_LESSONS, Language, Lesson, LoadError, Step, Text};

use super::command::{Command, commands_from_keys};
use super::document::Document;
use super::editor::new_step;
use super::file_jobs::{FileDialogs, FileJobs, NativeDialogs};
use super::fonts::{KoreanFont, find_korean_font, install_korean_font};
use super::lab_panel::{LabPanel, Renderer};
use super::menu_bar::{MenuBarState, menu_bar_ui};
use super::present::Presentation;
use super::recovery::{Recovery, RecoveryOffer};
use super::scenes::DiagramPanel;
use super::settings::{LessonSource, Settings, ZOOM_RANGE};
use super::step_view::QuizAnswers;
use super::strings::{Msg, UNSAVED_MARK};
use super::theme;
use presenting::number_keys;

/// How the app was asked to start.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    /// A lesson file to open instead of the last one.
    pub file: Option<PathBuf>,
    /// Start in presentation mode.
    pub present: bool,
}

/// What the app takes from the machine it runs on; tests substitute their own.
pub struct Environment {
    /// Asks the user for files.
    pub dialogs: Arc<dyn FileDialogs>,
    /// Finds a font file that can draw Korean.
    pub find_korean_font: fn() -> Option<PathBuf>,
    /// The ProcLab program the lab starts child processes from.
    pub worker_exe: Option<PathBuf>,
    /// Where the recovery copy of unsaved edits is kept; `None` keeps none.
    pub recovery_dir: Option<PathBuf>,
}

impl Environment {
    /// The real machine: the system's file dialogs and fonts.
    pub fn native() -> Self {
        Self {
            dialogs: Arc::new(NativeDialogs),
            find_korean_font,
            worker_exe: std::env::current_exe().ok(),
            recovery_dir: eframe::storage_dir("ProcLab").map(|d| d.join("recovery")),
        }
    }
}

/// An action that would throw away unsaved edits, held until the user decides.
enum Pending {
    Replace(Box<Document>),
    Quit,
}

/// A problem shown above the step until dismissed.
struct Banner {
    headline: Msg,
    details: String,
}

/// A built-in lesson, parsed once at start.
struct Builtin {
    id: &'static str,
    lesson: Result<Lesson, LoadError>,
}

/// The ProcLab desktop app.
pub struct ProcLabApp {
    settings: Settings,
    document: Document,
    builtins: Vec<Builtin>,
    files: FileJobs,
    banner: Option<Banner>,
    notice: Option<Msg>,
    /// Waiting for the user to say what to do with unsaved edits.
    confirm: Option<Pending>,
    /// To do once the save under way succeeds.
    after_save: Option<Pending>,
    editing: bool,
    /// Presentation mode's state while it is on.
    presentation: Option<Presentation>,
    /// The presenter view (notes, next step, clock) is open.
    presenter_view: bool,
    quit_confirmed: bool,
    korean_font: KoreanFont,
    quiz_answers: QuizAnswers,
    markdown: CommonMarkCache,
    window_title: String,
    lab: LabPanel,
    diagram: DiagramPanel,
    /// Seeds the random scheduler, a new seed each time it is asked.
    random_seed: u64,
    /// The (document, step) whose experiment parameters the lab controls were set from.
    lab_defaults_from: (u64, usize),
    recovery: Recovery,
    /// Pictures of the window asked for by "Export view as PNG", as they arrive.
    screenshots: (
        Sender<Arc<egui::ColorImage>>,
        Receiver<Arc<egui::ColorImage>>,
    ),
    /// A recovery copy left by a run that did not end normally, offered until answered.
    recovery_offer: Option<RecoveryOffer>,
}

impl ProcLabApp {
    /// The app as eframe starts it: settings from eframe's storage, the system's dialogs.
    pub fn from_creation_context(cc: &eframe::CreationContext<'_>, start: StartOptions) -> Self {
        let settings = cc
            .storage
            .and_then(|s| eframe::get_value::<Settings>(s, Settings::STORAGE_KEY))
            .unwrap_or_default();
        Self::new(&cc.egui_ctx, settings, start, Environment::native())
    }

    /// The app with explicit settings and environment.
    pub fn new(
        ctx: &egui::Context,
        settings: Settings,
        start: StartOptions,
        environment: Environment,
    ) -> Self {
        let mut settings = settings.sanitized();
        let korean_font = install_korean_font(ctx, (environment.find_korean_font)());
        if !korean_font.is_loaded() {
            settings.language = Language::En;
        }
        theme::apply(ctx);
        // Zoom keys are ours, so that they respect the range and the presentation scale.
        ctx.options_mut(|options| options.zoom_with_keyboard = false);
        ctx.set_theme(settings.theme);
        ctx.set_zoom_factor(settings.zoom);
        let mut files = FileJobs::new(environment.dialogs);
        files.set_repaint_context(ctx);
        let builtins = BUILTIN_LESSONS
            .iter()
            .map(|b| Builtin {
                id: b.id,
                lesson: b.load(),
            })
            .collect();
        let mut app = Self {
            settings,
            document: Document::new(fallback_lesson(""), LessonSource::Builtin(String::new())),
            builtins,
            files,
            banner: None,
            notice: None,
            confirm: None,
            after_save: None,
            editing: false,
            presentation: None,
            presenter_view: false,
            quit_confirmed: false,
            korean_font,
            quiz_answers: QuizAnswers::default(),
            markdown: CommonMarkCache::default(),
            window_title: String::new(),
            lab: LabPanel::new(environment.worker_exe, ctx),
            diagram: DiagramPanel::default(),
            random_seed: 0,
            lab_defaults_from: (0, 0),
            recovery: Recovery::new(environment.recovery_dir),
            screenshots: crossbeam_channel::unbounded(),
            recovery_offer: None,
        };
        app.recovery_offer = app.recovery.found();
        app.open_first_lesson(start.file);
        if start.present {
            app.apply(ctx, Command::TogglePresentation);
        }
        app
    }

    /// The open lesson.
    pub fn document(&self) -> &Document {
        &self.document
    }

    /// The settings as they would be saved now.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The text of the problem shown above the step, if any.
    pub fn banner_text(&self) -> Option<String> {
        self.banner
            .as_ref()
            .map(|b| format!("{}\n{}", b.headline.text(self.settings.language), b.details))
    }

    /// The lab's registry as the evidence area shows it.
    pub fn lab_snapshot(&self) -> &crate::lab::LabSnapshot {
        &self.lab.snapshot
    }

    /// The diagram's timeline: which step it shows and whether it plays.
    pub fn diagram_timeline(&self) -> &crate::sim::Timeline {
        &self.diagram.timeline
    }

    /// What the diagram shows now, in `language`.
    pub fn diagram_caption(&self, language: crate::lesson::Language) -> &str {
        self.diagram.caption(language)
    }

    /// The last report of the measurement family called `family`, once one has finished.
    pub fn report(&self, family: &str) -> Option<&crate::lab::experiment::Report> {
        self.lab.measurement(family)?.report.as_ref()
    }

    /// The real threads being stepped, as they last stood.
    pub fn stepped(&self) -> Option<&crate::lab::stepped::Snapshot> {
        self.lab.stepper.snapshot.as_deref()
    }

    /// Why the last attempt to step real threads failed, if it did.
    pub fn stepper_failure(&self) -> Option<&crate::lab::LabError> {
        self.lab.stepper.failure.as_ref()
    }

    /// Stops every worker of the lab; returns how long it took.
    pub fn stop_lab(&mut self) -> std::time::Duration {
        self.lab.shutdown()
    }

    /// True while a file is being opened or saved.
    pub fn is_busy(&self) -> bool {
        self.files.busy().is_some()
    }

    /// Opens the file named on the command line, else the last lesson, else the first
    /// built-in one. A file that cannot be loaded leaves the first built-in lesson open and
    /// says why.
    fn open_first_lesson(&mut self, file: Option<PathBuf>) {
        let wanted = file
            .map(LessonSource::File)
            .or_else(|| self.settings.last_lesson.clone());
        let first_id = BUILTIN_LESSONS.first().map_or("", |b| b.id);
        self.install(self.builtin_document(first_id));
        match wanted {
            Some(LessonSource::File(path)) => match lesson::load(&path) {
                Ok(lesson) => self.install(Document::new(lesson, LessonSource::File(path))),
                Err(e) => self.show_problem(Msg::CannotOpen, e.to_string()),
            },
            Some(LessonSource::Builtin(id)) if lesson::BuiltinLesson::find(&id).is_some() => {
                self.install(self.builtin_document(&id));
            }
            _ => {}
        }
    }

    fn builtin_document(&self, id: &str) -> Document {
        let source = LessonSource::Builtin(id.to_owned());
        let lesson = match self.builtins.iter().find(|b| b.id == id) {
            Some(Builtin { lesson: Ok(l), .. }) => l.clone(),
            Some(Builtin { lesson: Err(e), .. }) => fallback_lesson(&e.to_string()),
            None => fallback_lesson(&format!("no built-in lesson named {id}")),
        };
        Document::new(lesson, source)
    }

    /// Draws the whole window and applies what the user did.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.take_background_results(&ctx);
        // Behind a question, keys must not act on the lesson.
        let asking = self.confirm.is_some() || self.recovery_offer.is_some();
        let mut commands = if asking {
            Vec::new()
        } else {
            commands_from_keys(&ctx, self.is_presenting())
        };
        if let Some(presentation) = &mut self.presentation
            && !asking
        {
            let numbers = number_keys(&self.diagram, &self.lab);
            commands.extend(presentation.commands_from_keys(&ctx, numbers));
        }
        if self.is_presenting() {
            self.keep_presentation_scale(&ctx);
            commands.extend(self.presenting_ui(ui));
        } else {
            commands.extend(self.window_ui(ui));
        }
        commands.extend(self.confirm_ui(&ctx));
        self.recovery_offer_ui(&ctx);
        for command in commands {
            self.apply(&ctx, command);
        }
        self.update_window_title(&ctx);
    }

    /// What finished off the UI thread since the last frame: file jobs, the lab's reports,
    /// a screenshot to export; and what is due: the recovery copy, the step's lab defaults,
    /// the question before closing with unsaved edits.
    fn take_background_results(&mut self, ctx: &egui::Context) {
        for event in self.files.finished() {
            self.on_file_event(ctx, event);
            if self.quit_confirmed && self.files.busy().is_none() {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
        self.lab.poll();
        // Real threads are stepped for one step of one lesson: leaving it ends their run.
        let here = (self.document.id(), self.document.step_index());
        self.lab.stepper.end_unless_at(here);
        self.export_screenshot();
        self.keep_recovery_copy(ctx);
        self.take_lab_defaults_from_step();
        self.intercept_close(ctx);
    }

    /// The window when not presenting: menus, status bar, lesson list, step navigation and
    /// the step itself.
    fn window_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::Panel::top("menu-bar").show(ui, |ui| {
            commands.extend(menu_bar_ui(
                ui,
                &MenuBarState {
                    language: self.settings.language,
                    korean_available: self.korean_font.is_loaded(),
                    theme: self.settings.theme,
                    recent_files: &self.settings.recent_files,
                    editing: self.editing,
                    projector_theme: self.settings.projector_theme,
                },
            ));
        });
        egui::Panel::bottom("status-bar").show(ui, |ui| self.status_bar_ui(ui));
        egui::Panel::left("lesson-list")
            .resizable(true)
            .default_size(220.0)
            .show(ui, |ui| commands.extend(self.lesson_list_ui(ui)));
        egui::Panel::bottom("step-navigation").show(ui, |ui| {
            commands.extend(self.navigation_ui(ui));
        });
        egui::CentralPanel::default().show(ui, |ui| commands.extend(self.step_ui(ui)));
        commands
    }

    /// When a new step is shown, its experiment's parameters become the lab's defaults.
    fn take_lab_defaults_from_step(&mut self) {
        let key = (self.document.id(), self.document.step_index());
        if key == self.lab_defaults_from {
            return;
        }
        self.lab_defaults_from = key;
        let spec = self.document.step().and_then(|s| s.experiment.as_ref());
        if let Some(spec) = spec {
            self.lab.threads = spec.threads.unwrap_or(self.lab.threads);
            self.lab.processes = spec.processes.unwrap_or(self.lab.processes);
            if spec.kind == crate::lesson::ExperimentKind::SteppedRace {
                self.lab.stepper.threads = spec.threads.unwrap_or(2);
            }
            if let Some(measurement) = self.lab.measurement_mut(spec.kind.file_name()) {
                for (name, value) in spec.values() {
                    measurement.set(name, value);
                }
            }
        }
        // Workers compute without pause only on a step that asks for it: elsewhere they would
        // load the machine for nothing.
        let load = match spec {
            Some(spec) if spec.cpu_bound => crate::lab::Load::CpuBound,
            _ => crate::lab::Load::Parked,
        };
        if load != self.lab.load {
            self.lab.set_load(load);
        }
    }

    /// Carries out one command.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            presenting @ (Command::TogglePresentation
            | Command::PresentFromHere
            | Command::LeavePresentation
            | Command::Advance
            | Command::Retreat
            | Command::Blank(_)
            | Command::ShowLesson
            | Command::TogglePresenterView
            | Command::ToggleStepList
            | Command::ToggleDiagramZoom
            | Command::ToggleQuiz) => self.apply_presenting(ctx, presenting),
            Command::NextStep => self.go_to_step(self.document.step_index().saturating_add(1)),
            Command::PreviousStep => {
                self.go_to_step(self.document.step_index().saturating_sub(1));
            }
            Command::FirstStep => self.go_to_step(0),
            Command::LastStep => self.go_to_step(usize::MAX),
            Command::GoToStep(index) => self.go_to_step(index),
            Command::OpenBuiltin(id) => self.replace(ctx, self.builtin_document(id)),
            Command::OpenDialog => self.start_open(None),
            Command::NewLesson => {
                self.replace(ctx, Document::new(new_lesson(), LessonSource::Untitled));
                self.editing = true;
            }
            Command::ExportViewPng => {
                let (sender, repaint) = (self.screenshots.0.clone(), ctx.clone());
                ctx.request_screenshot(move |image| {
                    // The app may be closing; then there is nothing to export to.
                    let _ = sender.send(image);
                    repaint.request_repaint();
                });
            }
            Command::OpenPath(path) => self.start_open(Some(path)),
            Command::Save => self.start_save(self.document.source.path().map(PathBuf::from)),
            Command::SaveAs => self.start_save(None),
            Command::SetLanguage(language) => self.set_language(language),
            Command::ToggleLanguage => self.set_language(self.settings.language.other()),
            Command::SetTheme(theme) => {
                self.settings.theme = theme;
                ctx.set_theme(theme);
            }
            Command::ZoomIn => self.set_zoom(ctx, self.settings.zoom + 0.1),
            Command::ZoomOut => self.set_zoom(ctx, self.settings.zoom - 0.1),
            Command::ZoomReset => self.set_zoom(ctx, 1.0),
            Command::ToggleEditing => self.editing = !self.editing && !self.is_presenting(),
            Command::Undo => {
                self.document.undo();
            }
            Command::Redo => {
                self.document.redo();
            }
            Command::ToggleProjectorTheme => {
                self.settings.projector_theme = !self.settings.projector_theme;
            }
            Command::ToggleDiagramPlayback => self.diagram.timeline.toggle_play(),
            Command::ChooseInDiagram(choice) => self.diagram.choose(choice),
            Command::SeekDiagram(step) => self.diagram.timeline.seek(step),
            Command::ChooseRandomly => {
                self.random_seed = self.random_seed.wrapping_add(1);
                self.diagram.choose_randomly(self.random_seed);
            }
            Command::Lab(command) => self.lab.send(command),
            Command::Stepper(order) => {
                let here = (self.document.id(), self.document.step_index());
                self.lab.stepper_order(order, here);
            }
            Command::SetLoad(load) => self.lab.set_load(load),
            Command::Measure(name) => self.lab.measure(name),
            Command::CancelMeasurement(name) => self.lab.cancel_measurement(name),
            Command::ExportReport(name, format) => self.export_report(name, format),
            Command::Quit => {
                if self.document.is_dirty() {
                    self.confirm = Some(Pending::Quit);
                } else {
                    self.proceed(ctx, Pending::Quit);
                }
            }
        }
    }

    fn set_language(&mut self, language: Language) {
        if language == Language::Ko && !self.korean_font.is_loaded() {
            return;
        }
        self.settings.language = language;
    }

    fn set_zoom(&mut self, ctx: &egui::Context, zoom: f32) {
        self.settings.zoom = zoom.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
        ctx.set_zoom_factor(self.settings.zoom * self.presentation_scale(ctx));
    }

    /// Loads the current step's diagram now, rather than when it is next drawn.
    fn load_diagram_of_step(&mut self) {
        let Some(scene) = self.document.step().and_then(|s| s.scene.clone()) else {
            return;
        };
        let live = self.lab.live.as_ref().filter(|_| scene.live);
        let owner = (self.document.id(), self.document.step_index());
        self.diagram
            .load(&scene, owner, live, self.lab.memory_map.as_ref());
    }

    fn update_window_title(&mut self, ctx: &egui::Context) {
        let dirty = if self.document.is_dirty() {
            format!(" {UNSAVED_MARK}")
        } else {
            String::new()
        };
        let title = format!(
            "{}{dirty} — ProcLab",
            self.document.lesson.title.get(self.settings.language)
        );
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }
}

/// What "New lesson" starts from: a title and the editor's new step, in both languages, so
/// that it saves as it is.
fn new_lesson() -> Lesson {
    Lesson {
        title: Text::new(
            Msg::NewLessonTitle.text(Language::Ko),
            Msg::NewLessonTitle.text(Language::En),
        ),
        steps: vec![new_step()],
        ..fallback_lesson("")
    }
}

/// A one-step lesson that explains why the real one could not be shown.
fn fallback_lesson(problem: &str) -> Lesson {
    let text = Text {
        ko: None,
        en: Some(format!(
            "ProcLab could not load this lesson:\n\n```\n{problem}\n```"
        )),
    };
    Lesson {
        format: lesson::FORMAT_VERSION,
        title: Text::new("ProcLab", "ProcLab"),
        summary: Text::default(),
        author: String::new(),
        builds: false,
        steps: vec![Step {
            title: Text::new("ProcLab", "ProcLab"),
            narration: text,
            notes: Text::default(),
            scene: None,
            experiment: None,
            quiz: Vec::new(),
        }],
    }
}

/// What draws the window, said beside every measurement because a software renderer shares
/// the CPUs with what is measured.
fn renderer_of(frame: &eframe::Frame) -> Renderer {
    use eframe::wgpu::DeviceType;
    match frame.wgpu_render_state() {
        Some(state) => {
            let info = state.adapter.get_info();
            Renderer {
                software: info.device_type == DeviceType::Cpu,
                name: info.name,
            }
        }
        None => Renderer {
            software: false,
            name: "unknown".into(),
        },
    }
}

impl eframe::App for ProcLabApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if self.lab.renderer.is_none() {
            self.lab.renderer = Some(renderer_of(frame));
        }
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, Settings::STORAGE_KEY, &self.settings);
    }

    /// Closing the window stops, joins and reaps every worker before the process ends.
    fn on_exit(&mut self) {
        self.lab.shutdown();
        // A copy left by an earlier run and not yet answered stays for the next start.
        if self.recovery_offer.is_none() {
            self.recovery.finish();
        }
    }
}
