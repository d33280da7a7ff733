//! `proclab measure KIND`: one real experiment without a window, its figures printed as a
//! table or as JSON.

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::Subcommand;

use crate::lab::spawn_cost::{self, DEFAULT_SAMPLES, MemoryCost, SpawnCost};
use crate::lab::stats::Summary;

/// The experiments that can be measured from the command line.
#[derive(Debug, Clone, Subcommand)]
pub enum MeasureKind {
    /// Creating a thread against creating a process: spawn+join of an empty thread and
    /// spawn+wait of this program re-executed, alternating, after a warm-up.
    Spawn {
        /// Samples of each (after 10 warm-up rounds).
        #[arg(long, default_value_t = DEFAULT_SAMPLES, value_parser = clap::value_parser!(u32).range(10..=10_000))]
        samples: u32,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
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

fn kib(cost: Option<MemoryCost>) -> String {
    cost.map_or("unavailable".into(), |c| {
        format!(
            "{:.0} KiB resident, {:.0} KiB virtual",
            c.resident_bytes / 1024.0,
            c.virtual_bytes / 1024.0
        )
    })
}

fn write_spawn_table(out: &mut impl Write, result: &SpawnCost) -> std::io::Result<()> {
    writeln!(out, "Creation cost, measured on {}", result.machine)?;
    writeln!(
        out,
        "{:<28} {:>9} {:>9} {:>9} {:>7}",
        "", "median us", "p10 us", "p90 us", "samples"
    )?;
    writeln!(
        out,
        "{:<28} {}",
        "thread: spawn + join",
        micros(&result.thread_spawn_ns)
    )?;
    writeln!(
        out,
        "{:<28} {}",
        "process: spawn + wait",
        micros(&result.process_spawn_ns)
    )?;
    writeln!(
        out,
        "Here a process took {:.0} times as long as a thread (by median).",
        result.ratio()
    )?;
    writeln!(out, "Memory per thread:  {}", kib(result.thread_memory))?;
    writeln!(out, "Memory per process: {}", kib(result.process_memory))?;
    writeln!(
        out,
        "The process figure includes loading and starting this whole program (exec), not just \
         fork. Memory per thread is how much this process grew when parked threads were added; \
         the C library reuses finished threads' stacks and shares allocator arenas, so it depends \
         on what the process did before. Virtual memory is address space reserved (stacks, \
         arenas), mostly never touched; resident memory is what is really in RAM."
    )
}
