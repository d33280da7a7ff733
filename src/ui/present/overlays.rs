//! What presentation mode draws over or instead of the step: a black or white screen, the
//! list of steps to jump to, and the step number being typed.

use egui::{Align2, Color32, Id, Order, RichText, Ui};

use crate::lesson::{Language, Lesson};

use super::super::command::Command;
use super::super::strings::Msg;
use super::Screen;

/// Fills the window with black or white; nothing of the lesson shows. Says nothing either:
/// a blank screen is for the room to look away from it.
pub fn blank_screen_ui(ui: &mut Ui, screen: Screen) {
    let fill = match screen {
        Screen::White => Color32::WHITE,
        _ => Color32::BLACK,
    };
    let rect = ui.max_rect();
    ui.painter().rect_filled(rect, 0.0, fill);
    let description = match screen {
        Screen::White => Msg::WhiteScreen,
        _ => Msg::BlackScreen,
    };
    let response = ui.allocate_rect(rect, egui::Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Image, true, description.text(Language::En))
    });
}

/// The steps, numbered as the clicker counts them, the current one marked; a click jumps.
pub fn step_list_ui(
    ctx: &egui::Context,
    lang: Language,
    lesson: &Lesson,
    current: usize,
) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Window::new(Msg::StepList.text(lang))
        .id(Id::unique("presentation-step-list"))
        .anchor(Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .collapsible(false)
        .resizable(false)
        .order(Order::Foreground)
        .show(ctx, |ui| {
            ui.label(RichText::new(Msg::StepListHint.text(lang)).weak());
            egui::ScrollArea::vertical()
                .max_height(ctx.content_rect().height() * 0.7)
                .show(ui, |ui| {
                    for (index, step) in lesson.steps.iter().enumerate() {
                        let text = format!("{}. {}", index + 1, step.title.get(lang));
                        if ui.selectable_label(index == current, text).clicked() {
                            commands.push(Command::GoToStep(index));
                            commands.push(Command::ToggleStepList);
                        }
                    }
                });
        });
    commands
}

/// The step number typed so far, in a corner, until Enter jumps to it.
pub fn typed_number_ui(ctx: &egui::Context, lang: Language, typed: &str) {
    if typed.is_empty() {
        return;
    }
    egui::Area::new(Id::unique("presentation-typed-number"))
        .anchor(Align2::RIGHT_BOTTOM, egui::vec2(-24.0, -24.0))
        .order(Order::Foreground)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.label(RichText::new(format!("{} {typed}…", Msg::GoToStep.text(lang))).heading());
            });
        });
}
