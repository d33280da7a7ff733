//! Deadlock, really: N threads in a ring, each taking its own lock and then its neighbour's,
//! hang for ever. They run in a child process so that recovery is always possible. ProcLab
//! finds the hang from the locks themselves (each says who holds it, each thread which lock
//! it waits for): it builds the wait-for graph and looks for a cycle, not for a timeout. Then
//! it kills and reaps the child and checks that nothing is left. The two fixes run the same
//! way and must finish: one global lock order, and `try_lock` with a random back-off.
//!
//! A hang the detector somehow misses still ends: [`HARD_DEADLINE`] kills the child and the
//! result says so.

mod ring;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::child::ChildProcess;
use super::error::LabError;
use super::experiment::{Family, Figure, Job, Param, Params, Report, Unit, Words};
use super::os::{self, Exit, Machine, SchedAccount};
use super::picture::{Picture, WaitForPicture};
use super::stats::Summary;
use super::timeline::Timeline;
use super::trace::{self, Event, EventKind, Recorded};

pub use crate::sim::wait_for::{Cycle, WaitForGraph, lock_name};
pub use ring::run_child;
use ring::{FromChild, ToChild};

/// A run still going after this long is killed, detected or not.
pub const HARD_DEADLINE: Duration = Duration::from_secs(10);

/// The family, as the registry lists it.
pub const FAMILY: Family = Family {
    name: "deadlock",
    command: "deadlock",
    about: "Deadlock, really: threads in a ring take two locks in opposite orders and hang in a \
            child process; the wait-for graph finds the cycle, the child is killed and reaped; \
            then one global lock order and try_lock with back-off must finish",
    params: &[
        Param {
            name: "threads",
            en: "Threads in the ring",
            ko: "고리의 스레드",
            range: crate::limits::RACE_THREADS,
            default: 2,
        },
        Param {
            name: "runs",
            en: "Rounds each thread takes both locks (fixes)",
            ko: "스레드마다 두 락을 잡는 횟수 (해결책)",
            range: crate::limits::RUNS,
            default: 20,
        },
    ],
    texts: &[],
    run,
};

/// How the ring's threads take their two locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// Own lock first, then the neighbour's: every thread can hold one and wait for the next.
    Ring,
    /// The lower-numbered lock first, always: no cycle can form.
    GlobalOrder,
    /// Own lock, then only try the neighbour's; on failure let go, wait, start over.
    TryLock,
}

impl Strategy {
    /// As a person reads it.
    pub fn words(self) -> Words {
        match self {
            Strategy::Ring => Words::new("opposite orders", "서로 반대 순서"),
            Strategy::GlobalOrder => Words::new("one global order", "하나의 전역 순서"),
            Strategy::TryLock => Words::new("try_lock and back off", "try_lock 후 물러나기"),
        }
    }
}

/// The threads and locks of a cycle, by name and kernel id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedCycle {
    /// `T1`, `T2`… in the order of the cycle.
    pub threads: Vec<String>,
    pub tids: Vec<u32>,
    /// `locks[i]` is the lock `threads[i]` waits for.
    pub locks: Vec<String>,
}

/// One fix, run to the end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FixRow {
    pub strategy: Strategy,
    /// Every thread did every round, and the child exited by itself.
    pub completed: bool,
    pub seconds: f64,
    /// Failed `try_lock`s that made a thread let go and start over.
    pub back_offs: u64,
    /// A cycle the detector found while this ran (must never happen).
    pub cycle_seen: bool,
    pub hit_deadline: bool,
    /// Time from asking for a lock to getting it, ns.
    pub lock_wait_ns: Option<Summary>,
}

/// The typed result, as `proclab measure deadlock --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deadlock {
    pub machine: Machine,
    pub threads: u32,
    pub rounds: u32,
    /// A cycle was found in the wait-for graph.
    pub detected: bool,
    pub cycle: Option<NamedCycle>,
    /// From sending the ring its set-up to the child saying its threads had started: the
    /// child's own start-up, apart from the detection.
    pub seconds_to_start: Option<f64>,
    /// From the threads' start to finding the cycle: the threads locking into the cycle, the
    /// watcher seeing it, and the graph reaching ProcLab.
    pub seconds_to_detect: Option<f64>,
    /// The wait-for graph as it stood when the cycle was found.
    pub graph: WaitForGraph,
    /// The kernel's state of each thread in the cycle just before the kill (`sleeping`:
    /// asleep in the kernel, waiting on the lock's futex).
    pub kernel_states: Vec<String>,
    /// The kernel's account of each ring thread before the kill: time on a CPU while it hung.
    pub accounts: Vec<Option<SchedAccount>>,
    /// The child was killed, reaped, and none of it is left.
    pub recovered: bool,
    pub exit: Option<Exit>,
    pub hit_deadline: bool,
    /// Processes and threads of the demo still alive afterwards: must be 0.
    pub left_running: u32,
    pub fixes: Vec<FixRow>,
}

/// What one child run gave.
#[derive(Default)]
struct RingRun {
    tids: Vec<u32>,
    /// How long after the set-up the child said its threads had started.
    started: Option<Duration>,
    /// The cycle, how long after the threads' start it was found, and the graph then.
    detected: Option<(Cycle, Duration, WaitForGraph)>,
    cycle_seen: bool,
    events: Vec<Vec<Event>>,
    dropped: u64,
    back_offs: u64,
    accounts: Vec<Option<SchedAccount>>,
    kernel_states: Vec<String>,
    finished: bool,
    hit_deadline: bool,
    cancelled: bool,
    exit: Option<Exit>,
    left_running: u32,
    /// When the run began and ended, ns from the whole run's origin.
    began: f64,
    ended: f64,
}

impl RingRun {
    fn take_events(&mut self, message: FromChild) {
        if let FromChild::Events {
            finished,
            events,
            dropped,
            back_offs,
            accounts,
        } = message
        {
            self.finished = finished;
            self.events = events;
            self.dropped = dropped;
            self.back_offs = back_offs;
            self.accounts = accounts;
        }
    }
}

/// One ring to run: how its threads take their locks, how many, how often, and how long it
/// may take before it is killed whatever it is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RingSpec {
    pub strategy: Strategy,
    pub threads: u32,
    pub rounds: u32,
    pub deadline: Duration,
}

/// How one ring ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RingOutcome {
    pub detected: bool,
    pub finished: bool,
    pub hit_deadline: bool,
    pub exit: Option<Exit>,
    pub left_running: u32,
}

/// Runs one ring as `spec` says, alone: what the family does for each strategy.
pub fn run_one_ring(job: &Job, spec: RingSpec) -> Result<RingOutcome, LabError> {
    let run = run_ring(job, spec, Instant::now())?;
    Ok(RingOutcome {
        detected: run.detected.is_some(),
        finished: run.finished,
        hit_deadline: run.hit_deadline,
        exit: run.exit,
        left_running: run.left_running,
    })
}

/// Runs the ring in a child until it finishes, deadlocks (then it is killed) or reaches the
/// deadline; the child is reaped on every path.
fn run_ring(job: &Job, spec: RingSpec, origin: Instant) -> Result<RingRun, LabError> {
    let RingSpec {
        strategy,
        threads,
        rounds,
        deadline,
    } = spec;
    let failed = LabError::measurement;
    let (sender, messages) = mpsc::channel();
    let mut child = ChildProcess::spawn(job.worker_exe, "deadlock-ring", move |m: FromChild| {
        let _ = sender.send(m);
    })
    .map_err(failed)?;
    let began = Instant::now();
    let mut run = RingRun {
        began: began.duration_since(origin).as_nanos() as f64,
        ..RingRun::default()
    };
    child.send(&ToChild::Setup {
        threads,
        strategy,
        rounds,
    });
    watch_ring(job, &mut child, &messages, began + deadline, &mut run);
    let pid = child.pid();
    if run.detected.is_some() {
        run.kernel_states = run
            .tids
            .iter()
            .map(|&tid| match os::thread_sample(pid, tid).state {
                Some(state) => format!("{state:?}").to_lowercase(),
                None => "unknown".to_owned(),
            })
            .collect();
        run.accounts = run
            .tids
            .iter()
            .map(|&tid| SchedAccount::of_task(pid, tid))
            .collect();
    }
    // A finished ring exits by itself once its input closes; anything else is killed now.
    let grace = match run.finished {
        true => Duration::from_secs(2),
        false => Duration::ZERO,
    };
    let status = child.stop(Instant::now() + grace).map_err(failed)?;
    run.ended = origin.elapsed().as_nanos() as f64;
    run.exit = Some(Exit::of(status));
    run.left_running = os::child_tasks_alive(pid);
    Ok(run)
}

/// Reads the child's messages until the ring finishes, a cycle is found (then fetches the
/// events the threads recorded so far), the run is cancelled or the deadline passes.
fn watch_ring(
    job: &Job,
    child: &mut ChildProcess,
    messages: &mpsc::Receiver<FromChild>,
    deadline: Instant,
    run: &mut RingRun,
) {
    let began = Instant::now();
    let mut threads_started = None;
    loop {
        if job.cancelled() {
            run.cancelled = true;
            return;
        }
        if Instant::now() >= deadline {
            run.hit_deadline = true;
            return;
        }
        match messages.recv_timeout(Duration::from_millis(5)) {
            Ok(FromChild::Started { tids }) => {
                run.tids = tids;
                run.started = Some(began.elapsed());
                threads_started = Some(Instant::now());
            }
            Ok(FromChild::Graph(graph)) => {
                if let Some(cycle) = graph.cycle() {
                    run.cycle_seen = true;
                    let since: Instant = threads_started.unwrap_or(began);
                    run.detected = Some((cycle, since.elapsed(), graph));
                    child.send(&ToChild::Report);
                    let reply = messages.recv_timeout(Duration::from_secs(2));
                    if let Ok(events) = reply {
                        run.take_events(events);
                    }
                    return;
                }
            }
            Ok(events) => {
                run.take_events(events);
                if run.finished {
                    return;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Every wait from asking for a lock to getting it, ns.
fn lock_waits(events: &[Vec<Event>]) -> Vec<f64> {
    let mut waits = Vec::new();
    for thread in events {
        let mut asked = None;
        for event in thread {
            match event.kind {
                EventKind::Requested => asked = Some(event.at),
                EventKind::Acquired => {
                    if let Some(at) = asked.take() {
                        waits.push(event.at.saturating_sub(at) as f64);
                    }
                }
                _ => {}
            }
        }
    }
    waits
}

fn named(cycle: &Cycle, tids: &[u32]) -> NamedCycle {
    NamedCycle {
        threads: cycle
            .threads
            .iter()
            .map(|t| format!("T{}", t + 1))
            .collect(),
        tids: cycle
            .threads
            .iter()
            .map(|&t| tids.get(t).copied().unwrap_or(0))
            .collect(),
        locks: cycle.locks.iter().map(|&l| lock_name(l)).collect(),
    }
}

fn fix_row(strategy: Strategy, run: &RingRun) -> FixRow {
    let exited_cleanly = run.exit.as_ref().is_some_and(|e| e.code == Some(0));
    FixRow {
        strategy,
        completed: run.finished && exited_cleanly && !run.cycle_seen,
        seconds: (run.ended - run.began) / 1e9,
        back_offs: run.back_offs,
        cycle_seen: run.cycle_seen,
        hit_deadline: run.hit_deadline,
        lock_wait_ns: Summary::of(&lock_waits(&run.events)),
    }
}

fn run(params: &Params, job: &Job) -> Result<Report, LabError> {
    let (threads, rounds) = (params.get("threads"), params.get("runs"));
    let origin = Instant::now();
    let strategies = [Strategy::Ring, Strategy::GlobalOrder, Strategy::TryLock];
    let mut runs = Vec::new();
    for (done, strategy) in strategies.into_iter().enumerate() {
        if job.cancelled() {
            break;
        }
        // The ring deadlocks at once: one round is enough to show it.
        let rounds = if strategy == Strategy::Ring {
            1
        } else {
            rounds
        };
        let spec = RingSpec {
            strategy,
            threads,
            rounds,
            deadline: HARD_DEADLINE,
        };
        runs.push((strategy, run_ring(job, spec, origin)?));
        job.progress(done as u32 + 1, strategies.len() as u32);
    }
    let Some((_, ring)) = runs.first() else {
        return Err(LabError::Cancelled);
    };
    let typed = Deadlock {
        machine: Machine::describe(),
        threads,
        rounds,
        detected: ring.detected.is_some(),
        cycle: ring.detected.as_ref().map(|d| named(&d.0, &ring.tids)),
        seconds_to_start: ring.started.map(|d| d.as_secs_f64()),
        seconds_to_detect: ring.detected.as_ref().map(|d| d.1.as_secs_f64()),
        graph: ring
            .detected
            .as_ref()
            .map(|d| d.2.clone())
            .unwrap_or_default(),
        kernel_states: ring.kernel_states.clone(),
        accounts: ring.accounts.clone(),
        recovered: ring.detected.is_some() && ring.left_running == 0,
        exit: ring.exit.clone(),
        hit_deadline: ring.hit_deadline,
        left_running: runs.iter().map(|(_, r)| r.left_running).sum(),
        fixes: runs[1..].iter().map(|(s, r)| fix_row(*s, r)).collect(),
    };
    let cancelled = runs.iter().any(|(_, r)| r.cancelled);
    report(typed, &runs, threads, cancelled)
}

fn report(
    typed: Deadlock,
    runs: &[(Strategy, RingRun)],
    threads: u32,
    cancelled: bool,
) -> Result<Report, LabError> {
    let figures = runs[1..]
        .iter()
        .filter_map(|(strategy, run)| {
            let words = strategy.words();
            Figure::of(
                Words::new(
                    format!("{}: wait for a lock, ns", words.en),
                    format!("{}: 락을 기다린 시간, ns", words.ko),
                ),
                Unit::Nanoseconds,
                lock_waits(&run.events),
            )
        })
        .collect();
    let mut report = Report::new(
        FAMILY.name,
        typed.machine.clone(),
        figures,
        note(&typed),
        &typed,
    )?
    .timeline(timeline(runs, threads))
    .picture(Picture::WaitFor(WaitForPicture {
        graph: typed.graph.clone(),
        lanes: (0..runs[0].1.events.len()).collect(),
        recovered: typed.recovered,
    }))
    .cancelled(cancelled);
    if let Some(seconds) = typed.seconds_to_start {
        report = report.fact(
            "threads started after (the child's start-up)",
            "스레드가 시작되기까지 (자식 프로세스의 시작)",
            format!("{:.1} ms", seconds * 1e3),
        );
    }
    if let Some(seconds) = typed.seconds_to_detect {
        report = report.fact(
            "cycle found after the threads started (this run)",
            "스레드 시작부터 순환을 찾기까지 (이번 실행)",
            format!("{:.2} ms", seconds * 1e3),
        );
    }
    Ok(report.fact(
        "processes and threads left running",
        "남아 있는 프로세스와 스레드",
        typed.left_running,
    ))
}

/// Every run's threads as lanes on one time axis, the runs one after another. Each run's
/// locks are objects of their own (run k's lock i is object k x threads + i), so that no
/// hand-over is inferred from one run's release to another run's acquire.
fn timeline(runs: &[(Strategy, RingRun)], threads: u32) -> Timeline {
    let mut lanes = Vec::new();
    let mut dropped = 0;
    for (index, (strategy, run)) in runs.iter().enumerate() {
        let first_object = index as u32 * threads;
        let words = strategy.words();
        dropped += run.dropped;
        for (i, events) in run.events.iter().enumerate() {
            let shifted = events
                .iter()
                .map(|e| Event {
                    at: e.at + run.began as u64,
                    object: e.object + first_object,
                    ..*e
                })
                .collect();
            lanes.push(Recorded {
                label: Words::new(
                    format!("{} · T{}", words.en, i + 1),
                    format!("{} · T{}", words.ko, i + 1),
                ),
                events: shifted,
                end: run.ended,
                kernel: run.accounts.get(i).copied().flatten(),
            });
        }
    }
    let objects = (0..runs.len() * threads as usize)
        .map(|object| lock_name(object % threads as usize))
        .collect();
    trace::timeline_of(lanes, objects, dropped)
}

fn note(result: &Deadlock) -> Words {
    let found = match &result.cycle {
        Some(cycle) => {
            let ring: Vec<String> = cycle
                .threads
                .iter()
                .zip(&cycle.locks)
                .map(|(t, l)| format!("{t}: {l}"))
                .collect();
            ring.join(", ")
        }
        None => "-".to_owned(),
    };
    Words::new(
        format!(
            "Each thread takes its own lock, then asks for its neighbour's. Every lock says \
             who holds it and every thread which lock it waits for; ProcLab reads the wait-for \
             graph from them and found the cycle {found} (each thread waits for the lock \
             named beside it, which the next one holds). It then killed the child process and \
             reaped it: {} left running. A kill is the only way out for threads stuck this \
             way: none of them can let go. The fixes never form a cycle: with one global \
             order nobody holds a higher lock while asking for a lower one; with try_lock a \
             thread that cannot get its second lock lets go of its first.",
            result.left_running
        ),
        format!(
            "각 스레드는 자기 락을 잡은 뒤 이웃의 락을 요청합니다. 락마다 누가 잡고 있는지, \
             스레드마다 어떤 락을 기다리는지 알려 주므로 ProcLab은 그것으로 대기 그래프를 만들고 \
             순환 {found}을(를) 찾았습니다(각 스레드는 옆에 적힌 락을 기다리고, 그 락은 다음 \
             스레드가 잡고 있습니다). 그다음 자식 프로세스를 종료하고 회수했습니다. 남은 것: {}. \
             이렇게 멈춘 스레드는 누구도 락을 놓을 수 없으므로 종료하는 수밖에 없습니다. 해결책은 \
             순환을 만들지 않습니다. 전역 순서에서는 높은 락을 잡은 채 낮은 락을 요청하는 \
             스레드가 없고, try_lock에서는 두 번째 락을 얻지 못한 스레드가 첫 번째 락을 놓습니다.",
            result.left_running
        ),
    )
}
