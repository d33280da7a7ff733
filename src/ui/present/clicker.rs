//! The keys of a presentation, as PowerPoint and reveal.js have them, turned into commands.
//!
//! A clicker sends Page Down / Page Up; a keyboard adds arrows, Space, Enter, Backspace,
//! Home and End, B or `.` for a black screen, W or `,` for a white one, a step number then
//! Enter to jump, G for the list of steps. Every press is one command, however many arrive
//! in one frame, and presses are read in the order they came so that "1", "2", Enter jumps
//! to step 12.

use egui::Key;

use super::super::command::Command;
use super::super::stepper_panel::StepperOrder;

/// What the audience sees instead of the lesson, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screen {
    /// The lesson.
    #[default]
    Lesson,
    /// All black: the room looks at the teacher.
    Black,
    /// All white: the screen lights the room.
    White,
}

/// What the number keys pick on the step shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NumberKeys {
    /// A step to jump to (then Enter).
    #[default]
    StepNumber,
    /// One of this many real threads, to run its next instruction.
    RealThreads(usize),
    /// One of this many threads of the diagram's game, to run next.
    DiagramThreads(usize),
}

/// What is open over the step, topmost first: Escape closes it before it leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The list of steps to jump to (G).
    StepList,
    /// The step's questions, one at a time (Q).
    Quiz,
    /// The diagram filling the screen (Z).
    DiagramZoom,
}

/// Most digits of a step number the clicker collects; no lesson has 1,000 steps.
const MAX_DIGITS: usize = 3;

/// The keys' memory between presses: the step number being typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clicker {
    digits: String,
}

impl Clicker {
    /// The step number typed so far, shown on screen so that a mistyped digit can be seen.
    pub fn typed(&self) -> &str {
        &self.digits
    }

    /// One key press, with the screen as it is, what is open over the step and what number
    /// keys pick here. Returns the command it stands for, if any.
    pub fn press(
        &mut self,
        key: Key,
        screen: Screen,
        open: Option<Overlay>,
        numbers: NumberKeys,
    ) -> Option<Command> {
        if screen != Screen::Lesson {
            // Any key brings the lesson back, and does nothing else.
            self.digits.clear();
            return Some(Command::ShowLesson);
        }
        if let Some(picked) = self.thread_picked(key, numbers) {
            return Some(picked);
        }
        if let Some(digit) = digit_of(key) {
            if self.digits.len() < MAX_DIGITS {
                self.digits.push(digit);
            }
            return None;
        }
        match key {
            Key::Enter if !self.digits.is_empty() => self.jump(),
            Key::Backspace if !self.digits.is_empty() => {
                self.digits.pop();
                None
            }
            Key::Escape if !self.digits.is_empty() => {
                self.digits.clear();
                None
            }
            Key::Escape if open.is_some() => {
                self.digits.clear();
                open.map(|overlay| match overlay {
                    Overlay::StepList => Command::ToggleStepList,
                    Overlay::Quiz => Command::ToggleQuiz,
                    Overlay::DiagramZoom => Command::ToggleDiagramZoom,
                })
            }
            _ => {
                self.digits.clear();
                command_of(key)
            }
        }
    }

    /// The typed number as a step, counted from 1 on screen and from 0 in the command.
    fn jump(&mut self) -> Option<Command> {
        let number: usize = self.digits.parse().ok()?;
        self.digits.clear();
        Some(Command::GoToStep(number.saturating_sub(1)))
    }
}

/// The command a key stands for while presenting, when no step number is being typed.
fn command_of(key: Key) -> Option<Command> {
    Some(match key {
        Key::PageDown | Key::ArrowRight | Key::ArrowDown | Key::Space | Key::Enter => {
            Command::Advance
        }
        Key::PageUp | Key::ArrowLeft | Key::ArrowUp | Key::Backspace => Command::Retreat,
        Key::Home => Command::FirstStep,
        Key::End => Command::LastStep,
        Key::B | Key::Period => Command::Blank(Screen::Black),
        Key::W | Key::Comma => Command::Blank(Screen::White),
        Key::G => Command::ToggleStepList,
        Key::P => Command::TogglePresenterView,
        Key::Z => Command::ToggleDiagramZoom,
        Key::Q => Command::ToggleQuiz,
        Key::Escape => Command::LeavePresentation,
        _ => return None,
    })
}

impl Clicker {
    /// A number key that picks a thread where threads are picked, unless a step number is
    /// being typed already.
    fn thread_picked(&self, key: Key, numbers: NumberKeys) -> Option<Command> {
        let number = digit_of(key)?.to_digit(10)? as usize;
        let thread = number.checked_sub(1).filter(|_| self.digits.is_empty())?;
        match numbers {
            NumberKeys::RealThreads(n) if thread < n => {
                Some(Command::Stepper(StepperOrder::one_instruction(thread)))
            }
            NumberKeys::DiagramThreads(n) if thread < n => Some(Command::ChooseInDiagram(thread)),
            _ => None,
        }
    }
}

fn digit_of(key: Key) -> Option<char> {
    let digit = match key {
        Key::Num0 => '0',
        Key::Num1 => '1',
        Key::Num2 => '2',
        Key::Num3 => '3',
        Key::Num4 => '4',
        Key::Num5 => '5',
        Key::Num6 => '6',
        Key::Num7 => '7',
        Key::Num8 => '8',
        Key::Num9 => '9',
        _ => return None,
    };
    Some(digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn presses(keys: &[Key]) -> Vec<Command> {
        let mut clicker = Clicker::default();
        keys.iter()
            .filter_map(|&k| clicker.press(k, Screen::Lesson, None, NumberKeys::StepNumber))
            .collect()
    }

    #[test]
    fn a_number_then_enter_jumps_to_that_step_counted_from_one() {
        assert_eq!(
            presses(&[Key::Num1, Key::Num2, Key::Enter]),
            [Command::GoToStep(11)]
        );
    }

    #[test]
    fn backspace_takes_back_a_digit_and_escape_forgets_the_number() {
        assert_eq!(
            presses(&[Key::Num3, Key::Num4, Key::Backspace, Key::Enter]),
            [Command::GoToStep(2)]
        );
        assert_eq!(
            presses(&[Key::Num3, Key::Escape, Key::Enter]),
            [Command::Advance]
        );
    }

    #[test]
    fn clicker_and_keyboard_keys_go_forward_and_back() {
        let forward = [Key::PageDown, Key::ArrowRight, Key::Space, Key::Enter];
        assert_eq!(presses(&forward), vec![Command::Advance; 4]);
        let back = [Key::PageUp, Key::ArrowLeft, Key::Backspace];
        assert_eq!(presses(&back), vec![Command::Retreat; 3]);
    }

    #[test]
    fn any_key_on_a_blank_screen_only_brings_the_lesson_back() {
        let mut clicker = Clicker::default();
        for key in [Key::PageDown, Key::Escape, Key::B, Key::Num1] {
            assert_eq!(
                clicker.press(key, Screen::Black, None, NumberKeys::StepNumber),
                Some(Command::ShowLesson)
            );
        }
        assert_eq!(clicker.typed(), "");
    }

    #[test]
    fn escape_closes_the_step_list_before_it_leaves() {
        let mut clicker = Clicker::default();
        assert_eq!(
            clicker.press(
                Key::Escape,
                Screen::Lesson,
                Some(Overlay::StepList),
                NumberKeys::StepNumber
            ),
            Some(Command::ToggleStepList)
        );
        assert_eq!(
            clicker.press(Key::Escape, Screen::Lesson, None, NumberKeys::StepNumber),
            Some(Command::LeavePresentation)
        );
    }

    #[test]
    fn a_step_number_has_at_most_three_digits() {
        assert_eq!(
            presses(&[Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Enter]),
            [Command::GoToStep(122)]
        );
    }

    #[test]
    fn where_threads_are_picked_a_number_picks_one_and_others_still_type_a_step() {
        let mut clicker = Clicker::default();
        let real = NumberKeys::RealThreads(2);
        assert_eq!(
            clicker.press(Key::Num2, Screen::Lesson, None, real),
            Some(Command::Stepper(StepperOrder::one_instruction(1)))
        );
        assert_eq!(
            clicker.press(
                Key::Num1,
                Screen::Lesson,
                None,
                NumberKeys::DiagramThreads(2)
            ),
            Some(Command::ChooseInDiagram(0))
        );
        // A number beyond the threads, or one typed after another digit, is a step number.
        assert_eq!(clicker.press(Key::Num3, Screen::Lesson, None, real), None);
        assert_eq!(clicker.press(Key::Num1, Screen::Lesson, None, real), None);
        assert_eq!(
            clicker.press(Key::Enter, Screen::Lesson, None, real),
            Some(Command::GoToStep(30))
        );
    }

    #[test]
    fn escape_closes_the_quiz_or_the_zoom_before_it_leaves() {
        let mut clicker = Clicker::default();
        let escape = |clicker: &mut Clicker, open| {
            clicker.press(Key::Escape, Screen::Lesson, open, NumberKeys::StepNumber)
        };
        assert_eq!(
            escape(&mut clicker, Some(Overlay::Quiz)),
            Some(Command::ToggleQuiz)
        );
        assert_eq!(
            escape(&mut clicker, Some(Overlay::DiagramZoom)),
            Some(Command::ToggleDiagramZoom)
        );
        assert_eq!(escape(&mut clicker, None), Some(Command::LeavePresentation));
    }
}
