//! The menu bar: file, view and language controls.

use std::path::PathBuf;

use crate::lesson::Language;

use super::command::Command;
use super::strings::Msg;

/// What the menu bar needs to know to draw itself.
pub struct MenuBarState<'a> {
    pub language: Language,
    pub korean_available: bool,
    pub theme: egui::ThemePreference,
    pub recent_files: &'a [PathBuf],
    pub editing: bool,
    pub projector_theme: bool,
}

/// Draws the menu bar and returns what the user chose.
pub fn menu_bar_ui(ui: &mut egui::Ui, state: &MenuBarState<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    let lang = state.language;
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(Msg::File.text(lang), |ui| {
            menu_item(ui, lang, Msg::NewLesson, Command::NewLesson, &mut commands);
            menu_item(ui, lang, Msg::Open, Command::OpenDialog, &mut commands);
            ui.menu_button(Msg::Recent.text(lang), |ui| {
                if state.recent_files.is_empty() {
                    ui.label(Msg::NoRecent.text(lang));
                }
                for path in state.recent_files {
                    if ui.button(path.display().to_string()).clicked() {
                        commands.push(Command::OpenPath(path.clone()));
                    }
                }
            });
            ui.separator();
            menu_item(ui, lang, Msg::Save, Command::Save, &mut commands);
            menu_item(ui, lang, Msg::SaveAs, Command::SaveAs, &mut commands);
            menu_item(
                ui,
                lang,
                Msg::ExportView,
                Command::ExportViewPng,
                &mut commands,
            );
            ui.separator();
            menu_item(ui, lang, Msg::Quit, Command::Quit, &mut commands);
        });
        ui.menu_button(Msg::EditMenu.text(lang), |ui| {
            menu_item(ui, lang, Msg::Undo, Command::Undo, &mut commands);
            menu_item(ui, lang, Msg::Redo, Command::Redo, &mut commands);
        });
        ui.menu_button(Msg::View.text(lang), |ui| {
            let edit = if state.editing {
                Msg::StopEditing
            } else {
                Msg::Edit
            };
            menu_item(ui, lang, edit, Command::ToggleEditing, &mut commands);
            menu_item(
                ui,
                lang,
                Msg::Present,
                Command::TogglePresentation,
                &mut commands,
            );
            menu_item(
                ui,
                lang,
                Msg::PresentFromHere,
                Command::PresentFromHere,
                &mut commands,
            );
            let mut projector = state.projector_theme;
            if ui
                .checkbox(&mut projector, Msg::ProjectorTheme.text(lang))
                .clicked()
            {
                commands.push(Command::ToggleProjectorTheme);
            }
            ui.separator();
            ui.label(Msg::Theme.text(lang));
            for (msg, theme) in [
                (Msg::ThemeSystem, egui::ThemePreference::System),
                (Msg::ThemeLight, egui::ThemePreference::Light),
                (Msg::ThemeDark, egui::ThemePreference::Dark),
            ] {
                if ui.radio(state.theme == theme, msg.text(lang)).clicked() {
                    commands.push(Command::SetTheme(theme));
                }
            }
            ui.separator();
            menu_item(ui, lang, Msg::ZoomIn, Command::ZoomIn, &mut commands);
            menu_item(ui, lang, Msg::ZoomOut, Command::ZoomOut, &mut commands);
            menu_item(ui, lang, Msg::ZoomReset, Command::ZoomReset, &mut commands);
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            language_switch_ui(ui, state, &mut commands);
        });
    });
    commands
}

fn menu_item(
    ui: &mut egui::Ui,
    lang: Language,
    msg: Msg,
    command: Command,
    commands: &mut Vec<Command>,
) {
    let button = egui::Button::new(msg.text(lang)).shortcut_text(command.shortcut_text(ui.ctx()));
    if ui.add(button).clicked() {
        commands.push(command);
    }
}

/// Two buttons, each language written in itself, so a user who reads only one finds it.
fn language_switch_ui(ui: &mut egui::Ui, state: &MenuBarState<'_>, commands: &mut Vec<Command>) {
    for language in [Language::En, Language::Ko] {
        let enabled = language != Language::Ko || state.korean_available;
        // Without a Korean font, Hangul would draw as empty boxes.
        let name = if enabled {
            language.native_name()
        } else {
            "Korean"
        };
        let response = ui
            .add_enabled(
                enabled,
                egui::Button::selectable(state.language == language, name),
            )
            .on_hover_text(Msg::LanguageLabel.text(state.language))
            .on_disabled_hover_text(Msg::NoKoreanFont.text(Language::En));
        if response.clicked() {
            commands.push(Command::SetLanguage(language));
        }
    }
    ui.label(Msg::LanguageLabel.text(state.language));
}
