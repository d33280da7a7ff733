//! The wait-for graph: which thread holds which lock and which lock each thread waits for,
//! and the cycle in it, if any. A cycle is a deadlock: every thread in it waits for a lock
//! held by the next, which waits in turn, so none of them can ever release.

use serde::{Deserialize, Serialize};

/// Who holds and who waits, as the locks report it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitForGraph {
    /// For each lock, the thread holding it.
    pub holders: Vec<Option<usize>>,
    /// For each thread, the lock it waits for.
    pub waiting: Vec<Option<usize>>,
}

/// A cycle: threads in order, each waiting for the lock after it in `locks`, which the next
/// thread holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cycle {
    pub threads: Vec<usize>,
    /// `locks[i]` is what `threads[i]` waits for, held by `threads[i + 1]` (round the ring).
    pub locks: Vec<usize>,
}

impl WaitForGraph {
    /// The thread `thread` waits on: the holder of the lock it waits for.
    fn waits_on(&self, thread: usize) -> Option<(usize, usize)> {
        let lock = (*self.waiting.get(thread)?)?;
        let holder = (*self.holders.get(lock)?)?;
        Some((lock, holder))
    }

    /// The first cycle found, starting from its lowest-numbered thread; `None` when every
    /// chain of waits ends at a thread that waits for nothing.
    pub fn cycle(&self) -> Option<Cycle> {
        for start in 0..self.waiting.len() {
            let mut path = vec![start];
            let mut locks = Vec::new();
            let mut at = start;
            while let Some((lock, holder)) = self.waits_on(at) {
                locks.push(lock);
                if let Some(first) = path.iter().position(|&t| t == holder) {
                    return Some(rotated(Cycle {
                        threads: path.split_off(first),
                        locks: locks.split_off(first),
                    }));
                }
                path.push(holder);
                at = holder;
            }
        }
        None
    }
}

/// The same cycle, starting at its lowest-numbered thread.
fn rotated(mut cycle: Cycle) -> Cycle {
    let first = (0..cycle.threads.len())
        .min_by_key(|&i| cycle.threads[i])
        .unwrap_or(0);
    cycle.threads.rotate_left(first);
    cycle.locks.rotate_left(first);
    cycle
}

/// The name of lock `index`: A, B, C…
pub fn lock_name(index: usize) -> String {
    let letter = (b'A' + (index % 26) as u8) as char;
    match index / 26 {
        0 => letter.to_string(),
        n => format!("{letter}{n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(holders: &[Option<usize>], waiting: &[Option<usize>]) -> WaitForGraph {
        WaitForGraph {
            holders: holders.to_vec(),
            waiting: waiting.to_vec(),
        }
    }

    #[test]
    fn two_threads_each_holding_what_the_other_wants_are_a_cycle() {
        let g = graph(&[Some(0), Some(1)], &[Some(1), Some(0)]);
        let cycle = g.cycle().unwrap();
        assert_eq!(cycle.threads, [0, 1]);
        assert_eq!(cycle.locks, [1, 0]);
    }

    #[test]
    fn a_chain_that_ends_at_a_running_thread_is_no_cycle() {
        // T0 waits for B (held by T1), T1 waits for C (held by T2), T2 runs.
        let g = graph(&[None, Some(1), Some(2)], &[Some(1), Some(2), None]);
        assert_eq!(g.cycle(), None);
        assert_eq!(WaitForGraph::default().cycle(), None);
    }

    #[test]
    fn a_ring_found_from_a_thread_outside_it_names_only_the_ring() {
        // T0 waits on T1; T1, T2 and T3 wait round a ring of three.
        let g = graph(
            &[Some(0), Some(1), Some(2), Some(3)],
            &[Some(1), Some(2), Some(3), Some(1)],
        );
        let cycle = g.cycle().unwrap();
        assert_eq!(cycle.threads, [1, 2, 3]);
        assert_eq!(cycle.locks, [2, 3, 1]);
    }

    #[test]
    fn locks_are_named_by_letter() {
        assert_eq!(lock_name(0), "A");
        assert_eq!(lock_name(3), "D");
        assert_eq!(lock_name(27), "B1");
    }
}
