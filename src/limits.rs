//! The one source of every bound on what ProcLab may be asked to run: lesson files, the
//! command line, the app's fields and the lab all read their limits from here, so that a count
//! one of them accepts is never refused by another (a test ties them together).

use std::ops::RangeInclusive;

/// Worker threads alive at once, and that one experiment may start. Enough for every lesson,
/// few enough for a 2-core laptop.
pub const THREADS: RangeInclusive<u32> = 1..=64;

/// Child processes alive at once, and that one experiment may start.
pub const PROCESSES: RangeInclusive<u32> = 1..=16;

/// Measured samples one measurement takes (after its warm-up): enough for a median and a
/// p90 to mean something, few enough to finish in seconds.
pub const SAMPLES: RangeInclusive<u32> = 10..=10_000;

/// Threads a threads-in-process diagram draws as columns (simulated or live).
pub const SCENE_THREADS: RangeInclusive<u32> = 1..=8;

/// Threads that race on one counter, or contend for one lock.
pub const RACE_THREADS: RangeInclusive<u32> = 2..=16;

/// Threads stepped one instruction at a time: enough for every interleaving worth showing,
/// few enough that each thread's listing and registers fit side by side.
pub const STEPPED_THREADS: RangeInclusive<u32> = 2..=4;

/// Increments each racing thread makes per run.
pub const INCREMENTS: RangeInclusive<u32> = 1..=10_000_000;

/// Times a race (or a lock comparison) is repeated to see its spread.
pub const RUNS: RangeInclusive<u32> = 1..=100;

/// How long each lock is contended in the fairness experiment, in milliseconds.
pub const CONTENTION_MILLIS: RangeInclusive<u32> = 50..=5_000;
