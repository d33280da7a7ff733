//! The current step: narration beside the diagram area and the evidence area, and the quiz.

use std::collections::HashMap;

use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use crate::lesson::{ExperimentSpec, Language, Question, Step};

use crate::lab::LabCommand;
use crate::lesson::SceneKind;

use super::command::Command;
use super::evidence::evidence_ui;
use super::lab_panel::LabPanel;
use super::scenes::style::SceneStyle;
use super::scenes::{DiagramPanel, game_threads, timeline_ui};
use super::strings::Msg;

/// Answers the user gave: (step index, question index) to the chosen choice.
pub type QuizAnswers = HashMap<(usize, usize), usize>;

/// The narration column: Markdown text, speaker notes and the review questions.
pub fn narration_ui(
    ui: &mut egui::Ui,
    language: Language,
    step_index: usize,
    step: &Step,
    markdown: &mut CommonMarkCache,
    answers: &mut QuizAnswers,
    show_notes: bool,
) {
    CommonMarkViewer::new().show(ui, markdown, step.narration.get(language));
    if show_notes && !step.notes.is_empty() {
        ui.add_space(8.0);
        egui::CollapsingHeader::new(Msg::Notes.text(language))
            .id_salt(("notes", step_index))
            .show(ui, |ui| {
                ui.label(egui::RichText::new(step.notes.get(language)).italics());
            });
    }
    if !step.quiz.is_empty() {
        ui.add_space(12.0);
        ui.heading(Msg::Quiz.text(language));
        for (q, question) in step.quiz.iter().enumerate() {
            question_ui(ui, language, question, answers, (step_index, q));
        }
    }
}

fn question_ui(
    ui: &mut egui::Ui,
    language: Language,
    question: &Question,
    answers: &mut QuizAnswers,
    key: (usize, usize),
) {
    ui.add_space(6.0);
    ui.label(egui::RichText::new(question.prompt.get(language)).strong());
    let chosen = answers.get(&key).copied();
    let right = question.answer as usize;
    for (c, choice) in question.choices.iter().enumerate() {
        // After an answer, say in words which choice is right, not by colour alone.
        let mark = match chosen {
            Some(_) if c == right => Some(Msg::RightAnswer),
            Some(picked) if c == picked => Some(Msg::YourAnswer),
            _ => None,
        };
        let text = match mark {
            Some(mark) => format!("{} {}", choice.get(language), mark.text(language)),
            None => choice.get(language).to_owned(),
        };
        if ui.radio(chosen == Some(c), text).clicked() {
            answers.insert(key, c);
        }
    }
    if let Some(picked) = chosen {
        let verdict = if picked == right {
            Msg::Correct
        } else {
            Msg::Wrong
        };
        ui.label(verdict.text(language));
        if !question.explanation.is_empty() {
            ui.label(question.explanation.get(language));
        }
    }
}

/// The diagram area: the step's scene, animated, with its timeline controls. In live mode it
/// draws the lab's real threads and processes once some are running. What this machine does
/// is said under the picture in body text times `note_scale`.
pub fn diagram_area_ui(
    ui: &mut egui::Ui,
    language: Language,
    step: &Step,
    owner: (u64, usize),
    diagram: &mut DiagramPanel,
    lab: &LabPanel,
    note_scale: f32,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let live = step
        .scene
        .as_ref()
        .filter(|s| s.live)
        .and(lab.live.as_ref());
    let measured_sizes = step
        .scene
        .as_ref()
        .is_some_and(|s| s.kind == SceneKind::ProgramVsProcess && lab.memory_map.is_some());
    let title = if live.is_some() {
        Msg::DiagramLive
    } else if measured_sizes {
        Msg::DiagramMeasuredSizes
    } else {
        Msg::Diagram
    };
    area_frame(ui, title.text(language), |ui| {
        let Some(scene) = &step.scene else {
            ui.label(Msg::NoDiagram.text(language));
            return;
        };
        if scene.kind == SceneKind::ProgramVsProcess
            && lab.memory_map.is_none()
            && diagram.wants_memory_map()
        {
            commands.push(Command::Lab(LabCommand::ReadMemoryMap));
        }
        diagram.load(scene, owner, live, lab.memory_map.as_ref());
        timeline_ui(ui, language, &mut diagram.timeline);
        // While real threads are stepped (a run belongs to the step shown: leaving the step
        // ends it), the game follows them and takes no choices of its own.
        if !lab.stepper.running() {
            choices_ui(ui, language, diagram, &mut commands);
        }
        if scene.live && live.is_none() {
            ui.label(
                egui::RichText::new(Msg::LiveWaiting.text(language))
                    .small()
                    .weak(),
            );
        }
        let mut rect = ui.available_rect_before_wrap();
        if let Some(note) = diagram.machine_note(language) {
            // Room under the picture for what this machine does, as many lines as it wraps to.
            let text = egui::WidgetText::from(machine_note_text(ui, note, note_scale));
            let galley = text.into_galley(
                ui,
                Some(egui::TextWrapMode::Wrap),
                rect.width(),
                egui::TextStyle::Body,
            );
            rect.max.y -= galley.size().y + ui.spacing().item_spacing.y * 2.0;
        }
        // However little room is left, the picture is never given a negative size.
        rect.max.y = rect.max.y.max(rect.min.y);
        rect.max.x = rect.max.x.max(rect.min.x);
        let (response, painter) = ui.allocate_painter(rect.size(), egui::Sense::hover());
        // The picture has no widgets inside; screen readers get what the step shows.
        let description = diagram.caption(language);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, description));
        // Time moves before painting, so the frame that settles an animation is drawn.
        let dt = ui.input(|i| i.stable_dt).min(0.1);
        diagram.timeline.advance(dt);
        let style = SceneStyle::from_style(ui.style());
        diagram.paint(&painter, rect, &style, live, language);
        if let Some(note) = diagram.machine_note(language) {
            // Under the picture, read from this machine: never a caption's constant.
            ui.label(machine_note_text(ui, note, note_scale));
        }
        if diagram.timeline.is_animating() {
            ui.ctx().request_repaint();
        }
    });
    commands
}

/// What this machine does, as the line under the diagram shows it.
fn machine_note_text(ui: &egui::Ui, note: &str, scale: f32) -> egui::RichText {
    let size = ui.text_style_height(&egui::TextStyle::Body) * scale;
    egui::RichText::new(note).strong().size(size)
}

/// For a diagram the user drives: a button per thread that may run next (and its number
/// key), and a seeded random scheduler for the rest.
fn choices_ui(
    ui: &mut egui::Ui,
    language: Language,
    diagram: &DiagramPanel,
    commands: &mut Vec<Command>,
) {
    let choices = diagram.choices();
    if choices.is_empty() {
        return;
    }
    let typing = ui.ctx().memory(|m| m.focused().is_some());
    ui.horizontal_wrapped(|ui| {
        for &choice in &choices {
            let key = NUMBER_KEYS.get(choice).copied();
            let label = format!(
                "{} T{} ({})",
                Msg::RunNext.text(language),
                choice + 1,
                choice + 1
            );
            let pressed = !typing && key.is_some_and(|k| ui.input(|i| i.key_pressed(k)));
            if ui.button(label).clicked() || pressed {
                commands.push(Command::ChooseInDiagram(choice));
            }
        }
        if ui.button(Msg::RandomScheduler.text(language)).clicked() {
            commands.push(Command::ChooseRandomly);
        }
    });
}

/// The keys that pick threads 1 to 9.
const NUMBER_KEYS: [egui::Key; 9] = [
    egui::Key::Num1,
    egui::Key::Num2,
    egui::Key::Num3,
    egui::Key::Num4,
    egui::Key::Num5,
    egui::Key::Num6,
    egui::Key::Num7,
    egui::Key::Num8,
    egui::Key::Num9,
];

/// The evidence area: the step's real experiment, live.
pub fn evidence_area_ui(
    ui: &mut egui::Ui,
    language: Language,
    step: &Step,
    lab: &mut LabPanel,
) -> Vec<Command> {
    let mut commands = Vec::new();
    area_frame(ui, Msg::Evidence.text(language), |ui| {
        match &step.experiment {
            None => {
                ui.label(Msg::NoExperiment.text(language));
            }
            Some(experiment) => {
                ui.label(egui::RichText::new(experiment_summary(experiment)).strong());
                let mirror = step
                    .scene
                    .as_ref()
                    .filter(|s| s.kind == SceneKind::Interleavings)
                    .map(game_threads);
                commands = evidence_ui(ui, language, experiment.kind, lab, mirror);
            }
        }
    });
    commands
}

fn area_frame(ui: &mut egui::Ui, title: &str, contents: impl FnOnce(&mut egui::Ui)) {
    egui::Frame::group(ui.style())
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.set_min_height(ui.available_height().max(120.0));
            ui.label(egui::RichText::new(title).small().weak());
            ui.add_space(4.0);
            contents(ui);
        });
}

fn experiment_summary(experiment: &ExperimentSpec) -> String {
    let kind = experiment.kind.file_name();
    let params: Vec<String> = [
        ("threads", experiment.threads),
        ("processes", experiment.processes),
        ("samples", experiment.samples),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.map(|v| format!("{name} = {v}")))
    .collect();
    if params.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {}", params.join(", "))
    }
}
