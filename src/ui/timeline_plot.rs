//! What really ran when, as a Gantt chart: one lane per task, a bar for every interval in
//! which it ran, on a time axis in milliseconds shared by every lane.

use egui_plot::{Bar, BarChart, Legend, Plot};

use crate::lab::experiment::{Lane, Timeline, Words};
use crate::lesson::Language;

use super::distribution_plot::series_color;
use super::strings::Msg;

/// Height of one lane's bars, in lane units (lanes are one apart).
const BAR_HEIGHT: f64 = 0.7;

/// The bars of `lane`, drawn at height `row`, in milliseconds.
pub fn lane_bars(lane: &Lane, row: usize) -> Vec<Bar> {
    lane.spans
        .iter()
        .map(|&(start, end)| {
            Bar::new(row as f64, (end - start) / 1e6)
                .base_offset(start / 1e6)
                .width(BAR_HEIGHT)
                .horizontal()
        })
        .collect()
}

fn words(words: &Words, lang: Language) -> &str {
    match lang {
        Language::En => &words.en,
        Language::Ko => &words.ko,
    }
}

/// Draws `timeline` with the first lane on top, `height` points tall.
pub fn timeline_plot_ui(ui: &mut egui::Ui, lang: Language, id: &str, timeline: &Timeline) {
    let lanes = timeline.lanes.len();
    ui.label(egui::RichText::new(Msg::WhatRanWhen.text(lang)).strong());
    Plot::new(("timeline", id))
        .height(28.0 * lanes as f32 + 70.0)
        .legend(Legend::default())
        .x_axis_label(Msg::TimeMs.text(lang))
        .show_axes([true, false])
        .allow_scroll(false)
        .show(ui, |plot| {
            for (index, lane) in timeline.lanes.iter().enumerate() {
                let row = lanes - 1 - index;
                let color = series_color(index);
                let bars = lane_bars(lane, row)
                    .into_iter()
                    .map(|bar| bar.fill(color.gamma_multiply(0.8)).stroke((1.0, color)))
                    .collect();
                let chart = BarChart::new(words(&lane.label, lang), bars)
                    .color(color)
                    .horizontal()
                    .element_formatter(Box::new(|bar, _| {
                        let start = bar.base_offset.unwrap_or(0.0);
                        format!("{start:.2} – {:.2} ms", start + bar.value)
                    }));
                plot.bar_chart(chart);
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_interval_becomes_one_bar_from_its_start_to_its_end() {
        let lane = Lane {
            label: Words::new("t", "t"),
            spans: vec![(0.0, 4e6), (8e6, 9.5e6)],
        };
        let bars = lane_bars(&lane, 2);
        assert_eq!(bars.len(), 2);
        assert_eq!((bars[1].base_offset, bars[1].value), (Some(8.0), 1.5));
        assert_eq!(bars[0].argument, 2.0);
    }
}
