//! `proclab measure KIND`: one real experiment without a window, its figures printed as a
//! table or as JSON.

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::Subcommand;

use crate::lab::spawn_cost::{self, DEFAULT_SAMPLES, SpawnCost};
use crate::lab::stats::Summary;

/// The experiments that can be measured from the command line.
#[derive(Debug, Clone, Subcommand)]
pub enum MeasureKind {
    /// Creating a thread against creating a process: spawn+join of an empty thread and
    /// posix_spawn+wait of this program, alternating, after a warm-up; and the private memory
    /// (USS) of each, measured in fresh processes.
    Spawn {
        /// Samples of each (after 10 warm-up rounds), 10 to 10000.
        #[arg(long, default_value_t = DEFAULT_SAMPLES, value_parser = samples_in_range)]
        samples: u32,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// A sample count within [`crate::limits::SAMPLES`], or the range in the error.
fn samples_in_range(text: &str) -> Result<u32, String> {
    let range = crate::limits::SAMPLES;
    text.parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| format!("{text} is not in {}..={}", range.start(), range.end()))
}

/// Runs the measurement and prints it to `out`; progress goes to standard error.
pub fn run_measure(kind: MeasureKind, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    match kind {
        MeasureKind::Spawn { samples, json } => {
            let exe = std::env::current_exe()?;
            let cancel = AtomicBool::new(false);
            let result = spawn_cost::measure(&exe, samples, &cancel, |done, total| {
                eprint!("\rmeasuring: {done}/{total} rounds");
            })?;
            eprintln!();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&result)?)?;
            } else {
                write_spawn_table(out, &result)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn micros(summary: &Summary) -> String {
    format!(
        "{:>9.1} {:>9.1} {:>9.1} {:>7}",
        summary.median / 1e3,
        summary.p10 / 1e3,
        summary.p90 / 1e3,
        summary.samples
    )
}

fn kib(summary: Option<&Summary>) -> String {
    summary.map_or("unavailable".into(), |s| {
        format!(
            "{:.0} KiB median (p10 {:.0}, p90 {:.0}, n = {})",
            s.median / 1024.0,
            s.p10 / 1024.0,
            s.p90 / 1024.0,
            s.samples
        )
    })
}

fn write_spawn_table(out: &mut impl Write, result: &SpawnCost) -> std::io::Result<()> {
    writeln!(out, "Creation cost, measured on {}", result.machine)?;
    writeln!(
        out,
        "{:<34} {:>9} {:>9} {:>9} {:>7}",
        "", "median us", "p10 us", "p90 us", "samples"
    )?;
    writeln!(
        out,
        "{:<34} {}",
        "thread: spawn + join",
        micros(&result.thread_spawn_ns)
    )?;
    writeln!(
        out,
        "{:<34} {}",
        "process: posix_spawn + exec + wait",
        micros(&result.process_spawn_ns)
    )?;
    writeln!(
        out,
        "Here a process took {:.1} times as long as a thread (median of the per-round ratios; \
         p10 {:.1}, p90 {:.1}).",
        result.ratio.median, result.ratio.p10, result.ratio.p90
    )?;
    writeln!(
        out,
        "Private memory (USS) per thread:  {}",
        kib(result.thread_unique_bytes.as_ref())
    )?;
    writeln!(
        out,
        "Private memory (USS) per process: {}",
        kib(result.process_unique_bytes.as_ref())
    )?;
    writeln!(
        out,
        "{} warm-up rounds were run first and discarded. The process is started with posix_spawn \
         (a vfork-style clone, then exec), as std::process::Command does: nothing is forked and \
         no page table is copied; the figure includes exec, the loader and the child's start-up \
         and exit. Memory is the unique set size (private pages, from smaps_rollup) measured in \
         fresh processes: a process's whole, and its growth per extra parked thread ({} threads \
         added after a first one). Pages other processes map too (shared libraries, this \
         program's file) and kernel memory such as page tables count in neither.",
        spawn_cost::WARM_UP,
        spawn_cost::THREADS_PER_MEMORY_PROBE
    )
}
