//! Time slicing on the real machine: N CPU-bound threads pinned to one CPU, each recording the
//! intervals in which it really ran, from the gaps in its own clock readings (while a thread
//! runs it reads the clock every few tens of nanoseconds; a gap means the CPU was elsewhere).
//! Beside them, the kernel's own account of each thread (`schedstat`: time on the CPU, time
//! waiting, times put on it). The intervals are drawn as a Gantt chart on one time axis.
//!
//! A gap can also be an interrupt or another program on that CPU. Gaps in which none of the
//! other measured threads ran are therefore closed again, so that an interval is one turn
//! among the measured threads, and intervals of different threads never overlap (they share
//! one CPU; a test holds them to it).

use std::sync::Barrier;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::error::LabError;
use super::experiment::{
    Family, Figure, Job, Lane, Param, Params, RACING_THREADS, Report, Span, Timeline, Unit, Words,
};
use super::os::{self, Machine, SchedAccount};

/// A pause in a thread's clock readings longer than this means it was off the CPU. Readings
/// are tens of nanoseconds apart while it runs.
pub const GAP: Duration = Duration::from_micros(3);

/// The family, as the registry lists it.
pub const FAMILY: Family = Family {
    name: "timeslice",
    command: "timeslice",
    about: "Time slicing: CPU-bound threads pinned to one CPU record when they really ran \
            (a Gantt chart), beside the kernel's schedstat; the real slice length against a \
            textbook quantum",
    params: &[
        RACING_THREADS,
        Param {
            name: "millis",
            en: "Run for (ms)",
            ko: "실행 시간 (ms)",
            range: crate::limits::CONTENTION_MILLIS,
            default: 300,
        },
    ],
    texts: &[],
    run,
};

/// The typed result, as `proclab measure timeslice --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeslice {
    pub machine: Machine,
    /// The CPU every thread was pinned to.
    pub cpu: usize,
    /// How long the threads ran, in nanoseconds.
    pub run_for_ns: u64,
    pub threads: Vec<ThreadSlices>,
    /// Timer interrupts that CPU took per second during the run (the scheduler's tick while
    /// it is busy); `None` where the kernel does not list them.
    pub timer_ticks_per_second: Option<f64>,
}

/// What one thread recorded, and what the kernel says of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadSlices {
    pub tid: u32,
    /// Turns on the CPU it recorded.
    pub slices: usize,
    pub mean_slice_ns: f64,
    /// The kernel's account over the same run.
    pub run_ns: u64,
    pub wait_ns: u64,
    pub kernel_slices: u64,
    /// (start, end) of every turn, in nanoseconds from the common start.
    pub spans: Vec<(f64, f64)>,
}

/// One thread's raw recording.
struct Recording {
    tid: u32,
    spans: Vec<(f64, f64)>,
    account: SchedAccount,
}

fn run(params: &Params, job: &Job) -> Result<Report, LabError> {
    let failed = LabError::measurement;
    let threads = params.get("threads");
    let run_for = Duration::from_millis(u64::from(params.get("millis")));
    let cpu = os::first_allowed_cpu().map_err(failed)?;
    job.progress(0, 1);
    let ticks_before = os::local_timer_interrupts(cpu);
    let started = Instant::now();
    let recordings = record(threads, run_for, cpu).map_err(failed)?;
    let ticks = os::local_timer_interrupts(cpu)
        .zip(ticks_before)
        .map(|(after, before)| {
            after.saturating_sub(before) as f64 / started.elapsed().as_secs_f64()
        });
    job.progress(1, 1);
    let merged = merge_foreign_gaps(recordings.iter().map(|r| r.spans.clone()).collect());
    let typed = Timeslice {
        machine: Machine::describe(),
        cpu,
        run_for_ns: run_for.as_nanos() as u64,
        threads: recordings
            .iter()
            .zip(merged)
            .map(|(recording, spans)| thread_slices(recording, spans))
            .collect(),
        timer_ticks_per_second: ticks,
    };
    report(typed)
}

fn thread_slices(recording: &Recording, spans: Vec<(f64, f64)>) -> ThreadSlices {
    let total: f64 = spans.iter().map(|(start, end)| end - start).sum();
    ThreadSlices {
        tid: recording.tid,
        slices: spans.len(),
        mean_slice_ns: total / spans.len().max(1) as f64,
        run_ns: recording.account.run_ns,
        wait_ns: recording.account.wait_ns,
        kernel_slices: recording.account.slices,
        spans,
    }
}

/// Starts `threads` threads pinned to `cpu`, lets them run together for `run_for`, and
/// returns what each recorded.
fn record(threads: u32, run_for: Duration, cpu: usize) -> std::io::Result<Vec<Recording>> {
    let start = Barrier::new(threads as usize);
    let origin = Instant::now();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                std::thread::Builder::new()
                    .name("timeslice".into())
                    .spawn_scoped(scope, || record_one(cpu, &start, origin, run_for))
            })
            .collect::<std::io::Result<_>>()?;
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .map_err(|_| std::io::Error::other("a recording thread panicked"))?
            })
            .collect()
    })
}

/// One thread's half: pin, wait for the others, then read the clock until the run is over,
/// closing an interval at every gap.
fn record_one(
    cpu: usize,
    start: &Barrier,
    origin: Instant,
    run_for: Duration,
) -> std::io::Result<Recording> {
    os::pin_current_thread(cpu)?;
    let tid = os::current_thread_id();
    start.wait();
    let before = SchedAccount::of_this_thread().unwrap_or_default();
    let deadline = Instant::now() + run_for;
    let nanos = |at: Instant| at.duration_since(origin).as_nanos() as f64;
    let mut spans = Vec::new();
    let mut first = Instant::now();
    let mut last = first;
    while last < deadline {
        let now = Instant::now();
        if now.duration_since(last) > GAP {
            spans.push((nanos(first), nanos(last)));
            first = now;
        }
        last = now;
    }
    spans.push((nanos(first), nanos(last)));
    let account = SchedAccount::of_this_thread()
        .unwrap_or_default()
        .since(before);
    Ok(Recording {
        tid,
        spans,
        account,
    })
}

/// Each thread's intervals with the gaps in which no other thread ran closed (an interrupt,
/// another program): what is left is one turn per interval among the measured threads.
pub fn merge_foreign_gaps(threads: Vec<Vec<(f64, f64)>>) -> Vec<Vec<(f64, f64)>> {
    let mut others: Vec<(f64, f64, usize)> = threads
        .iter()
        .enumerate()
        .flat_map(|(i, spans)| spans.iter().map(move |&(s, e)| (s, e, i)))
        .collect();
    // On one CPU the intervals do not overlap, so sorted by start they are sorted by end too.
    others.sort_by(|a, b| a.0.total_cmp(&b.0));
    let someone_else_ran = |me: usize, from: f64, to: f64| {
        let first = others.partition_point(|&(_, end, _)| end <= from);
        others[first..]
            .iter()
            .take_while(|&&(start, _, _)| start < to)
            .any(|&(_, _, i)| i != me)
    };
    threads
        .iter()
        .enumerate()
        .map(|(me, spans)| {
            let mut merged: Vec<(f64, f64)> = Vec::with_capacity(spans.len());
            for &(start, end) in spans {
                match merged.last_mut() {
                    Some(last) if !someone_else_ran(me, last.1, start) => last.1 = end,
                    _ => merged.push((start, end)),
                }
            }
            merged
        })
        .collect()
}

fn report(typed: Timeslice) -> Result<Report, LabError> {
    let slices: Vec<f64> = all_spans(&typed)
        .map(|(_, (start, end))| end - start)
        .collect();
    let waits: Vec<f64> = typed
        .threads
        .iter()
        .flat_map(|t| t.spans.windows(2).map(|w| w[1].0 - w[0].1))
        .collect();
    let figures = [
        (
            (
                "slice length (every turn)",
                "타임 슬라이스 길이 (모든 차례)",
            ),
            slices,
        ),
        (
            (
                "wait between a thread's turns",
                "한 스레드의 차례 사이 대기",
            ),
            waits,
        ),
    ]
    .into_iter()
    .filter_map(|((en, ko), samples)| Figure::of(Words::new(en, ko), Unit::Nanoseconds, samples))
    .collect();
    let timeline = Timeline::of_lanes(
        typed
            .threads
            .iter()
            .enumerate()
            .map(|(i, t)| Lane {
                label: Words::new(
                    format!("thread {} (tid {})", i + 1, t.tid),
                    format!("스레드 {} (tid {})", i + 1, t.tid),
                ),
                spans: t.spans.iter().map(|&(a, b)| Span::running(a, b)).collect(),
                kernel: Some(SchedAccount {
                    run_ns: t.run_ns,
                    wait_ns: t.wait_ns,
                    slices: t.kernel_slices,
                }),
            })
            .collect(),
    );
    let mut report = Report::new(
        FAMILY.name,
        typed.machine.clone(),
        figures,
        Words::new(NOTE_EN, NOTE_KO),
        &typed,
    )?
    .timeline(timeline)
    .fact("Pinned to CPU", "고정한 CPU", typed.cpu);
    if let Some(ticks) = typed.timer_ticks_per_second {
        report = report.fact(
            "Timer ticks on that CPU during the run",
            "실행 중 그 CPU의 타이머 틱",
            format!(
                "{ticks:.0}/s · {}",
                Unit::Nanoseconds.format(1e9 / ticks.max(1.0))
            ),
        );
    }
    for (i, t) in typed.threads.iter().enumerate() {
        report = report.fact(
            &format!("thread {}: kernel's run / wait / slices", i + 1),
            &format!("스레드 {}: 커널 기록 실행 / 대기 / 슬라이스", i + 1),
            format!(
                "{} / {} / {}",
                Unit::Nanoseconds.format(t.run_ns as f64),
                Unit::Nanoseconds.format(t.wait_ns as f64),
                t.kernel_slices
            ),
        );
    }
    Ok(report)
}

fn all_spans(typed: &Timeslice) -> impl Iterator<Item = (usize, (f64, f64))> + '_ {
    typed
        .threads
        .iter()
        .enumerate()
        .flat_map(|(i, t)| t.spans.iter().map(move |&span| (i, span)))
}

/// Whether no two threads' intervals overlap: on one CPU, one thread runs at a time.
pub fn intervals_overlap(typed: &Timeslice) -> bool {
    let mut spans: Vec<(f64, f64)> = all_spans(typed).map(|(_, span)| span).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    spans.windows(2).any(|w| w[1].0 < w[0].1)
}

const NOTE_EN: &str = "All threads are pinned to one CPU and compute without pause; each reads \
    the clock in a loop and a pause of more than 3 µs between two readings ends one of its \
    turns (a pause in which no other measured thread ran, an interrupt or another program, \
    does not). Textbooks give round robin a fixed quantum such as 10 ms. Linux has none: its \
    scheduler (EEVDF since 6.6, CFS before) gives each runnable thread a slice derived from a \
    base slice and the number of CPUs, picks next the eligible thread with the earliest \
    virtual deadline, and lets a thread that woke up take the CPU sooner. A thread that \
    computes is only interrupted by the timer tick, so a used-up slice ends at the next tick: \
    compare the turns with the ticks counted on that CPU during the run. The figures say how \
    long the turns really were on this machine; the kernel's schedstat (time on the CPU, time \
    waiting in the run queue, times put on the CPU) is read around the run for each thread.";

const NOTE_KO: &str = "모든 스레드를 한 CPU에 고정하고 쉬지 않고 계산하게 했습니다. 각 \
    스레드는 반복하며 시계를 읽고, 두 번 읽는 사이가 3 µs보다 길면 자기 차례 하나가 끝난 \
    것으로 봅니다(그 사이 측정 중인 다른 스레드가 돌지 않았다면, 즉 인터럽트나 다른 \
    프로그램이었다면 끝난 것으로 보지 않습니다). 교과서는 라운드 로빈에 10 ms 같은 고정 \
    퀀텀을 둡니다. 리눅스에는 고정 퀀텀이 없습니다. 스케줄러(6.6부터 EEVDF, 그 전에는 CFS)는 \
    기본 슬라이스와 CPU 수로 정한 슬라이스를 실행 가능한 스레드마다 주고, 자격이 있는 스레드 \
    가운데 가상 마감 시각이 가장 이른 것을 다음으로 고르며, 막 깨어난 스레드가 더 빨리 CPU를 \
    얻게 합니다. 계산만 하는 스레드는 타이머 틱에서만 끊기므로, 다 쓴 \
    슬라이스는 다음 틱에서 끝납니다. 차례의 길이를 실행 중 그 CPU에서 센 틱과 비교해 보세요. \
    수치는 이 컴퓨터에서 차례가 실제로 얼마나 길었는지 보여 주고, 스레드마다 \
    커널의 schedstat(CPU에서 보낸 시간, 실행 대기열에서 기다린 시간, CPU에 오른 횟수)을 실행 \
    전후로 읽었습니다.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_in_which_no_other_thread_ran_are_closed() {
        let a = vec![(0.0, 10.0), (12.0, 20.0), (40.0, 50.0)];
        let b = vec![(21.0, 39.0)];
        let merged = merge_foreign_gaps(vec![a, b]);
        assert_eq!(merged[0], [(0.0, 20.0), (40.0, 50.0)]);
        assert_eq!(merged[1], [(21.0, 39.0)]);
    }
}
