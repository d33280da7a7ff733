//! The current step's review questions: prompt, choices with the right answer marked, and
//! explanation, each in both languages; questions and choices added, deleted and moved with
//! [`crate::lesson::edit`].

use crate::lesson::edit;
use crate::lesson::limits::CHOICES;
use crate::lesson::{Language, Question, Step, Text};

use super::super::strings::Msg;
use super::fields::{range_text, required_note_ui, text_pair_ui};
use super::{EditKey, StepSections};

/// A change to the list of questions, applied once the list is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuizAction {
    Add,
    Delete(usize),
    Move { from: usize, to: usize },
}

/// The "Review questions" section; returns the edit made, if any.
pub fn quiz_section_ui(
    ui: &mut egui::Ui,
    sections: &StepSections,
    step: &mut Step,
) -> Option<EditKey> {
    let lang = sections.lang;
    sections
        .section(ui, Msg::EditQuizSection, |ui| {
            let mut edit = None;
            let mut action = None;
            if step.quiz.is_empty() {
                ui.weak(Msg::NoQuestions.text(lang));
            }
            let count = step.quiz.len();
            for (index, question) in step.quiz.iter_mut().enumerate() {
                ui.push_id(("question", sections.index, index), |ui| {
                    action = question_buttons_ui(ui, lang, index, count).or(action);
                    edit = question_ui(ui, lang, question).or(edit);
                });
                ui.separator();
            }
            if ui.button(Msg::AddQuestion.text(lang)).clicked() {
                action = Some(QuizAction::Add);
            }
            match action {
                Some(action) if apply(step, action) => Some(EditKey::fresh(ui.ctx())),
                _ => edit,
            }
        })
        .flatten()
}

/// Carries out `action`; true when the quiz changed.
fn apply(step: &mut Step, action: QuizAction) -> bool {
    match action {
        QuizAction::Add => {
            edit::insert_question_after(step, None, new_question());
            true
        }
        QuizAction::Delete(index) => edit::delete_question(step, index).is_ok(),
        QuizAction::Move { from, to } => edit::move_question(step, from, to).is_ok(),
    }
}

/// The question's heading with its move and delete buttons.
fn question_buttons_ui(
    ui: &mut egui::Ui,
    lang: Language,
    index: usize,
    count: usize,
) -> Option<QuizAction> {
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!("{} {}", Msg::Question.text(lang), index + 1));
        let mut button = |enabled: bool, msg: Msg, then: QuizAction| {
            if ui
                .add_enabled(enabled, egui::Button::new(msg.text(lang)))
                .clicked()
            {
                action = Some(then);
            }
        };
        let up = QuizAction::Move {
            from: index,
            to: index.saturating_sub(1),
        };
        let down = QuizAction::Move {
            from: index,
            to: index + 1,
        };
        button(index > 0, Msg::MoveQuestionUp, up);
        button(index + 1 < count, Msg::MoveQuestionDown, down);
        button(true, Msg::DeleteQuestion, QuizAction::Delete(index));
    });
    action
}

/// One question's prompt, choices and explanation.
fn question_ui(ui: &mut egui::Ui, lang: Language, question: &mut Question) -> Option<EditKey> {
    let prompt = Msg::Prompt.text(lang);
    let mut edit = text_pair_ui(ui, prompt, "prompt", &mut question.prompt, 2);
    required_note_ui(ui, lang, &question.prompt);
    edit = choices_ui(ui, lang, question).or(edit);
    let explanation = Msg::Explanation.text(lang);
    text_pair_ui(ui, explanation, "explanation", &mut question.explanation, 2).or(edit)
}

/// The choices, the right one marked by a radio button, with add and delete.
fn choices_ui(ui: &mut egui::Ui, lang: Language, question: &mut Question) -> Option<EditKey> {
    ui.weak(Msg::ChoicesHint.text(lang));
    let mut edit = None;
    let mut delete = None;
    let count = question.choices.len();
    for (index, choice) in question.choices.iter_mut().enumerate() {
        let name = choice_name(lang, index);
        ui.horizontal(|ui| {
            let answer = question.answer as usize == index;
            if ui.radio(answer, &name).clicked() && !answer {
                // At most `CHOICES.end()` choices, so the index fits.
                question.answer = u32::try_from(index).unwrap_or(0);
                edit = Some(EditKey::fresh(ui.ctx()));
            }
            let deletable = count > *CHOICES.start();
            let button = egui::Button::new(Msg::DeleteChoice.text(lang));
            if ui.add_enabled(deletable, button).clicked() {
                delete = Some(index);
            }
        });
        edit = text_pair_ui(ui, &name, ("choice", index), choice, 1).or(edit);
        required_note_ui(ui, lang, choice);
    }
    if let Some(index) = delete
        && edit::delete_choice(question, index).is_ok()
    {
        edit = Some(EditKey::fresh(ui.ctx()));
    }
    ui.horizontal_wrapped(|ui| {
        let addable = question.choices.len() < *CHOICES.end();
        let button = egui::Button::new(Msg::AddChoice.text(lang));
        let number = question.choices.len();
        if ui.add_enabled(addable, button).clicked()
            && edit::add_choice(question, placeholder_choice(number)).is_ok()
        {
            edit = Some(EditKey::fresh(ui.ctx()));
        }
        let limits = format!("{}: {}", Msg::ChoiceLimits.text(lang), choice_range_text());
        ui.weak(limits);
    });
    edit
}

/// "Choice 2": the name of the choice at `index`, counted from 1 as the author reads it.
fn choice_name(lang: Language, index: usize) -> String {
    format!("{} {}", Msg::Choice.text(lang), index + 1)
}

/// "2–8", the choices a question may have.
fn choice_range_text() -> String {
    let as_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    range_text(&(as_u32(*CHOICES.start())..=as_u32(*CHOICES.end())))
}

/// The choice at `index` of a new question or one just added: "Choice 2" in both languages,
/// so that the lesson stays valid until the author writes the real one.
fn placeholder_choice(index: usize) -> Text {
    Text::new(
        choice_name(Language::Ko, index),
        choice_name(Language::En, index),
    )
}

/// The question "Add question" appends: placeholder prompt and the fewest choices allowed.
fn new_question() -> Question {
    Question {
        prompt: Text::new(
            Msg::NewQuestion.text(Language::Ko),
            Msg::NewQuestion.text(Language::En),
        ),
        choices: (0..*CHOICES.start()).map(placeholder_choice).collect(),
        answer: 0,
        explanation: Text::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_question_is_valid_as_it_is() {
        let question = new_question();
        assert_eq!(question.choices.len(), *CHOICES.start());
        assert_eq!(question.choices[1].exact(Language::En), Some("Choice 2"));
        assert_eq!(question.choices[1].exact(Language::Ko), Some("보기 2"));
        assert!(!question.prompt.is_empty());
        assert_eq!(question.answer, 0);
    }

    #[test]
    fn the_choice_limits_read_as_a_range() {
        assert_eq!(choice_range_text(), "2–8");
    }
}
