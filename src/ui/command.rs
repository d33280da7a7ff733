//! What the user can ask the app to do. UI functions return these; [`super::app`] applies them
//! in one place, so every action has one implementation whether it came from a button, a menu
//! or a key.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::lab::{LabCommand, Load};
use crate::lesson::Language;

use super::present::Screen;

/// One user action.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub enum Command {
    NextStep,
    PreviousStep,
    FirstStep,
    LastStep,
    /// Open a built-in lesson by id.
    OpenBuiltin(&'static str),
    /// Start a new lesson of one blank step, in the editor.
    NewLesson,
    /// Ask for a file with the system dialog, then open it.
    OpenDialog,
    /// Write a picture of the window as it is now to a PNG file the user chooses.
    ExportViewPng,
    /// Open this file.
    OpenPath(PathBuf),
    Save,
    SaveAs,
    SetLanguage(Language),
    ToggleLanguage,
    SetTheme(egui::ThemePreference),
    ZoomIn,
    ZoomOut,
    ZoomReset,
    ToggleEditing,
    /// Take back the last edit of the lesson.
    Undo,
    /// Make the last undone edit again.
    Redo,
    /// Use the projector theme's colours while presenting, or the user's own theme's.
    ToggleProjectorTheme,
    /// Present from the first step, or leave if presenting.
    TogglePresentation,
    /// Present from the step shown now.
    PresentFromHere,
    LeavePresentation,
    /// Next: the diagram's next stage first if the lesson has builds, else the next step.
    Advance,
    /// Back: the diagram's previous stage first if the lesson has builds, else the step before.
    Retreat,
    /// Show step `n`, counted from 0.
    GoToStep(usize),
    /// Hide the lesson behind a black or white screen.
    Blank(Screen),
    /// Show the lesson again after a blank screen.
    ShowLesson,
    /// Open or close the list of steps to jump to.
    ToggleStepList,
    /// Open or close the presenter view (notes, next step, clock).
    TogglePresenterView,
    /// Let the diagram fill the screen, or give the step its layout back.
    ToggleDiagramZoom,
    /// Ask the step's questions one at a time, or stop.
    ToggleQuiz,
    Quit,
    /// Play or pause the current diagram.
    ToggleDiagramPlayback,
    /// In a diagram the user drives, choose this (a thread to run next).
    ChooseInDiagram(usize),
    /// In a diagram the user drives, let a seeded random scheduler choose the rest.
    ChooseRandomly,
    /// Show this step of the diagram (the real timeline's cursor moved to the same moment).
    SeekDiagram(usize),
    /// Something for the real threads being stepped.
    Stepper(super::stepper_panel::StepperOrder),
    /// Something for the lab's real workers.
    Lab(LabCommand),
    /// How hard the workers work, now and from now on.
    SetLoad(Load),
    /// Run the measurement family with this name, with the parameters shown.
    Measure(&'static str),
    /// Stop the run of this family, keeping what it measured.
    CancelMeasurement(&'static str),
    /// Write the last report of this family to a file the user chooses.
    ExportReport(&'static str, ExportFormat),
}

/// The file formats a measurement can be exported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Every sample, curve point, interval and fact, one per row.
    Csv,
    /// The whole report with the family's typed result.
    Json,
}

impl ExportFormat {
    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }
}

const NONE: Modifiers = Modifiers::NONE;
const SHIFT: Modifiers = Modifiers::SHIFT;
const COMMAND: Modifiers = Modifiers::COMMAND;
const COMMAND_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

/// Keys that act everywhere, even while a text field has the keyboard.
const GLOBAL_SHORTCUTS: &[(Modifiers, Key, Command)] = &[
    (COMMAND_SHIFT, Key::S, Command::SaveAs),
    (COMMAND, Key::S, Command::Save),
    (COMMAND, Key::O, Command::OpenDialog),
    (COMMAND, Key::N, Command::NewLesson),
    (COMMAND_SHIFT, Key::E, Command::ExportViewPng),
    (COMMAND, Key::E, Command::ToggleEditing),
    (COMMAND_SHIFT, Key::Z, Command::Redo),
    (COMMAND, Key::Z, Command::Undo),
    (COMMAND, Key::Y, Command::Redo),
    (COMMAND, Key::L, Command::ToggleLanguage),
    (COMMAND, Key::Q, Command::Quit),
    (COMMAND, Key::Plus, Command::ZoomIn),
    (COMMAND, Key::Equals, Command::ZoomIn),
    (COMMAND, Key::Minus, Command::ZoomOut),
    (COMMAND, Key::Num0, Command::ZoomReset),
    // Shift+F5 before F5: a shortcut without Shift also matches with it.
    (SHIFT, Key::F5, Command::PresentFromHere),
    (NONE, Key::F5, Command::TogglePresentation),
];

/// Keys that act only while no text field has the keyboard (they move the text cursor there).
const NAVIGATION_KEYS: &[(Key, Command)] = &[
    (Key::ArrowRight, Command::NextStep),
    (Key::PageDown, Command::NextStep),
    (Key::ArrowLeft, Command::PreviousStep),
    (Key::PageUp, Command::PreviousStep),
    (Key::Home, Command::FirstStep),
    (Key::End, Command::LastStep),
    (Key::Space, Command::ToggleDiagramPlayback),
];

impl Command {
    /// The keyboard shortcut for this command, for showing beside menu items.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        GLOBAL_SHORTCUTS
            .iter()
            .find(|(_, _, c)| c == self)
            .map(|(m, k, _)| KeyboardShortcut::new(*m, *k))
            .or_else(|| {
                NAVIGATION_KEYS
                    .iter()
                    .find(|(_, c)| c == self)
                    .map(|(k, _)| KeyboardShortcut::new(NONE, *k))
            })
    }

    /// The shortcut as the platform writes it ("Ctrl+S"), or "" when there is none.
    pub fn shortcut_text(&self, ctx: &egui::Context) -> String {
        self.shortcut()
            .map(|s| ctx.format_shortcut(&s))
            .unwrap_or_default()
    }
}

/// Takes this frame's shortcut key presses out of the input and turns them into commands,
/// one command per press however many came in the frame. While presenting, only the global
/// shortcuts are read here; presentation mode reads the rest itself.
pub fn commands_from_keys(ctx: &egui::Context, presenting: bool) -> Vec<Command> {
    let typing = ctx.egui_wants_keyboard_input();
    ctx.input_mut(|input| {
        let mut commands = Vec::new();
        // Longer modifier sets first, so Ctrl+Shift+S is not taken as Ctrl+S.
        for (modifiers, key, command) in GLOBAL_SHORTCUTS {
            let presses = input.count_and_consume_key(*modifiers, *key);
            commands.extend(std::iter::repeat_n(command.clone(), presses));
        }
        if !typing && !presenting {
            for (key, command) in NAVIGATION_KEYS {
                let presses = input.count_and_consume_key(NONE, *key);
                commands.extend(std::iter::repeat_n(command.clone(), presses));
            }
        }
        commands
    })
}
