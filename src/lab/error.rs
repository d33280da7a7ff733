//! Everything that can go wrong in the lab, typed once. The English sentences here are for the
//! command line and logs; the app turns each error into the user's language in one place
//! (`ui::lab_errors`).

use super::model::WorkerKind;

/// A refused request or a failure in the lab.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabError {
    /// A request would pass a cap; nothing was started.
    #[error(
        "asked for {asked} more {} with {running} running: at most {cap} {} can run at once, so none were started",
        plural(*kind),
        plural(*kind)
    )]
    OverCap {
        kind: WorkerKind,
        asked: u32,
        running: usize,
        cap: u32,
    },
    /// An order named a worker that is not running.
    #[error("there is no worker {0}")]
    NoSuchWorker(u32),
    /// Starting a worker failed; those started for the same request were stopped again.
    #[error("could not start a {}: {reason}", singular(*kind))]
    StartFailed { kind: WorkerKind, reason: String },
    /// A child process ended without being asked to.
    #[error("child process {pid} ended on its own ({status})")]
    ChildEnded { pid: u32, status: String },
    /// A child process never sent its first report and was killed.
    #[error(
        "child process {pid} did not report within {seconds} s (is {program} a ProcLab program?)"
    )]
    ChildSilent {
        pid: u32,
        seconds: u64,
        program: String,
    },
    /// A worker thread ended without being asked to (it panicked).
    #[error("thread {tid} ended unexpectedly")]
    ThreadEnded { tid: u32 },
    /// The executable's sections could not be read.
    #[error("could not read the program's sections: {0}")]
    MemoryMap(String),
    /// ProcLab could not find its own executable to start children from.
    #[error("ProcLab cannot find its own program file")]
    NoProgramFile,
    /// The lab's supervisor thread could not start.
    #[error("the lab could not start: {0}")]
    LabStart(String),
    /// A measurement could not start or failed part-way.
    #[error("the measurement failed: {0}")]
    Measurement(String),
    /// A measurement was asked for a parameter it does not take.
    #[error("{family} takes no parameter {name:?}")]
    UnknownParam { family: &'static str, name: String },
    /// A parameter outside its documented bounds; nothing was run.
    #[error("{name} = {value} is out of range; allowed {low}..={high}")]
    OutOfRange {
        name: &'static str,
        value: u32,
        low: u32,
        high: u32,
    },
    /// The run was cancelled before it measured anything.
    #[error("cancelled before any sample")]
    Cancelled,
    /// The operating system would not let ProcLab trace its own child.
    #[error("ProcLab may not trace its own child: {0}")]
    Untraceable(crate::lab::stepped::Refusal),
    /// A stepping schedule that does not parse.
    #[error("{0}")]
    Schedule(crate::lab::stepped::ScheduleError),
    /// No measurement family has this name.
    #[error("there is no measurement called {0:?}")]
    UnknownFamily(String),
}

impl LabError {
    /// A measurement that failed for `reason` (an I/O error, say), as every family reports it.
    pub fn measurement(reason: impl std::fmt::Display) -> Self {
        LabError::Measurement(reason.to_string())
    }
}

fn singular(kind: WorkerKind) -> &'static str {
    match kind {
        WorkerKind::Thread => "thread",
        WorkerKind::Process => "child process",
    }
}

fn plural(kind: WorkerKind) -> &'static str {
    match kind {
        WorkerKind::Thread => "threads",
        WorkerKind::Process => "processes",
    }
}
