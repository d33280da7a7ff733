//! Drawing pieces shared by every scene: labelled boxes, arrows, text, highlights.

use egui::{
    Align2, Color32, FontFamily, FontId, Painter, Pos2, Rect, Stroke, StrokeKind, Vec2, pos2, vec2,
};

use crate::lesson::Language;

use super::provenance::mark_simulated;
use super::style::SceneStyle;

/// Smallest text size drawn; a crowded column cuts its text rather than go below it.
pub const MIN_TEXT: f32 = 7.5;

/// One of a painter's two fixed texts, the one in `lang`.
pub fn words(lang: Language, en: &'static str, ko: &'static str) -> &'static str {
    match lang {
        Language::En => en,
        Language::Ko => ko,
    }
}

/// The padding a scene keeps around and between its parts, grown with the canvas.
pub fn padding(rect: Rect) -> f32 {
    (rect.width().min(rect.height()) * 0.02).clamp(4.0, 12.0)
}

/// The scene's fonts, grown or shrunk with the canvas so that proportions hold.
pub struct Fonts {
    pub label: FontId,
    pub small: FontId,
    pub mono: FontId,
}

impl Fonts {
    pub fn new(style: &SceneStyle, rect: Rect) -> Self {
        let scale = (rect.width() / 1000.0)
            .min(rect.height() / 560.0)
            .clamp(0.75, 1.5);
        let sized =
            |font: &FontId| FontId::new((font.size * scale).max(MIN_TEXT), font.family.clone());
        Self {
            label: sized(&style.font),
            small: sized(&style.small),
            mono: sized(&style.mono),
        }
    }
}

/// Rough width of `text` in `font`, enough to choose a size that fits without laying the
/// text out (Hangul is about as wide as it is tall, ASCII a little over half).
pub fn estimated_width(text: &str, font: &FontId) -> f32 {
    let ascii = if font.family == FontFamily::Monospace {
        0.62
    } else {
        0.56
    };
    text.chars()
        .map(|c| if c.is_ascii() { ascii } else { 1.05 })
        .sum::<f32>()
        * font.size
}

/// One line of text no wider than `width`: smaller if need be, and cut short with "…" when
/// even the smallest size is too wide.
pub fn fitted_text(
    canvas: &Canvas,
    pos: Pos2,
    anchor: Align2,
    text: &str,
    font: &FontId,
    width: f32,
    color: Color32,
) -> Rect {
    let natural = estimated_width(text, font);
    if natural <= width {
        return canvas.text(pos, anchor, text, font, color);
    }
    let font = FontId::new(
        (font.size * width / natural.max(1.0)).max(MIN_TEXT),
        font.family.clone(),
    );
    let shrunk = estimated_width(text, &font);
    if shrunk <= width {
        return canvas.text(pos, anchor, text, &font, color);
    }
    let per_char = shrunk / text.chars().count().max(1) as f32;
    let keep = ((width / per_char.max(0.1)) as usize).saturating_sub(1);
    let cut: String = text
        .chars()
        .take(keep)
        .chain(std::iter::once('…'))
        .collect();
    canvas.text(pos, anchor, cut, &font, color)
}

/// The step's caption across the top with a rule under it; returns the area left below.
pub fn caption(canvas: &Canvas, text: &str) -> Rect {
    let rect = canvas.rect;
    let style = canvas.style;
    let pad = (rect.width().min(rect.height()) * 0.025).clamp(4.0, 14.0);
    let wrap = (rect.width() - 2.0 * pad).max(20.0);
    let height = canvas
        .wrapped(
            rect.min + vec2(pad, pad),
            text,
            &style.font,
            style.text,
            wrap,
        )
        .y;
    let rule = rect.top() + pad * 1.6 + height;
    canvas.painter.line_segment(
        [
            pos2(rect.left() + pad, rule),
            pos2(rect.right() - pad, rule),
        ],
        Stroke::new(1.0 * style.line, style.stroke.gamma_multiply(0.3)),
    );
    Rect::from_min_max(
        pos2(rect.left() + pad, rule + pad),
        pos2(rect.right() - pad, rect.bottom() - pad),
    )
}

/// Where a scene is painted and how.
pub struct Canvas<'a> {
    pub painter: &'a Painter,
    pub rect: Rect,
    pub style: &'a SceneStyle,
    /// How far the move into the current step has run: 0 just arrived, 1 settled.
    pub phase: f32,
}

impl Canvas<'_> {
    /// Text anchored at `pos`.
    pub fn text(
        &self,
        pos: Pos2,
        anchor: Align2,
        text: impl ToString,
        font: &FontId,
        color: Color32,
    ) -> Rect {
        let text = text.to_string();
        let drawn = mark_simulated(&text).into_owned();
        self.painter.text(pos, anchor, drawn, font.clone(), color)
    }

    /// Text wrapped at `width`, its top left at `pos`; returns the size it took.
    pub fn wrapped(
        &self,
        pos: Pos2,
        text: &str,
        font: &FontId,
        color: Color32,
        width: f32,
    ) -> Vec2 {
        let drawn = mark_simulated(text).into_owned();
        let galley = self.painter.layout(drawn, font.clone(), color, width);
        let size = galley.size();
        self.painter.galley(pos, galley, color);
        size
    }

    /// A filled box with a label centred in it; a highlighted box gets a thick outline in
    /// the highlight colour and a dot in its corner, so change is not shown by colour only.
    pub fn labelled_box(&self, rect: Rect, fill: Color32, label: &str, highlighted: bool) {
        self.painter.rect_filled(rect, 4.0, fill);
        let stroke = if highlighted {
            Stroke::new(2.5 * self.style.line, self.style.highlight)
        } else {
            Stroke::new(1.0 * self.style.line, self.style.stroke.gamma_multiply(0.6))
        };
        self.painter
            .rect_stroke(rect, 4.0, stroke, StrokeKind::Inside);
        if !label.is_empty() {
            let font = self.style.font.clone();
            self.text(
                rect.center(),
                Align2::CENTER_CENTER,
                label,
                &font,
                self.style.text,
            );
        }
        if highlighted {
            self.tag(rect.right_top() + Vec2::new(-4.0, 2.0), "•");
        }
    }

    /// A small marker in the highlight colour at the top-right corner of something.
    pub fn tag(&self, pos: Pos2, text: &str) {
        self.painter.text(
            pos,
            Align2::RIGHT_TOP,
            text,
            self.style.small.clone(),
            self.style.highlight,
        );
    }

    /// An arrow from `from` to `to` with a filled head.
    pub fn arrow(&self, from: Pos2, to: Pos2, color: Color32, width: f32) {
        let direction = to - from;
        let length = direction.length();
        if length < 1.0 {
            return;
        }
        let unit = direction / length;
        let head = (8.0 * self.style.line).min(length * 0.5);
        let base = to - unit * head;
        let normal = Vec2::new(-unit.y, unit.x) * head * 0.5;
        self.painter
            .line_segment([from, base], Stroke::new(width * self.style.line, color));
        self.painter.add(egui::Shape::convex_polygon(
            vec![to, base + normal, base - normal],
            color,
            Stroke::NONE,
        ));
    }

    /// An arrow from `from` towards `to`, drawn `progress` (0 to 1) of the way: a move in
    /// flight. Nothing is drawn before the move starts.
    pub fn growing_arrow(&self, from: Pos2, to: Pos2, progress: f32, color: Color32, width: f32) {
        if progress > 0.0 {
            self.arrow(from, from.lerp(to, progress.clamp(0.05, 1.0)), color, width);
        }
    }

    /// A dashed line, for limits and boundaries.
    pub fn dashed(&self, from: Pos2, to: Pos2, color: Color32) {
        self.painter.extend(egui::Shape::dashed_line(
            &[from, to],
            Stroke::new(1.5 * self.style.line, color),
            6.0,
            4.0,
        ));
    }

    /// Eases the phase so that moves start and end gently.
    pub fn eased(&self) -> f32 {
        let t = self.phase.clamp(0.0, 1.0);
        t * t * (3.0 - 2.0 * t)
    }
}

/// Calls `paint` on canvases of the smallest, a typical and the largest size the app uses,
/// just arrived, mid-move and settled, in one egui pass. Painters' tests use it to draw every
/// step everywhere and so prove no layout panics.
#[cfg(test)]
pub(crate) fn on_every_canvas(mut paint: impl FnMut(&Canvas)) {
    let ctx = egui::Context::default();
    let output = ctx.run_ui(egui::RawInput::default(), |ui| {
        let style = SceneStyle::from_visuals(ui.visuals());
        let painter = ui.painter().clone();
        for size in [vec2(500.0, 300.0), vec2(1900.0, 1000.0), vec2(120.0, 80.0)] {
            let rect = Rect::from_min_size(pos2(10.0, 10.0), size);
            for phase in [0.0, 0.5, 1.0] {
                paint(&Canvas {
                    painter: &painter,
                    rect,
                    style: &style,
                    phase,
                });
            }
        }
    });
    output.drop_without_applying_deltas();
}
