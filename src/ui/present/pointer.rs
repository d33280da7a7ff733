//! The laser pointer and the spotlight: while L is held a bright red spot follows the mouse;
//! while S is held everything but a circle round the mouse is dimmed. Both are drawn over
//! the whole window and take no input, so nothing under them stops working.

use egui::{Color32, Id, LayerId, Order, Pos2, Rect, Stroke, epaint::CircleShape};

use super::{LASER_KEY, SPOTLIGHT_KEY};

/// Which pointer is drawn this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointerMode {
    Laser,
    Spotlight,
}

impl PointerMode {
    /// The mode whose key is held down now, if any.
    pub fn held(ctx: &egui::Context) -> Option<Self> {
        ctx.input(|i| {
            if i.key_down(LASER_KEY) {
                Some(PointerMode::Laser)
            } else if i.key_down(SPOTLIGHT_KEY) {
                Some(PointerMode::Spotlight)
            } else {
                None
            }
        })
    }
}

/// Draws the held pointer at the mouse, over everything else.
pub fn pointer_ui(ctx: &egui::Context) {
    let Some(mode) = PointerMode::held(ctx) else {
        return;
    };
    let Some(at) = ctx.input(|i| i.pointer.latest_pos()) else {
        return;
    };
    let screen = ctx.content_rect();
    let painter = ctx.layer_painter(LayerId::new(
        Order::Tooltip,
        Id::unique("presentation-pointer"),
    ));
    match mode {
        PointerMode::Laser => laser(&painter, at, screen),
        PointerMode::Spotlight => spotlight(&painter, at, screen),
    }
    // The spot follows the mouse only if the window is drawn again as it moves.
    ctx.request_repaint();
}

/// A red spot with a soft glow, sized to the screen so that the back row sees it.
fn laser(painter: &egui::Painter, at: Pos2, screen: Rect) {
    let radius = screen.height() / 90.0;
    for (grow, alpha) in [(3.0, 40), (2.0, 70), (1.4, 110)] {
        painter.circle_filled(
            at,
            radius * grow,
            Color32::from_rgba_unmultiplied(255, 30, 30, alpha),
        );
    }
    painter.circle_filled(at, radius, Color32::from_rgb(255, 40, 40));
    painter.circle_stroke(at, radius, Stroke::new(1.5, Color32::WHITE));
}

/// Everything dimmed but a circle round the pointer: one thick ring, whose inner edge is the
/// circle's edge and whose width reaches past every corner of the screen.
fn spotlight(painter: &egui::Painter, at: Pos2, screen: Rect) {
    let hole = screen.height() / 7.0;
    let far = [
        screen.left_top(),
        screen.right_top(),
        screen.left_bottom(),
        screen.right_bottom(),
    ]
    .into_iter()
    .map(|corner| corner.distance(at))
    .fold(0.0, f32::max);
    let width = far - hole + 2.0;
    let dim = Color32::from_black_alpha(190);
    painter.add(CircleShape::stroke(
        at,
        hole + width / 2.0,
        Stroke::new(width, dim),
    ));
}
