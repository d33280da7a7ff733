//! Round-robin scheduling of one CPU, simulated: the textbook's account of time slicing that
//! the real measurement (`lab::timeslice`) is put beside. Tasks arrive, run for at most one
//! quantum, go to the back of a first-in first-out ready queue when it expires, leave the CPU
//! when they block on I/O, and come back to the queue when it is done.
//!
//! Rules, so that every number can be checked by hand: time is in whole milliseconds; a task
//! that arrives or finishes its I/O at the same instant as a quantum expires is queued before
//! the preempted task; a context switch is counted each time the CPU passes from one task to
//! a different one (a task that keeps the CPU because nobody else is ready is not switched).

use std::collections::VecDeque;

use super::{Caption, Script};

/// One stretch of a task's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Burst {
    /// Computing, for this many milliseconds of CPU.
    Cpu(u32),
    /// Blocked on I/O for this many milliseconds.
    Io(u32),
}

/// A task: when it arrives and what it does, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub arrival: u32,
    pub bursts: Vec<Burst>,
}

/// Why a slice ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SliceEnd {
    /// Its quantum ran out; it went to the back of the queue.
    Expired,
    /// It blocked on I/O.
    Blocked,
    /// It had no more work.
    Finished,
}

/// A task's turn on the CPU: `[start, end)` in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    pub task: usize,
    pub start: u32,
    pub end: u32,
    pub ended: SliceEnd,
    /// Tasks in the ready queue when the slice ended, first in line first.
    pub queue_after: usize,
}

/// The whole schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub slices: Vec<Slice>,
    /// Times the CPU passed from one task to a different one.
    pub switches: u32,
    /// When each task finished.
    pub finish: Vec<u32>,
    /// CPU time each task got.
    pub cpu: Vec<u32>,
    /// Time each task was ready but not running.
    pub waiting: Vec<u32>,
    /// Stretches with no task ready: `[start, end)`.
    pub idle: Vec<(u32, u32)>,
}

/// Where a task stands while the simulation runs.
struct Progress {
    /// Index of the burst under way.
    burst: usize,
    /// What is left of it.
    left: u32,
    /// When it is next ready (arrival, or the end of its I/O); `None` once queued or done.
    ready_at: Option<u32>,
}

/// Schedules `tasks` round robin with `quantum` ms slices (at least 1), paying `switch_cost`
/// ms of CPU each time it passes to a different task.
pub fn schedule(tasks: &[Task], quantum: u32, switch_cost: u32) -> Schedule {
    let quantum = quantum.max(1);
    let mut progress: Vec<Progress> = tasks
        .iter()
        .map(|t| Progress {
            burst: 0,
            left: 0,
            ready_at: Some(t.arrival),
        })
        .collect();
    for (task, p) in tasks.iter().zip(progress.iter_mut()) {
        start_burst(task, p, 0);
    }
    let mut out = Schedule {
        slices: Vec::new(),
        switches: 0,
        finish: vec![0; tasks.len()],
        cpu: vec![0; tasks.len()],
        waiting: vec![0; tasks.len()],
        idle: Vec::new(),
    };
    let mut queue = VecDeque::new();
    let mut now = 0;
    let mut last: Option<usize> = None;
    loop {
        admit(&mut progress, &mut queue, now);
        let Some(task) = queue.pop_front() else {
            match progress.iter().filter_map(|p| p.ready_at).min() {
                Some(next) => {
                    out.idle.push((now, next));
                    now = next;
                    continue;
                }
                None => break,
            }
        };
        if last.is_some_and(|l| l != task) {
            out.switches += 1;
            now += switch_cost;
        }
        last = Some(task);
        let p = &mut progress[task];
        let run = p.left.min(quantum);
        let start = now;
        now += run;
        p.left -= run;
        out.cpu[task] += run;
        // Arrivals up to now queue before the preempted task (the tie rule above).
        admit(&mut progress, &mut queue, now);
        let ended = end_slice(&tasks[task], &mut progress[task], now);
        if ended == SliceEnd::Expired {
            queue.push_back(task);
        }
        if ended == SliceEnd::Finished {
            out.finish[task] = now;
        }
        out.slices.push(Slice {
            task,
            start,
            end: now,
            ended,
            queue_after: queue.len(),
        });
    }
    for (i, task) in tasks.iter().enumerate() {
        let io: u32 = task
            .bursts
            .iter()
            .map(|b| match b {
                Burst::Io(d) => *d,
                Burst::Cpu(_) => 0,
            })
            .sum();
        out.waiting[i] = out.finish[i].saturating_sub(task.arrival + out.cpu[i] + io);
    }
    out
}

/// Moves every task ready by `now` into the queue, earliest first, then by number.
fn admit(progress: &mut [Progress], queue: &mut VecDeque<usize>, now: u32) {
    let mut ready: Vec<(u32, usize)> = progress
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.ready_at.filter(|&t| t <= now).map(|t| (t, i)))
        .collect();
    ready.sort_unstable();
    for (_, i) in ready {
        progress[i].ready_at = None;
        queue.push_back(i);
    }
}

/// Sets `p` up for the CPU burst at or after burst `from`, skipping I/O already accounted.
fn start_burst(task: &Task, p: &mut Progress, from: usize) {
    p.burst = from;
    p.left = match task.bursts.get(from) {
        Some(Burst::Cpu(ms)) => *ms,
        _ => 0,
    };
}

/// What happens to a task whose slice ends at `now`.
fn end_slice(task: &Task, p: &mut Progress, now: u32) -> SliceEnd {
    if p.left > 0 {
        return SliceEnd::Expired;
    }
    match task.bursts.get(p.burst + 1) {
        Some(Burst::Io(ms)) => {
            p.ready_at = Some(now + ms);
            start_burst(task, p, p.burst + 2);
            SliceEnd::Blocked
        }
        Some(Burst::Cpu(ms)) => {
            // Two CPU bursts in a row are one longer burst.
            p.burst += 1;
            p.left = *ms;
            SliceEnd::Expired
        }
        None => SliceEnd::Finished,
    }
}

/// The scene's default: three tasks, one of which waits for I/O, with a 10 ms quantum.
pub fn example_tasks() -> Vec<Task> {
    vec![
        Task {
            arrival: 0,
            bursts: vec![Burst::Cpu(30)],
        },
        Task {
            arrival: 0,
            bursts: vec![Burst::Cpu(15), Burst::Io(20), Burst::Cpu(10)],
        },
        Task {
            arrival: 5,
            bursts: vec![Burst::Cpu(20)],
        },
    ]
}

/// One step of the scene: the schedule so far, up to and including slice `shown`.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub tasks: usize,
    pub quantum: u32,
    pub schedule: Schedule,
    /// Slices drawn so far.
    pub shown: usize,
    pub caption: Caption,
}

/// The scene's script: one step per slice, after an opening step.
pub fn script(tasks: &[Task], quantum: u32) -> Script<State> {
    let schedule = schedule(tasks, quantum, 0);
    let first = State {
        tasks: tasks.len(),
        quantum,
        schedule: schedule.clone(),
        shown: 0,
        caption: opening(tasks.len(), quantum),
    };
    let rest = (1..=schedule.slices.len())
        .map(|shown| State {
            caption: slice_caption(&schedule.slices[shown - 1], quantum),
            tasks: tasks.len(),
            quantum,
            schedule: schedule.clone(),
            shown,
        })
        .collect();
    Script::new(first, rest)
}

fn opening(tasks: usize, quantum: u32) -> Caption {
    Caption::new(
        format!(
            "Simulation: {tasks} tasks share one CPU round robin with a {quantum} ms quantum. \
             Each runs at most one quantum, then goes to the back of the ready queue. Linux \
             has no fixed quantum: the real turns are measured beside this picture."
        ),
        format!(
            "시뮬레이션: 작업 {tasks}개가 퀀텀 {quantum} ms의 라운드 로빈으로 CPU 하나를 \
             나눠 씁니다. 각 작업은 퀀텀 하나까지만 실행하고 준비 큐의 뒤로 갑니다. 리눅스에는 \
             고정 퀀텀이 없습니다. 실제 차례는 이 그림 옆에서 잽니다."
        ),
    )
}

fn slice_caption(slice: &Slice, quantum: u32) -> Caption {
    let (task, start, end) = (slice.task + 1, slice.start, slice.end);
    match slice.ended {
        SliceEnd::Expired => Caption::new(
            format!(
                "Task {task} runs {start}–{end} ms; its {quantum} ms quantum expires, the \
                 kernel saves its registers and it goes to the back of the ready queue."
            ),
            format!(
                "작업 {task}: {start}–{end} ms에 실행합니다. 퀀텀 {quantum} ms가 끝나면 커널이 \
                 레지스터를 저장하고 작업은 준비 큐의 뒤로 갑니다."
            ),
        ),
        SliceEnd::Blocked => Caption::new(
            format!(
                "Task {task} runs {start}–{end} ms, then waits for I/O: it is blocked, not \
                 ready, and the CPU goes to the next task in the queue at once."
            ),
            format!(
                "작업 {task}: {start}–{end} ms에 실행한 뒤 I/O를 기다립니다. 준비가 아니라 \
                 대기 상태이므로 CPU는 곧바로 큐의 다음 작업에게 갑니다."
            ),
        ),
        SliceEnd::Finished => Caption::new(
            format!("Task {task} runs {start}–{end} ms and finishes."),
            format!("작업 {task}: {start}–{end} ms에 실행하고 끝납니다."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cpu_bound(k: usize, length: u32) -> Vec<Task> {
        (0..k)
            .map(|_| Task {
                arrival: 0,
                bursts: vec![Burst::Cpu(length)],
            })
            .collect()
    }

    #[test]
    fn k_cpu_bound_tasks_share_the_cpu_and_switch_as_the_arithmetic_says() {
        for (k, length, q) in [(3, 30, 10), (4, 40, 5), (2, 20, 10)] {
            let s = schedule(&cpu_bound(k, length), q, 0);
            assert!(s.cpu.iter().all(|&c| c == length), "each gets its share");
            assert!(s.idle.is_empty());
            assert!(s.slices.iter().all(|sl| sl.end - sl.start == q));
            let slices = k as u32 * length / q;
            assert_eq!(s.slices.len() as u32, slices);
            assert_eq!(s.switches, slices - 1);
            for i in 0..k {
                let expected = k as u32 * length - (k - 1 - i) as u32 * q;
                assert_eq!(s.finish[i], expected, "task {i} of {k}");
                // Waiting is everything but its own CPU time.
                assert_eq!(s.waiting[i], expected - length);
            }
        }
    }

    #[test]
    fn a_quantum_longer_than_every_burst_is_first_come_first_served() {
        let s = schedule(&cpu_bound(3, 7), 100, 0);
        let order: Vec<usize> = s.slices.iter().map(|sl| sl.task).collect();
        assert_eq!(order, [0, 1, 2]);
        assert_eq!(s.finish, [7, 14, 21]);
        assert_eq!(s.switches, 2);
    }

    #[test]
    fn a_task_blocked_on_io_never_runs_during_its_io_and_the_cpu_idles_if_none_is_ready() {
        let tasks = vec![Task {
            arrival: 0,
            bursts: vec![Burst::Cpu(5), Burst::Io(10), Burst::Cpu(5)],
        }];
        let s = schedule(&tasks, 10, 0);
        assert_eq!(s.idle, [(5, 15)]);
        assert_eq!(s.slices[1].start, 15);
        assert_eq!(s.finish, [20]);
        assert_eq!(s.switches, 0, "one task never switches");
    }

    #[test]
    fn switch_costs_are_paid_between_different_tasks_only() {
        let s = schedule(&cpu_bound(2, 20), 10, 1);
        assert_eq!(s.switches, 3);
        assert_eq!(s.slices.last().map(|sl| sl.end), Some(43));
    }

    #[test]
    fn the_scene_has_a_step_per_slice_and_says_it_is_a_simulation() {
        let script = script(&example_tasks(), 10);
        let slices = script.state(0).schedule.slices.len();
        assert_eq!(script.len(), slices + 1);
        assert!(script.state(0).caption.en.starts_with("Simulation"));
    }

    fn tasks() -> impl Strategy<Value = Vec<Task>> {
        let burst = (1u32..30, 0u32..20);
        let task = (0u32..40, prop::collection::vec(burst, 1..4)).prop_map(|(arrival, bursts)| {
            let mut list = Vec::new();
            for (cpu, io) in bursts {
                if !list.is_empty() && io > 0 {
                    list.push(Burst::Io(io));
                }
                list.push(Burst::Cpu(cpu));
            }
            Task {
                arrival,
                bursts: list,
            }
        });
        prop::collection::vec(task, 1..5)
    }

    proptest! {
        #[test]
        fn slices_never_overlap_and_every_task_gets_exactly_its_cpu(
            tasks in tasks(), quantum in 1u32..25, cost in 0u32..3
        ) {
            let s = schedule(&tasks, quantum, cost);
            for pair in s.slices.windows(2) {
                prop_assert!(pair[1].start >= pair[0].end);
            }
            for (i, task) in tasks.iter().enumerate() {
                let wanted: u32 = task.bursts.iter().map(|b| match b {
                    Burst::Cpu(ms) => *ms,
                    Burst::Io(_) => 0,
                }).sum();
                prop_assert_eq!(s.cpu[i], wanted);
            }
            let busy: u32 = s.slices.iter().map(|sl| sl.end - sl.start).sum();
            let idle: u32 = s.idle.iter().map(|(a, b)| b - a).sum();
            let end = s.slices.last().map_or(0, |sl| sl.end);
            prop_assert_eq!(busy + idle + s.switches * cost, end);
        }
    }
}
