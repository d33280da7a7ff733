//! Documented bounds on every count a lesson file may ask for.
//!
//! A lesson cannot ask for an unbounded amount of work: values outside these ranges are
//! reported at their line and column when the file is loaded.

use std::ops::RangeInclusive;

pub use crate::limits::{
    CONTENTION_MILLIS, INCREMENTS, PROCESSES, RACE_THREADS, RUNS, SAMPLES, SCENE_THREADS, THREADS,
};

/// Largest lesson file ProcLab reads, in bytes. Real lessons are a few tens of KiB.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Choices one quiz question may offer.
pub const CHOICES: RangeInclusive<usize> = 2..=8;

/// Stack frames a memory-layout diagram may allow before it overflows.
pub const STACK_LIMIT: RangeInclusive<u32> = 3..=12;
