//! What happened in a stepping run, event by event, and the story of each lost update: the
//! instructions that made it, from the last moment no thread was part-way through an
//! increment, and the same order of loads, adds and stores run in the simulation.

use serde::Serialize;

use super::listing::Role;
use crate::sim::interleavings::{Params, replay};

/// One instruction a real thread executed, as ptrace saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Executed {
    /// Counted from 0, in the order the child started its threads.
    pub thread: usize,
    /// Its line in the listing.
    pub line: usize,
    pub instruction: String,
    pub role: Role,
    pub address: u64,
    /// The shared counter in the child's memory, before and after.
    pub counter_before: u64,
    pub counter_after: u64,
    /// The thread's private copy of the counter (its value register), before and after.
    pub value_before: u64,
    pub value_after: u64,
    /// Where the instruction pointer went, and where the listing said it would.
    pub ip_after: u64,
    pub predicted_ip: u64,
    /// How long the single step took, from the request to the stop.
    pub nanos: u64,
}

/// A stretch in which the kernel scheduled every thread freely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KernelRun {
    /// The time asked for, and the time from the first thread let go to the last stopped.
    pub millis: u32,
    pub nanos: u64,
    pub counter_before: u64,
    pub counter_after: u64,
    /// Increments each thread finished meanwhile.
    pub increments: Vec<u64>,
    /// The role of the instruction each thread was stopped before, afterwards.
    pub stopped_before: Vec<Role>,
}

impl KernelRun {
    /// Increments finished meanwhile that the counter does not show. The counter may even
    /// have fallen (a thread stopped just before a stale store made it), so the sum is signed.
    pub fn lost(&self) -> u64 {
        let done: i128 = self.increments.iter().map(|&n| i128::from(n)).sum();
        let grew = i128::from(self.counter_after) - i128::from(self.counter_before);
        u64::try_from(done - grew).unwrap_or(0)
    }
}

/// One event of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Event {
    Instruction(Executed),
    Kernel(KernelRun),
}

/// A store that wrote a stale value over the counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LostUpdate {
    /// The event of the store.
    pub at: usize,
    pub thread: usize,
    /// What the counter held, and the stale value written over it.
    pub overwrote: u64,
    pub stored: u64,
    /// The loads, adds and stores that made it, as indices into the events.
    pub sequence: Vec<usize>,
    /// The same order in the simulation; `None` when part of it ran under the kernel, where
    /// no single instruction was seen.
    pub simulated: Option<Simulated>,
}

/// An order of loads, adds and stores replayed in the simulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Simulated {
    /// Which thread ran each instruction.
    pub schedule: Vec<usize>,
    pub increments: usize,
    /// Where the simulated counter ended, from 0, and what it lost.
    pub count: u64,
    pub lost: u64,
}

/// Explains the lost update made by the store at `events[at]`.
pub fn explain(events: &[Event], at: usize, threads: usize) -> Option<LostUpdate> {
    let Event::Instruction(store) = events.get(at)? else {
        return None;
    };
    let start = window_start(&events[..=at], threads);
    let window = &events[start..=at];
    let whole = !window.iter().any(|e| matches!(e, Event::Kernel(_)));
    let sequence: Vec<usize> = window
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Event::Instruction(x) if x.role.is_increment_part() => Some(start + i),
            _ => None,
        })
        .collect();
    let schedule: Vec<usize> = sequence
        .iter()
        .filter_map(|&i| thread_of(&events[i]))
        .collect();
    Some(LostUpdate {
        at,
        thread: store.thread,
        overwrote: store.counter_before,
        stored: store.value_before,
        simulated: whole.then(|| simulate(events, &sequence, schedule, threads)),
        sequence,
    })
}

/// The last event before which no thread was between its load and its store.
fn window_start(events: &[Event], threads: usize) -> usize {
    let mut in_flight = vec![false; threads];
    let mut start = 0;
    for (i, event) in events.iter().enumerate() {
        if in_flight.iter().all(|f| !f) {
            start = i;
        }
        match event {
            Event::Instruction(x) => match x.role {
                Role::Load => in_flight[x.thread] = true,
                Role::Store => in_flight[x.thread] = false,
                _ => {}
            },
            Event::Kernel(run) => {
                for (t, role) in run.stopped_before.iter().enumerate().take(threads) {
                    in_flight[t] = matches!(role, Role::Add | Role::Store);
                }
            }
        }
    }
    start
}

fn thread_of(event: &Event) -> Option<usize> {
    match event {
        Event::Instruction(x) => Some(x.thread),
        Event::Kernel(_) => None,
    }
}

fn simulate(
    events: &[Event],
    sequence: &[usize],
    schedule: Vec<usize>,
    threads: usize,
) -> Simulated {
    let loads = |t: usize| {
        sequence
            .iter()
            .filter(|&&i| matches!(&events[i], Event::Instruction(x) if x.thread == t && x.role == Role::Load))
            .count()
    };
    let increments = (0..threads).map(loads).max().unwrap_or(1).max(1);
    let states = replay(
        Params {
            threads,
            increments,
        },
        &schedule,
    );
    let last = &states[states.len() - 1];
    Simulated {
        schedule,
        increments,
        count: last.count,
        lost: last.lost(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn executed(thread: usize, role: Role, counter: (u64, u64), value: (u64, u64)) -> Event {
        Event::Instruction(Executed {
            thread,
            line: 0,
            instruction: String::new(),
            role,
            address: 0,
            counter_before: counter.0,
            counter_after: counter.1,
            value_before: value.0,
            value_after: value.1,
            ip_after: 0,
            predicted_ip: 0,
            nanos: 0,
        })
    }

    #[test]
    fn the_lost_update_is_told_from_the_first_load_and_replays_the_same_in_the_simulation() {
        use Role::*;
        let events = vec![
            executed(0, Load, (0, 0), (0, 0)),
            executed(1, Load, (0, 0), (0, 0)),
            executed(1, Add, (0, 0), (0, 1)),
            executed(1, Store, (0, 1), (1, 1)),
            executed(1, Tally, (1, 1), (1, 1)),
            executed(0, Add, (1, 1), (0, 1)),
            executed(0, Store, (1, 1), (1, 1)),
        ];
        let lost = explain(&events, 6, 2).unwrap();
        assert_eq!(lost.thread, 0);
        assert_eq!((lost.overwrote, lost.stored), (1, 1));
        assert_eq!(
            lost.sequence,
            [0, 1, 2, 3, 5, 6],
            "the tally is not part of it"
        );
        let simulated = lost.simulated.unwrap();
        assert_eq!(simulated.schedule, [0, 1, 1, 1, 0, 0]);
        assert_eq!((simulated.count, simulated.lost), (1, 1));
    }

    #[test]
    fn a_kernel_run_inside_the_story_leaves_the_simulation_out() {
        use Role::*;
        let events = vec![
            executed(0, Load, (0, 0), (0, 0)),
            Event::Kernel(KernelRun {
                millis: 1,
                nanos: 1_000_000,
                counter_before: 0,
                counter_after: 9,
                increments: vec![0, 9],
                stopped_before: vec![Add, Load],
            }),
            executed(0, Add, (9, 9), (0, 1)),
            executed(0, Store, (9, 1), (1, 1)),
        ];
        let lost = explain(&events, 3, 2).unwrap();
        assert_eq!((lost.overwrote, lost.stored), (9, 1));
        assert_eq!(lost.simulated, None);
    }
}
