//! What the lab reports: one row per live worker, the process's shared addresses, and the
//! commands and events that pass between the lab and whoever drives it.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The lab's own number for a worker, stable for its life (unlike OS ids, never reused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WorkerId(pub u32);

/// A worker thread in ProcLab's process, or a child process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkerKind {
    Thread,
    Process,
}

/// The scheduling state the OS reports for a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OsState {
    /// On a CPU or waiting for one.
    Running,
    /// Waiting for an event (a timer, a message), interruptibly.
    Sleeping,
    /// Waiting uninterruptibly, usually for I/O.
    Blocked,
    /// Stopped by a signal or a debugger.
    Stopped,
    /// Finished but not yet reaped by its parent.
    Zombie,
    /// Gone.
    Exited,
    /// This system does not say.
    Unknown,
}

impl OsState {
    /// From the one-letter state in Linux's `/proc/<pid>/stat`.
    pub fn from_linux_letter(letter: char) -> Self {
        match letter {
            'R' => OsState::Running,
            'S' | 'I' => OsState::Sleeping,
            'D' => OsState::Blocked,
            'T' | 't' => OsState::Stopped,
            'Z' => OsState::Zombie,
            'X' => OsState::Exited,
            _ => OsState::Unknown,
        }
    }
}

/// Where a worker's memory probe lives and what it holds, as the worker itself saw it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryReport {
    /// Address of a local variable on the worker's own stack.
    pub stack_addr: usize,
    /// Address of the probe's heap object (for a thread: the one all threads share).
    pub heap_addr: usize,
    /// Address of a heap block the worker allocated itself, on its own thread.
    pub own_heap_addr: usize,
    /// Address of the probe's static variable.
    pub static_addr: usize,
    /// The heap object's value, read by the worker.
    pub heap_value: u64,
    /// The static's value, read by the worker.
    pub static_value: u64,
}

/// What the OS says about a task right now. Fields are `None` where the OS does not say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsSample {
    pub state: Option<OsState>,
    /// User plus system CPU time.
    pub cpu_time: Option<Duration>,
    /// Times it gave up the CPU itself (to sleep or wait).
    pub voluntary_switches: Option<u64>,
    /// Times the scheduler took the CPU away.
    pub involuntary_switches: Option<u64>,
    /// Resident memory of the whole process (processes only).
    pub resident_bytes: Option<u64>,
    /// Time spent waiting in a run queue for a CPU (Linux's schedstat).
    pub run_delay: Option<Duration>,
}

/// How a task spent the last sampling interval, from the kernel's accounting.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CpuShare {
    /// Fraction of the interval on a CPU, 0 to 1.
    pub on_cpu: f64,
    /// Fraction of the interval runnable but waiting for a CPU, 0 to 1.
    pub waiting: f64,
}

impl CpuShare {
    /// The share between two samples of one task taken `interval` apart; `None` when the OS
    /// gives no schedstat or no time passed.
    pub fn between(before: &OsSample, after: &OsSample, interval: Duration) -> Option<Self> {
        let nanos = interval.as_nanos() as f64;
        if nanos <= 0.0 {
            return None;
        }
        let delta = |a: Option<Duration>, b: Option<Duration>| -> Option<f64> {
            Some(b?.saturating_sub(a?).as_nanos() as f64 / nanos)
        };
        Some(Self {
            on_cpu: delta(before.cpu_time, after.cpu_time)?.min(1.0),
            waiting: delta(before.run_delay, after.run_delay)?.min(1.0),
        })
    }
}

/// How hard workers work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Load {
    /// Blocked on their orders, using no CPU: workers never compete, and nothing about
    /// them changes until they are told something.
    #[default]
    Parked,
    /// Computation without pause (at a raised nice value, so that the app's window stays
    /// responsive): more workers than cores compete for the CPUs and take turns.
    CpuBound,
}

/// Which region of its process's memory map an address falls in, where it was looked up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeapRegions {
    /// The region holding the probe's heap object.
    pub heap: Option<super::memory_map::Part>,
    /// The region holding the worker's own heap block.
    pub own_heap: Option<super::memory_map::Part>,
}

/// One live worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerRow {
    pub id: WorkerId,
    pub kind: WorkerKind,
    /// The OS id: the thread id (TID) of a thread, the process id (PID) of a process.
    pub os_id: u32,
    pub name: String,
    pub os: OsSample,
    /// How the worker spent the last sampling interval (`None` before the second sample).
    pub share: Option<CpuShare>,
    pub memory: MemoryReport,
    /// Where its heap addresses lie in its process's memory map.
    pub regions: HeapRegions,
}

/// The whole registry at one moment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LabSnapshot {
    /// ProcLab's own process id.
    pub pid: u32,
    /// The probe as ProcLab's own process holds it: what its threads share.
    pub shared: MemoryReport,
    /// Where the shared heap object lies in ProcLab's memory map.
    pub shared_heap_region: Option<super::memory_map::Part>,
    pub workers: Vec<WorkerRow>,
    /// The last write whose re-reads have all come back: every row read after it.
    pub last_write: Option<Write>,
    /// How hard the workers work.
    pub load: Load,
}

/// A completed write: who wrote which value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Write {
    pub writer: WorkerId,
    pub value: u64,
}

impl LabSnapshot {
    /// The workers of one kind.
    pub fn of_kind(&self, kind: WorkerKind) -> impl Iterator<Item = &WorkerRow> {
        self.workers.iter().filter(move |w| w.kind == kind)
    }
}

/// What the lab can be asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabCommand {
    /// Start this many more worker threads.
    StartThreads(u32),
    /// Start this many more child processes.
    StartProcesses(u32),
    /// Have this worker write `value` into its probe (the shared heap object and static for
    /// a thread; its own copies for a process), then have every worker read them again.
    WriteFrom { worker: WorkerId, value: u64 },
    /// Stop, join and reap every worker.
    StopAll,
    /// Read the executable's sections and the process's regions, naming worker stacks.
    ReadMemoryMap,
    /// Set how hard every worker works, those running and those started later.
    SetLoad(Load),
}

/// What the lab reports.
#[derive(Debug, Clone, PartialEq)]
pub enum LabEvent {
    /// The registry changed or was refreshed.
    Snapshot(LabSnapshot),
    /// A request was refused; nothing was started or changed.
    Refused(super::error::LabError),
    /// Something failed: a request (what it had started was stopped again), or a worker that
    /// ended on its own and has been reaped.
    Failed(super::error::LabError),
    /// Program against process, as read just now.
    MemoryMap(Box<super::memory_map::MemoryMap>),
}
