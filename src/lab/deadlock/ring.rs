//! The child's half: N threads in a ring, thread i taking lock i and then lock i+1, under one
//! of three strategies. Every lock says who holds it and every thread says which lock it
//! waits for; a watcher thread reads those and sends the wait-for graph to the parent each
//! time it changes. Every thread also records its own events into a [`ThreadLog`] for the
//! timeline. A ring that deadlocks never ends by itself: the parent kills this process.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex, MutexGuard, TryLockError};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::Strategy;
use super::WaitForGraph;
use crate::lab::child::{from_parent, to_parent};
use crate::lab::os::{SchedAccount, current_thread_id};
use crate::lab::trace::{Event, EventKind, ThreadLog};

/// How long a thread holds its first lock before it asks for the second, so that the others
/// take theirs meanwhile and the locks are really contended.
const HOLD: Duration = Duration::from_millis(2);

/// How often the watcher reads the locks.
const WATCH_EVERY: Duration = Duration::from_millis(1);

/// Room in each thread's log: every round is at most a handful of events.
const EVENTS_PER_ROUND: usize = 12;

/// The parent's orders.
#[derive(Debug, Serialize, Deserialize)]
pub enum ToChild {
    Setup {
        threads: u32,
        strategy: Strategy,
        rounds: u32,
    },
    /// Send every thread's events so far (the ring is about to be killed).
    Report,
}

/// What the child tells the parent.
#[derive(Debug, Serialize, Deserialize)]
pub enum FromChild {
    /// Every ring thread is running, with its kernel thread id.
    Started { tids: Vec<u32> },
    /// The wait-for graph changed.
    Graph(WaitForGraph),
    /// The threads' events, and for each its kernel account; `finished` when all of them
    /// did all their rounds.
    Events {
        finished: bool,
        events: Vec<Vec<Event>>,
        dropped: u64,
        back_offs: u64,
        accounts: Vec<Option<SchedAccount>>,
    },
}

/// A lock that says who holds it.
struct WatchedLock {
    mutex: Mutex<()>,
    /// The holding thread plus one; 0 when free.
    owner: AtomicUsize,
}

/// Everything the ring's threads share.
struct Ring {
    locks: Vec<WatchedLock>,
    /// For each thread, the lock it waits for plus one; 0 when it waits for none.
    waiting: Vec<AtomicUsize>,
    logs: Vec<ThreadLog>,
    tids: Vec<AtomicU32>,
    accounts: Mutex<Vec<Option<SchedAccount>>>,
    done: AtomicUsize,
    back_offs: AtomicU64,
    /// Every thread holds its first lock (the ring strategy waits for this, so that the
    /// deadlock is certain rather than likely).
    all_hold_first: Barrier,
}

impl Ring {
    fn new(threads: usize, rounds: u32) -> Self {
        let origin = Instant::now();
        let capacity = EVENTS_PER_ROUND * rounds as usize + 8;
        Self {
            locks: (0..threads)
                .map(|_| WatchedLock {
                    mutex: Mutex::new(()),
                    owner: AtomicUsize::new(0),
                })
                .collect(),
            waiting: (0..threads).map(|_| AtomicUsize::new(0)).collect(),
            logs: (0..threads)
                .map(|_| ThreadLog::new(capacity, origin))
                .collect(),
            tids: (0..threads).map(|_| AtomicU32::new(0)).collect(),
            accounts: Mutex::new(vec![None; threads]),
            done: AtomicUsize::new(0),
            back_offs: AtomicU64::new(0),
            all_hold_first: Barrier::new(threads),
        }
    }

    /// Thread `me` takes lock `lock`, blocking until it is free, and says so before and after.
    fn lock(&self, me: usize, lock: usize) -> Option<MutexGuard<'_, ()>> {
        let log = &self.logs[me];
        log.record(EventKind::Requested, lock as u32);
        self.waiting[me].store(lock + 1, Ordering::SeqCst);
        let guard = self.locks[lock].mutex.lock().ok()?;
        self.waiting[me].store(0, Ordering::SeqCst);
        self.locks[lock].owner.store(me + 1, Ordering::SeqCst);
        log.record(EventKind::Acquired, lock as u32);
        Some(guard)
    }

    /// Thread `me` tries lock `lock` once, without waiting.
    fn try_lock(&self, me: usize, lock: usize) -> Option<MutexGuard<'_, ()>> {
        match self.locks[lock].mutex.try_lock() {
            Ok(guard) => {
                self.locks[lock].owner.store(me + 1, Ordering::SeqCst);
                self.logs[me].record(EventKind::Acquired, lock as u32);
                Some(guard)
            }
            Err(TryLockError::WouldBlock | TryLockError::Poisoned(_)) => None,
        }
    }

    /// Thread `me` lets go of `lock`: the owner is cleared before the mutex is, so that the
    /// graph never shows a hold that has already ended.
    fn unlock(&self, me: usize, lock: usize, guard: MutexGuard<'_, ()>) {
        self.logs[me].record(EventKind::Released, lock as u32);
        self.locks[lock].owner.store(0, Ordering::SeqCst);
        drop(guard);
    }

    /// The graph as the locks and threads report it now.
    fn graph(&self) -> WaitForGraph {
        let read = |a: &AtomicUsize| a.load(Ordering::SeqCst).checked_sub(1);
        WaitForGraph {
            holders: self.locks.iter().map(|l| read(&l.owner)).collect(),
            waiting: self.waiting.iter().map(read).collect(),
        }
    }

    fn hold_briefly(&self, me: usize) {
        self.logs[me].record(EventKind::SleepBegan, 0);
        std::thread::sleep(HOLD);
        self.logs[me].record(EventKind::SleepEnded, 0);
    }

    fn events(&self, finished: bool) -> FromChild {
        FromChild::Events {
            finished,
            events: self.logs.iter().map(ThreadLog::events).collect(),
            dropped: self.logs.iter().map(ThreadLog::dropped).sum(),
            back_offs: self.back_offs.load(Ordering::Relaxed),
            accounts: self.accounts.lock().map(|a| a.clone()).unwrap_or_default(),
        }
    }
}

/// One ring thread's work: `rounds` times, both its locks under `strategy`.
fn ring_thread(ring: &Ring, me: usize, strategy: Strategy, rounds: u32) {
    ring.tids[me].store(current_thread_id(), Ordering::SeqCst);
    let n = ring.locks.len();
    let (first, second) = match strategy {
        Strategy::GlobalOrder => (me.min((me + 1) % n), me.max((me + 1) % n)),
        Strategy::Ring | Strategy::TryLock => (me, (me + 1) % n),
    };
    let mut seed = (me as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for round in 0..rounds {
        let Some(held) = ring.lock(me, first) else {
            return;
        };
        if strategy == Strategy::Ring && round == 0 {
            ring.all_hold_first.wait();
        }
        ring.hold_briefly(me);
        let both = match strategy {
            Strategy::TryLock => ring.try_lock(me, second),
            Strategy::Ring | Strategy::GlobalOrder => ring.lock(me, second),
        };
        match both {
            Some(guard) => {
                ring.unlock(me, second, guard);
                ring.unlock(me, first, held);
            }
            None => {
                // Back off: give up the first lock, wait a random while, start the round over.
                ring.logs[me].record(EventKind::BackedOff, second as u32);
                ring.back_offs.fetch_add(1, Ordering::Relaxed);
                ring.unlock(me, first, held);
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                std::thread::sleep(Duration::from_micros(100 + seed % 900));
            }
        }
    }
    ring.logs[me].record(EventKind::Finished, 0);
    if let Ok(mut accounts) = ring.accounts.lock() {
        accounts[me] = SchedAccount::of_this_thread();
    }
    ring.done.fetch_add(1, Ordering::SeqCst);
}

/// Sends the graph whenever it changes, and the events once every thread is done.
fn watch(ring: &Ring, stop: &AtomicBool) -> io::Result<()> {
    let mut last = None;
    while !stop.load(Ordering::Relaxed) {
        let graph = ring.graph();
        if last.as_ref() != Some(&graph) {
            to_parent(&FromChild::Graph(graph.clone()))?;
            last = Some(graph);
        }
        if ring.done.load(Ordering::SeqCst) == ring.locks.len() {
            return to_parent(&ring.events(true));
        }
        std::thread::sleep(WATCH_EVERY);
    }
    Ok(())
}

/// Worker mode `deadlock-ring`.
pub fn run_child() -> io::Result<()> {
    let mut orders = from_parent::<ToChild>();
    let Some(ToChild::Setup {
        threads,
        strategy,
        rounds,
    }) = orders.next()
    else {
        return Err(io::Error::other("expected the ring's set-up"));
    };
    let n = threads as usize;
    let ring = Arc::new(Ring::new(n, rounds));
    // Not scoped: a deadlocked thread is never joined, the process ends around it.
    for me in 0..n {
        let ring = Arc::clone(&ring);
        std::thread::Builder::new()
            .name(format!("ring-{me}"))
            .spawn(move || ring_thread(&ring, me, strategy, rounds))?;
    }
    while ring.tids.iter().any(|t| t.load(Ordering::SeqCst) == 0) {
        std::thread::sleep(Duration::from_micros(200));
    }
    let tids = ring.tids.iter().map(|t| t.load(Ordering::SeqCst)).collect();
    to_parent(&FromChild::Started { tids })?;
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (ring, stop) = (Arc::clone(&ring), Arc::clone(&stop));
        std::thread::Builder::new()
            .name("ring-watcher".into())
            .spawn(move || watch(&ring, &stop))?
    };
    for order in orders {
        if let ToChild::Report = order {
            to_parent(&ring.events(false))?;
        }
    }
    // The parent closed our input: it is done with us.
    stop.store(true, Ordering::Relaxed);
    let _ = watcher.join();
    Ok(())
}
