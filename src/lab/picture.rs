//! A picture a report can carry beside its figures, drawn from what the run really saw: the
//! wait-for graph of a deadlock, or the processes of a crash demo with their threads.

use serde::Serialize;

use super::deadlock::WaitForGraph;
use super::experiment::Words;

/// What the picture shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Picture {
    WaitFor(WaitForPicture),
    Crashes(Vec<CrashPicture>),
}

/// Threads and locks as nodes, "holds" and "waits for" as arrows, the cycle highlighted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaitForPicture {
    /// The graph when the cycle was found.
    pub graph: WaitForGraph,
    /// The report's timeline lanes that are these threads, so that the graph can be drawn
    /// again at any moment of the run.
    pub lanes: Vec<usize>,
    /// The child process was killed and reaped, nothing left.
    pub recovered: bool,
}

/// One crash scenario: the crashing process and its sibling, thread by thread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrashPicture {
    pub scenario: Words,
    /// How the crashing process ended (`SIGSEGV`, `exit code 0`).
    pub exit: String,
    pub ended_by_crash: bool,
    /// Threads of each process before the crash and after it, as the kernel counts them.
    pub threads_before: u32,
    pub threads_after: u32,
    pub sibling_threads: u32,
    pub sibling_survived: bool,
}
