//! Drawing pieces shared by every scene: labelled boxes, arrows, text, highlights.

use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Stroke, StrokeKind, Vec2};

use super::style::SceneStyle;

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
        self.painter
            .text(pos, anchor, text.to_string(), font.clone(), color)
    }

    /// A filled box with a label centred in it; a highlighted box gets a thick outline in
    /// the highlight colour and a dot in its corner, so change is not shown by colour only.
    pub fn labelled_box(&self, rect: Rect, fill: Color32, label: &str, highlighted: bool) {
        self.painter.rect_filled(rect, 4.0, fill);
        let stroke = if highlighted {
            Stroke::new(2.5, self.style.highlight)
        } else {
            Stroke::new(1.0, self.style.stroke.gamma_multiply(0.6))
        };
        self.painter
            .rect_stroke(rect, 4.0, stroke, StrokeKind::Inside);
        if !label.is_empty() {
            self.painter.text(
                rect.center(),
                Align2::CENTER_CENTER,
                label,
                self.style.font.clone(),
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
        let head = 8.0_f32.min(length * 0.5);
        let base = to - unit * head;
        let normal = Vec2::new(-unit.y, unit.x) * head * 0.5;
        self.painter
            .line_segment([from, base], Stroke::new(width, color));
        self.painter.add(egui::Shape::convex_polygon(
            vec![to, base + normal, base - normal],
            color,
            Stroke::NONE,
        ));
    }

    /// A dashed line, for limits and boundaries.
    pub fn dashed(&self, from: Pos2, to: Pos2, color: Color32) {
        self.painter.extend(egui::Shape::dashed_line(
            &[from, to],
            Stroke::new(1.5, color),
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
