//! What really happened when, as data any view can draw: one lane per thread, each a list of
//! spans in which the thread was in one state (running, waiting for a CPU, sleeping, blocked
//! on a lock) or held a lock, on one time axis shared by every lane, and the hand-overs
//! between threads that the run could infer (a release followed by the waiter's acquire).

use serde::Serialize;

use super::experiment::Words;
use super::os::SchedAccount;

/// What a thread was doing in one span. The first four are states and never overlap within
/// a lane; [`ThreadState::Holding`] is drawn over them (a thread runs while it holds a lock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThreadState {
    /// On a CPU, making progress.
    Running,
    /// Ready but off the CPU: a gap in the thread's own progress that it did not ask for.
    Runnable,
    /// Asleep by its own request.
    Sleeping,
    /// Waiting for a lock another thread holds.
    Blocked,
    /// Holding a lock (over the states above).
    Holding,
}

impl ThreadState {
    /// Every kind of span, in the order a legend lists them.
    pub const ALL: [ThreadState; 5] = [
        ThreadState::Running,
        ThreadState::Runnable,
        ThreadState::Sleeping,
        ThreadState::Blocked,
        ThreadState::Holding,
    ];

    /// True for the kinds that are a thread's state (one at a time) rather than a hold.
    pub fn is_state(self) -> bool {
        self != ThreadState::Holding
    }
}

/// One span of one lane.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Span {
    /// Nanoseconds from the timeline's origin.
    pub start: f64,
    pub end: f64,
    pub state: ThreadState,
    /// The lock waited for or held, as an index into [`Timeline::objects`].
    pub object: Option<usize>,
}

impl Span {
    /// A span in which the thread ran.
    pub fn running(start: f64, end: f64) -> Self {
        Self {
            start,
            end,
            state: ThreadState::Running,
            object: None,
        }
    }
}

/// One thread's spans, in order of their start.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lane {
    pub label: Words,
    pub spans: Vec<Span>,
    /// The kernel's own account of the thread over its run (schedstat), where it keeps one.
    pub kernel: Option<SchedAccount>,
}

/// A hand-over the run inferred: `from` released a lock at `released` and `to`, which was
/// waiting for it, took it at `acquired`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Wake {
    pub from: usize,
    pub to: usize,
    pub released: f64,
    pub acquired: f64,
    pub object: usize,
}

/// What really ran when.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Timeline {
    pub lanes: Vec<Lane>,
    /// The names of the locks spans refer to.
    pub objects: Vec<String>,
    pub wakes: Vec<Wake>,
    /// Events a full per-thread buffer could not keep (the timeline ends early there).
    pub dropped: u64,
}

impl Timeline {
    /// A timeline of lanes in which the threads only ran.
    pub fn of_lanes(lanes: Vec<Lane>) -> Self {
        Self {
            lanes,
            ..Self::default()
        }
    }

    /// The moment the last span ends, in nanoseconds.
    pub fn end(&self) -> f64 {
        self.end_of(&(0..self.lanes.len()).collect::<Vec<_>>())
    }

    /// The moment the last span of the lanes numbered `lanes` ends.
    pub fn end_of(&self, lanes: &[usize]) -> f64 {
        lanes
            .iter()
            .filter_map(|&l| self.lanes.get(l))
            .flat_map(|l| l.spans.iter().map(|s| s.end))
            .fold(0.0, f64::max)
    }

    /// The state span of lane `lane` that `at` falls in.
    pub fn span_at(&self, lane: usize, at: f64) -> Option<&Span> {
        self.lanes
            .get(lane)?
            .spans
            .iter()
            .find(|s| s.state.is_state() && s.start <= at && at < s.end)
    }

    /// The state of lane `lane` at `at` nanoseconds, and the lock it waits for or holds.
    pub fn state_at(&self, lane: usize, at: f64) -> Option<(ThreadState, Option<usize>)> {
        self.span_at(lane, at).map(|s| (s.state, s.object))
    }

    /// The locks lane `lane` holds at `at`.
    pub fn held_at(&self, lane: usize, at: f64) -> Vec<usize> {
        self.lanes.get(lane).map_or_else(Vec::new, |l| {
            l.spans
                .iter()
                .filter(|s| s.state == ThreadState::Holding && s.start <= at && at < s.end)
                .filter_map(|s| s.object)
                .collect()
        })
    }
}
