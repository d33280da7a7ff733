//! Round-robin scheduling of one CPU, simulated: the textbook's account of time slicing that
//! the real measurement (`lab::timeslice`) is put beside. Tasks arrive, run for at most one
//! quantum, go to the back of a first-in first-out ready queue when it expires, leave the CPU
//! when they block on I/O, and come back to the queue when the I/O is done.
//!
//! Rules, so that every number can be checked by hand:
//! - Time is in whole milliseconds, from 0. Sums of times must fit in a `u32`.
//! - The ready queue is first in, first out. Tasks that become ready at the same instant are
//!   queued by that instant first, then by task number.
//! - Tie rule: a task that arrives or finishes its I/O at or before the instant a quantum
//!   expires is queued *before* the preempted task, which goes to the very back.
//! - A context switch is the CPU passing from one task to a *different* one, even with idle
//!   time in between; it is counted, and costs `switch_cost` ms of CPU time that belongs to no
//!   task (the incoming task is still ready during it). The first task to run is not a
//!   switch, nor is a task that keeps the CPU after its quantum because nobody else is ready.
//! - Two bursts of the same kind in a row are one longer burst, and empty bursts are
//!   skipped, so every slice is at least 1 ms long and the simulation always ends.

mod script;

use std::collections::VecDeque;

pub use script::{State, script};

/// The textbook's quantum, in milliseconds.
pub const DEFAULT_QUANTUM_MS: u32 = 10;

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
    /// When it first becomes ready, in ms.
    pub arrival: u32,
    /// CPU and I/O bursts, usually alternating and starting with CPU.
    pub bursts: Vec<Burst>,
}

impl Task {
    /// A task that only computes, for `ms` milliseconds, from `arrival` on.
    pub fn cpu_bound(arrival: u32, ms: u32) -> Self {
        Self {
            arrival,
            bursts: vec![Burst::Cpu(ms)],
        }
    }

    /// CPU time it needs in all.
    pub fn cpu_total(&self) -> u32 {
        self.bursts
            .iter()
            .map(|b| match b {
                Burst::Cpu(ms) => *ms,
                Burst::Io(_) => 0,
            })
            .sum()
    }

    /// Time it spends blocked on I/O in all.
    pub fn io_total(&self) -> u32 {
        self.bursts
            .iter()
            .map(|b| match b {
                Burst::Io(ms) => *ms,
                Burst::Cpu(_) => 0,
            })
            .sum()
    }
}

/// What one run of the scheduler is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    pub tasks: Vec<Task>,
    /// Longest slice, in ms; 0 is taken as 1.
    pub quantum: u32,
    /// CPU time a context switch takes, in ms.
    pub switch_cost: u32,
}

impl Default for Params {
    /// The scene's default: three tasks, the second of which blocks on I/O, a 10 ms quantum
    /// and free switches.
    fn default() -> Self {
        Self::example(3)
    }
}

impl Params {
    /// `tasks` tasks (at least one) for the scene: the first computes for 30 ms, the second
    /// computes, blocks on I/O and computes again, and the rest compute for 20 ms each,
    /// arriving 5 ms apart from 10 ms on, so that some arrive inside a slice and some at the
    /// instant a quantum expires (the tie rule).
    pub fn example(tasks: usize) -> Self {
        let tasks = (0..tasks.max(1))
            .map(|i| match i {
                0 => Task::cpu_bound(0, 30),
                1 => Task {
                    arrival: 0,
                    bursts: vec![Burst::Cpu(15), Burst::Io(20), Burst::Cpu(10)],
                },
                _ => Task::cpu_bound(5 * i as u32, 20),
            })
            .collect();
        Self {
            tasks,
            quantum: DEFAULT_QUANTUM_MS,
            switch_cost: 0,
        }
    }
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice {
    pub task: usize,
    pub start: u32,
    pub end: u32,
    pub ended: SliceEnd,
    /// A context switch came just before it (its cost, if any, ends at `start`).
    pub switched: bool,
    /// Tasks that joined the ready queue while it ran or just before (arrived or back from
    /// I/O), with the instant each became ready, in the order they were queued.
    pub joined: Vec<(usize, u32)>,
    /// The ready queue when it ended, first in line first.
    pub queue_after: Vec<usize>,
}

/// What a task is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    /// In the ready queue: could run, waits for the CPU.
    Ready,
    /// On the CPU.
    Running,
    /// Waiting for its I/O; not in the queue.
    Blocked,
    /// No work left.
    Done,
}

/// A stretch of one state: `[start, end)` in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub state: TaskState,
    pub start: u32,
    pub end: u32,
}

/// The whole schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The quantum it was computed with (at least 1).
    pub quantum: u32,
    pub switch_cost: u32,
    /// Every turn on the CPU, in time order.
    pub slices: Vec<Slice>,
    /// Each task's states from its arrival to its completion, in order and without gaps;
    /// [`TaskState::Done`] is not a span, it is everything after `finish`.
    pub lanes: Vec<Vec<Span>>,
    /// Times the CPU passed from one task to a different one.
    pub switches: u32,
    /// When the CPU was busy switching, `[start, end)`; empty when switches are free.
    pub switching: Vec<(u32, u32)>,
    /// CPU time each task got.
    pub cpu: Vec<u32>,
    /// Time each task was ready but not running.
    pub waiting: Vec<u32>,
    /// When each task completed.
    pub finish: Vec<u32>,
    /// Stretches with the CPU idle: no task ready, `[start, end)`.
    pub idle: Vec<(u32, u32)>,
    /// When the last task completed (0 with no tasks).
    pub end: u32,
}

impl Schedule {
    /// What `task` is doing at instant `t`: `None` before it arrives or for no such task.
    pub fn state_at(&self, task: usize, t: u32) -> Option<TaskState> {
        let lane = self.lanes.get(task)?;
        if t >= self.finish[task] {
            return Some(TaskState::Done);
        }
        lane.iter()
            .find(|s| s.start <= t && t < s.end)
            .map(|s| s.state)
    }

    /// The task on the CPU at instant `t`, if any.
    pub fn running_at(&self, t: u32) -> Option<usize> {
        self.slices
            .iter()
            .find(|s| s.start <= t && t < s.end)
            .map(|s| s.task)
    }
}

/// `bursts` without empty ones, adjacent bursts of one kind joined.
fn normalized(bursts: &[Burst]) -> Vec<Burst> {
    let mut out: Vec<Burst> = Vec::with_capacity(bursts.len());
    for &burst in bursts {
        match (out.last_mut(), burst) {
            (_, Burst::Cpu(0) | Burst::Io(0)) => {}
            (Some(Burst::Cpu(last)), Burst::Cpu(ms)) | (Some(Burst::Io(last)), Burst::Io(ms)) => {
                *last += ms;
            }
            _ => out.push(burst),
        }
    }
    out
}

/// Where one task stands while the simulation runs.
struct Progress {
    bursts: Vec<Burst>,
    /// Index of the next burst to start.
    next: usize,
    /// CPU time left in the burst under way.
    left: u32,
    /// When it becomes ready, until it is queued.
    ready_at: Option<u32>,
    /// The state it is in and since when; `None` once done.
    open: Option<(TaskState, u32)>,
}

/// The scheduler's working state; `run` turns it into the [`Schedule`].
struct Sim {
    progress: Vec<Progress>,
    queue: VecDeque<usize>,
    out: Schedule,
}

impl Sim {
    fn new(tasks: &[Task], quantum: u32, switch_cost: u32) -> Self {
        let n = tasks.len();
        let mut sim = Self {
            progress: tasks
                .iter()
                .map(|t| Progress {
                    bursts: normalized(&t.bursts),
                    next: 0,
                    left: 0,
                    ready_at: None,
                    open: None,
                })
                .collect(),
            queue: VecDeque::new(),
            out: Schedule {
                quantum,
                switch_cost,
                slices: Vec::new(),
                lanes: vec![Vec::new(); n],
                switches: 0,
                switching: Vec::new(),
                cpu: vec![0; n],
                waiting: vec![0; n],
                finish: vec![0; n],
                idle: Vec::new(),
                end: 0,
            },
        };
        for (i, task) in tasks.iter().enumerate() {
            sim.advance(i, task.arrival);
        }
        sim
    }

    /// Puts `task` in `state` from `at` on, closing the span of the state it was in.
    fn enter(&mut self, task: usize, state: TaskState, at: u32) {
        let p = &mut self.progress[task];
        if let Some((was, since)) = p.open.take()
            && at > since
        {
            self.out.lanes[task].push(Span {
                state: was,
                start: since,
                end: at,
            });
        }
        if state == TaskState::Done {
            self.out.finish[task] = at;
        } else {
            p.open = Some((state, at));
        }
    }

    /// `task` is through with what it was doing at `at` (arriving, or a CPU burst): it takes
    /// up its next bursts, blocking through any I/O, until it has CPU work or none is left.
    fn advance(&mut self, task: usize, mut at: u32) {
        loop {
            let p = &mut self.progress[task];
            let burst = p.bursts.get(p.next).copied();
            p.next += 1;
            match burst {
                Some(Burst::Io(ms)) => {
                    self.enter(task, TaskState::Blocked, at);
                    at += ms;
                }
                Some(Burst::Cpu(ms)) => {
                    p.left = ms;
                    p.ready_at = Some(at);
                    self.enter(task, TaskState::Ready, at);
                    return;
                }
                None => {
                    self.enter(task, TaskState::Done, at);
                    return;
                }
            }
        }
    }

    /// Queues every task ready by `now`, earliest first, then by number; returns them with
    /// the instant each became ready.
    fn admit(&mut self, now: u32) -> Vec<(usize, u32)> {
        let mut ready: Vec<(u32, usize)> = self
            .progress
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.ready_at.filter(|&t| t <= now).map(|t| (t, i)))
            .collect();
        ready.sort_unstable();
        for &(_, i) in &ready {
            self.progress[i].ready_at = None;
            self.queue.push_back(i);
        }
        ready.into_iter().map(|(t, i)| (i, t)).collect()
    }

    /// Runs `task`, taken from the queue, for one slice from `start`; `early` are the tasks
    /// queued during the switch before it. Returns when the slice ended.
    fn run_slice(
        &mut self,
        task: usize,
        start: u32,
        switched: bool,
        early: Vec<(usize, u32)>,
    ) -> u32 {
        let run = self.progress[task].left.min(self.out.quantum);
        let end = start + run;
        self.enter(task, TaskState::Running, start);
        self.progress[task].left -= run;
        self.out.cpu[task] += run;
        // Whoever became ready while it ran is queued before it goes back (the tie rule).
        let mut joined = early;
        joined.extend(self.admit(end));
        let ended = if self.progress[task].left > 0 {
            self.queue.push_back(task);
            self.enter(task, TaskState::Ready, end);
            SliceEnd::Expired
        } else {
            let p = &self.progress[task];
            let blocks = matches!(p.bursts.get(p.next), Some(Burst::Io(_)));
            self.advance(task, end);
            if blocks {
                SliceEnd::Blocked
            } else {
                SliceEnd::Finished
            }
        };
        self.out.slices.push(Slice {
            task,
            start,
            end,
            ended,
            switched,
            joined,
            queue_after: self.queue.iter().copied().collect(),
        });
        end
    }

    fn run(mut self) -> Schedule {
        let mut now = 0;
        let mut last: Option<usize> = None;
        loop {
            self.admit(now);
            let Some(task) = self.queue.pop_front() else {
                match self.progress.iter().filter_map(|p| p.ready_at).min() {
                    Some(next) => {
                        self.out.idle.push((now, next));
                        now = next;
                        continue;
                    }
                    None => break,
                }
            };
            let switched = last.is_some_and(|l| l != task);
            let mut early = Vec::new();
            if switched {
                self.out.switches += 1;
                let cost = self.out.switch_cost;
                if cost > 0 {
                    self.out.switching.push((now, now + cost));
                    now += cost;
                    // Arrivals during the switch are queued now, before the slice starts.
                    early = self.admit(now);
                }
            }
            last = Some(task);
            now = self.run_slice(task, now, switched, early);
        }
        let end = self.out.finish.iter().copied().max().unwrap_or(0).max(now);
        // A task that ends with I/O completes after the CPU's last slice: the CPU idles.
        if end > now {
            self.out.idle.push((now, end));
        }
        self.out.end = end;
        for (lane, waiting) in self.out.lanes.iter().zip(self.out.waiting.iter_mut()) {
            *waiting = lane
                .iter()
                .filter(|s| s.state == TaskState::Ready)
                .map(|s| s.end - s.start)
                .sum();
        }
        self.out
    }
}

/// Schedules `tasks` round robin on one CPU with `quantum` ms slices (0 is taken as 1),
/// paying `switch_cost` ms of CPU each time it passes to a different task. The rules are in
/// the module's documentation.
pub fn schedule(tasks: &[Task], quantum: u32, switch_cost: u32) -> Schedule {
    Sim::new(tasks, quantum.max(1), switch_cost).run()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn identical(k: usize, length: u32) -> Vec<Task> {
        (0..k).map(|_| Task::cpu_bound(0, length)).collect()
    }

    /// Every way a schedule can contradict itself, as a list of complaints.
    fn contradictions(tasks: &[Task], s: &Schedule) -> Vec<String> {
        let mut found = Vec::new();
        for pair in s.slices.windows(2) {
            if pair[1].start < pair[0].end {
                found.push(format!("overlap: {:?} and {:?}", pair[0], pair[1]));
            }
        }
        for (i, (task, lane)) in tasks.iter().zip(&s.lanes).enumerate() {
            if s.cpu[i] != task.cpu_total() {
                found.push(format!("task {i} got {} ms of CPU", s.cpu[i]));
            }
            // The lane covers arrival to completion without gaps.
            let mut at = task.arrival;
            for span in lane {
                if span.start != at || span.end <= span.start {
                    found.push(format!("task {i}: gap or empty span at {span:?}"));
                }
                at = span.end;
            }
            if at != s.finish[i] {
                found.push(format!(
                    "task {i}: lane ends at {at}, finish {}",
                    s.finish[i]
                ));
            }
            let running: u32 = s
                .slices
                .iter()
                .filter(|sl| sl.task == i)
                .map(|sl| sl.end - sl.start)
                .sum();
            if running != s.cpu[i] {
                found.push(format!("task {i}: slices {running} ms, cpu {}", s.cpu[i]));
            }
            for blocked in lane.iter().filter(|sp| sp.state == TaskState::Blocked) {
                let runs = s
                    .slices
                    .iter()
                    .any(|sl| sl.task == i && sl.start < blocked.end && blocked.start < sl.end);
                if runs {
                    found.push(format!("task {i} runs during its I/O {blocked:?}"));
                }
            }
            let ready: u32 = s.waiting[i];
            let total = s.finish[i] - task.arrival;
            if ready + s.cpu[i] + task.io_total() != total {
                found.push(format!("task {i}: ready + cpu + io != {total}"));
            }
        }
        let busy: u32 = s.slices.iter().map(|sl| sl.end - sl.start).sum();
        let idle: u32 = s.idle.iter().map(|(a, b)| b - a).sum();
        let switching: u32 = s.switching.iter().map(|(a, b)| b - a).sum();
        if busy + idle + switching != s.end || switching != s.switches * s.switch_cost {
            found.push(format!(
                "busy {busy} + idle {idle} + switching {switching} != {}",
                s.end
            ));
        }
        found
    }

    #[test]
    fn k_identical_cpu_bound_tasks_share_the_cpu_as_the_arithmetic_says() {
        for (k, length, q) in [
            (3, 30, 10),
            (4, 40, 5),
            (2, 20, 10),
            (5, 10, 10),
            (1, 30, 10),
        ] {
            let tasks = identical(k, length);
            let s = schedule(&tasks, q, 0);
            assert_eq!(contradictions(&tasks, &s), Vec::<String>::new());
            assert!(s.cpu.iter().all(|&c| c == length), "each gets exactly L");
            assert!(s.idle.is_empty(), "the CPU is never idle");
            assert!(s.slices.iter().all(|sl| sl.end - sl.start == q));
            let slices = k as u32 * length / q;
            assert_eq!(s.slices.len() as u32, slices);
            // Every slice after the first is another task's, except with one task alone,
            // which keeps the CPU: under this module's definition that is no switch.
            let switches = if k == 1 { 0 } else { slices - 1 };
            assert_eq!(s.switches, switches, "k = {k}");
            assert_eq!(s.end, k as u32 * length);
            for i in 0..k {
                let expected = k as u32 * length - (k - 1 - i) as u32 * q;
                assert_eq!(s.finish[i], expected, "task {i} of {k}");
                assert_eq!(
                    s.waiting[i],
                    expected - length,
                    "waiting is all but its CPU"
                );
            }
            // Between two turns of one task, the k - 1 others each run one quantum.
            for pair in s
                .slices
                .iter()
                .filter(|sl| sl.task == 0)
                .collect::<Vec<_>>()
                .windows(2)
            {
                assert_eq!(pair[1].start - pair[0].end, (k as u32 - 1) * q);
            }
        }
    }

    #[test]
    fn a_quantum_longer_than_every_burst_is_first_come_first_served() {
        let tasks = vec![
            Task::cpu_bound(0, 7),
            Task::cpu_bound(3, 12),
            Task::cpu_bound(4, 5),
            Task::cpu_bound(40, 9),
        ];
        let s = schedule(&tasks, 100, 0);
        assert_eq!(contradictions(&tasks, &s), Vec::<String>::new());
        let order: Vec<usize> = s.slices.iter().map(|sl| sl.task).collect();
        assert_eq!(order, [0, 1, 2, 3]);
        // First come, first served, worked out by hand.
        let mut now = 0;
        for (i, task) in tasks.iter().enumerate() {
            now = now.max(task.arrival) + task.cpu_total();
            assert_eq!(s.finish[i], now, "task {i}");
        }
        assert_eq!(s.idle, [(24, 40)]);
        assert!(s.slices.iter().all(|sl| sl.ended == SliceEnd::Finished));
        assert_eq!(
            s.switches, 3,
            "the CPU passes to a new task after idling too"
        );
    }

    #[test]
    fn a_task_blocked_on_io_never_runs_during_it_and_the_cpu_idles_if_none_is_ready() {
        let tasks = vec![Task {
            arrival: 0,
            bursts: vec![Burst::Cpu(5), Burst::Io(10), Burst::Cpu(5)],
        }];
        let s = schedule(&tasks, 10, 0);
        assert_eq!(contradictions(&tasks, &s), Vec::<String>::new());
        assert_eq!(s.idle, [(5, 15)]);
        assert_eq!(s.slices[0].ended, SliceEnd::Blocked);
        assert_eq!(s.slices[1].start, 15);
        assert_eq!(s.finish, [20]);
        assert_eq!(s.switches, 0, "one task never switches");
        for t in 5..15 {
            assert_eq!(s.state_at(0, t), Some(TaskState::Blocked), "at {t}");
            assert_eq!(s.running_at(t), None);
        }
        assert_eq!(s.state_at(0, 20), Some(TaskState::Done));
    }

    #[test]
    fn the_cpu_goes_to_the_next_task_when_one_blocks() {
        let tasks = Params::example(3).tasks;
        let s = schedule(&tasks, 10, 0);
        assert_eq!(contradictions(&tasks, &s), Vec::<String>::new());
        for (i, slice) in s.slices.iter().enumerate() {
            if slice.ended == SliceEnd::Blocked {
                let next = &s.slices[i + 1];
                assert_ne!(next.task, slice.task);
                assert_eq!(next.start, slice.end, "no idle while others are ready");
            }
        }
    }

    #[test]
    fn arrivals_and_returns_at_the_instant_a_quantum_expires_queue_first() {
        // Task 1 arrives exactly when task 0's first quantum expires.
        let s = schedule(&[Task::cpu_bound(0, 20), Task::cpu_bound(10, 10)], 10, 0);
        assert_eq!(s.slices[0].queue_after, [1, 0]);
        let order: Vec<usize> = s.slices.iter().map(|sl| sl.task).collect();
        assert_eq!(order, [0, 1, 0]);
        // Task 0's I/O ends at 15, exactly when task 1's quantum expires.
        let tasks = [
            Task {
                arrival: 0,
                bursts: vec![Burst::Cpu(5), Burst::Io(10), Burst::Cpu(5)],
            },
            Task::cpu_bound(0, 20),
        ];
        let s = schedule(&tasks, 10, 0);
        assert_eq!((s.slices[1].task, s.slices[1].end), (1, 15));
        assert_eq!(s.slices[1].joined, [(0, 15)]);
        assert_eq!(s.slices[1].queue_after, [0, 1]);
        assert_eq!(s.slices[2].task, 0);
    }

    #[test]
    fn switch_costs_are_paid_between_different_tasks_only() {
        let s = schedule(&identical(2, 20), 10, 1);
        assert_eq!(s.switches, 3);
        assert_eq!(s.switching, [(10, 11), (21, 22), (32, 33)]);
        assert_eq!(s.end, 43);
        // A lone task keeps the CPU after its quantum: no switch, no cost.
        let s = schedule(&identical(1, 30), 10, 5);
        assert_eq!((s.switches, s.end, s.slices.len()), (0, 30, 3));
    }

    #[test]
    fn empty_bursts_and_bursts_of_one_kind_in_a_row_are_joined() {
        let tasks = [Task {
            arrival: 2,
            bursts: vec![
                Burst::Io(3),
                Burst::Cpu(0),
                Burst::Cpu(4),
                Burst::Cpu(4),
                Burst::Io(0),
            ],
        }];
        let s = schedule(&tasks, 10, 0);
        assert_eq!(contradictions(&tasks, &s), Vec::<String>::new());
        assert_eq!(s.slices.len(), 1);
        assert_eq!((s.slices[0].start, s.slices[0].end), (5, 13));
        assert_eq!(s.idle, [(0, 5)]);
        assert!(schedule(&[], 10, 0).slices.is_empty());
    }

    fn tasks() -> impl Strategy<Value = Vec<Task>> {
        let burst = prop_oneof![
            (0u32..30).prop_map(Burst::Cpu),
            (0u32..20).prop_map(Burst::Io)
        ];
        let task = (0u32..40, prop::collection::vec(burst, 0..6))
            .prop_map(|(arrival, bursts)| Task { arrival, bursts });
        prop::collection::vec(task, 0..6)
    }

    proptest! {
        #[test]
        fn no_overlap_exact_cpu_and_every_millisecond_accounted_for(
            tasks in tasks(), quantum in 0u32..25, cost in 0u32..4
        ) {
            let s = schedule(&tasks, quantum, cost);
            let found = contradictions(&tasks, &s);
            prop_assert!(found.is_empty(), "{:?}", found);
            for slice in &s.slices {
                prop_assert!(slice.end - slice.start <= quantum.max(1));
                prop_assert!(slice.end > slice.start);
            }
        }
    }
}
