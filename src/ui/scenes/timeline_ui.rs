//! The controls under every diagram: restart, back, play or pause, step, and speed, with the
//! step counter. Words rather than media symbols, which egui's fonts do not all have.

use crate::lesson::Language;
use crate::sim::{SPEEDS, Timeline};

use super::super::strings::Msg;

/// Draws the controls and applies what the user pressed to `timeline`.
pub fn timeline_ui(ui: &mut egui::Ui, lang: Language, timeline: &mut Timeline) {
    ui.horizontal(|ui| {
        if ui.button(Msg::TimelineRestart.text(lang)).clicked() {
            timeline.restart();
        }
        if ui
            .add_enabled(
                timeline.step() > 0,
                egui::Button::new(Msg::TimelineBack.text(lang)),
            )
            .clicked()
        {
            timeline.step_back();
        }
        let play = if timeline.is_playing() {
            Msg::TimelinePause
        } else {
            Msg::TimelinePlay
        };
        if ui.button(play.text(lang)).clicked() {
            timeline.toggle_play();
        }
        if ui
            .add_enabled(
                !timeline.is_at_end(),
                egui::Button::new(Msg::TimelineStep.text(lang)),
            )
            .clicked()
        {
            timeline.step_forward();
        }
        let label = ui.label(Msg::TimelineSpeed.text(lang));
        let mut speed = timeline.speed();
        egui::ComboBox::from_id_salt("timeline-speed")
            .selected_text(format!("{speed}×"))
            .width(60.0)
            .show_ui(ui, |ui| {
                for option in SPEEDS {
                    ui.selectable_value(&mut speed, option, format!("{option}×"));
                }
            })
            .response
            .labelled_by(label.id);
        if speed != timeline.speed() {
            timeline.set_speed(speed);
        }
        ui.label(format!("{} / {}", timeline.step() + 1, timeline.steps()));
    });
}
