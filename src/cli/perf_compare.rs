//! `proclab bench ctx-switch`: ProcLab's context-switch figures against the kernel's own
//! benchmark, `perf bench sched pipe` (processes) and `perf bench sched pipe -T` (threads),
//! in one run, pinned to one CPU and not, each taken per switch (perf's usecs/op is one round
//! trip: two switches).
//!
//! perf is started from a thread pinned the same way as ProcLab's measuring thread: a CPU
//! mask is inherited by the processes a thread starts, so both meet the same pinning.

use std::io::Write;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::AtomicBool;

use anyhow::{Context, anyhow};
use serde::Serialize;

use crate::lab::ctx_switch::{self, CtxSwitch};
use crate::lab::experiment::Job;
use crate::lab::os;
use crate::lab::stats::Summary;

/// How far ProcLab's median may lie from perf's and still agree.
pub const TOLERANCE: f64 = 0.25;

/// Loops perf runs per measurement; about as many round trips as ProcLab's batches.
const PERF_LOOPS: u32 = 100_000;

/// One comparison: ProcLab's median (with its spread) and perf's figure, in nanoseconds per
/// switch.
#[derive(Debug, Serialize)]
struct Row {
    pair: &'static str,
    pinned: bool,
    proclab: Summary,
    perf_ns: f64,
    /// ProcLab's median over perf's.
    ratio: f64,
    /// Pinned: the medians within [`TOLERANCE`]. Not pinned, the scheduler decides per run
    /// whether the two sides share a CPU, so ProcLab's batches may fall in two groups; perf's
    /// one figure then agrees if it lies within ProcLab's p10 to p90, widened by the tolerance.
    agrees: bool,
}

/// Runs both pinnings and prints the table (or JSON); exit status 1 when a pinned pair
/// disagrees by more than [`TOLERANCE`], 2 when perf cannot be run.
pub fn run_perf_compare(
    samples: u32,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let mut rows = Vec::new();
    for pinned in [true, false] {
        let cpu = if pinned {
            Some(os::first_allowed_cpu()?)
        } else {
            None
        };
        let ours = proclab_figures(samples, pinned)?;
        let perf = std::thread::scope(|scope| {
            scope
                .spawn(|| -> anyhow::Result<(f64, f64)> {
                    if let Some(cpu) = cpu {
                        os::pin_current_thread(cpu)?;
                    }
                    Ok((perf_ns_per_switch(false)?, perf_ns_per_switch(true)?))
                })
                .join()
                .map_err(|_| anyhow!("the perf thread panicked"))?
        });
        let (perf_processes, perf_threads) = match perf {
            Ok(figures) => figures,
            Err(e) => {
                eprintln!("proclab bench ctx-switch: cannot run perf: {e:#}");
                return Ok(ExitCode::from(2));
            }
        };
        rows.push(row("threads", pinned, ours.thread_switch_ns, perf_threads));
        rows.push(row(
            "processes",
            pinned,
            ours.process_switch_ns,
            perf_processes,
        ));
    }
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
    } else {
        write_table(out, &rows)?;
    }
    let pinned_agree = rows.iter().filter(|r| r.pinned).all(|r| r.agrees);
    Ok(if pinned_agree {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn row(pair: &'static str, pinned: bool, proclab: Summary, perf_ns: f64) -> Row {
    let ratio = proclab.median / perf_ns.max(1.0);
    let within_spread =
        perf_ns >= proclab.p10 * (1.0 - TOLERANCE) && perf_ns <= proclab.p90 * (1.0 + TOLERANCE);
    Row {
        pair,
        pinned,
        proclab,
        perf_ns,
        ratio,
        agrees: if pinned {
            (ratio - 1.0).abs() <= TOLERANCE
        } else {
            within_spread
        },
    }
}

fn proclab_figures(samples: u32, pinned: bool) -> anyhow::Result<CtxSwitch> {
    let family = &ctx_switch::FAMILY;
    let params = family.params_from(&[("samples", samples), ("pin", u32::from(pinned))])?;
    let exe = std::env::current_exe()?;
    let cancel = AtomicBool::new(false);
    let report = (family.run)(&params, &Job::new(&exe, &cancel, &|_, _| {}))?;
    Ok(serde_json::from_value(report.json)?)
}

/// Runs `perf bench sched pipe [-T]` and reads its usecs/op, halved: nanoseconds per switch.
fn perf_ns_per_switch(threads: bool) -> anyhow::Result<f64> {
    let mut command = Command::new("perf");
    command.args(["bench", "sched", "pipe", "-l", &PERF_LOOPS.to_string()]);
    if threads {
        command.arg("-T");
    }
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .context("perf is not installed (Debian/Ubuntu: linux-perf or linux-tools)")?;
    let text = String::from_utf8_lossy(&output.stdout);
    let usecs = usecs_per_op(&text).ok_or_else(|| anyhow!("no usecs/op in perf's output"))?;
    Ok(usecs * 1000.0 / 2.0)
}

/// The number before `usecs/op` in perf's report.
fn usecs_per_op(text: &str) -> Option<f64> {
    text.lines()
        .find(|line| line.contains("usecs/op"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn write_table(out: &mut impl Write, rows: &[Row]) -> std::io::Result<()> {
    writeln!(
        out,
        "ns per switch      {:>10} {:>8} {:>8} {:>10} {:>8}  agrees (±{:.0}%)",
        "ProcLab",
        "p10",
        "p90",
        "perf",
        "ratio",
        TOLERANCE * 100.0
    )?;
    for r in rows {
        let pinning = if r.pinned { "pinned" } else { "unpinned" };
        writeln!(
            out,
            "{:<9} {:<8} {:>10.0} {:>8.0} {:>8.0} {:>10.0} {:>8.2}  {}",
            r.pair,
            pinning,
            r.proclab.median,
            r.proclab.p10,
            r.proclab.p90,
            r.perf_ns,
            r.ratio,
            if r.agrees { "yes" } else { "no" }
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_perfs_usecs_per_op() {
        let text = "# Running 'sched/pipe' benchmark:\n# Executed 100000 pipe operations \
                    between two processes\n\n     Total time: 0.494 [sec]\n\n       \
                    4.946115 usecs/op\n         202178 ops/sec\n";
        assert_eq!(usecs_per_op(text), Some(4.946115));
        assert_eq!(usecs_per_op("no figures"), None);
    }

    fn spread(p10: f64, median: f64, p90: f64) -> Summary {
        let mut summary = Summary::of(&[median]).unwrap();
        (summary.p10, summary.p90) = (p10, p90);
        summary
    }

    #[test]
    fn pinned_agreement_is_the_medians_within_a_quarter_either_way() {
        assert!(row("threads", true, spread(2000.0, 2400.0, 2500.0), 2000.0).agrees);
        assert!(!row("threads", true, spread(2000.0, 2600.0, 2700.0), 2000.0).agrees);
        assert!(!row("threads", true, spread(1300.0, 1400.0, 1500.0), 2000.0).agrees);
    }

    #[test]
    fn unpinned_agreement_is_perf_within_the_spread() {
        // Batches on one CPU (2 µs) and on two (7 µs); perf happened to run on two.
        assert!(row("threads", false, spread(2100.0, 2200.0, 7300.0), 7100.0).agrees);
        assert!(!row("threads", false, spread(2100.0, 2200.0, 2400.0), 7100.0).agrees);
    }
}
