//! `proclab measure KIND`: one real experiment without a window, its figures printed as a
//! table or as the family's own JSON. Every family in the lab's registry is measurable here.

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::Args;

use crate::lab::LabError;
use crate::lab::experiment::{FAMILIES, Family, Figure, Job, Report, family};

/// What to measure and how.
#[derive(Debug, Clone, Args)]
pub struct MeasureArgs {
    /// The measurement, as `proclab measure --help` lists them.
    #[arg(value_parser = known_family)]
    pub kind: &'static Family,
    /// Samples to take after the warm-up (10 to 10000).
    #[arg(long, value_parser = samples_in_range)]
    pub samples: Option<u32>,
    /// Threads that race or contend (race, locks, fairness, timeslice, deadlock: 2 to 16).
    #[arg(long)]
    pub threads: Option<u32>,
    /// Child processes that race on a shared mapping (race: 2 to 16).
    #[arg(long)]
    pub processes: Option<u32>,
    /// Increments each thread makes per run (race, locks: up to 10000000).
    #[arg(long)]
    pub increments: Option<u32>,
    /// Times the run is repeated (race, locks: 1 to 100; deadlock: rounds of the fixes).
    #[arg(long)]
    pub runs: Option<u32>,
    /// Milliseconds each lock is contended (fairness: 50 to 5000).
    #[arg(long)]
    pub millis: Option<u32>,
    /// The order real threads run their instructions in (stepped-race), as
    /// "0:load 1:inc 0:store": THREAD:load|add|store|inc|step|N, or kernel:MILLIS.
    #[arg(long)]
    pub schedule: Option<String>,
    /// Pin both sides to one CPU (ctx-switch, ipc).
    #[arg(long)]
    pub pin: bool,
    /// Print the family's JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// The names `proclab measure` accepts, for its help text.
pub fn measure_help() -> String {
    let lines: Vec<String> = FAMILIES
        .iter()
        .map(|f| format!("  {:<12} {}", f.command, f.about))
        .collect();
    format!("Measurements:\n{}", lines.join("\n"))
}

fn known_family(name: &str) -> Result<&'static Family, String> {
    family(name).ok_or_else(|| {
        let names: Vec<&str> = FAMILIES.iter().map(|f| f.command).collect();
        format!("unknown measurement {name:?}; one of: {}", names.join(", "))
    })
}

/// A sample count within [`crate::limits::SAMPLES`], or the range in the error.
fn samples_in_range(text: &str) -> Result<u32, String> {
    let range = crate::limits::SAMPLES;
    text.parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| format!("{text} is not in {}..={}", range.start(), range.end()))
}

/// Runs the measurement and prints it to `out`; progress goes to standard error. A parameter
/// the family does not take is a usage error (exit status 2).
pub fn run_measure(args: MeasureArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let given: Vec<(&str, u32)> = [
        ("samples", args.samples),
        ("threads", args.threads),
        ("processes", args.processes),
        ("increments", args.increments),
        ("runs", args.runs),
        ("millis", args.millis),
        ("pin", args.pin.then_some(1)),
    ]
    .into_iter()
    .filter_map(|(name, value)| Some((name, value?)))
    .collect();
    let params = args
        .kind
        .params_from(&given)
        .and_then(|params| match &args.schedule {
            Some(text) => args.kind.with_text(params, "schedule", text),
            None => Ok(params),
        });
    let params = match params {
        Ok(params) => params,
        Err(e) => {
            eprintln!("proclab measure: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let exe = std::env::current_exe()?;
    let cancel = AtomicBool::new(false);
    let progress = |done: u32, total: u32| eprint!("\rmeasuring: {done}/{total}");
    let report = (args.kind.run)(&params, &Job::new(&exe, &cancel, &progress));
    eprintln!();
    let report = match report {
        // A schedule that does not parse is a usage error, like a parameter out of range.
        Err(e @ LabError::Schedule(_)) => {
            eprintln!("proclab measure: {e}");
            return Ok(ExitCode::from(2));
        }
        other => other.map_err(|e: LabError| anyhow::anyhow!(e))?,
    };
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report.json)?)?;
    } else {
        write_table(out, &report)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_table(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    writeln!(out, "{}, measured on {}", report.family, report.machine)?;
    writeln!(
        out,
        "{:<40} {:>11} {:>11} {:>11} {:>7}",
        "", "median", "p10", "p90", "samples"
    )?;
    for Figure {
        label,
        unit,
        summary,
        ..
    } in &report.figures
    {
        let value = |v| unit.format(v);
        writeln!(
            out,
            "{:<40} {:>11} {:>11} {:>11} {:>7}",
            label.en,
            value(summary.median),
            value(summary.p10),
            value(summary.p90),
            summary.samples
        )?;
    }
    for fact in &report.facts {
        writeln!(out, "{:<40} {}", fact.label.en, fact.value)?;
    }
    if report.cancelled {
        writeln!(
            out,
            "Cancelled: these are the samples taken before the stop."
        )?;
    }
    writeln!(out, "{}", report.note.en)
}
