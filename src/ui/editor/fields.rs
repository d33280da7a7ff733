//! The editor's field widgets: text in both teaching languages side by side, Markdown with a
//! preview, and optional bounded counts. Each returns the [`EditKey`] of the edit it made.

use egui::AsIdSalt;
use std::ops::RangeInclusive;

use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use crate::lesson::{Language, Text};

use super::super::strings::Msg;
use super::EditKey;

/// Below this width the two language columns stack, so neither gets too narrow to type in.
const TWO_COLUMNS_MIN_WIDTH: f32 = 420.0;

/// Tallest a multiline field grows before it scrolls, so that a long narration leaves the
/// sections below it within reach.
const MULTILINE_MAX_HEIGHT: f32 = 240.0;

/// The accessible name and visible label of the `language` column of the field `label`:
/// "Title (한국어)", so that a test (or a screen reader) tells the two apart.
pub fn column_label(label: &str, language: Language) -> String {
    format!("{label} ({})", language.native_name())
}

/// "3–12": the values a bounded field accepts, written beside it.
pub fn range_text(range: &RangeInclusive<u32>) -> String {
    format!("{}–{}", range.start(), range.end())
}

/// Calls `field` once per teaching language, Korean first: in two columns when there is
/// room, one above the other when not. Returns the last edit any of them made.
pub fn bilingual_ui(
    ui: &mut egui::Ui,
    mut field: impl FnMut(&mut egui::Ui, Language) -> Option<EditKey>,
) -> Option<EditKey> {
    let mut edit = None;
    if ui.available_width() >= TWO_COLUMNS_MIN_WIDTH {
        ui.columns(Language::ALL.len(), |columns| {
            for (column, language) in columns.iter_mut().zip(Language::ALL) {
                edit = field(column, language).or(edit);
            }
        });
    } else {
        for language in Language::ALL {
            edit = field(ui, language).or(edit);
        }
    }
    edit
}

/// A text field for `text` in `language`, `rows` high (1: a single line). The widget edits
/// a copy that is written back only when the user changed it, so an untouched lesson saves
/// back byte for byte as it was.
pub fn text_ui(
    ui: &mut egui::Ui,
    label: &str,
    salt: impl AsIdSalt + Copy,
    language: Language,
    text: &mut Text,
    rows: usize,
) -> Option<EditKey> {
    let label = ui.label(column_label(label, language));
    let mut buffer = text.raw(language).to_owned();
    let response = if rows > 1 {
        let edit = egui::TextEdit::multiline(&mut buffer).desired_rows(rows);
        egui::ScrollArea::vertical()
            .id_salt((salt, language, "scroll"))
            .max_height(MULTILINE_MAX_HEIGHT)
            .show(ui, |ui| {
                ui.add(edit.id_salt((salt, language)).desired_width(f32::INFINITY))
            })
            .inner
    } else {
        let edit = egui::TextEdit::singleline(&mut buffer);
        ui.add(edit.id_salt((salt, language)).desired_width(f32::INFINITY))
    };
    let response = response.labelled_by(label.id);
    if !response.changed() {
        return None;
    }
    text.set(language, buffer);
    Some(EditKey::of_widget(response.id))
}

/// `text` in both languages, each in its own column.
pub fn text_pair_ui(
    ui: &mut egui::Ui,
    label: &str,
    salt: impl AsIdSalt + Copy,
    text: &mut Text,
    rows: usize,
) -> Option<EditKey> {
    bilingual_ui(ui, |ui, language| {
        text_ui(ui, label, salt, language, text, rows)
    })
}

/// Rows a narration field shows while short.
const NARRATION_ROWS: usize = 6;

/// Markdown in both languages, each with a toggle under it that shows how it renders.
pub fn markdown_pair_ui(
    ui: &mut egui::Ui,
    lang: Language,
    label: &str,
    salt: impl AsIdSalt + Copy,
    text: &mut Text,
    markdown: &mut CommonMarkCache,
) -> Option<EditKey> {
    bilingual_ui(ui, |ui, language| {
        let edit = text_ui(ui, label, salt, language, text, NARRATION_ROWS);
        let preview_id = ui.scope_id().with((salt, language, "preview"));
        let mut preview = ui.data(|d| d.get_temp(preview_id).unwrap_or(false));
        let toggle = column_label(Msg::Preview.text(lang), language);
        if ui
            .toggle_value(&mut preview, toggle)
            .on_hover_text(Msg::MarkdownHint.text(lang))
            .changed()
        {
            ui.data_mut(|d| d.insert_temp(preview_id, preview));
        }
        if preview {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                CommonMarkViewer::new().show(ui, markdown, text.raw(language));
            });
        }
        edit
    })
}

/// A warning under a field that validation requires, while it is blank in both languages;
/// saving refuses such a lesson, so the author sees why before trying.
pub fn required_note_ui(ui: &mut egui::Ui, lang: Language, text: &Text) {
    if text.is_empty() {
        ui.colored_label(ui.visuals().warn_fg_color, Msg::NeedsText.text(lang));
    }
}

/// An optional count: a "set" checkbox, the value bounded to `range`, and the range written
/// beside it. Unset, the lesson leaves the value out and the program's default applies;
/// checking "set" starts from `default`.
pub fn optional_count_ui(
    ui: &mut egui::Ui,
    lang: Language,
    label: &str,
    value: &mut Option<u32>,
    range: RangeInclusive<u32>,
    default: u32,
) -> Option<EditKey> {
    let mut edit = None;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(label);
        let mut set = value.is_some();
        let checkbox = ui.checkbox(&mut set, Msg::SetValue.text(lang));
        if checkbox.changed() {
            *value = set.then(|| default.clamp(*range.start(), *range.end()));
            edit = Some(EditKey::fresh(ui.ctx()));
        }
        let mut number = value.unwrap_or(default);
        let drag = egui::DragValue::new(&mut number).range(range.clone());
        let response = ui.add_enabled(set, drag).labelled_by(label.id);
        if set && response.changed() {
            *value = Some(number);
            edit = Some(EditKey::of_widget(response.id));
        }
        ui.weak(range_text(&range));
    });
    edit
}

/// A checkbox for a yes-or-no parameter; each toggle is its own undo entry.
pub fn flag_ui(ui: &mut egui::Ui, label: &str, value: &mut bool) -> Option<EditKey> {
    ui.checkbox(value, label)
        .changed()
        .then(|| EditKey::fresh(ui.ctx()))
}

/// A combo box offering "none" or one of `kinds`, each by the name lesson files give it.
/// Returns the new choice when the user changed it.
pub fn kind_choice_ui<K: Copy + PartialEq>(
    ui: &mut egui::Ui,
    id: impl AsIdSalt,
    label: Msg,
    lang: Language,
    current: Option<K>,
    kinds: &[K],
    file_name: fn(K) -> &'static str,
) -> Option<Option<K>> {
    let mut chosen = current;
    let name = |kind: Option<K>| kind.map_or(Msg::NoneChoice.text(lang), file_name);
    egui::ComboBox::new(id, label.text(lang))
        .selected_text(name(chosen))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, name(None));
            for &kind in kinds {
                ui.selectable_value(&mut chosen, Some(kind), file_name(kind));
            }
        });
    (chosen != current).then_some(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_labels_name_the_language_in_itself() {
        assert_eq!(column_label("Title", Language::Ko), "Title (한국어)");
        assert_eq!(column_label("제목", Language::En), "제목 (English)");
    }

    #[test]
    fn range_text_draws_with_eguis_own_fonts() {
        let text = range_text(&(3..=12));
        assert_eq!(text, "3–12");
        let ctx = egui::Context::default();
        let mut output = ctx.run_ui(Default::default(), |_| {});
        output.textures_delta.clear();
        let font = egui::FontId::proportional(14.0);
        let drawable = ctx.fonts_mut(|fonts| text.chars().all(|c| fonts.has_glyph(&font, c)));
        assert!(drawable);
    }
}
