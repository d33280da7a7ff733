//! Every piece of UI text and every sign the app draws can be drawn by the fonts it loads:
//! egui stops with a missing-glyph error otherwise, and a user would see empty boxes.

mod common;

use proclab::lesson::{BUILTIN_LESSONS, Language};
use proclab::ui::fonts::install_korean_font;
use proclab::ui::strings::{Msg, RIGHT_MARK, UNSAVED_MARK, WRONG_MARK};

fn missing_glyphs(ctx: &egui::Context, text: &str) -> Vec<char> {
    let font = egui::FontId::proportional(14.0);
    ctx.fonts_mut(|fonts| {
        text.chars()
            .filter(|c| !c.is_whitespace() && !fonts.has_glyph(&font, *c))
            .collect()
    })
}

#[test]
fn all_ui_strings_signs_and_lesson_titles_can_be_drawn() {
    common::require_korean_font();
    let ctx = egui::Context::default();
    assert!(install_korean_font(&ctx).is_loaded());
    // Fonts are built on the first pass.
    let mut output = ctx.run_ui(Default::default(), |_| {});
    output.textures_delta.clear();

    let mut texts: Vec<String> = vec![RIGHT_MARK.into(), WRONG_MARK.into(), UNSAVED_MARK.into()];
    for msg in Msg::ALL {
        for language in Language::ALL {
            texts.push(msg.text(language).into());
        }
    }
    for builtin in BUILTIN_LESSONS {
        let lesson = builtin.load().unwrap();
        for language in Language::ALL {
            texts.push(lesson.title.get(language).into());
            texts.extend(
                lesson
                    .steps
                    .iter()
                    .map(|s| s.title.get(language).to_owned()),
            );
        }
    }
    let problems: Vec<String> = texts
        .iter()
        .filter_map(|t| {
            let missing = missing_glyphs(&ctx, t);
            (!missing.is_empty()).then(|| format!("{t:?} lacks {missing:?}"))
        })
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}
