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
use super::primitives::{self, ExecTarget};
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
    about: "Creating a thread against creating a process: Rust's thread and process start, \
            and the OS primitives (pthread_create, fork, fork+exec, posix_spawn), in turn, \
            after a warm-up; and the private memory (USS) of each, in fresh processes",
    params: &[Param {
        name: "samples",
        en: "Samples",
        ko: "표본 수",
        range: crate::limits::SAMPLES,
        default: 200,
    }],
    texts: &[],
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
    /// `pthread_create` + `pthread_join` of an empty thread, called directly.
    pub os_thread_spawn_ns: Summary,
    /// `fork` of this process, whose child exits at once, plus wait.
    pub fork_ns: Summary,
    /// `fork`, `execve` of this program in its `noop` worker mode, plus wait.
    pub fork_exec_ns: Summary,
    /// `posix_spawn` of the same, called directly, plus wait.
    pub posix_spawn_ns: Summary,
    /// Resident memory of the process that forked (fork copies its page tables).
    pub forked_resident_bytes: Option<u64>,
    /// Unique set size (private memory) that one more parked thread adds to a fresh process,
    /// in bytes; `None` where the OS does not say, or when cancelled.
    pub thread_unique_bytes: Option<Summary>,
    /// Unique set size of a fresh idle process of this program, in bytes.
    pub process_unique_bytes: Option<Summary>,
}

/// The ways of starting a task, timed in turn every round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// `std::thread::spawn` and `join`.
    RustThread,
    /// `std::process::Command`: posix_spawn of this program, and wait.
    Command,
    /// `pthread_create` and `pthread_join`, with nothing of Rust's around them.
    Pthread,
    /// `fork` alone: the child exits at once.
    Fork,
    /// `fork`, then `execve` of this program.
    ForkExec,
    /// `posix_spawn` of this program, called directly.
    PosixSpawn,
}

const STARTS: [Start; 6] = [
    Start::RustThread,
    Start::Command,
    Start::Pthread,
    Start::Fork,
    Start::ForkExec,
    Start::PosixSpawn,
];

impl Start {
    fn time(self, worker_exe: &Path, target: &ExecTarget) -> io::Result<Duration> {
        match self {
            Start::RustThread => time_thread(),
            Start::Command => time_process(worker_exe),
            Start::Pthread => primitives::time_pthread(),
            Start::Fork => primitives::time_fork(),
            Start::ForkExec => primitives::time_fork_exec(target),
            Start::PosixSpawn => primitives::time_posix_spawn(target),
        }
    }

    fn label(self) -> (&'static str, &'static str) {
        match self {
            Start::RustThread => THREAD_LABEL,
            Start::Command => PROCESS_LABEL,
            Start::Pthread => (
                "OS thread: pthread_create + join",
                "OS 스레드: pthread_create + join",
            ),
            Start::Fork => (
                "fork alone (child exits) + wait",
                "fork만 (자식은 바로 종료) + wait",
            ),
            Start::ForkExec => ("fork + exec + wait", "fork + exec + wait"),
            Start::PosixSpawn => (
                "posix_spawn + exec + wait, called directly",
                "posix_spawn + exec + wait (직접 호출)",
            ),
        }
    }
}

/// The samples of one run: nanoseconds per start, in the order of [`STARTS`].
#[derive(Default)]
struct Samples {
    starts: [Vec<f64>; 6],
    ratios: Vec<f64>,
    memory: Option<MemorySamples>,
    /// This process's resident memory when it forked, in bytes.
    forked_resident: Option<u64>,
}

impl Samples {
    fn of(&self, start: Start) -> &[f64] {
        let index = STARTS.iter().position(|s| *s == start).unwrap_or(0);
        &self.starts[index]
    }
}

/// The parent's half: `samples` rounds (each starts a task every way, in turn) after a
/// warm-up, then the memory figures; cancel stops early with what was measured.
fn run(params: &Params, job: &Job) -> Result<Report, LabError> {
    let failed = LabError::measurement;
    let samples = params.get("samples");
    let parent = std::process::id().to_string();
    let target = ExecTarget::new(job.worker_exe, &["worker", "noop", "--parent", &parent])
        .map_err(failed)?;
    let mut taken = Samples::default();
    let total = WARM_UP + samples;
    for round in 0..total {
        if job.cancelled() {
            break;
        }
        let mut times = [0.0; 6];
        for (time, start) in times.iter_mut().zip(STARTS) {
            *time = start
                .time(job.worker_exe, &target)
                .map_err(failed)?
                .as_nanos() as f64;
        }
        if round >= WARM_UP {
            for (samples, time) in taken.starts.iter_mut().zip(times) {
                samples.push(time);
            }
            taken.ratios.push(times[1] / times[0].max(1.0));
        }
        if round % 10 == 9 || round + 1 == total {
            job.progress(round + 1, total);
        }
    }
    taken.forked_resident = os::process_sample(std::process::id()).resident_bytes;
    taken.memory = memory_cost(job);
    report(taken, job.cancelled())
}

/// The report of a run: the figures as data, the typed result as JSON.
fn report(taken: Samples, cancelled: bool) -> Result<Report, LabError> {
    let none = || LabError::Cancelled;
    let summary = |start| Summary::of(taken.of(start)).ok_or_else(none);
    let memory = taken.memory.as_ref();
    let typed = SpawnCost {
        machine: Machine::describe(),
        thread_spawn_ns: summary(Start::RustThread)?,
        process_spawn_ns: summary(Start::Command)?,
        ratio: Summary::of(&taken.ratios).ok_or_else(none)?,
        os_thread_spawn_ns: summary(Start::Pthread)?,
        fork_ns: summary(Start::Fork)?,
        fork_exec_ns: summary(Start::ForkExec)?,
        posix_spawn_ns: summary(Start::PosixSpawn)?,
        forked_resident_bytes: taken.forked_resident,
        thread_unique_bytes: memory.and_then(|m| Summary::of(&m.per_thread)),
        process_unique_bytes: memory.and_then(|m| Summary::of(&m.per_process)),
    };
    let rust_overhead = typed.thread_spawn_ns.median - typed.os_thread_spawn_ns.median;
    let resident = typed.forked_resident_bytes;
    let (per_thread, per_process) = taken
        .memory
        .map(|m| (m.per_thread, m.per_process))
        .unwrap_or_default();
    let starts = STARTS
        .iter()
        .zip(taken.starts)
        .map(|(start, samples)| (start.label(), Unit::Nanoseconds, samples));
    let figures = starts
        .chain([
            (RATIO_LABEL, Unit::Ratio, taken.ratios),
            (THREAD_MEMORY_LABEL, Unit::Bytes, per_thread),
            (PROCESS_MEMORY_LABEL, Unit::Bytes, per_process),
        ])
        .filter_map(|((en, ko), unit, samples)| Figure::of(Words::new(en, ko), unit, samples))
        .collect();
    let report = Report::new(
        FAMILY.name,
        typed.machine.clone(),
        figures,
        Words::new(NOTE_EN, NOTE_KO),
        &typed,
    )?
    .cancelled(cancelled)
    .fact(
        "What Rust's thread start adds to pthread_create (medians)",
        "Rust의 스레드 시작이 pthread_create에 더하는 시간 (중앙값)",
        Unit::Nanoseconds.format(rust_overhead),
    );
    Ok(match resident {
        Some(bytes) => report.fact(
            "Resident memory of the process that forked",
            "fork한 프로세스의 상주 메모리",
            Unit::Bytes.format(bytes as f64),
        ),
        None => report,
    })
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

const NOTE_EN: &str = "ProcLab ran 10 warm-up rounds first and discarded them; every round \
    starts a task each way, in turn. The Rust process row is started as std::process::Command \
    starts any program on Linux: posix_spawn, a vfork-style clone that borrows this process's \
    memory until exec. Nothing is forked there, no page table is copied and no page is shared \
    copy-on-write; the figure is exec of this program, the dynamic loader, the child's start-up \
    and exit, and the wait. The OS rows call the primitives directly: pthread_create of an \
    empty thread; fork alone, whose child exits at once, which copies this process's page \
    tables and marks its pages copy-on-write, so it grows with the memory of the process that \
    forks (see its resident size); fork then exec, which pays for both; and posix_spawn. Rust's \
    thread start calls the same pthread_create and adds its own work around it: a 2 MiB stack \
    size instead of the default, a handle and a slot for the result shared with join, and \
    setting up the new thread's own locals; the difference between the two rows is what that \
    costs here. Memory is the unique set size (USS: pages only that process \
    maps, from smaps_rollup), measured the same way for both in fresh processes: a fresh idle \
    process as a whole, and how much it grows per extra parked thread (after its first \
    thread, which also pays one-time set-up). Pages that other processes map too (shared \
    libraries, and this program's own file, which ProcLab maps as well) and kernel memory such \
    as page tables count in neither.";

const NOTE_KO: &str = "ProcLab은 먼저 워밍업 10회를 돌리고 버렸으며, 회차마다 모든 방법으로 \
    작업을 하나씩 차례로 시작합니다. Rust 프로세스 행은 리눅스에서 std::process::Command가 \
    프로그램을 시작하는 방식 그대로 posix_spawn으로 시작합니다. vfork처럼 exec 전까지 이 \
    프로세스의 메모리를 빌려 쓰는 clone입니다. 여기서는 fork가 일어나지 않고, 페이지 테이블도 \
    복사하지 않으며, copy-on-write로 공유되는 페이지도 없습니다. 이 수치는 이 프로그램의 \
    exec, 동적 로더, 자식의 시작과 종료, 그리고 wait까지의 시간입니다. OS 행은 기본 함수를 \
    직접 부릅니다. 빈 스레드의 pthread_create, 자식이 바로 끝나는 fork만(이 프로세스의 페이지 \
    테이블을 복사하고 페이지를 copy-on-write로 표시하므로, fork하는 프로세스의 메모리가 클수록 \
    오래 걸립니다. 상주 메모리 크기를 보세요), 둘 다 치르는 fork 후 exec, 그리고 \
    posix_spawn입니다. Rust의 스레드 \
    시작도 같은 pthread_create를 부르고 그 둘레에 자기 일을 더합니다. 기본값 대신 2 MiB 스택 \
    크기, join과 나눠 갖는 핸들과 결과 자리, 새 스레드의 지역 데이터 준비입니다. 두 행의 \
    차이가 이 컴퓨터에서 그 비용입니다. 메모리는 고유 메모리 크기(USS: 그 \
    프로세스만 매핑한 페이지, smaps_rollup에서 읽음)로, 둘 다 새로 시작한 프로세스에서 같은 \
    방법으로 쟀습니다. 새 프로세스 하나의 전체 크기와, 대기 중인 스레드를 하나 더할 때마다 \
    늘어나는 양입니다(한 번만 드는 준비 비용을 치르는 첫 스레드는 빼고 잽니다). 다른 \
    프로세스도 매핑하는 페이지(공유 라이브러리, 그리고 ProcLab도 매핑하는 이 프로그램 파일)와 \
    페이지 테이블 같은 커널 메모리는 어느 쪽에도 들어가지 않습니다.";

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
