//! Lost updates, for real: N threads each add 1 to one shared counter M times with a split
//! read-modify-write (a relaxed atomic load, an add, a separate relaxed store). Nothing here is
//! undefined behaviour, yet two threads can both load the same value and both store it plus
//! one, and one increment is gone. The run is repeated K times to show how many are lost.
//!
//! Processes race too once they share memory: P child processes (the child half below) do
//! the same on one counter in a file they all map. As a control, each child also counts in a
//! private counter of its own, which loses nothing and which nobody else sees.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::child::{ChildProcess, from_parent, to_parent};
use super::shared_memory::SharedRegion;

use super::error::LabError;
use super::experiment::{Family, Figure, Job, Param, Params, RACING_THREADS, Report, Unit, Words};
use super::os::Machine;
use super::timeline::{ThreadState, Timeline};
use super::trace::{EventKind, Recorded, ThreadLog, run_recorded, timeline_of};
use crate::limits::{INCREMENTS, RACE_THREADS, RUNS};

/// The family, as the registry lists it.
pub const FAMILY: Family = Family {
    name: "race",
    command: "race",
    about: "Lost updates, for real: N threads each add 1 to one shared counter M times with a \
            split load / add / store, K runs; expected, actual and lost per run",
    params: &[
        RACING_THREADS,
        Param {
            name: "increments",
            en: "Increments per thread",
            ko: "스레드당 증가 횟수",
            range: INCREMENTS,
            default: 1_000_000,
        },
        Param {
            name: "processes",
            en: "Processes",
            ko: "프로세스",
            range: RACE_THREADS,
            default: 2,
        },
        Param {
            name: "runs",
            en: "Runs",
            ko: "반복 횟수",
            range: RUNS,
            default: 10,
        },
    ],
    texts: &[],
    run,
};

/// One run's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RaceRun {
    pub expected: u64,
    pub actual: u64,
    pub lost: u64,
}

/// The typed result, as `proclab measure race --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Race {
    pub machine: Machine,
    pub threads: u32,
    pub increments: u32,
    /// Of the last run, for a quick look; every run is in `runs`.
    pub expected: u64,
    pub actual: u64,
    pub lost: u64,
    pub runs: Vec<RaceRun>,
    /// The same race between child processes sharing one mapped counter.
    pub processes: u32,
    pub process_runs: Vec<RaceRun>,
    /// What each child counted in its own private counter (last run): exactly its
    /// increments, seen by no one else.
    pub private_counts: Vec<u64>,
}

/// `count += 1` split in three, as a compiler may emit it for a plain variable: load, add,
/// store. Another thread's store between the load and the store is overwritten.
#[inline(never)]
pub fn racy_increment(counter: &AtomicU64) {
    let loaded = counter.load(Ordering::Relaxed);
    counter.store(loaded + 1, Ordering::Relaxed);
}

/// One race: `threads` threads released together by a barrier, each incrementing `increments`
/// times.
pub fn race_once(threads: u32, increments: u32) -> RaceRun {
    let counter = AtomicU64::new(0);
    let start = Barrier::new(threads as usize);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                start.wait();
                for _ in 0..increments {
                    racy_increment(&counter);
                }
            });
        }
    });
    let expected = u64::from(threads) * u64::from(increments);
    let actual = counter.load(Ordering::Relaxed);
    RaceRun {
        expected,
        actual,
        lost: expected.saturating_sub(actual),
    }
}

/// Increments between two clock readings in the timeline run.
const READ_EVERY: u32 = 16;

/// A pause in a racing thread's readings longer than this means it was off the CPU.
const RACE_GAP: Duration = Duration::from_micros(20);

/// One more race, apart from the counted ones, in which every thread reads the clock every
/// few increments and records each pause in its own progress: when it ran and when it
/// waited for a CPU. Updates can only be lost while two of them run at once.
pub fn race_timeline(threads: u32, increments: u32) -> Timeline {
    let counter = AtomicU64::new(0);
    let run = run_recorded(threads, 4_000, |log| {
        race_recording_gaps(log, &counter, increments);
    });
    let lanes = run
        .logs
        .iter()
        .zip(run.finished)
        .enumerate()
        .map(|(i, (log, end))| Recorded {
            label: Words::new(format!("T{}", i + 1), format!("T{}", i + 1)),
            events: log.events(),
            end,
            kernel: None,
        })
        .collect();
    timeline_of(
        lanes,
        Vec::new(),
        run.logs.iter().map(ThreadLog::dropped).sum(),
    )
}

/// `increments` racy increments, recording a gap whenever the clock jumped between readings.
fn race_recording_gaps(log: &ThreadLog, counter: &AtomicU64, increments: u32) {
    let gap = RACE_GAP.as_nanos() as u64;
    let mut last = log.now();
    log.record_at(last, EventKind::Began, 0);
    for done in 0..increments {
        racy_increment(counter);
        if done % READ_EVERY == 0 {
            let now = log.now();
            if now - last > gap {
                log.record_at(last, EventKind::GapBegan, 0);
                log.record_at(now, EventKind::GapEnded, 0);
            }
            last = now;
        }
    }
    log.record_at(log.now(), EventKind::Finished, 0);
}

/// The share of the time from the first start to the last finish in which two or more
/// threads ran at once.
pub fn overlap_share(timeline: &Timeline) -> f64 {
    let mut edges: Vec<(f64, i32)> = timeline
        .lanes
        .iter()
        .flat_map(|l| l.spans.iter())
        .filter(|s| s.state == ThreadState::Running)
        .flat_map(|s| [(s.start, 1), (s.end, -1)])
        .collect();
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (Some(first), Some(last)) = (edges.first(), edges.last()) else {
        return 0.0;
    };
    let (whole, mut both, mut running, mut since) = (last.0 - first.0, 0.0, 0, first.0);
    for (at, change) in &edges {
        if running >= 2 {
            both += at - since;
        }
        running += change;
        since = *at;
    }
    if whole > 0.0 { both / whole } else { 0.0 }
}

fn run(params: &Params, job: &Job) -> Result<Report, LabError> {
    let (threads, increments) = (params.get("threads"), params.get("increments"));
    let processes = params.get("processes");
    let total = params.get("runs");
    let (mut runs, mut process_runs, mut private_counts) = (Vec::new(), Vec::new(), Vec::new());
    for done in 0..total {
        if job.cancelled() {
            break;
        }
        runs.push(race_once(threads, increments));
        let (run, private) =
            race_processes(job.worker_exe, processes, increments).map_err(LabError::measurement)?;
        process_runs.push(run);
        private_counts = private;
        job.progress(done + 1, total);
    }
    let last = *runs.last().ok_or(LabError::Cancelled)?;
    let lost = |runs: &[RaceRun]| runs.iter().map(|r| r.lost as f64).collect::<Vec<_>>();
    let figures = [
        Figure::of(
            Words::new(
                format!("threads: updates lost per run (of {})", last.expected),
                format!("스레드: 한 번에 잃은 증가 수 (기대값 {})", last.expected),
            ),
            Unit::Count,
            lost(&runs),
        ),
        Figure::of(
            Words::new(
                "threads: final count per run",
                "스레드: 실행마다 최종 count",
            ),
            Unit::Count,
            runs.iter().map(|r| r.actual as f64).collect(),
        ),
        Figure::of(
            Words::new(
                format!(
                    "processes sharing a mapping: lost per run (of {})",
                    u64::from(processes) * u64::from(increments)
                ),
                format!(
                    "매핑을 공유한 프로세스: 한 번에 잃은 증가 수 (기대값 {})",
                    u64::from(processes) * u64::from(increments)
                ),
            ),
            Unit::Count,
            lost(&process_runs),
        ),
    ];
    let typed = Race {
        machine: Machine::describe(),
        threads,
        increments,
        expected: last.expected,
        actual: last.actual,
        lost: last.lost,
        runs,
        processes,
        process_runs,
        private_counts,
    };
    let private = typed
        .private_counts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>();
    let timeline = race_timeline(threads, increments);
    let overlap = overlap_share(&timeline);
    Ok(Report::new(
        FAMILY.name,
        typed.machine.clone(),
        figures.into_iter().flatten().collect(),
        Words::new(NOTE_EN, NOTE_KO),
        &typed,
    )?
    .timeline(timeline)
    .fact(
        "timeline run: time two or more threads ran at once (only then can updates be lost)",
        "타임라인 실행: 스레드 둘 이상이 동시에 돈 시간 (이때만 증가를 잃을 수 있음)",
        format!("{:.0}%", overlap * 100.0),
    )
    .fact(
        "threads, last run: expected",
        "스레드, 마지막 실행: 기대값",
        last.expected,
    )
    .fact("actual", "실제", last.actual)
    .fact("lost", "잃음", last.lost)
    .fact(
        "each child's private counter (nobody else's)",
        "자식마다 자기만의 카운터 (다른 누구의 것도 아님)",
        private.join(", "),
    )
    .cancelled(job.cancelled()))
}

/// The worker-mode role of the racing child.
pub const CHILD_ROLE: &str = "race-process";

/// What the parent tells a racing child.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ToChild {
    /// Map the counter file and get ready to add `increments` times.
    Prepare { counter: PathBuf, increments: u32 },
    /// Start adding.
    Go,
}

/// What a racing child tells its parent.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum FromChild {
    Ready,
    /// Done; its private counter, which nobody else could touch.
    Done {
        private: u64,
    },
}

/// One race between `processes` children on a counter file they all map; returns the run and
/// every child's private count. Children are started and reaped through `lab::child`.
fn race_processes(exe: &Path, processes: u32, increments: u32) -> io::Result<(RaceRun, Vec<u64>)> {
    let file = tempfile::NamedTempFile::new()?;
    let counter = SharedRegion::create(file.as_file(), 0)?;
    let (send, replies) = crossbeam_channel::unbounded();
    let mut children = Vec::new();
    for _ in 0..processes {
        let send = send.clone();
        let mut child = ChildProcess::spawn(exe, CHILD_ROLE, move |m: FromChild| {
            let _ = send.send(m);
        })?;
        child.send(&ToChild::Prepare {
            counter: file.path().to_owned(),
            increments,
        });
        children.push(child);
    }
    let wait = |count: u32, want: fn(&FromChild) -> Option<u64>| -> io::Result<Vec<u64>> {
        (0..count)
            .map(|_| {
                let message = replies
                    .recv_timeout(Duration::from_secs(30))
                    .map_err(|_| io::Error::other("a racing child did not answer"))?;
                want(&message)
                    .ok_or_else(|| io::Error::other("a racing child answered out of turn"))
            })
            .collect()
    };
    wait(processes, |m| matches!(m, FromChild::Ready).then_some(0))?;
    for child in &mut children {
        child.send(&ToChild::Go);
    }
    let private = wait(processes, |m| match m {
        FromChild::Done { private } => Some(*private),
        FromChild::Ready => None,
    })?;
    for child in children {
        child.stop(Instant::now() + Duration::from_secs(1))?;
    }
    let expected = u64::from(processes) * u64::from(increments);
    let actual = counter.counter(0).load(Ordering::Relaxed);
    let run = RaceRun {
        expected,
        actual,
        lost: expected.saturating_sub(actual),
    };
    Ok((run, private))
}

/// The child's half: map the counter, say ready, and at the parent's word add to it (racily)
/// and to a private counter of its own, then report the private one.
pub fn run_child() -> io::Result<()> {
    let mut orders = from_parent::<ToChild>();
    let Some(ToChild::Prepare {
        counter,
        increments,
    }) = orders.next()
    else {
        return Err(io::Error::other("expected the counter to race on"));
    };
    let shared = SharedRegion::open(
        &std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(counter)?,
    )?;
    to_parent(&FromChild::Ready)?;
    if !matches!(orders.next(), Some(ToChild::Go)) {
        return Ok(());
    }
    let private = AtomicU64::new(0);
    for _ in 0..increments {
        racy_increment(shared.counter(0));
        racy_increment(&private);
    }
    to_parent(&FromChild::Done {
        private: private.load(Ordering::Relaxed),
    })
}

const NOTE_EN: &str = "Each thread runs `count += 1` as three steps: load the counter, add \
    one, store it back (a relaxed atomic load and a separate relaxed store, so the program is \
    well defined and the race is only about order). When two threads load the same value, \
    both store the same result and one increment is lost. How many are lost depends on how \
    often the threads really overlap: on one CPU only when the scheduler switches between the \
    load and the store; on several CPUs all the time. The timeline is one more race in which \
    each thread read the clock every 16 increments: a pause of more than 20 µs between two \
    readings is time it spent off the CPU, waiting for one.";

const NOTE_KO: &str = "각 스레드는 `count += 1`을 세 단계로 실행합니다. 카운터를 읽고, 1을 \
    더하고, 다시 씁니다(relaxed 원자적 읽기와 별도의 relaxed 쓰기라서 프로그램은 정의된 동작이며, \
    경쟁은 순서의 문제일 뿐입니다). 두 스레드가 같은 값을 읽으면 둘 다 같은 결과를 쓰고 증가 \
    하나가 사라집니다. 얼마나 사라지는지는 스레드가 실제로 얼마나 겹치는지에 달려 있습니다. CPU가 \
    하나면 읽기와 쓰기 사이에 스케줄러가 전환할 때만, 여러 개면 늘 겹칩니다. 타임라인은 따로 한 번 \
    더 경쟁시킨 실행으로, 스레드마다 16번 증가할 때마다 시계를 읽었습니다. 두 읽기 사이가 20 µs보다 \
    길면 그동안 CPU를 떠나 CPU를 기다린 것입니다.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_thread_alone_loses_nothing() {
        let run = race_once(1, 100_000);
        assert_eq!(
            run,
            RaceRun {
                expected: 100_000,
                actual: 100_000,
                lost: 0
            }
        );
    }
}
