//! What the user can ask the app to do. UI functions return these; [`super::app`] applies them
//! in one place, so every action has one implementation whether it came from a button, a menu
//! or a key.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::lab::{LabCommand, Load};
use crate::lesson::Language;

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
    /// Ask for a file with the system dialog, then open it.
    OpenDialog,
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
    TogglePresentation,
    LeavePresentation,
    Quit,
    /// Play or pause the current diagram.
    ToggleDiagramPlayback,
    /// In a diagram the user drives, choose this (a thread to run next).
    ChooseInDiagram(usize),
    /// In a diagram the user drives, let a seeded random scheduler choose the rest.
    ChooseRandomly,
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
    (COMMAND, Key::E, Command::ToggleEditing),
    (COMMAND, Key::L, Command::ToggleLanguage),
    (COMMAND, Key::Q, Command::Quit),
    (COMMAND, Key::Plus, Command::ZoomIn),
    (COMMAND, Key::Equals, Command::ZoomIn),
    (COMMAND, Key::Minus, Command::ZoomOut),
    (COMMAND, Key::Num0, Command::ZoomReset),
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

/// Takes this frame's shortcut key presses out of the input and turns them into commands.
/// Escape is taken only while presenting, so that elsewhere it still closes menus.
pub fn commands_from_keys(ctx: &egui::Context, presenting: bool) -> Vec<Command> {
    let typing = ctx.egui_wants_keyboard_input();
    ctx.input_mut(|input| {
        let mut commands = Vec::new();
        // Longer modifier sets first, so Ctrl+Shift+S is not taken as Ctrl+S.
        for (modifiers, key, command) in GLOBAL_SHORTCUTS {
            if input.consume_shortcut(&KeyboardShortcut::new(*modifiers, *key)) {
                commands.push(command.clone());
            }
        }
        if !typing {
            for (key, command) in NAVIGATION_KEYS {
                if input.consume_key(NONE, *key) {
                    commands.push(command.clone());
                }
            }
        }
        if presenting && input.consume_key(NONE, Key::Escape) {
            commands.push(Command::LeavePresentation);
        }
        commands
    })
}
