//! `proclab bench trace`: what recording lock events costs. Threads contend for one mutex,
//! each taking it, adding one and letting go: bare; recording "asked", "got" and "let go"
//! (three clock readings, two of them inside the lock) as the deadlock ring does; and with one
//! reading per turn taken after letting go, as the locks family's timeline does (the
//! acquisitions are then inferred from the lock's own order). ns per lock operation, the three
//! in turn, round after round after a warm-up round, so that all meet the same machine.

use std::io::Write;
use std::process::ExitCode;
use std::sync::{Barrier, Mutex};
use std::time::Instant;

use serde::Serialize;

use crate::lab::stats::Summary;
use crate::lab::trace::{EventKind, ThreadLog};

const THREADS: usize = 4;
const OPERATIONS: usize = 200_000;

/// How a round records.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Recording {
    Bare,
    /// Asked before the lock, got and let go inside it.
    EveryStep,
    /// One reading after letting go, with the lock's count (read inside it, no clock).
    OnePerTurn,
}

#[derive(Serialize)]
struct TraceCost {
    threads: usize,
    operations_per_thread: usize,
    rounds: usize,
    bare_ns_per_op: Summary,
    every_step_ns_per_op: Summary,
    one_per_turn_ns_per_op: Summary,
    /// Each recorded median over the bare median, minus one, in percent.
    every_step_overhead_percent: f64,
    one_per_turn_overhead_percent: f64,
}

/// One thread's turns under `recording`.
fn turns(log: &ThreadLog, count: &Mutex<u64>, recording: Recording) {
    let every_step = recording == Recording::EveryStep;
    for _ in 0..OPERATIONS {
        if every_step {
            log.record(EventKind::Requested, 0);
        }
        let mut order = 0;
        if let Ok(mut n) = count.lock() {
            if every_step {
                log.record(EventKind::Acquired, 0);
            }
            *n += 1;
            order = *n;
            if every_step {
                log.record(EventKind::Released, 0);
            }
        }
        if recording == Recording::OnePerTurn {
            log.record(EventKind::Released, order as u32);
        }
    }
}

/// One round: every thread takes the lock `OPERATIONS` times; ns per operation overall.
fn round(recording: Recording) -> f64 {
    let origin = Instant::now();
    let room = match recording {
        Recording::Bare => 0,
        Recording::EveryStep | Recording::OnePerTurn => OPERATIONS * 3,
    };
    let logs: Vec<ThreadLog> = (0..THREADS).map(|_| ThreadLog::new(room, origin)).collect();
    let count = Mutex::new(0u64);
    let start = Barrier::new(THREADS + 1);
    let took = std::thread::scope(|scope| {
        for log in &logs {
            let (count, start) = (&count, &start);
            scope.spawn(move || {
                start.wait();
                turns(log, count, recording);
            });
        }
        start.wait();
        Instant::now()
    });
    took.elapsed().as_nanos() as f64 / (THREADS * OPERATIONS) as f64
}

/// Runs the benchmark and prints a table, or JSON.
pub fn run_trace_bench(
    rounds: usize,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let kinds = [Recording::Bare, Recording::EveryStep, Recording::OnePerTurn];
    let mut taken = [Vec::new(), Vec::new(), Vec::new()];
    for index in 0..=rounds {
        for (samples, kind) in taken.iter_mut().zip(kinds) {
            let ns = round(kind);
            if index > 0 {
                samples.push(ns);
            }
        }
    }
    let summary = |v: &[f64]| Summary::of(v).ok_or_else(|| anyhow::anyhow!("no rounds"));
    let [bare, every, one] = [
        summary(&taken[0])?,
        summary(&taken[1])?,
        summary(&taken[2])?,
    ];
    let overhead = |s: &Summary| (s.median / bare.median - 1.0) * 100.0;
    let result = TraceCost {
        threads: THREADS,
        operations_per_thread: OPERATIONS,
        rounds,
        every_step_overhead_percent: overhead(&every),
        one_per_turn_overhead_percent: overhead(&one),
        bare_ns_per_op: bare,
        every_step_ns_per_op: every,
        one_per_turn_ns_per_op: one,
    };
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&result)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "Contended mutex, {THREADS} threads x {OPERATIONS} lock operations, {rounds} rounds after \
         a warm-up; ns per operation"
    )?;
    writeln!(
        out,
        "{:<34} {:>8} {:>8} {:>8} {:>9}",
        "", "median", "p10", "p90", "extra"
    )?;
    let rows = [
        ("bare", &result.bare_ns_per_op, None),
        (
            "every step (3 readings, 2 inside)",
            &result.every_step_ns_per_op,
            Some(result.every_step_overhead_percent),
        ),
        (
            "one reading per turn, after it",
            &result.one_per_turn_ns_per_op,
            Some(result.one_per_turn_overhead_percent),
        ),
    ];
    for (name, s, extra) in rows {
        let extra = extra.map_or(String::new(), |e| format!("{e:+.1}%"));
        writeln!(
            out,
            "{name:<34} {:>8.1} {:>8.1} {:>8.1} {extra:>9}",
            s.median, s.p10, s.p90
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
