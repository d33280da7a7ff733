//! Colours and sizes tuned for reading at a distance: body text with more contrast than
//! egui's defaults (a projector washes out mid-greys), and a larger scale while presenting.

/// How much bigger everything is drawn in presentation mode, on top of the user's zoom.
pub const PRESENTATION_SCALE: f32 = 1.4;

/// Adjusts both the light and the dark style once, at start.
pub fn apply(ctx: &egui::Context) {
    // egui's body text is grey 140 on dark and 80 on light; these reach about 10:1 contrast.
    ctx.style_mut_of(egui::Theme::Dark, |style| {
        style.visuals.widgets.noninteractive.fg_stroke.color = egui::Color32::from_gray(205);
    });
    ctx.style_mut_of(egui::Theme::Light, |style| {
        style.visuals.widgets.noninteractive.fg_stroke.color = egui::Color32::from_gray(35);
    });
}
