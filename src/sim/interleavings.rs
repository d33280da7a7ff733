//! `count += 1` as a machine runs it: every thread loads the shared counter into its own
//! register, adds one there, and stores it back. Whoever plays the scheduler picks which
//! thread executes its next instruction; a pure [`Machine`] steps one instruction at a time,
//! so any schedule can be replayed, undone and compared. [`enumerate`] counts every possible
//! interleaving of T threads x K increments and how many end with each final value: the model
//! beside what real threads produced.

use std::collections::{BTreeMap, HashMap};

/// One instruction of `count += 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Instr {
    /// register = count
    Load,
    /// register = register + 1
    Add,
    /// count = register
    Store,
}

impl Instr {
    /// The instructions of one increment, in order.
    pub const INCREMENT: [Instr; 3] = [Instr::Load, Instr::Add, Instr::Store];

    /// As an assembly listing writes it.
    pub fn text(self) -> &'static str {
        match self {
            Instr::Load => "load  r, [count]",
            Instr::Add => "add   r, 1",
            Instr::Store => "store [count], r",
        }
    }
}

/// How many threads race and how many increments each makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Params {
    pub threads: usize,
    pub increments: usize,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            threads: 2,
            increments: 1,
        }
    }
}

/// One thread: how many instructions it has executed and its private register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Thread {
    pub done: usize,
    pub register: u64,
}

/// The whole machine: the shared counter in memory and every thread.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Machine {
    pub count: u64,
    pub threads: Vec<Thread>,
    /// Instructions each thread runs in all: 3 per increment.
    pub length: usize,
}

impl Machine {
    /// Every thread at its first instruction, the counter at zero.
    pub fn new(params: Params) -> Self {
        Self {
            count: 0,
            threads: vec![Thread::default(); params.threads],
            length: 3 * params.increments,
        }
    }

    /// The instruction thread `t` executes next, if it has any left.
    pub fn next(&self, t: usize) -> Option<Instr> {
        let thread = self.threads.get(t)?;
        (thread.done < self.length).then(|| Instr::INCREMENT[thread.done % 3])
    }

    /// The machine after thread `t` executes its next instruction; `None` if it has none.
    pub fn step(&self, t: usize) -> Option<Machine> {
        let instr = self.next(t)?;
        let mut next = self.clone();
        let thread = &mut next.threads[t];
        match instr {
            Instr::Load => thread.register = next.count,
            Instr::Add => thread.register += 1,
            Instr::Store => next.count = thread.register,
        }
        thread.done += 1;
        Some(next)
    }

    /// True when every thread has run all its instructions.
    pub fn finished(&self) -> bool {
        self.threads.iter().all(|t| t.done == self.length)
    }

    /// The count every increment would have produced.
    pub fn expected(&self) -> u64 {
        (self.threads.len() * self.length / 3) as u64
    }

    /// Increments lost so far: those completed (stored) that the counter does not show.
    pub fn lost(&self) -> u64 {
        let stored: usize = self.threads.iter().map(|t| t.done / 3).sum();
        (stored as u64).saturating_sub(self.count)
    }
}

/// Every machine state along `schedule` (thread numbers), the start included; a step naming
/// a thread that has nothing left to run is skipped.
pub fn replay(params: Params, schedule: &[usize]) -> Vec<Machine> {
    let mut states = vec![Machine::new(params)];
    for &t in schedule {
        let last = &states[states.len() - 1];
        if let Some(next) = last.step(t) {
            states.push(next);
        }
    }
    states
}

/// Each thread runs to its end before the next starts: the schedule that never loses.
pub fn serial(params: Params) -> Vec<usize> {
    (0..params.threads)
        .flat_map(|t| std::iter::repeat_n(t, 3 * params.increments))
        .collect()
}

/// A schedule picked by a seeded random scheduler: the same seed, the same schedule.
pub fn random(params: Params, seed: u64) -> Vec<usize> {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut machine = Machine::new(params);
    let mut schedule = Vec::new();
    while !machine.finished() {
        let ready: Vec<usize> = (0..params.threads)
            .filter(|&t| machine.next(t).is_some())
            .collect();
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let t = ready[((state >> 33) as usize) % ready.len()];
        machine = machine.step(t).unwrap_or(machine);
        schedule.push(t);
    }
    schedule
}

/// Every interleaving of a [`Params`], counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcomes {
    /// How many distinct orders of all instructions there are.
    pub interleavings: u128,
    /// For each final count, how many interleavings end with it.
    pub finals: BTreeMap<u64, u128>,
}

/// Counts every interleaving and its final value, by walking the tree of states with memory
/// of the states already counted (so it finishes even when the interleavings run into the
/// billions).
pub fn enumerate(params: Params) -> Outcomes {
    let mut memo = HashMap::new();
    let finals = walk(&Machine::new(params), &mut memo);
    Outcomes {
        interleavings: finals.values().sum(),
        finals,
    }
}

fn walk(
    machine: &Machine,
    memo: &mut HashMap<Machine, BTreeMap<u64, u128>>,
) -> BTreeMap<u64, u128> {
    if machine.finished() {
        return BTreeMap::from([(machine.count, 1)]);
    }
    if let Some(known) = memo.get(machine) {
        return known.clone();
    }
    let mut finals = BTreeMap::new();
    for t in 0..machine.threads.len() {
        if let Some(next) = machine.step(t) {
            for (value, count) in walk(&next, memo) {
                *finals.entry(value).or_insert(0) += count;
            }
        }
    }
    memo.insert(machine.clone(), finals.clone());
    finals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interleaving_that_loads_twice_before_storing_loses_one_update() {
        // Thread 0 loads; thread 1 runs a whole increment; thread 0 adds and stores.
        let states = replay(Params::default(), &[0, 1, 1, 1, 0, 0]);
        let end = states.last().unwrap();
        assert!(end.finished());
        assert_eq!((end.count, end.expected(), end.lost()), (1, 2, 1));
        // Thread 0's private register still held the old value when thread 1 stored.
        assert_eq!(states[4].count, 1);
        assert_eq!(states[4].threads[0].register, 0);
    }

    #[test]
    fn a_serial_schedule_loses_nothing() {
        let params = Params {
            threads: 3,
            increments: 2,
        };
        let end = replay(params, &serial(params)).pop().unwrap();
        assert_eq!((end.count, end.lost()), (6, 0));
    }

    #[test]
    fn two_threads_one_increment_have_twenty_interleavings_and_two_of_them_count_right() {
        let outcomes = enumerate(Params::default());
        assert_eq!(outcomes.interleavings, 20);
        assert_eq!(outcomes.finals, BTreeMap::from([(1, 18), (2, 2)]));
    }

    #[test]
    fn the_count_of_interleavings_is_the_multinomial() {
        // (6 choose 3, 3) for 2 x 2 = 12! / (6! 6!) = 924; 3 x 1 = 9! / (3! 3! 3!) = 1680.
        let two_by_two = enumerate(Params {
            threads: 2,
            increments: 2,
        });
        assert_eq!(two_by_two.interleavings, 924);
        // Every final value lies between the most lost and none lost.
        assert!(two_by_two.finals.keys().all(|&v| (2..=4).contains(&v)));
        let three = enumerate(Params {
            threads: 3,
            increments: 1,
        });
        assert_eq!(three.interleavings, 1680);
        assert_eq!(three.finals.keys().copied().collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn the_random_scheduler_is_repeatable_and_complete() {
        let params = Params {
            threads: 3,
            increments: 2,
        };
        assert_eq!(random(params, 7), random(params, 7));
        let end = replay(params, &random(params, 7)).pop().unwrap();
        assert!(end.finished());
        assert_eq!(end.count + end.lost(), end.expected());
    }
}
