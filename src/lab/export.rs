//! A report as files a user can take elsewhere: CSV with every sample, curve point, interval
//! and fact, one per row; and JSON with the whole report, the family's own typed result
//! included.

use std::fmt::Write;

use super::experiment::Report;

/// The report as CSV: `section,label,unit,x,value` with a header row. Samples carry their
/// index in `x`, curve points their parameter value, intervals their start (the value is the
/// end), facts nothing.
pub fn to_csv(report: &Report) -> String {
    let mut csv = String::from("section,label,unit,x,value\n");
    let mut row = |section: &str, label: &str, unit: &str, x: String, value: String| {
        let _ = writeln!(
            csv,
            "{section},{},{unit},{x},{}",
            quoted(label),
            quoted(&value)
        );
    };
    for figure in &report.figures {
        let unit = unit_name(figure.unit);
        for (index, sample) in figure.samples.iter().enumerate() {
            row(
                "sample",
                &figure.label.en,
                unit,
                index.to_string(),
                sample.to_string(),
            );
        }
    }
    for curve in &report.curves {
        let unit = unit_name(curve.unit);
        for point in &curve.points {
            let s = &point.summary;
            for (name, value) in [("median", s.median), ("p10", s.p10), ("p90", s.p90)] {
                let label = format!("{} ({name})", curve.label.en);
                row(
                    "curve",
                    &label,
                    unit,
                    point.x.to_string(),
                    value.to_string(),
                );
            }
        }
    }
    if let Some(timeline) = &report.timeline {
        for lane in &timeline.lanes {
            for span in &lane.spans {
                let (start, end) = (span.start, span.end);
                row(
                    "interval",
                    &lane.label.en,
                    "ns",
                    start.to_string(),
                    end.to_string(),
                );
            }
        }
    }
    for fact in &report.facts {
        row(
            "fact",
            &fact.label.en,
            "",
            String::new(),
            fact.value.clone(),
        );
    }
    csv
}

/// The whole report as pretty JSON: the machine, figures with samples, facts, note, curves,
/// timeline, and the family's typed result under `result`.
pub fn to_json(report: &Report) -> serde_json::Result<String> {
    let mut value = serde_json::to_value(report)?;
    if let Some(object) = value.as_object_mut() {
        object.insert("result".into(), report.json.clone());
    }
    serde_json::to_string_pretty(&value)
}

/// A file name for the report of `family`, taken at `unix_seconds`.
pub fn file_name(family: &str, unix_seconds: u64, extension: &str) -> String {
    format!("proclab-{family}-{unix_seconds}.{extension}")
}

fn unit_name(unit: super::experiment::Unit) -> &'static str {
    use super::experiment::Unit;
    match unit {
        Unit::Nanoseconds => "ns",
        Unit::Bytes => "bytes",
        Unit::Ratio => "ratio",
        Unit::Count => "count",
        Unit::MegabytesPerSecond => "MB/s",
    }
}

/// `text` as one CSV field: quoted when it holds a comma, a quote or a line break.
fn quoted(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::experiment::{Figure, Unit, Words};
    use crate::lab::os::Machine;

    fn report() -> Report {
        let figure = Figure::of(
            Words::new("threads, pipe: per switch", "스레드"),
            Unit::Nanoseconds,
            vec![2000.0, 2100.0, 2500.0],
        )
        .unwrap();
        Report::new(
            "ctx-switch",
            Machine::describe(),
            vec![figure],
            Words::new("n", "n"),
            &42,
        )
        .unwrap()
        .fact("Pinned", "고정", "yes")
    }

    #[test]
    fn csv_has_every_sample_and_fact_with_commas_quoted() {
        let csv = to_csv(&report());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "section,label,unit,x,value");
        assert_eq!(lines[1], "sample,\"threads, pipe: per switch\",ns,0,2000");
        assert_eq!(lines.len(), 1 + 3 + 1);
        assert_eq!(lines[4], "fact,Pinned,,,yes");
    }

    #[test]
    fn json_holds_the_figures_and_the_typed_result() {
        let json: serde_json::Value = serde_json::from_str(&to_json(&report()).unwrap()).unwrap();
        assert_eq!(json["family"], "ctx-switch");
        assert_eq!(json["figures"][0]["samples"].as_array().unwrap().len(), 3);
        assert_eq!(json["result"], 42);
    }
}
