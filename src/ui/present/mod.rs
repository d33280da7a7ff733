//! Presentation mode: full screen, the projector theme and layout, the clicker's keys, a
//! blank screen, a jump to any step, the presenter view with notes and the next step, and a
//! laser pointer and spotlight for the room.

mod clicker;
mod overlays;
mod pointer;
mod presenter_view;
mod projector_layout;
mod quiz;

use std::time::Instant;

use egui::{Event, Key};

pub use clicker::{Clicker, NumberKeys, Overlay, Screen};
pub use overlays::{blank_screen_ui, step_list_ui, typed_number_ui};
pub use pointer::{PointerMode, pointer_ui};
pub use presenter_view::{PresenterInfo, presenter_view_ui};
pub use projector_layout::{ProjectorParts, projector_step_ui};
pub use quiz::quiz_ui;

use super::command::Command;

/// Everything presentation mode remembers while it is on.
#[derive(Debug)]
pub struct Presentation {
    /// When the presentation started, for the presenter's elapsed time.
    pub started: Instant,
    pub screen: Screen,
    pub clicker: Clicker,
    /// The list of steps to jump to (G).
    pub step_list: bool,
    /// The diagram fills the screen (Z).
    pub diagram_zoom: bool,
    /// The current step's questions, one at a time (Q).
    pub quiz: Option<QuizState>,
}

/// Which question of the step is shown, and whether its answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QuizState {
    pub question: usize,
    pub revealed: bool,
}

impl Presentation {
    /// A presentation starting now, showing the lesson.
    pub fn new() -> Self {
        Self {
            started: Instant::now(),
            screen: Screen::Lesson,
            clicker: Clicker::default(),
            step_list: false,
            diagram_zoom: false,
            quiz: None,
        }
    }

    /// Reads every key press of this frame in order and takes them all out of the input, so
    /// that no key reaches a text field while presenting. Keys held with Ctrl or Alt are left
    /// for the app's shortcuts.
    pub fn commands_from_keys(&mut self, ctx: &egui::Context, numbers: NumberKeys) -> Vec<Command> {
        let screen = self.screen;
        // Topmost first: the step list draws over the quiz, the quiz over the zoomed diagram.
        let open = if self.step_list {
            Some(Overlay::StepList)
        } else if self.quiz.is_some() {
            Some(Overlay::Quiz)
        } else if self.diagram_zoom {
            Some(Overlay::DiagramZoom)
        } else {
            None
        };
        ctx.input_mut(|input| {
            let mut commands = Vec::new();
            input.events.retain(|event| match event {
                Event::Key {
                    key,
                    pressed,
                    modifiers,
                    ..
                } if !modifiers.command && !modifiers.alt => {
                    if *pressed {
                        commands.extend(self.clicker.press(*key, screen, open, numbers));
                    }
                    false
                }
                Event::Text(_) | Event::Paste(_) => false,
                _ => true,
            });
            commands
        })
    }

    /// The quiz state after "next": the answer first, then the next question; `None` once
    /// the last answer was shown.
    pub fn quiz_forward(state: QuizState, questions: usize) -> Option<QuizState> {
        if !state.revealed {
            return Some(QuizState {
                revealed: true,
                ..state
            });
        }
        (state.question + 1 < questions).then_some(QuizState {
            question: state.question + 1,
            revealed: false,
        })
    }
}

impl Default for Presentation {
    fn default() -> Self {
        Self::new()
    }
}

/// Held down, draws the laser pointer at the mouse.
pub const LASER_KEY: Key = Key::L;
/// Held down, dims everything but a circle around the pointer.
pub const SPOTLIGHT_KEY: Key = Key::S;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quiz_shows_each_answer_before_the_next_question() {
        let start = QuizState::default();
        let revealed = Presentation::quiz_forward(start, 2).unwrap();
        assert!(revealed.revealed);
        let second = Presentation::quiz_forward(revealed, 2).unwrap();
        assert_eq!((second.question, second.revealed), (1, false));
        let last = Presentation::quiz_forward(second, 2).unwrap();
        assert_eq!(Presentation::quiz_forward(last, 2), None);
    }
}
