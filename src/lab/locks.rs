//! The race fixed three ways, measured: a mutex, an atomic `fetch_add`, and per-thread sums
//! merged at the end, beside the racy version, each alone on one thread (uncontended) and with
//! N threads (contended), in nanoseconds per increment. Each fix is checked to be exact on
//! every run. Mutual exclusion is shown by recording entries and exits of the critical
//! section: the mutex never has two threads inside, the racy version does, and what the
//! recording itself costs is measured too.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Barrier, Mutex};
use std::time::Instant;

use serde::Serialize;

use super::error::LabError;
use super::experiment::{Family, Figure, Job, Param, Params, Report, Unit, Words};
use super::os::Machine;
use super::race::racy_increment;
use super::stats::Summary;
use super::timeline::Timeline;
use super::trace::{
    Event, EventKind, Recorded, RecordedRun, ThreadLog, run_recorded, timeline_of,
    turns_from_releases,
};
use crate::limits::{INCREMENTS, RACE_THREADS, RUNS};

/// The family, as the registry lists it.
pub const FAMILY: Family = Family {
    name: "locks",
    command: "locks",
    about: "The race fixed three ways (mutex, atomic fetch_add, per-thread sums) beside the \
            racy version: ns per increment uncontended and contended, exactness, and the \
            mutual-exclusion check",
    params: &[
        Param {
            name: "threads",
            en: "Threads (contended)",
            ko: "스레드 (경쟁 시)",
            range: RACE_THREADS,
            default: 4,
        },
        Param {
            name: "increments",
            en: "Increments per thread",
            ko: "스레드당 증가 횟수",
            range: INCREMENTS,
            default: 200_000,
        },
        Param {
            name: "runs",
            en: "Runs",
            ko: "반복 횟수",
            range: RUNS,
            default: 7,
        },
    ],
    texts: &[],
    run,
};

/// How the shared count is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Load, add, store: loses updates.
    Racy,
    /// Lock, add, unlock.
    Mutex,
    /// One indivisible `fetch_add`.
    Atomic,
    /// Each thread counts alone and adds its total once at the end.
    PerThread,
}

impl Method {
    pub const ALL: [Method; 4] = [
        Method::Racy,
        Method::Mutex,
        Method::Atomic,
        Method::PerThread,
    ];

    fn words(self) -> (&'static str, &'static str) {
        match self {
            Method::Racy => ("racy load/add/store", "경쟁 (읽기/더하기/쓰기)"),
            Method::Mutex => ("mutex", "뮤텍스"),
            Method::Atomic => ("atomic fetch_add", "원자적 fetch_add"),
            Method::PerThread => ("per-thread sums", "스레드별 합계"),
        }
    }
}

/// One timed run of one method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub ns_per_op: f64,
    /// The final count against the expected one.
    pub counted: u64,
    pub expected: u64,
    /// Entries into the critical section that found another thread already inside (only
    /// when recorded).
    pub overlaps: u64,
}

/// The shared state every method works on.
#[derive(Default)]
struct Shared {
    count: AtomicU64,
    locked: Mutex<u64>,
    /// Threads inside the critical section right now, when recording.
    inside: AtomicU64,
}

/// Runs `method` on `threads` threads, `increments` each, timing the whole: from the first
/// thread's start to the last thread's end, as the threads themselves read the clock (the
/// thread that starts them may be descheduled and read it late). With `record`, every
/// increment also records its entry and exit of the critical section.
pub fn time_method(method: Method, threads: u32, increments: u32, record: bool) -> Sample {
    let shared = Shared::default();
    let start = Barrier::new(threads as usize);
    let overlaps = AtomicU64::new(0);
    let spans: Vec<(Instant, Instant)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    let began = Instant::now();
                    let seen = work(method, &shared, increments, record);
                    let ended = Instant::now();
                    overlaps.fetch_add(seen, Ordering::Relaxed);
                    (began, ended)
                })
            })
            .collect();
        workers.into_iter().filter_map(|w| w.join().ok()).collect()
    });
    let first = spans.iter().map(|s| s.0).min();
    let last = spans.iter().map(|s| s.1).max();
    let took = match (first, last) {
        (Some(first), Some(last)) => last.duration_since(first).as_nanos() as f64,
        _ => 0.0,
    };
    let counted = match method {
        Method::Mutex => shared.locked.lock().map_or(0, |n| *n),
        _ => shared.count.load(Ordering::Relaxed),
    };
    let expected = u64::from(threads) * u64::from(increments);
    Sample {
        ns_per_op: took / expected.max(1) as f64,
        counted,
        expected,
        overlaps: overlaps.load(Ordering::Relaxed),
    }
}

/// One thread's increments; returns the overlaps it saw.
fn work(method: Method, shared: &Shared, increments: u32, record: bool) -> u64 {
    let mut overlaps = 0;
    let mut local = 0u64;
    for _ in 0..increments {
        match method {
            Method::Racy => {
                overlaps += enter(shared, record);
                racy_increment(&shared.count);
                leave(shared, record);
            }
            Method::Mutex => {
                if let Ok(mut count) = shared.locked.lock() {
                    overlaps += enter(shared, record);
                    *count += 1;
                    leave(shared, record);
                }
            }
            Method::Atomic => {
                shared.count.fetch_add(1, Ordering::Relaxed);
            }
            Method::PerThread => local = black_box(local + 1),
        }
    }
    if method == Method::PerThread {
        shared.count.fetch_add(local, Ordering::Relaxed);
    }
    overlaps
}

/// Records an entry; 1 if another thread was already inside.
fn enter(shared: &Shared, record: bool) -> u64 {
    if !record {
        return 0;
    }
    u64::from(shared.inside.fetch_add(1, Ordering::SeqCst) > 0)
}

fn leave(shared: &Shared, record: bool) {
    if record {
        shared.inside.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One row of the typed result: a method at a contention level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodRow {
    pub method: Method,
    pub threads: u32,
    pub ns_per_op: Summary,
    /// True when every run counted exactly what was expected.
    pub exact: bool,
    /// The most updates one run lost.
    pub lost_max: u64,
}

/// The mutual-exclusion check, with what recording costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MutualExclusion {
    pub threads: u32,
    /// Entries that found another thread inside, summed over the runs.
    pub racy_overlaps: u64,
    pub mutex_overlaps: u64,
    /// The contended mutex with and without recording, ns per increment.
    pub mutex_ns_recorded: Summary,
    pub mutex_ns_unrecorded: Summary,
}

/// The typed result, as `proclab measure locks --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Locks {
    pub machine: Machine,
    pub increments: u32,
    pub methods: Vec<MethodRow>,
    pub mutual_exclusion: MutualExclusion,
}

/// Samples of every (method, threads) pair and of the recorded runs.
#[derive(Default)]
struct Taken {
    rows: Vec<(Method, u32, Vec<Sample>)>,
    recorded: Vec<(Method, Vec<Sample>)>,
}

fn run(params: &Params, job: &Job) -> Result<Report, LabError> {
    let (threads, increments) = (params.get("threads"), params.get("increments"));
    let runs = params.get("runs");
    let pairs: Vec<(Method, u32)> = Method::ALL
        .iter()
        .flat_map(|&m| [(m, 1), (m, threads)])
        .collect();
    let mut taken = Taken {
        rows: pairs.iter().map(|&(m, t)| (m, t, Vec::new())).collect(),
        recorded: vec![(Method::Racy, Vec::new()), (Method::Mutex, Vec::new())],
    };
    // A warm-up round of everything, thrown away; then every method in turn, run after run,
    // so that all of them meet the same machine state.
    for round in 0..=runs {
        if job.cancelled() {
            break;
        }
        for (method, count, samples) in &mut taken.rows {
            let sample = time_method(*method, *count, increments, false);
            if round > 0 {
                samples.push(sample);
            }
        }
        for (method, samples) in &mut taken.recorded {
            let sample = time_method(*method, threads, increments, true);
            if round > 0 {
                samples.push(sample);
            }
        }
        job.progress(round + 1, runs + 1);
    }
    let timeline = (!job.cancelled()).then(|| mutex_timeline(threads, increments));
    let report = report(taken, threads, increments, job.cancelled())?;
    Ok(match timeline {
        Some(timeline) => report.timeline(timeline),
        None => report,
    })
}

/// Turns each thread records in the timeline run: its first increments.
const RECORDED_TURNS: usize = 2_000;

/// One more contended mutex run, apart from the timed ones, in which every thread records
/// its first increments: who waited for the lock, who held it, and the hand-overs between
/// them. Each turn is one clock reading, taken after letting go, with the lock's own count
/// read inside it; asking and getting are inferred from that order (`bench trace` measures
/// why: readings inside the lock make every other thread wait longer).
fn mutex_timeline(threads: u32, increments: u32) -> Timeline {
    let count = Mutex::new(0u64);
    let RecordedRun {
        logs,
        finished,
        began,
    } = run_recorded(threads, RECORDED_TURNS, |log| {
        for _ in 0..increments {
            let mut order = 0;
            if let Ok(mut n) = count.lock() {
                *n += 1;
                order = *n;
            }
            log.record(EventKind::Released, order as u32);
        }
    });
    // Once one log is full, the others' turns lose the turn before them: every lane ends
    // there, so that each turn shown is ordered after the one before it.
    let horizon = logs
        .iter()
        .filter(|log| log.dropped() > 0)
        .filter_map(|log| log.events().last().map(|e| e.at))
        .min()
        .unwrap_or(u64::MAX);
    let recorded: Vec<Vec<Event>> = logs
        .iter()
        .map(|log| {
            log.events()
                .into_iter()
                .filter(|e| e.at <= horizon)
                .collect()
        })
        .collect();
    let turns = turns_from_releases(&recorded, 0, began);
    let threads = turns
        .into_iter()
        .zip(finished)
        .enumerate()
        .map(|(i, (events, finished))| Recorded {
            label: Words::new(
                format!("mutex · T{}", i + 1),
                format!("뮤텍스 · T{}", i + 1),
            ),
            end: finished.min(horizon as f64),
            events,
            kernel: None,
        })
        .collect();
    let dropped = logs.iter().map(ThreadLog::dropped).sum();
    timeline_of(threads, vec!["count".into()], dropped)
}

fn summary_of(samples: &[Sample]) -> Result<Summary, LabError> {
    let values: Vec<f64> = samples.iter().map(|s| s.ns_per_op).collect();
    Summary::of(&values).ok_or(LabError::Cancelled)
}

fn report(
    taken: Taken,
    threads: u32,
    increments: u32,
    cancelled: bool,
) -> Result<Report, LabError> {
    let mut methods = Vec::new();
    let mut figures = Vec::new();
    for (method, count, samples) in &taken.rows {
        methods.push(MethodRow {
            method: *method,
            threads: *count,
            ns_per_op: summary_of(samples)?,
            exact: samples.iter().all(|s| s.counted == s.expected),
            lost_max: samples
                .iter()
                .map(|s| s.expected - s.counted.min(s.expected))
                .max()
                .unwrap_or(0),
        });
        let (en, ko) = method.words();
        let label = Words::new(
            format!("{en}, {count} thread(s): ns per increment"),
            format!("{ko}, 스레드 {count}개: 증가 한 번에 걸린 ns"),
        );
        figures.extend(Figure::of(
            label,
            Unit::Nanoseconds,
            samples.iter().map(|s| s.ns_per_op).collect(),
        ));
    }
    let overlaps = |m: Method| -> u64 {
        taken
            .recorded
            .iter()
            .filter(|(r, _)| *r == m)
            .flat_map(|(_, s)| s)
            .map(|s| s.overlaps)
            .sum()
    };
    let recorded_mutex = taken
        .recorded
        .iter()
        .find(|(m, _)| *m == Method::Mutex)
        .map(|(_, s)| s.as_slice())
        .unwrap_or_default();
    let unrecorded_mutex = taken
        .rows
        .iter()
        .find(|(m, t, _)| *m == Method::Mutex && *t == threads)
        .map(|(_, _, s)| s.as_slice())
        .unwrap_or_default();
    let typed = Locks {
        machine: Machine::describe(),
        increments,
        methods,
        mutual_exclusion: MutualExclusion {
            threads,
            racy_overlaps: overlaps(Method::Racy),
            mutex_overlaps: overlaps(Method::Mutex),
            mutex_ns_recorded: summary_of(recorded_mutex)?,
            mutex_ns_unrecorded: summary_of(unrecorded_mutex)?,
        },
    };
    let me = &typed.mutual_exclusion;
    Ok(Report::new(
        FAMILY.name,
        typed.machine.clone(),
        figures,
        note(&typed),
        &typed,
    )?
    .fact(
        "racy version: entries that found another thread inside",
        "경쟁 버전: 다른 스레드가 이미 안에 있을 때 들어간 횟수",
        me.racy_overlaps,
    )
    .fact(
        "mutex: entries that found another thread inside",
        "뮤텍스: 다른 스레드가 이미 안에 있을 때 들어간 횟수",
        me.mutex_overlaps,
    )
    .cancelled(cancelled))
}

/// How to read the figures, with what this run found about exactness and overlaps.
fn note(locks: &Locks) -> Words {
    let inexact: Vec<&str> = locks
        .methods
        .iter()
        .filter(|m| !m.exact)
        .map(|m| m.method.words().0)
        .collect();
    let me = &locks.mutual_exclusion;
    let (threads, racy, mutex) = (me.threads, me.racy_overlaps, me.mutex_overlaps);
    let (with, without) = (me.mutex_ns_recorded.median, me.mutex_ns_unrecorded.median);
    let cost = with - without;
    let (named_en, named_ko) = match inexact.is_empty() {
        true => ("none".to_owned(), "없음".to_owned()),
        false => (inexact.join(", "), inexact.join(", ")),
    };
    Words::new(
        format!(
            "ns per increment is the run's wall time, first start to last finish, divided by \
             every increment of every thread. Every fix counted exactly on every run unless \
             named here: {named_en}. Recording entries and exits with {threads} threads: the \
             racy version had {racy} entries that found another thread inside, the mutex \
             {mutex}. Recording cost the contended mutex {cost:.1} ns per increment ({with:.1} \
             ns with, {without:.1} ns without). Uncontended, the mutex figure is the price of \
             taking a free lock: progress means a free lock is taken at once. The timeline is \
             one more contended run in which each thread recorded its first 2,000 increments, one \
             clock reading each after letting go; when each asked and got the lock is inferred \
             from the lock's order."
        ),
        format!(
            "증가 한 번에 걸린 ns는 실행 전체의 벽시계 시간(첫 시작부터 마지막 끝까지)을 모든 \
             스레드의 증가 횟수로 나눈 값입니다. 여기 적힌 방법 말고는 모든 해결책이 매번 정확히 \
             셌습니다: {named_ko}. 스레드 {threads}개로 임계 구역의 진입과 퇴장을 기록했더니, 경쟁 \
             버전은 다른 스레드가 이미 안에 있을 때 들어간 경우가 {racy}번, 뮤텍스는 {mutex}번이었습니다. \
             기록 비용은 경쟁하는 뮤텍스에서 증가 한 번에 {cost:.1} ns였습니다(기록할 때 {with:.1} ns, \
             안 할 때 {without:.1} ns). 경쟁이 없을 때의 뮤텍스 수치가 빈 락을 잡는 값입니다. 진행 \
             조건은 빈 락을 곧바로 잡을 수 있다는 뜻입니다. 타임라인은 따로 한 번 더 경쟁시킨 실행으로, \
             스레드마다 처음 2,000번의 증가를 해제 직후 시계를 한 번씩 읽어 기록했습니다. 언제 \
             요청하고 얻었는지는 락의 순서로 추정합니다."
        ),
    )
}
