//! Measured cost against a parameter the run varied (ring size, message size): one line per
//! curve through the medians, with the p10 and p90 of every point drawn faintly around it.

use super::strings::words;
use egui_plot::{Legend, Line, Plot, PlotPoints, Points};

use crate::lab::experiment::{Curve, CurvePoint};
use crate::lesson::Language;

use super::distribution_plot::series_color;

/// Where `x` is drawn: its base-2 logarithm on a doubling axis.
fn axis_x(curve: &Curve, x: f64) -> f64 {
    if curve.x_log2 { x.max(1.0).log2() } else { x }
}

/// The axis label for a position: the value itself, from its logarithm on a doubling axis.
fn tick_label(log2: bool, position: f64) -> String {
    if !log2 {
        return format!("{position}");
    }
    let value = position.exp2().round();
    match value {
        v if v >= 1_048_576.0 => format!("{} Mi", v / 1_048_576.0),
        v if v >= 1024.0 => format!("{} Ki", v / 1024.0),
        v => format!("{v}"),
    }
}

/// Draws `curves` (all of one unit and one x quantity) in one plot.
pub fn curve_plot_ui(ui: &mut egui::Ui, lang: Language, id: &str, curves: &[&Curve]) {
    let Some(first) = curves.first() else { return };
    let reference = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.summary.median))
        .fold(0.0, f64::max);
    let (divisor, unit) = first.unit.scale(reference);
    let log2 = first.x_log2;
    Plot::new(("curves", id))
        .height(220.0)
        .legend(Legend::default())
        .x_axis_label(words(&first.x_label, lang))
        .y_axis_label(unit)
        .x_axis_formatter(move |mark, _| tick_label(log2, mark.value))
        .allow_scroll(false)
        .show(ui, |plot| {
            for (index, curve) in curves.iter().enumerate() {
                let color = series_color(index);
                let medians = positions(curve, 0.5, divisor);
                let name = words(&curve.label, lang);
                plot.line(
                    Line::new(name, PlotPoints::from(medians.clone()))
                        .color(color)
                        .width(2.0),
                );
                plot.points(
                    Points::new(name, PlotPoints::from(medians))
                        .color(color)
                        .radius(3.0),
                );
                for quantile in [0.1, 0.9] {
                    let band = positions(curve, quantile, divisor);
                    plot.line(
                        Line::new(name, PlotPoints::from(band))
                            .color(color.gamma_multiply(0.7))
                            .width(1.0)
                            .style(egui_plot::LineStyle::dashed_dense()),
                    );
                }
            }
        });
}

/// Where each point's p10, median or p90 (by `quantile`) is drawn.
fn positions(curve: &Curve, quantile: f64, divisor: f64) -> Vec<[f64; 2]> {
    curve
        .points
        .iter()
        .map(|p| [axis_x(curve, p.x), y_of(p, quantile) / divisor])
        .collect()
}

/// The point's p10, median or p90.
fn y_of(point: &CurvePoint, quantile: f64) -> f64 {
    match quantile {
        q if q < 0.5 => point.summary.p10,
        q if q > 0.5 => point.summary.p90,
        _ => point.summary.median,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_doubling_axis_is_labelled_with_the_sizes_themselves() {
        assert_eq!(tick_label(true, 6.0), "64");
        assert_eq!(tick_label(true, 10.0), "1 Ki");
        assert_eq!(tick_label(true, 20.0), "1 Mi");
        assert_eq!(tick_label(false, 8.0), "8");
    }
}
