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

use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::child::{ChildProcess, to_parent, worker_command};
use super::error::LabError;
use super::experiment::{Family, Figure, Job, Param, Params, Report, Unit, Words};
use super::os::{self, Machine};
use super::stats::Summary;

/// Rounds run and thrown away before measuring (caches, page faults, the loader).
pub const WARM_UP: u32 = 10;

/// Parked threads each memory probe adds to its fresh process.
pub const THREADS_PER_MEMORY_PROBE: u32 = 8;

/// Fresh processes started to measure memory (each gives one sample of both figures).
pub const MEMORY_PROBES: u32 = 7;

/// The worker-mode role of the memory probe's child half.
pub const MEMORY_ROLE: &str = "thread-memory";

/// The family, as the registry lists it.
pub const FAMILY: Family = Family {
    name: "spawn-cost",
    command: "spawn",
    about: "Creating a thread against creating a process: spawn+join of an empty thread and \
            posix_spawn+wait of this program, alternating, after a warm-up; and the private \
            memory (USS) of each, measured in fresh processes",
    params: &[Param {
        name: "samples",
        en: "Samples",
        ko: "표본 수",
        range: crate::limits::SAMPLES,
        default: 200,
    }],
    run,
};

/// The typed result, as `proclab measure spawn --json` prints it.
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
    /// Unique set size (private memory) that one more parked thread adds to a fresh process,
    /// in bytes; `None` where the OS does not say, or when cancelled.
    pub thread_unique_bytes: Option<Summary>,
    /// Unique set size of a fresh idle process of this program, in bytes.
    pub process_unique_bytes: Option<Summary>,
}

/// The samples of one run.
#[derive(Default)]
struct Samples {
    threads: Vec<f64>,
    processes: Vec<f64>,
    ratios: Vec<f64>,
    memory: Option<MemorySamples>,
}

/// The parent's half: `samples` rounds (each one thread and one process) after a warm-up,
/// then the memory figures; cancel stops early with what was measured.
fn run(params: &Params, job: &Job) -> Result<Report, LabError> {
    let failed = |e: io::Error| LabError::Measurement(e.to_string());
    let samples = params.get("samples");
    let mut taken = Samples::default();
    let total = WARM_UP + samples;
    for round in 0..total {
        if job.cancelled() {
            break;
        }
        let thread = time_thread().map_err(failed)?.as_nanos() as f64;
        let process = time_process(job.worker_exe).map_err(failed)?.as_nanos() as f64;
        if round >= WARM_UP {
            taken.threads.push(thread);
            taken.processes.push(process);
            taken.ratios.push(process / thread.max(1.0));
        }
        if round % 10 == 9 || round + 1 == total {
            job.progress(round + 1, total);
        }
    }
    taken.memory = memory_cost(job);
    report(taken, job.cancelled())
}

/// The report of a run: the figures as data, the typed result as JSON.
fn report(taken: Samples, cancelled: bool) -> Result<Report, LabError> {
    let none = || LabError::Cancelled;
    let summary = |values: &[f64]| Summary::of(values).ok_or_else(none);
    let memory = taken.memory.as_ref();
    let typed = SpawnCost {
        machine: Machine::describe(),
        thread_spawn_ns: summary(&taken.threads)?,
        process_spawn_ns: summary(&taken.processes)?,
        ratio: summary(&taken.ratios)?,
        thread_unique_bytes: memory.and_then(|m| Summary::of(&m.per_thread)),
        process_unique_bytes: memory.and_then(|m| Summary::of(&m.per_process)),
    };
    let (per_thread, per_process) = taken
        .memory
        .map(|m| (m.per_thread, m.per_process))
        .unwrap_or_default();
    let figures = [
        (THREAD_LABEL, Unit::Nanoseconds, taken.threads),
        (PROCESS_LABEL, Unit::Nanoseconds, taken.processes),
        (RATIO_LABEL, Unit::Ratio, taken.ratios),
        (THREAD_MEMORY_LABEL, Unit::Bytes, per_thread),
        (PROCESS_MEMORY_LABEL, Unit::Bytes, per_process),
    ]
    .into_iter()
    .filter_map(|((en, ko), unit, samples)| Figure::of(Words::new(en, ko), unit, samples))
    .collect();
    Ok(Report::new(
        FAMILY.name,
        typed.machine.clone(),
        figures,
        Words::new(NOTE_EN, NOTE_KO),
        &typed,
    )?
    .cancelled(cancelled))
}

const THREAD_LABEL: (&str, &str) = ("thread: spawn + join", "스레드: 생성 + join");
const PROCESS_LABEL: (&str, &str) = (
    "process: posix_spawn + exec + wait",
    "프로세스: posix_spawn + exec + wait",
);
const RATIO_LABEL: (&str, &str) = (
    "process / thread, round by round",
    "프로세스 / 스레드 (회차별 비율)",
);
const THREAD_MEMORY_LABEL: (&str, &str) = (
    "private memory (USS) per extra thread",
    "스레드 하나를 더할 때의 고유 메모리(USS)",
);
const PROCESS_MEMORY_LABEL: (&str, &str) = (
    "private memory (USS) per process",
    "프로세스당 고유 메모리(USS)",
);

const NOTE_EN: &str = "ProcLab ran 10 warm-up rounds first and discarded them; thread and \
    process rounds alternate. The process is started as std::process::Command starts any \
    program on Linux: posix_spawn, a vfork-style clone that borrows this process's memory \
    until exec. Nothing is forked, no page table is copied and no page is shared \
    copy-on-write; the figure is exec of this program, the dynamic loader, the child's \
    start-up and exit, and the wait. Memory is the unique set size (USS: pages only that \
    process maps, from smaps_rollup), measured the same way for both in fresh processes: a \
    fresh idle process as a whole, and how much it grows per extra parked thread (after its \
    first thread, which also pays one-time set-up). Pages that other processes map too \
    (shared libraries, and this program's own file, which ProcLab maps as well) and kernel \
    memory such as page tables count in neither.";

const NOTE_KO: &str = "ProcLab은 먼저 워밍업 10회를 돌리고 버렸으며, 스레드와 프로세스 측정을 \
    번갈아 했습니다. 프로세스는 리눅스에서 std::process::Command가 프로그램을 시작하는 방식 \
    그대로 posix_spawn으로 시작합니다. vfork처럼 exec 전까지 이 프로세스의 메모리를 빌려 쓰는 \
    clone입니다. fork는 일어나지 않고, 페이지 테이블도 복사하지 않으며, copy-on-write로 \
    공유되는 페이지도 없습니다. 이 수치는 이 프로그램의 exec, 동적 로더, 자식의 시작과 종료, \
    그리고 wait까지의 시간입니다. 메모리는 고유 메모리 크기(USS: 그 프로세스만 매핑한 페이지, \
    smaps_rollup에서 읽음)로, 둘 다 새로 시작한 프로세스에서 같은 방법으로 쟀습니다. 새 \
    프로세스 하나의 전체 크기와, 대기 중인 스레드를 하나 더할 때마다 늘어나는 양입니다(한 \
    번만 드는 준비 비용을 치르는 첫 스레드는 빼고 잽니다). 다른 프로세스도 매핑하는 \
    페이지(공유 라이브러리, 그리고 ProcLab도 매핑하는 이 프로그램 파일)와 페이지 테이블 같은 \
    커널 메모리는 어느 쪽에도 들어가지 않습니다.";

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
fn memory_cost(job: &Job) -> Option<MemorySamples> {
    let mut samples = MemorySamples {
        per_thread: Vec::new(),
        per_process: Vec::new(),
    };
    for _ in 0..MEMORY_PROBES {
        if job.cancelled() {
            break;
        }
        let report = probe_memory(job.worker_exe)?;
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
    let child = ChildProcess::spawn(worker_exe, MEMORY_ROLE, move |report: MemoryReport| {
        let _ = send.try_send(report);
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
    to_parent(&report)?;
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
