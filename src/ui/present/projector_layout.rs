//! The step as the room sees it: a large title, the diagram and its plots taking most of
//! the screen, the narration short and large beside them, the experiment's controls below in
//! small type. Proportions, not pixels, so that 4:3 and 16:9 projectors both fill.

use egui::{Rect, TextStyle, Ui, UiBuilder};
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use crate::lesson::{Language, Step};

use super::super::command::Command;
use super::super::lab_panel::LabPanel;
use super::super::scenes::DiagramPanel;
use super::super::step_view::{diagram_area_ui, evidence_area_ui};
use super::super::strings::step_counter;

/// What the projector layout draws from.
pub struct ProjectorParts<'a> {
    pub language: Language,
    pub step: &'a Step,
    pub step_index: usize,
    pub step_count: usize,
    /// The (document, step) the diagram belongs to.
    pub owner: (u64, usize),
    pub markdown: &'a mut CommonMarkCache,
    pub diagram: &'a mut DiagramPanel,
    pub lab: &'a mut LabPanel,
    /// The diagram alone fills the body (Z).
    pub zoomed: bool,
}

/// Share of the body's width the picture column takes when narration sits beside it.
const PICTURE_SHARE: f32 = 0.64;

/// Least and most of the picture column's height the evidence under a diagram takes: as
/// much as its controls and figures need within these, the diagram the rest.
const EVIDENCE_SHARE: std::ops::RangeInclusive<f32> = 0.27..=0.45;

/// The note under a diagram saying what this machine does is smaller than the narration, so
/// that the picture keeps its room.
const NOTE_SCALE: f32 = 0.7;

/// Evidence text is smaller than the room's text: its controls are for the teacher, its
/// plots carry the figures.
const EVIDENCE_TEXT_SCALE: f32 = 0.72;

/// Draws the step for the room; returns what the user asked for.
pub fn projector_step_ui(ui: &mut Ui, mut parts: ProjectorParts<'_>) -> Vec<Command> {
    title_ui(ui, &parts);
    let body = ui.available_rect_before_wrap();
    let step = parts.step;
    let commands = if parts.zoomed && step.scene.is_some() {
        in_rect(ui, body, |ui| diagram_ui(ui, &mut parts))
    } else if step.scene.is_some() || step.experiment.is_some() {
        let gap = ui.spacing().item_spacing.x * 3.0;
        let split = body.left() + body.width() * PICTURE_SHARE;
        let picture = Rect::from_min_max(body.min, egui::pos2(split - gap / 2.0, body.bottom()));
        let words = Rect::from_min_max(egui::pos2(split + gap / 2.0, body.top()), body.max);
        in_rect(ui, words, |ui| narration_ui(ui, &mut parts));
        in_rect(ui, picture, |ui| picture_ui(ui, &mut parts))
    } else {
        in_rect(ui, body, |ui| narration_ui(ui, &mut parts));
        Vec::new()
    };
    ui.advance_cursor_after_rect(body);
    commands
}

/// The step's title, large, with where we are in the lesson at the right.
fn title_ui(ui: &mut Ui, parts: &ProjectorParts<'_>) {
    ui.horizontal(|ui| {
        ui.heading(parts.step.title.get(parts.language));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let counter = step_counter(parts.language, parts.step_index, parts.step_count);
            ui.label(egui::RichText::new(counter).weak());
        });
    });
    ui.add_space(ui.spacing().item_spacing.y * 2.0);
}

/// The diagram above the evidence, or whichever of the two the step has.
fn picture_ui(ui: &mut Ui, parts: &mut ProjectorParts<'_>) -> Vec<Command> {
    let area = ui.available_rect_before_wrap();
    match (&parts.step.scene, &parts.step.experiment) {
        (Some(_), Some(_)) => {
            let gap = ui.spacing().item_spacing.y * 2.0;
            let share = evidence_share(parts);
            let split = area.bottom() - area.height() * share - gap / 2.0;
            let top = Rect::from_min_max(area.min, egui::pos2(area.right(), split - gap / 2.0));
            let bottom = Rect::from_min_max(egui::pos2(area.left(), split + gap / 2.0), area.max);
            let mut commands = in_rect(ui, top, |ui| diagram_ui(ui, parts));
            commands.extend(in_rect(ui, bottom, |ui| evidence_ui(ui, parts)));
            commands
        }
        (Some(_), None) => diagram_ui(ui, parts),
        _ => evidence_ui(ui, parts),
    }
}

/// The share of the picture column the evidence takes: its controls alone need little,
/// figures, live workers and stepped threads need more; the diagram has the rest.
fn evidence_share(parts: &ProjectorParts<'_>) -> f32 {
    let Some(experiment) = &parts.step.experiment else {
        return 0.0;
    };
    let lab = &*parts.lab;
    let measured = lab
        .measurement(experiment.kind.file_name())
        .is_some_and(|m| m.report.is_some() || m.running.is_some());
    let showing = measured
        || !lab.snapshot.workers.is_empty()
        || lab.memory_map.is_some()
        || lab.stepper.running();
    if showing {
        *EVIDENCE_SHARE.end()
    } else {
        *EVIDENCE_SHARE.start()
    }
}

/// The diagram with its timeline buttons and hints in small type, leaving the room's large
/// type to the caption and the picture.
fn diagram_ui(ui: &mut Ui, parts: &mut ProjectorParts<'_>) -> Vec<Command> {
    shrink_controls(ui, Some(&[TextStyle::Button, TextStyle::Small]), 0.0);
    let step = parts.step;
    diagram_area_ui(
        ui,
        parts.language,
        step,
        parts.owner,
        parts.diagram,
        parts.lab,
        NOTE_SCALE,
    )
}

/// The experiment in smaller type, so that its tables and controls fit under the diagram.
fn evidence_ui(ui: &mut Ui, parts: &mut ProjectorParts<'_>) -> Vec<Command> {
    shrink_controls(ui, None, 10.0);
    evidence_area_ui(ui, parts.language, parts.step, parts.lab)
}

/// Shrinks the type of `styles` (all of them for `None`) by [`EVIDENCE_TEXT_SCALE`], to no
/// less than `floor` points, and the height of controls with it.
fn shrink_controls(ui: &mut Ui, styles: Option<&[TextStyle]>, floor: f32) {
    let style = ui.style_mut();
    for (text_style, font) in style.text_styles.iter_mut() {
        if styles.is_none_or(|wanted| wanted.contains(text_style)) {
            font.size = (font.size * EVIDENCE_TEXT_SCALE).max(floor);
        }
    }
    style.spacing.interact_size.y *= EVIDENCE_TEXT_SCALE;
}

/// The narration in the room's large type; it scrolls if a lesson wrote more than fits.
fn narration_ui(ui: &mut Ui, parts: &mut ProjectorParts<'_>) {
    egui::ScrollArea::vertical()
        .id_salt(("projector-narration", parts.step_index))
        .auto_shrink(false)
        .show(ui, |ui| {
            narration_text_ui(ui, parts.language, parts.step, parts.markdown);
        });
}

fn narration_text_ui(ui: &mut Ui, language: Language, step: &Step, markdown: &mut CommonMarkCache) {
    let body = ui.text_style_height(&TextStyle::Body);
    ui.spacing_mut().item_spacing.y = body * 0.4;
    CommonMarkViewer::new().show(ui, markdown, step.narration.get(language));
}

/// Runs `contents` in a child Ui that fills `rect` exactly and clips to it.
fn in_rect<R>(ui: &mut Ui, rect: Rect, contents: impl FnOnce(&mut Ui) -> R) -> R {
    let mut child = ui.new_child(UiBuilder::new().max_rect(rect));
    child.set_clip_rect(rect.intersect(ui.clip_rect()));
    contents(&mut child)
}
