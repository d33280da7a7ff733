//! Colours and sizes tuned for reading at a distance: body text with more contrast than
//! egui's defaults (a projector washes out mid-greys), and the projector theme used while
//! presenting: a light background, near-black text, thick strokes and large type.

use egui::{Color32, FontId, Stroke, Style, TextStyle};

/// While presenting, the window is scaled to be about this many points high, whatever the
/// projector's resolution, so every letter is the same share of the screen's height.
pub const PROJECTOR_HEIGHT_POINTS: f32 = 720.0;

/// egui's body text size, against which the projector's sizes are set.
pub const DEFAULT_BODY_SIZE: f32 = 12.5;

/// Adjusts both the light and the dark style once, at start.
pub fn apply(ctx: &egui::Context) {
    // egui's body text is grey 140 on dark and 80 on light; these reach about 10:1 contrast.
    ctx.style_mut_of(egui::Theme::Dark, |style| {
        style.visuals.widgets.noninteractive.fg_stroke.color = Color32::from_gray(205);
    });
    ctx.style_mut_of(egui::Theme::Light, |style| {
        style.visuals.widgets.noninteractive.fg_stroke.color = Color32::from_gray(35);
    });
}

/// The style of the audience's screen while presenting: large type always; with
/// `projector_colors`, the projector theme's light, high-contrast colours and thick strokes
/// (otherwise the user's own theme's colours).
pub fn projector_style(base: &Style, projector_colors: bool) -> Style {
    let mut style = base.clone();
    for (text_style, size) in [
        (TextStyle::Heading, 30.0),
        (TextStyle::Body, 20.0),
        (TextStyle::Button, 18.0),
        (TextStyle::Small, 15.0),
        (TextStyle::Monospace, 17.0),
    ] {
        let family = style
            .text_styles
            .get(&text_style)
            .map_or(egui::FontFamily::Proportional, |f| f.family.clone());
        style
            .text_styles
            .insert(text_style, FontId::new(size, family));
    }
    style.spacing.interact_size.y = 28.0;
    style.spacing.item_spacing = egui::vec2(10.0, 6.0);
    if projector_colors {
        style.visuals = projector_visuals();
    }
    style
}

/// Light and high in contrast: a projector in a lit room shows dark text on white best,
/// and thin grey lines vanish.
fn projector_visuals() -> egui::Visuals {
    let mut visuals = egui::Visuals::light();
    let ink = Color32::from_gray(10);
    visuals.panel_fill = Color32::from_gray(252);
    visuals.window_fill = Color32::WHITE;
    visuals.extreme_bg_color = Color32::WHITE;
    visuals.faint_bg_color = Color32::from_gray(238);
    visuals.override_text_color = None;
    visuals.window_stroke = Stroke::new(2.0, ink);
    let widgets = &mut visuals.widgets;
    widgets.noninteractive.fg_stroke = Stroke::new(2.0, ink);
    widgets.noninteractive.bg_stroke = Stroke::new(2.0, Color32::from_gray(90));
    for state in [
        &mut widgets.inactive,
        &mut widgets.hovered,
        &mut widgets.active,
    ] {
        state.fg_stroke = Stroke::new(2.0, ink);
        state.bg_stroke.width = 2.0;
    }
    visuals.selection.stroke = Stroke::new(2.0, Color32::from_rgb(0, 50, 160));
    visuals
}
