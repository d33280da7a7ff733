//! Colours and fonts of the diagrams, taken from the current theme so that both light and
//! dark read well. Colour is never the only carrier of meaning: every region and item is
//! also labelled, and highlights add an outline and a tag.

use egui::{Color32, FontId, Visuals};

use crate::ui::theme::DEFAULT_BODY_SIZE;

/// What a memory region holds; each has its own fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionColor {
    Code,
    ReadOnly,
    Data,
    Bss,
    Heap,
    Stack,
    Kernel,
    Free,
}

/// Everything a painter needs to colour and label a scene.
#[derive(Debug, Clone)]
pub struct SceneStyle {
    pub dark: bool,
    pub text: Color32,
    pub weak_text: Color32,
    pub background: Color32,
    pub stroke: Color32,
    /// Outlines what changed in this step.
    pub highlight: Color32,
    /// Marks what went wrong (overflow, corruption, TLB miss).
    pub danger: Color32,
    /// Marks what went right (TLB hit, a correct return).
    pub good: Color32,
    pub font: FontId,
    pub small: FontId,
    pub mono: FontId,
    /// Multiplies every line's width: 1 on screen, thicker on a projector.
    pub line: f32,
}

impl SceneStyle {
    pub fn from_visuals(visuals: &Visuals) -> Self {
        let dark = visuals.dark_mode;
        Self {
            dark,
            text: visuals.strong_text_color(),
            weak_text: visuals.weak_text_color(),
            background: visuals.extreme_bg_color,
            stroke: visuals.widgets.noninteractive.fg_stroke.color,
            highlight: if dark {
                Color32::from_rgb(255, 200, 60)
            } else {
                Color32::from_rgb(200, 120, 0)
            },
            danger: if dark {
                Color32::from_rgb(255, 110, 100)
            } else {
                Color32::from_rgb(190, 30, 30)
            },
            good: if dark {
                Color32::from_rgb(110, 210, 130)
            } else {
                Color32::from_rgb(20, 130, 50)
            },
            font: FontId::proportional(14.0),
            small: FontId::proportional(11.5),
            mono: FontId::monospace(12.0),
            line: 1.0,
        }
    }

    /// The scene style of a whole egui style: its colours, and type and lines that grow with
    /// its body text and strokes (the projector theme's are larger than egui's).
    pub fn from_style(style: &egui::Style) -> Self {
        let body = style
            .text_styles
            .get(&egui::TextStyle::Body)
            .map_or(DEFAULT_BODY_SIZE, |f| f.size);
        let scale = (body / DEFAULT_BODY_SIZE).clamp(1.0, 1.3);
        let mut scene = Self::from_visuals(&style.visuals);
        for font in [&mut scene.font, &mut scene.small, &mut scene.mono] {
            font.size *= scale;
        }
        scene.line = style
            .visuals
            .widgets
            .noninteractive
            .fg_stroke
            .width
            .max(1.0);
        scene
    }

    /// The fill of a region: muted, so text on it stays readable in both themes.
    pub fn region(&self, region: RegionColor) -> Color32 {
        let (r, g, b) = match region {
            RegionColor::Code => (90, 130, 200),
            RegionColor::ReadOnly => (120, 110, 190),
            RegionColor::Data => (70, 160, 160),
            RegionColor::Bss => (110, 160, 110),
            RegionColor::Heap => (200, 140, 70),
            RegionColor::Stack => (190, 90, 120),
            RegionColor::Kernel => (130, 130, 130),
            RegionColor::Free => (128, 128, 128),
        };
        let strength = if region == RegionColor::Free {
            0.15
        } else {
            0.45
        };
        // Dark theme: the hue darkened; light theme: the hue paled towards white.
        let mix = |c: u8| -> u8 {
            let c = f32::from(c);
            let v = if self.dark {
                c * strength
            } else {
                c + (255.0 - c) * (1.0 - strength)
            };
            v.round().clamp(0.0, 255.0) as u8
        };
        Color32::from_rgb(mix(r), mix(g), mix(b))
    }
}
