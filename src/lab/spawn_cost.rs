//! Creation cost, both halves: how long starting and finishing an empty thread takes against
//! starting and finishing a child process, and how much private memory each adds.
//!
//! The child is started the way `std::process::Command` starts any program: on Linux with
//! glibc that is `posix_spawn`, a vfork-style clone that borrows the parent's memory until it
//! calls exec. Nothing is forked, no page table is copied and no page is shared
//! copy-on-write; the figure is clone + exec of this program + its start-up and exit + wait.
//!
//! Thread and process samples alternate inside one run, after a warm-up, so that both meet
//! the same machine state; the result is a median with its spread, never one number. Memory is
//! measured the same way for both, in fresh child processes (the `thread-memory` worker role,
//! below): the unique set size of an idle process, and how much it grows per parked thread.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::child::{ChildProcess, worker_command};
use super::os::{self, Machine};
use super::registry::Wake;
use super::stats::Summary;

/// Samples taken when none are asked for.
pub const DEFAULT_SAMPLES: u32 = 200;

/// Rounds run and thrown away before measuring (caches, page faults, the loader).
pub const WARM_UP: u32 = 10;

/// Parked threads each memory probe adds to its fresh process.
pub const THREADS_PER_MEMORY_PROBE: u32 = 8;

/// Fresh processes started to measure memory (each gives one sample of both figures).
pub const MEMORY_PROBES: u32 = 7;

/// The worker-mode role of the memory probe's child half.
pub const MEMORY_ROLE: &str = "thread-memory";

/// The result of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpawnCost {
    pub machine: Machine,
    /// Spawn plus join of an empty thread, in nanoseconds.
    pub thread_spawn_ns: Summary,
    /// posix_spawn (clone + exec) of this program in its `noop` worker mode, plus its start-up
    /// and exit, plus wait, in nanoseconds.
    pub process_spawn_ns: Summary,
    /// Process time over thread time, round by round (the rounds alternate, so each pair met
    /// the same machine state).
    pub ratio: Summary,
    /// Unique set size (private memory) that one parked thread adds to a fresh process, in
    /// bytes; `None` where the OS does not say, or when cancelled.
    pub thread_unique_bytes: Option<Summary>,
    /// Unique set size of a fresh idle process of this program, in bytes.
    pub process_unique_bytes: Option<Summary>,
}

/// Measures `samples` rounds (each one thread and one process) after a warm-up, then the
/// memory figures. `progress` hears (done, total) now and then; setting `cancel` stops early
/// with what was measured.
pub fn measure(
    worker_exe: &Path,
    samples: u32,
    cancel: &AtomicBool,
    mut progress: impl FnMut(u32, u32),
) -> io::Result<SpawnCost> {
    let mut threads = Vec::with_capacity(samples as usize);
    let mut processes = Vec::with_capacity(samples as usize);
    let total = WARM_UP + samples;
    for round in 0..total {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let thread = time_thread()?;
        let process = time_process(worker_exe)?;
        if round >= WARM_UP {
            threads.push(thread.as_nanos() as f64);
            processes.push(process.as_nanos() as f64);
        }
        if round % 10 == 9 || round + 1 == total {
            progress(round + 1, total);
        }
    }
    let summary = |values: &[f64]| {
        Summary::of(values).ok_or_else(|| io::Error::other("cancelled before any sample"))
    };
    let ratios: Vec<f64> = processes
        .iter()
        .zip(&threads)
        .map(|(process, thread)| process / thread.max(1.0))
        .collect();
    let memory = memory_cost(worker_exe, cancel);
    Ok(SpawnCost {
        machine: Machine::describe(),
        thread_spawn_ns: summary(&threads)?,
        process_spawn_ns: summary(&processes)?,
        ratio: summary(&ratios)?,
        thread_unique_bytes: memory.as_ref().and_then(|m| Summary::of(&m.per_thread)),
        process_unique_bytes: memory.as_ref().and_then(|m| Summary::of(&m.per_process)),
    })
}

fn time_thread() -> io::Result<Duration> {
    let start = Instant::now();
    let handle = std::thread::Builder::new().spawn(|| {})?;
    handle
        .join()
        .map_err(|_| io::Error::other("an empty thread panicked"))?;
    Ok(start.elapsed())
}

fn time_process(worker_exe: &Path) -> io::Result<Duration> {
    let mut command: Command = worker_command(worker_exe, "noop");
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let start = Instant::now();
    let status = command.status()?;
    let took = start.elapsed();
    if !status.success() {
        return Err(io::Error::other(format!(
            "{} worker noop failed: {status}",
            worker_exe.display()
        )));
    }
    Ok(took)
}

/// One memory probe's report: a fresh process's unique set size, idle and with parked threads.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct MemoryReport {
    idle_bytes: u64,
    with_threads_bytes: u64,
    threads: u32,
}

/// Samples of both memory figures, one per fresh process.
struct MemorySamples {
    per_thread: Vec<f64>,
    per_process: Vec<f64>,
}

/// Starts [`MEMORY_PROBES`] fresh children one after another; `None` when the OS gives no
/// unique set size or the run is cancelled before any sample.
fn memory_cost(worker_exe: &Path, cancel: &AtomicBool) -> Option<MemorySamples> {
    let mut samples = MemorySamples {
        per_thread: Vec::new(),
        per_process: Vec::new(),
    };
    for _ in 0..MEMORY_PROBES {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let report = probe_memory(worker_exe)?;
        let growth = report.with_threads_bytes.saturating_sub(report.idle_bytes);
        samples
            .per_thread
            .push(growth as f64 / f64::from(report.threads.max(1)));
        samples.per_process.push(report.idle_bytes as f64);
    }
    (!samples.per_process.is_empty()).then_some(samples)
}

/// The parent's half: one fresh child, its one report, and the child reaped.
fn probe_memory(worker_exe: &Path) -> Option<MemoryReport> {
    let (send, report) = crossbeam_channel::bounded(1);
    let child = ChildProcess::spawn(worker_exe, MEMORY_ROLE, move |line| {
        if let Ok(parsed) = serde_json::from_str::<MemoryReport>(&line) {
            let _ = send.try_send(parsed);
        }
    })
    .ok()?;
    let report = report.recv_timeout(Duration::from_secs(5)).ok();
    let _ = child.stop(Instant::now() + Duration::from_millis(300));
    report
}

/// The child's half: report this fresh process's unique set size, then how much it grows
/// when [`THREADS_PER_MEMORY_PROBE`] parked threads are added, and exit (which ends them).
///
/// One thread is started and parked before the second reading, so that what a process pays
/// once, on its first thread (the thread machinery's own set-up, the readings' buffers), is
/// not charged to every thread: the figure is what one more thread costs.
pub fn run_memory_child() -> io::Result<()> {
    let unavailable = || io::Error::other("this system gives no unique set size");
    let usage = || os::unique_set_size(std::process::id()).ok_or_else(unavailable);
    let idle_bytes = usage()?;
    let (release, parked) = crossbeam_channel::bounded::<()>(0);
    let mut threads = ParkedThreads::default();
    threads.add(1, &parked)?;
    let before = usage()?;
    threads.add(THREADS_PER_MEMORY_PROBE, &parked)?;
    let after = usage()?;
    let report = MemoryReport {
        idle_bytes,
        with_threads_bytes: idle_bytes + after.saturating_sub(before),
        threads: THREADS_PER_MEMORY_PROBE,
    };
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{}",
        serde_json::to_string(&report).map_err(io::Error::other)?
    )?;
    out.flush()?;
    drop(release);
    threads.join();
    Ok(())
}

/// Threads that have started, touched their stacks and wait for their channel to close.
#[derive(Default)]
struct ParkedThreads(Vec<JoinHandle<()>>);

impl ParkedThreads {
    /// Starts `count` more and returns once every one of them is parked.
    fn add(&mut self, count: u32, parked: &crossbeam_channel::Receiver<()>) -> io::Result<()> {
        let (ready, all_ready) = crossbeam_channel::bounded::<()>(count as usize);
        for _ in 0..count {
            let (parked, ready) = (parked.clone(), ready.clone());
            self.0.push(std::thread::Builder::new().spawn(move || {
                let _ = ready.send(());
                let _ = parked.recv();
            })?);
        }
        for _ in 0..count {
            let _ = all_ready.recv_timeout(Duration::from_secs(2));
        }
        Ok(())
    }

    fn join(self) {
        for handle in self.0 {
            let _ = handle.join();
        }
    }
}

/// A measurement running on its own thread, with progress and cancel, for the app.
pub struct SpawnCostJob {
    done: Arc<AtomicU32>,
    total: u32,
    cancel: Arc<AtomicBool>,
    result: crossbeam_channel::Receiver<io::Result<SpawnCost>>,
    handle: Option<JoinHandle<()>>,
}

impl SpawnCostJob {
    /// Starts measuring; `wake` is called on progress and at the end.
    pub fn start(worker_exe: PathBuf, samples: u32, wake: Option<Wake>) -> io::Result<Self> {
        let done = Arc::new(AtomicU32::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let (send, result) = crossbeam_channel::bounded(1);
        let (done_in, cancel_in) = (Arc::clone(&done), Arc::clone(&cancel));
        let handle = std::thread::Builder::new()
            .name("spawn-cost".into())
            .spawn(move || {
                let outcome = measure(&worker_exe, samples, &cancel_in, |finished, _| {
                    done_in.store(finished, Ordering::Relaxed);
                    if let Some(wake) = &wake {
                        wake();
                    }
                });
                let _ = send.send(outcome);
                if let Some(wake) = &wake {
                    wake();
                }
            })?;
        Ok(Self {
            done,
            total: WARM_UP + samples,
            cancel,
            result,
            handle: Some(handle),
        })
    }

    /// Rounds finished and rounds in all (warm-up included).
    pub fn progress(&self) -> (u32, u32) {
        (self.done.load(Ordering::Relaxed), self.total)
    }

    /// Asks the measurement to stop after the current round.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The outcome, once the measurement has finished.
    pub fn try_result(&mut self) -> Option<io::Result<SpawnCost>> {
        let outcome = self.result.try_recv().ok()?;
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
        Some(outcome)
    }
}

impl Drop for SpawnCostJob {
    fn drop(&mut self) {
        self.cancel();
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}
