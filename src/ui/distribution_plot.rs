//! A measured distribution drawn as a histogram of its samples, with its median, p10 and p90
//! marked and its sample count in the title, so that the spread is seen, not only read.

use egui_plot::{Bar, BarChart, BoxElem, BoxPlot, BoxSpread, Legend, Plot, VLine};

use crate::lab::experiment::Figure;
use crate::lesson::Language;

use super::strings::{Msg, words};

/// The colour of the `index`th series in a plot of several (lanes, curves): distinct hues
/// that read on both themes, so that a line, its points and its spread share one colour.
pub fn series_color(index: usize) -> egui::Color32 {
    const COLORS: [egui::Color32; 6] = [
        egui::Color32::from_rgb(0x3d, 0x8b, 0xd4),
        egui::Color32::from_rgb(0xe0, 0x7b, 0x24),
        egui::Color32::from_rgb(0x3f, 0xa3, 0x5b),
        egui::Color32::from_rgb(0xc9, 0x45, 0x4b),
        egui::Color32::from_rgb(0x8e, 0x63, 0xc4),
        egui::Color32::from_rgb(0x1f, 0xa5, 0xa5),
    ];
    COLORS[index % COLORS.len()]
}

/// Bars between the smallest sample and the 99th percentile; samples above it are counted
/// beside the plot rather than squeezing every other bar into one.
fn bins(samples: usize) -> usize {
    ((samples as f64).sqrt() as usize).clamp(8, 40)
}

/// The histogram: (bar centre, count) in display units, and how many samples lie above p99.
pub fn histogram(figure: &Figure, divisor: f64) -> (Vec<(f64, f64)>, f64, usize) {
    let s = &figure.summary;
    let (low, high) = (s.min, s.p99.max(s.min));
    let count = bins(s.samples);
    let width = ((high - low) / count as f64).max(f64::EPSILON);
    let mut heights = vec![0.0; count];
    let mut above = 0;
    for &sample in &figure.samples {
        if sample > high {
            above += 1;
            continue;
        }
        let index = (((sample - low) / width) as usize).min(count - 1);
        heights[index] += 1.0;
    }
    let bars = heights
        .into_iter()
        .enumerate()
        .map(|(i, h)| ((low + (i as f64 + 0.5) * width) / divisor, h))
        .collect();
    (bars, width / divisor, above)
}

/// Draws `figure` as a histogram `height` points tall.
pub fn distribution_plot_ui(ui: &mut egui::Ui, lang: Language, figure: &Figure, height: f32) {
    let s = &figure.summary;
    let (divisor, unit) = figure.unit.scale(s.median);
    let (bars, width, above) = histogram(figure, divisor);
    let label = words(&figure.label, lang);
    ui.label(egui::RichText::new(format!("{label} · n = {}", s.samples)).strong());
    let visuals = ui.visuals();
    let (bar_color, mark_color) = (visuals.selection.bg_fill, visuals.strong_text_color());
    let chart = BarChart::new(
        Msg::Samples.text(lang),
        bars.into_iter()
            .map(|(x, h)| Bar::new(x, h).width(width).fill(bar_color))
            .collect(),
    );
    let marks = [
        ("p10", s.p10, egui_plot::LineStyle::dashed_loose()),
        (
            Msg::Median.text(lang),
            s.median,
            egui_plot::LineStyle::Solid,
        ),
        ("p90", s.p90, egui_plot::LineStyle::dashed_loose()),
    ];
    Plot::new(("distribution", label))
        .height(height)
        .legend(Legend::default())
        .x_axis_label(unit)
        .y_axis_label(Msg::Samples.text(lang))
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.bar_chart(chart);
            for (name, value, style) in marks {
                let text = format!("{name} {}", figure.unit.format(value));
                plot.vline(
                    VLine::new(text, value / divisor)
                        .color(mark_color)
                        .width(2.0)
                        .style(style),
                );
            }
        });
    if above > 0 {
        ui.label(
            egui::RichText::new(format!(
                "{above} {} {}",
                Msg::AboveP99.text(lang),
                figure.unit.format(s.max)
            ))
            .small()
            .weak(),
        );
    }
}

/// Several distributions of one unit side by side, one box each: the box spans p10 to p90
/// with the median across it, the whiskers reach from the smallest sample to p99.
pub fn comparison_plot_ui(ui: &mut egui::Ui, lang: Language, figures: &[&Figure], height: f32) {
    let Some(first) = figures.first() else { return };
    let reference = figures.iter().map(|f| f.summary.median).fold(0.0, f64::max);
    let (divisor, unit) = first.unit.scale(reference);
    ui.label(
        egui::RichText::new(Msg::ComparisonExplained.text(lang))
            .small()
            .weak(),
    );
    Plot::new(("comparison", first.label.en.as_str()))
        .height(height)
        .legend(Legend::default())
        .x_axis_label(unit)
        .show_axes([true, false])
        .allow_scroll(false)
        .show(ui, |plot| {
            for (row, figure) in figures.iter().enumerate() {
                let s = &figure.summary;
                let spread = BoxSpread::new(s.min, s.p10, s.median, s.p90, s.p99);
                let scaled = BoxSpread::new(
                    spread.lower_whisker / divisor,
                    spread.quartile1 / divisor,
                    spread.median / divisor,
                    spread.quartile3 / divisor,
                    spread.upper_whisker / divisor,
                );
                let label = words(&figure.label, lang);
                let name = format!("{label} (n = {})", s.samples);
                let element = BoxElem::new(-(row as f64), scaled)
                    .box_width(0.6)
                    .horizontal();
                plot.box_plot(BoxPlot::new(name, vec![element]).horizontal());
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::experiment::{Unit, Words};

    #[test]
    fn every_sample_up_to_p99_lands_in_one_bar_and_the_rest_are_counted() {
        let samples: Vec<f64> = (1..=1000).map(f64::from).collect();
        let figure = Figure::of(Words::new("t", "t"), Unit::Nanoseconds, samples).unwrap();
        let (bars, width, above) = histogram(&figure, 1.0);
        let drawn: f64 = bars.iter().map(|(_, h)| h).sum();
        assert_eq!(drawn as usize + above, 1000);
        assert_eq!(bars.len(), 31);
        assert!(width > 0.0);
        assert!(above <= 10, "{above}");
    }

    #[test]
    fn identical_samples_make_one_full_bar() {
        let figure = Figure::of(Words::new("t", "t"), Unit::Bytes, vec![4096.0; 20]).unwrap();
        let (bars, _, above) = histogram(&figure, 1024.0);
        assert_eq!(above, 0);
        assert_eq!(bars.iter().map(|(_, h)| h).sum::<f64>(), 20.0);
    }
}
