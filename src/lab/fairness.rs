//! Bounded waiting, measured: N threads contend for one lock for a while, each taking it,
//! holding it briefly and letting go, over and over. With an unfair lock (the standard mutex,
//! which lets a thread that just released it barge in again) some threads may get far more
//! turns and wait far longer than others; with a fair FIFO ticket lock every thread waits at
//! most for the others' turns. Each thread records its acquisitions, its longest wait and the
//! most turns others took while it waited.

use std::sync::Barrier;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::error::LabError;
use super::experiment::{Family, Figure, Job, Param, Params, RACING_THREADS, Report, Unit, Words};
use super::os::{Machine, SchedAccount};
use super::trace::{Event, EventKind, Recorded, ThreadLog, timeline_of};
use crate::limits::CONTENTION_MILLIS;

/// The family, as the registry lists it.
pub const FAMILY: Family = Family {
    name: "fairness",
    command: "fairness",
    about: "Bounded waiting: N threads contend for an unfair lock (the standard mutex) and a \
            fair FIFO ticket lock; acquisitions and the longest wait of every thread",
    params: &[
        RACING_THREADS,
        Param {
            name: "millis",
            en: "Milliseconds per lock",
            ko: "락마다 경쟁 시간(ms)",
            range: CONTENTION_MILLIS,
            default: 500,
        },
    ],
    texts: &[],
    run,
};

/// The two locks compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LockKind {
    /// The standard library's mutex: no order among waiters.
    Unfair,
    /// A ticket lock: waiters are served in the order they asked.
    Fair,
}

/// A FIFO lock: take a ticket, wait until it is served.
#[derive(Default)]
pub struct TicketLock {
    next: AtomicU64,
    serving: AtomicU64,
}

impl TicketLock {
    /// Waits for this thread's turn. Spins briefly, then yields, so that on a machine with
    /// fewer cores than waiters the thread whose turn it is gets to run.
    pub fn lock(&self) {
        let ticket = self.next.fetch_add(1, Ordering::Relaxed);
        let mut spins = 0u32;
        while self.serving.load(Ordering::Acquire) != ticket {
            spins += 1;
            if spins < 64 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }

    pub fn unlock(&self) {
        self.serving.fetch_add(1, Ordering::Release);
    }
}

/// What one thread saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ThreadTurns {
    pub acquisitions: u64,
    pub max_wait_ns: u64,
    /// The most acquisitions by other threads between one request and its acquisition.
    pub max_turns_waited: u64,
    /// The kernel's account of the thread over the run (schedstat).
    pub kernel: Option<SchedAccount>,
}

/// Both locks under one contention.
struct Contention {
    unfair: Mutex<()>,
    fair: TicketLock,
    /// Acquisitions so far, counted inside the lock.
    acquired: AtomicU64,
    stop: AtomicBool,
}

/// Contends for `kind` with `threads` threads for `duration`.
pub fn contend(kind: LockKind, threads: u32, duration: Duration) -> Vec<ThreadTurns> {
    let logs: Vec<ThreadLog> = (0..threads)
        .map(|_| ThreadLog::new(0, Instant::now()))
        .collect();
    contend_recorded(kind, &logs, duration)
}

/// Events each thread records for the timeline: its first turns (asked, got, let go); the
/// rest are counted as dropped.
const RECORDED_EVENTS: usize = 3 * 2_000;

/// As [`contend`], one thread per log, each recording its turns into its log.
pub fn contend_recorded(
    kind: LockKind,
    logs: &[ThreadLog],
    duration: Duration,
) -> Vec<ThreadTurns> {
    let threads = logs.len() as u32;
    let shared = Contention {
        unfair: Mutex::new(()),
        fair: TicketLock::default(),
        acquired: AtomicU64::new(0),
        stop: AtomicBool::new(false),
    };
    let start = Barrier::new(threads as usize + 1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = logs
            .iter()
            .map(|log| {
                let (start, shared) = (&start, &shared);
                scope.spawn(move || {
                    start.wait();
                    take_turns(kind, shared, log)
                })
            })
            .collect();
        start.wait();
        std::thread::sleep(duration);
        shared.stop.store(true, Ordering::Relaxed);
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    })
}

/// One thread's loop: ask, wait, hold briefly, release, until told to stop.
fn take_turns(kind: LockKind, shared: &Contention, log: &ThreadLog) -> ThreadTurns {
    let mut turns = ThreadTurns::default();
    let began = SchedAccount::of_this_thread();
    while !shared.stop.load(Ordering::Relaxed) {
        log.record(EventKind::Requested, 0);
        let asked = Instant::now();
        let before = shared.acquired.load(Ordering::Relaxed);
        let guard = match kind {
            LockKind::Unfair => Some(shared.unfair.lock()),
            LockKind::Fair => {
                shared.fair.lock();
                None
            }
        };
        let waited = asked.elapsed().as_nanos() as u64;
        log.record(EventKind::Acquired, 0);
        let now = shared.acquired.fetch_add(1, Ordering::Relaxed);
        turns.acquisitions += 1;
        turns.max_wait_ns = turns.max_wait_ns.max(waited);
        turns.max_turns_waited = turns.max_turns_waited.max(now.saturating_sub(before));
        hold_briefly();
        log.record(EventKind::Released, 0);
        drop(guard);
        if kind == LockKind::Fair {
            shared.fair.unlock();
        }
    }
    turns.kernel = SchedAccount::of_this_thread()
        .zip(began)
        .map(|(end, start)| end.since(start));
    turns
}

/// A short critical section, about a microsecond of work.
fn hold_briefly() {
    let start = Instant::now();
    while start.elapsed() < Duration::from_micros(1) {
        std::hint::spin_loop();
    }
}

/// One lock's rows in the typed result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LockRow {
    pub lock: LockKind,
    pub threads: Vec<ThreadTurns>,
}

/// The typed result, as `proclab measure fairness --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fairness {
    pub machine: Machine,
    pub millis: u32,
    pub locks: Vec<LockRow>,
}

fn run(params: &Params, job: &Job) -> Result<Report, LabError> {
    let threads = params.get("threads");
    let duration = Duration::from_millis(u64::from(params.get("millis")));
    // A short warm-up of each, thrown away.
    for kind in [LockKind::Unfair, LockKind::Fair] {
        contend(kind, threads, Duration::from_millis(20));
    }
    let mut locks = Vec::new();
    let mut recorded = Vec::new();
    let origin = Instant::now();
    for (done, kind) in [LockKind::Unfair, LockKind::Fair].into_iter().enumerate() {
        if job.cancelled() {
            break;
        }
        let logs: Vec<ThreadLog> = (0..threads)
            .map(|_| ThreadLog::new(RECORDED_EVENTS, origin))
            .collect();
        locks.push(LockRow {
            lock: kind,
            threads: contend_recorded(kind, &logs, duration),
        });
        let end = origin.elapsed().as_nanos() as f64;
        recorded.extend(logs.iter().enumerate().map(|(i, log)| {
            let (en, ko) = lock_words(kind);
            (
                Recorded {
                    label: Words::new(format!("{en} · T{}", i + 1), format!("{ko} · T{}", i + 1)),
                    // Each lock its own object, so no hand-over spans the two runs.
                    events: log
                        .events()
                        .into_iter()
                        .map(|e| Event {
                            object: done as u32,
                            ..e
                        })
                        .collect(),
                    end,
                    kernel: locks
                        .last()
                        .and_then(|row: &LockRow| row.threads.get(i)?.kernel),
                },
                log.dropped(),
            )
        }));
        job.progress(done as u32 + 1, 2);
    }
    if locks.is_empty() {
        return Err(LabError::Cancelled);
    }
    let typed = Fairness {
        machine: Machine::describe(),
        millis: params.get("millis"),
        locks,
    };
    let dropped = recorded.iter().map(|r| r.1).sum();
    let lanes = recorded.into_iter().map(|r| r.0).collect();
    let objects = [LockKind::Unfair, LockKind::Fair]
        .map(|kind| lock_words(kind).0.to_owned())
        .to_vec();
    let timeline = timeline_of(lanes, objects, dropped);
    Ok(Report::new(
        FAMILY.name,
        typed.machine.clone(),
        figures(&typed),
        Words::new(NOTE_EN, NOTE_KO),
        &typed,
    )?
    .timeline(timeline)
    .cancelled(job.cancelled()))
}

fn lock_words(kind: LockKind) -> (&'static str, &'static str) {
    match kind {
        LockKind::Unfair => ("unfair lock (std mutex)", "공정하지 않은 락 (표준 뮤텍스)"),
        LockKind::Fair => ("fair ticket lock", "공정한 티켓 락"),
    }
}

/// Per lock: the acquisitions of each thread and each thread's longest wait.
fn figures(fairness: &Fairness) -> Vec<Figure> {
    let mut figures = Vec::new();
    for row in &fairness.locks {
        let (en, ko) = lock_words(row.lock);
        let acquisitions = row.threads.iter().map(|t| t.acquisitions as f64).collect();
        let waits = row.threads.iter().map(|t| t.max_wait_ns as f64).collect();
        figures.extend(Figure::of(
            Words::new(
                format!("{en}: acquisitions per thread"),
                format!("{ko}: 스레드별 획득 횟수"),
            ),
            Unit::Count,
            acquisitions,
        ));
        figures.extend(Figure::of(
            Words::new(
                format!("{en}: longest wait per thread"),
                format!("{ko}: 스레드별 가장 긴 대기"),
            ),
            Unit::Nanoseconds,
            waits,
        ));
    }
    figures
}

const NOTE_EN: &str = "Each figure has one sample per thread. Bounded waiting means no thread \
    waits for ever while others keep taking the lock: with the ticket lock a thread waits at \
    most for the turns of the threads ahead of it; the standard mutex promises no order, so a \
    thread that has just released it may take it again before a waiting thread wakes up. The \
    timeline shows each thread's first 2,000 turns as the threads recorded them (asked, got, let \
    go); the runs, one lock after the other, share its time axis.";

const NOTE_KO: &str = "각 수치에는 스레드마다 표본이 하나씩 있습니다. 한정된 대기란 다른 \
    스레드들이 락을 계속 잡는 동안 어떤 스레드도 끝없이 기다리지 않는다는 뜻입니다. 티켓 락에서는 \
    앞선 스레드들의 차례만큼만 기다립니다. 표준 뮤텍스는 순서를 약속하지 않으므로, 방금 락을 놓은 \
    스레드가 기다리던 스레드가 깨어나기 전에 다시 잡을 수 있습니다. 타임라인은 스레드마다 처음 \
    2,000번의 차례를 스레드가 직접 기록한 대로(요청, 획득, 해제) 보여 줍니다. 두 락의 실행은 차례로 \
    이어지며 한 시간 축을 함께 씁니다.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ticket_lock_serves_in_order_and_bounds_every_wait_by_the_others_turns() {
        let threads = 4;
        let turns = contend(LockKind::Fair, threads, Duration::from_millis(200));
        assert_eq!(turns.len(), threads as usize);
        for thread in &turns {
            assert!(thread.acquisitions > 0, "{turns:?}");
            // FIFO: while one thread waits, each other thread goes at most once.
            assert!(thread.max_turns_waited < u64::from(threads), "{turns:?}");
        }
    }
}
