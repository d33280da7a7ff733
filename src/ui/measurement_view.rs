//! Any measurement family in the evidence area: its parameters within their bounds, Measure
//! and Cancel with progress, and its last report as a table of distributions (median, p10,
//! p90, sample count), the chosen row plotted as a histogram, the machine it was taken on and
//! how to read it.

use crate::lab::experiment::{Curve, Figure, Param, Report};
use crate::lesson::Language;

use super::command::{Command, ExportFormat};
use super::curve_plot::curve_plot_ui;
use super::distribution_plot::{comparison_plot_ui, distribution_plot_ui};
use super::evidence::count_ui;
use super::lab_panel::{Measurement, Renderer};
use super::picture_view::{diagram_step_at, picture_ui};
use super::strings::{Msg, words};
use super::timeline_plot::{placed_cursor, timeline_plot_ui};

/// The controls and the last report of `measurement`.
pub fn measurement_ui(
    ui: &mut egui::Ui,
    lang: Language,
    measurement: &mut Measurement,
    renderer: Option<&Renderer>,
    commands: &mut Vec<Command>,
) {
    let name = measurement.family.name;
    ui.horizontal_wrapped(|ui| {
        for (param, value) in measurement
            .family
            .params
            .iter()
            .zip(&mut measurement.values)
        {
            param_ui(ui, lang, param, value);
        }
        match measurement.running {
            Some(running) => {
                let fraction = running.done as f32 / running.total.max(1) as f32;
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(160.0)
                        .text(format!(
                            "{} {}/{}",
                            Msg::Measuring.text(lang),
                            running.done,
                            running.total
                        )),
                );
                if ui.button(Msg::Cancel.text(lang)).clicked() {
                    commands.push(Command::CancelMeasurement(name));
                }
            }
            None => {
                if ui.button(Msg::Measure.text(lang)).clicked() {
                    commands.push(Command::Measure(name));
                }
            }
        }
    });
    match &measurement.report {
        None => {
            ui.label(egui::RichText::new(Msg::NotMeasuredYet.text(lang)).weak());
        }
        Some(report) => {
            ui.label(
                egui::RichText::new(report.machine.to_string())
                    .small()
                    .weak(),
            );
            if let Some(renderer) = renderer {
                renderer_ui(ui, lang, renderer);
            }
            ui.horizontal(|ui| {
                for (format, label) in [
                    (ExportFormat::Csv, Msg::ExportCsv),
                    (ExportFormat::Json, Msg::ExportJson),
                ] {
                    if ui.button(label.text(lang)).clicked() {
                        commands.push(Command::ExportReport(name, format));
                    }
                }
            });
            report_ui(ui, lang, report, &mut measurement.plotted, commands);
        }
    }
}

fn param_ui(ui: &mut egui::Ui, lang: Language, param: &Param, value: &mut u32) {
    let label = match lang {
        Language::En => param.en,
        Language::Ko => param.ko,
    };
    if param.is_switch() {
        let mut on = *value == 1;
        if ui.checkbox(&mut on, label).changed() {
            *value = u32::from(on);
        }
        return;
    }
    let bounds = format!("{} – {}", param.range.start(), param.range.end());
    count_ui(ui, label, value, param.range.clone(), &bounds);
}

/// The figures as a table with the `plotted` one drawn below it, then the machine, and how
/// to read them.
fn report_ui(
    ui: &mut egui::Ui,
    lang: Language,
    report: &Report,
    plotted: &mut usize,
    commands: &mut Vec<Command>,
) {
    if report.cancelled {
        ui.colored_label(ui.visuals().warn_fg_color, Msg::CancelledPartial.text(lang));
    }
    // What the run saw comes first when it drew a picture: that is the point of such a run.
    if report.picture.is_some() {
        picture_and_timeline_ui(ui, lang, report, commands);
    }
    if !report.figures.is_empty() {
        figures_table_ui(ui, lang, report, plotted);
    }
    facts_ui(ui, lang, report);
    if let Some(figure) = report.figures.get(*plotted).or(report.figures.first()) {
        distribution_plot_ui(ui, lang, figure, 140.0);
        let alike: Vec<&Figure> = report
            .figures
            .iter()
            .filter(|f| f.unit == figure.unit)
            .collect();
        if alike.len() > 1 {
            comparison_plot_ui(ui, lang, &alike, 24.0 * alike.len() as f32 + 60.0);
        }
    }
    if report.picture.is_none()
        && let Some(timeline) = &report.timeline
    {
        timeline_plot_ui(ui, lang, report.family, timeline);
    }
    curves_ui(ui, lang, report);
    ui.label(egui::RichText::new(words(&report.note, lang)).small());
}

/// The report's picture, drawn at the timeline's cursor once one is placed, then the
/// timeline; a cursor that moved takes the diagram to the same moment.
fn picture_and_timeline_ui(
    ui: &mut egui::Ui,
    lang: Language,
    report: &Report,
    commands: &mut Vec<Command>,
) {
    let Some(picture) = &report.picture else {
        return;
    };
    let Some(timeline) = &report.timeline else {
        picture_ui(ui, lang, picture, None, None);
        return;
    };
    let placed = placed_cursor(ui, report.family, timeline);
    picture_ui(ui, lang, picture, Some(timeline), placed);
    let cursor = timeline_plot_ui(ui, lang, report.family, timeline);
    // Only a cursor that moved this frame takes the diagram with it.
    let moved_to = cursor.at.filter(|_| cursor.moved);
    if let Some(step) = moved_to.and_then(|at| diagram_step_at(picture, timeline, at)) {
        commands.push(Command::SeekDiagram(step));
    }
}

/// Every figure's median, p10, p90 and count; a row clicked is the one plotted.
fn figures_table_ui(ui: &mut egui::Ui, lang: Language, report: &Report, plotted: &mut usize) {
    egui::Grid::new(("report", report.family))
        .striped(true)
        .show(ui, |ui| {
            for header in ["", Msg::Median.text(lang), "p10", "p90", "n"] {
                ui.label(egui::RichText::new(header).strong());
            }
            ui.end_row();
            for (index, figure) in report.figures.iter().enumerate() {
                let label = ui.selectable_label(*plotted == index, words(&figure.label, lang));
                if label
                    .on_hover_text(Msg::ShowDistribution.text(lang))
                    .clicked()
                {
                    *plotted = index;
                }
                let s = &figure.summary;
                for value in [s.median, s.p10, s.p90] {
                    ui.monospace(figure.unit.format(value));
                }
                ui.monospace(s.samples.to_string());
                ui.end_row();
            }
        });
}

/// The report's curves, one plot for each unit and quantity they are drawn against.
fn curves_ui(ui: &mut egui::Ui, lang: Language, report: &Report) {
    let mut groups: Vec<Vec<&Curve>> = Vec::new();
    for curve in &report.curves {
        let same = |group: &&mut Vec<&Curve>| {
            group[0].unit == curve.unit && group[0].x_label == curve.x_label
        };
        match groups.iter_mut().find(same) {
            Some(group) => group.push(curve),
            None => groups.push(vec![curve]),
        }
    }
    for (index, group) in groups.iter().enumerate() {
        curve_plot_ui(ui, lang, &format!("{}-{index}", report.family), group);
    }
}

/// The report's single values, one per line.
fn facts_ui(ui: &mut egui::Ui, lang: Language, report: &Report) {
    if report.facts.is_empty() {
        return;
    }
    egui::Grid::new(("facts", report.family)).show(ui, |ui| {
        for fact in &report.facts {
            ui.label(words(&fact.label, lang));
            ui.monospace(&fact.value);
            ui.end_row();
        }
    });
}

/// Which renderer drew the window while the figures were taken.
fn renderer_ui(ui: &mut egui::Ui, lang: Language, renderer: &Renderer) {
    let kind = if renderer.software {
        Msg::SoftwareRenderer
    } else {
        Msg::GpuRenderer
    };
    ui.label(
        egui::RichText::new(format!(
            "{} {} ({})",
            Msg::Renderer.text(lang),
            kind.text(lang),
            renderer.name
        ))
        .small()
        .weak(),
    );
}
