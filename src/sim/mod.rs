//! Pure, deterministic simulations behind the animated diagrams.
//!
//! Each scene is a script: [`Script`] holds every state from the first step to the last,
//! computed once from the scene's parameters. Stepping forward or back is moving an index, so
//! rewinding is exact and tests can check any step. No clocks, no I/O: the [`Timeline`] is
//! advanced by the caller with an explicit time step.
//!
//! ```
//! use proclab::sim::{memory_layout, Timeline};
//! let script = memory_layout::script(&memory_layout::Params::default());
//! let mut timeline = Timeline::new(script.len());
//! timeline.step_forward();
//! timeline.step_back();
//! assert_eq!(script.state(timeline.step()), script.state(0));
//! ```

pub mod context_switch;
pub mod critical_section;
pub mod deadlock;
pub mod interleavings;
pub mod memory_layout;
pub mod processes;
pub mod program_vs_process;
pub mod round_robin;
pub mod shared_stack;
pub mod threads;
mod timeline;
pub mod wait_for;

pub use timeline::{SPEEDS, Timeline};

/// A short sentence in both teaching languages, saying what a step shows: the same
/// [`Words`](crate::words::Words) a measurement's labels are made of.
pub type Caption = crate::words::Words;

/// Every state of one scene, in order; never empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Script<S> {
    states: Vec<S>,
}

impl<S> Script<S> {
    /// A script from its states; `first` guarantees it is never empty.
    pub fn new(first: S, rest: Vec<S>) -> Self {
        let mut states = Vec::with_capacity(rest.len() + 1);
        states.push(first);
        states.extend(rest);
        Self { states }
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.states.len()
    }

    /// Always false: a script has at least its first state.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The state at `step`, clamped to the last.
    pub fn state(&self, step: usize) -> &S {
        &self.states[step.min(self.states.len() - 1)]
    }

    /// The state before `step`, if there is one: what a painter compares with to show what
    /// changed.
    pub fn previous(&self, step: usize) -> Option<&S> {
        step.checked_sub(1).map(|s| self.state(s))
    }

    pub fn states(&self) -> &[S] {
        &self.states
    }
}
