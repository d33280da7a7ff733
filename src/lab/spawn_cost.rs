//! Creation cost, both halves: how long starting and finishing an empty thread takes against
//! an empty child process, and what each costs in memory. The child half is worker mode's
//! `noop` role, which exits at once.
//!
//! Thread and process samples alternate inside one run, after a warm-up, so that both meet
//! the same machine state; the result is a median with its spread, never one number.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::os::Machine;
use super::registry::Wake;
use super::stats::Summary;

/// Samples taken when none are asked for.
pub const DEFAULT_SAMPLES: u32 = 200;

/// Rounds run and thrown away before measuring (caches, page faults, the loader).
pub const WARM_UP: u32 = 10;

/// Parked threads started to measure memory per thread (the figure is their mean).
pub const THREAD_MEMORY_PROBES: usize = 8;

/// Idle processes started to measure memory per process (the figure is their median).
pub const PROCESS_MEMORY_PROBES: usize = 3;

/// Memory one thread or one process costs, as the OS counts it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MemoryCost {
    /// Resident memory (pages actually in RAM).
    pub resident_bytes: f64,
    /// Virtual address space reserved.
    pub virtual_bytes: f64,
}

/// The result of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpawnCost {
    pub machine: Machine,
    /// Spawn plus join of an empty thread, in nanoseconds.
    pub thread_spawn_ns: Summary,
    /// Spawn plus wait of this program re-executed in its `noop` worker mode, in nanoseconds.
    pub process_spawn_ns: Summary,
    /// Per thread: the growth of this process when parked threads are added.
    pub thread_memory: Option<MemoryCost>,
    /// Per process: a fresh idle worker process as a whole (it shares library pages with
    /// other processes, which the OS counts in each).
    pub process_memory: Option<MemoryCost>,
}

impl SpawnCost {
    /// How many times longer a process took than a thread, by median.
    pub fn ratio(&self) -> f64 {
        self.process_spawn_ns.median / self.thread_spawn_ns.median.max(1.0)
    }
}

/// Measures `samples` rounds (each one thread and one process) after a warm-up. `progress`
/// hears (done, total) now and then; setting `cancel` stops early with what was measured.
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
    // A cancelled run reports its timings without spending more time on memory.
    let cancelled = cancel.load(Ordering::Relaxed);
    Ok(SpawnCost {
        machine: Machine::describe(),
        thread_spawn_ns: summary(&threads)?,
        process_spawn_ns: summary(&processes)?,
        thread_memory: (!cancelled).then(thread_memory_cost).flatten(),
        process_memory: (!cancelled)
            .then(|| process_memory_cost(worker_exe))
            .flatten(),
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

fn noop_command(worker_exe: &Path) -> Command {
    let mut command = Command::new(worker_exe);
    command
        .args([
            "worker",
            "noop",
            "--parent",
            &std::process::id().to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn time_process(worker_exe: &Path) -> io::Result<Duration> {
    let start = Instant::now();
    let status = noop_command(worker_exe).status()?;
    let took = start.elapsed();
    if !status.success() {
        return Err(io::Error::other(format!(
            "{} worker noop failed: {status}",
            worker_exe.display()
        )));
    }
    Ok(took)
}

/// Resident and virtual size of a process, from `/proc/<pid>/status`.
fn process_size(pid: u32) -> Option<MemoryCost> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = |key: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        let value: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(value * 1024.0)
    };
    Some(MemoryCost {
        resident_bytes: kib("VmRSS:")?,
        virtual_bytes: kib("VmSize:")?,
    })
}

/// Adds parked threads to this process and divides its growth by their number.
fn thread_memory_cost() -> Option<MemoryCost> {
    let before = process_size(std::process::id())?;
    let (release, parked) = crossbeam_channel::bounded::<()>(0);
    let (ready, ready_rx) = crossbeam_channel::bounded::<()>(THREAD_MEMORY_PROBES);
    let mut handles = Vec::new();
    for _ in 0..THREAD_MEMORY_PROBES {
        let parked = parked.clone();
        let ready = ready.clone();
        // A parked thread touches its stack once, as any real thread does.
        let spawned = std::thread::Builder::new().spawn(move || {
            let _ = ready.send(());
            let _ = parked.recv();
        });
        handles.extend(spawned.ok());
    }
    for _ in 0..handles.len() {
        let _ = ready_rx.recv_timeout(Duration::from_secs(2));
    }
    let after = process_size(std::process::id());
    drop(release);
    let count = handles.len().max(1) as f64;
    for handle in handles {
        let _ = handle.join();
    }
    let after = after?;
    Some(MemoryCost {
        resident_bytes: (after.resident_bytes - before.resident_bytes).max(0.0) / count,
        virtual_bytes: (after.virtual_bytes - before.virtual_bytes).max(0.0) / count,
    })
}

/// The size of fresh idle worker processes, by median.
fn process_memory_cost(worker_exe: &Path) -> Option<MemoryCost> {
    let mut resident = Vec::new();
    let mut virtual_size = Vec::new();
    for _ in 0..PROCESS_MEMORY_PROBES {
        let (up, is_up) = crossbeam_channel::bounded(1);
        let mut child =
            super::child::ChildProcess::spawn(worker_exe, super::process_worker::ROLE, move |_| {
                let _ = up.try_send(());
            })
            .ok()?;
        // Its first report means it is up and running.
        is_up.recv_timeout(Duration::from_secs(5)).ok()?;
        if let Some(size) = process_size(child.pid()) {
            resident.push(size.resident_bytes);
            virtual_size.push(size.virtual_bytes);
        }
        child.request_stop();
        let _ = child.stop(Instant::now() + Duration::from_millis(300));
    }
    Some(MemoryCost {
        resident_bytes: Summary::of(&resident)?.median,
        virtual_bytes: Summary::of(&virtual_size)?.median,
    })
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
