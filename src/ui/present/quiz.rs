//! Quiz mode: the step's review questions one at a time, large, for the class to answer out
//! loud; "next" reveals the answer and its explanation, then moves to the next question.

use egui::{RichText, Ui};

use crate::lesson::{Language, Step};

use super::super::strings::Msg;
use super::QuizState;

/// Draws question `state.question` of `step`, with its answer once revealed.
pub fn quiz_ui(ui: &mut Ui, lang: Language, step: &Step, state: QuizState) {
    let Some(question) = step.quiz.get(state.question) else {
        return;
    };
    let big = ui.text_style_height(&egui::TextStyle::Heading);
    ui.label(
        RichText::new(format!(
            "{} {} / {}",
            Msg::Quiz.text(lang),
            state.question + 1,
            step.quiz.len()
        ))
        .weak(),
    );
    ui.add_space(big * 0.5);
    ui.label(RichText::new(question.prompt.get(lang)).size(big).strong());
    ui.add_space(big * 0.5);
    for (index, choice) in question.choices.iter().enumerate() {
        let letter = char::from(b'A' + (index as u8 % 26));
        let right = state.revealed && index == question.answer as usize;
        let mark = if right {
            Msg::RightAnswer.text(lang)
        } else {
            ""
        };
        let text = RichText::new(format!("{letter}. {} {mark}", choice.get(lang))).size(big * 0.85);
        ui.label(if right {
            text.strong().underline()
        } else {
            text
        });
    }
    ui.add_space(big * 0.5);
    if state.revealed {
        ui.label(RichText::new(question.explanation.get(lang)).size(big * 0.75));
    } else {
        ui.label(RichText::new(Msg::QuizRevealHint.text(lang)).weak());
    }
}
