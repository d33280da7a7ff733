//! `proclab bench trace`: what recording lock events costs. Threads contend for one mutex,
//! each taking it, adding one and letting go, once bare and once recording "asked", "got" and
//! "let go" into its own log as the deadlock and timeline runs do; ns per lock operation, in
//! alternating rounds after a warm-up round, so that both meet the same machine.

use std::io::Write;
use std::process::ExitCode;
use std::sync::{Barrier, Mutex};
use std::time::Instant;

use serde::Serialize;

use crate::lab::stats::Summary;
use crate::lab::trace::{EventKind, ThreadLog};

const THREADS: usize = 4;
const OPERATIONS: usize = 200_000;

#[derive(Serialize)]
struct TraceCost {
    threads: usize,
    operations_per_thread: usize,
    rounds: usize,
    bare_ns_per_op: Summary,
    recorded_ns_per_op: Summary,
    /// Median recorded over median bare, minus one, in percent.
    overhead_percent: f64,
}

/// One round: every thread takes the lock `OPERATIONS` times; ns per operation overall.
fn round(record: bool) -> f64 {
    let origin = Instant::now();
    let logs: Vec<ThreadLog> = (0..THREADS)
        .map(|_| ThreadLog::new(if record { OPERATIONS * 3 } else { 0 }, origin))
        .collect();
    let count = Mutex::new(0u64);
    let start = Barrier::new(THREADS + 1);
    let took = std::thread::scope(|scope| {
        for log in &logs {
            let (count, start) = (&count, &start);
            scope.spawn(move || {
                start.wait();
                for _ in 0..OPERATIONS {
                    if record {
                        log.record(EventKind::Requested, 0);
                    }
                    if let Ok(mut n) = count.lock() {
                        if record {
                            log.record(EventKind::Acquired, 0);
                        }
                        *n += 1;
                        if record {
                            log.record(EventKind::Released, 0);
                        }
                    }
                }
            });
        }
        start.wait();
        Instant::now()
    });
    took.elapsed().as_nanos() as f64 / (THREADS * OPERATIONS) as f64
}

/// Runs the benchmark and prints a line, or JSON.
pub fn run_trace_bench(
    rounds: usize,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let (mut bare, mut recorded) = (Vec::new(), Vec::new());
    for index in 0..=rounds {
        let (b, r) = (round(false), round(true));
        if index > 0 {
            bare.push(b);
            recorded.push(r);
        }
    }
    let summary = |v: &[f64]| Summary::of(v).ok_or_else(|| anyhow::anyhow!("no rounds"));
    let (bare, recorded) = (summary(&bare)?, summary(&recorded)?);
    let result = TraceCost {
        threads: THREADS,
        operations_per_thread: OPERATIONS,
        rounds,
        overhead_percent: (recorded.median / bare.median - 1.0) * 100.0,
        bare_ns_per_op: bare,
        recorded_ns_per_op: recorded,
    };
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&result)?)?;
    } else {
        writeln!(
            out,
            "Contended mutex, {THREADS} threads x {OPERATIONS} lock operations, {rounds} rounds \
             after a warm-up; ns per operation (median, p10, p90)"
        )?;
        for (name, s) in [
            ("bare", &result.bare_ns_per_op),
            ("recorded", &result.recorded_ns_per_op),
        ] {
            writeln!(
                out,
                "{name:<10} {:>8.1} {:>8.1} {:>8.1}",
                s.median, s.p10, s.p90
            )?;
        }
        writeln!(
            out,
            "recording adds {:.1}% to the median",
            result.overhead_percent
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
