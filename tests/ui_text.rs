//! Every piece of UI text and every sign the app draws can be drawn: English text and signs
//! with egui's own fonts alone (a machine may have no other), Korean text once the system's
//! Korean font is loaded. egui stops with a missing-glyph error otherwise, and a user would
//! see empty boxes.

mod common;

use proclab::lesson::{BUILTIN_LESSONS, Language};
use proclab::ui::fonts::{find_korean_font, install_korean_font};
use proclab::ui::strings::{Msg, UNSAVED_MARK};

/// A context with fonts built, with or without the Korean font.
fn context(with_korean: bool) -> egui::Context {
    let ctx = egui::Context::default();
    if with_korean {
        common::require_korean_font();
        assert!(install_korean_font(&ctx, find_korean_font()).is_loaded());
    }
    let mut output = ctx.run_ui(Default::default(), |_| {});
    output.textures_delta.clear();
    ctx
}

fn undrawable(ctx: &egui::Context, texts: &[String]) -> Vec<String> {
    let font = egui::FontId::proportional(14.0);
    texts
        .iter()
        .filter_map(|text| {
            let missing: String = ctx.fonts_mut(|fonts| {
                text.chars()
                    .filter(|c| !c.is_whitespace() && !fonts.has_glyph(&font, *c))
                    .collect()
            });
            (!missing.is_empty()).then(|| format!("{text:?} lacks {missing:?}"))
        })
        .collect()
}

fn texts_in(language: Language) -> Vec<String> {
    let mut texts: Vec<String> = Msg::ALL.iter().map(|m| m.text(language).into()).collect();
    for builtin in BUILTIN_LESSONS {
        let lesson = builtin.load().unwrap();
        texts.push(lesson.title.get(language).into());
        texts.extend(
            lesson
                .steps
                .iter()
                .map(|s| s.title.get(language).to_owned()),
        );
    }
    texts
}

#[test]
fn english_text_and_signs_need_no_font_but_eguis_own() {
    let mut texts = texts_in(Language::En);
    texts.push(UNSAVED_MARK.into());
    texts.push("Korean".into());
    texts.extend(["µs", "× 53", "—", "0x7f7f"].map(String::from));
    let problems = undrawable(&context(false), &texts);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn korean_text_draws_with_the_system_korean_font() {
    let mut texts = texts_in(Language::Ko);
    texts.extend(Language::ALL.iter().map(|l| l.native_name().to_owned()));
    let problems = undrawable(&context(true), &texts);
    assert!(problems.is_empty(), "{problems:#?}");
}
