//! The caps on what the lab runs at once, and how long stopping may take.

use std::time::Duration;

/// Worker threads alive at once (from the crate's one list of limits).
pub const MAX_THREADS: u32 = *crate::limits::THREADS.end();

/// Child processes alive at once.
pub const MAX_PROCESSES: u32 = *crate::limits::PROCESSES.end();

/// How long stopping every worker may take before the lab kills what is left.
pub const STOP_DEADLINE: Duration = Duration::from_millis(800);

/// How often the lab reads the OS's figures for its workers.
pub const SAMPLE_INTERVAL: Duration = Duration::from_millis(500);

/// A CPU-bound worker looks for orders once per slice, and a CPU-bound child checks its
/// parent once per period.
pub const WORK_SLICE: Duration = Duration::from_millis(1);
pub const WORK_PERIOD: Duration = Duration::from_millis(100);

/// The nice value CPU-bound workers take, so that the app's own window stays responsive while
/// they compete with each other (a raised nice value is allowed without privileges).
pub const CPU_BOUND_NICE: i32 = 10;
