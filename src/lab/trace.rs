//! What a worker thread did and when, recorded by the thread itself: lock requested, acquired
//! and released, a sleep begun and ended, a gap in its own progress. Each thread writes into a
//! log of its own, sized before the run: recording is a clock read and three relaxed stores,
//! with no lock and no allocation, and a full log drops events and counts them rather than
//! grow. Another thread may read a log while it is written (the deadlock watcher does); after
//! the run the logs are merged into a [`Timeline`].

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::timeline::{Lane, Span, ThreadState, Timeline, Wake};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// Asked for a lock (and blocks until it gets it).
    Requested,
    Acquired,
    Released,
    /// Gave up asking for a lock (a failed `try_lock`).
    BackedOff,
    SleepBegan,
    SleepEnded,
    /// The thread's own clock readings stopped: it was taken off the CPU.
    GapBegan,
    GapEnded,
    /// The thread's work is done.
    Finished,
    /// The thread's work begins (its lane starts here).
    Began,
}

impl EventKind {
    const ALL: [EventKind; 10] = [
        EventKind::Requested,
        EventKind::Acquired,
        EventKind::Released,
        EventKind::BackedOff,
        EventKind::SleepBegan,
        EventKind::SleepEnded,
        EventKind::GapBegan,
        EventKind::GapEnded,
        EventKind::Finished,
        EventKind::Began,
    ];

    fn code(self) -> u64 {
        Self::ALL.iter().position(|&k| k == self).unwrap_or(0) as u64
    }
}

/// One recorded event: nanoseconds from the run's origin, what, and on which lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: u64,
    pub kind: EventKind,
    pub object: u32,
}

/// One thread's log. Single writer; any number of readers.
pub struct ThreadLog {
    /// Two words an event: the time, then the kind and the object.
    words: Box<[AtomicU64]>,
    /// Events written; each is complete before this counts it.
    len: AtomicUsize,
    dropped: AtomicU64,
    origin: Instant,
}

impl ThreadLog {
    /// A log with room for `capacity` events, timed from `origin`.
    pub fn new(capacity: usize, origin: Instant) -> Self {
        Self {
            words: (0..capacity * 2).map(|_| AtomicU64::new(0)).collect(),
            len: AtomicUsize::new(0),
            dropped: AtomicU64::new(0),
            origin,
        }
    }

    /// Nanoseconds since the origin, now.
    pub fn now(&self) -> u64 {
        self.origin.elapsed().as_nanos() as u64
    }

    /// Records `kind` on `object`, now.
    pub fn record(&self, kind: EventKind, object: u32) {
        self.record_at(self.now(), kind, object);
    }

    /// Records `kind` on `object` at `at` nanoseconds (for a gap, seen only once it ended).
    /// Only the thread that owns the log may call this.
    pub fn record_at(&self, at: u64, kind: EventKind, object: u32) {
        let index = self.len.load(Ordering::Relaxed);
        let (Some(time), Some(what)) = (self.words.get(index * 2), self.words.get(index * 2 + 1))
        else {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        };
        time.store(at, Ordering::Relaxed);
        what.store(kind.code() | (u64::from(object) << 8), Ordering::Relaxed);
        // Publishes the two words above to any reader that sees the new length.
        self.len.store(index + 1, Ordering::Release);
    }

    /// Every event recorded so far, in order.
    pub fn events(&self) -> Vec<Event> {
        let len = self.len.load(Ordering::Acquire);
        self.words
            .chunks_exact(2)
            .take(len)
            .map(|pair| {
                let what = pair[1].load(Ordering::Relaxed);
                Event {
                    at: pair[0].load(Ordering::Relaxed),
                    kind: EventKind::ALL[(what & 0xff) as usize % EventKind::ALL.len()],
                    object: (what >> 8) as u32,
                }
            })
            .collect()
    }

    /// Events that did not fit.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Room for events in all.
    pub fn capacity(&self) -> usize {
        self.words.len() / 2
    }
}

/// What [`run_recorded`] gives back: each thread's log, when each finished, and when they
/// were released together, in nanoseconds from the logs' origin.
pub struct RecordedRun {
    pub logs: Vec<ThreadLog>,
    pub finished: Vec<f64>,
    pub began: u64,
}

/// Runs `work` on `threads` threads released together, each with a log of its own with room
/// for `capacity` events.
pub fn run_recorded(
    threads: u32,
    capacity: usize,
    work: impl Fn(&ThreadLog) + Sync,
) -> RecordedRun {
    let origin = Instant::now();
    let logs: Vec<ThreadLog> = (0..threads)
        .map(|_| ThreadLog::new(capacity, origin))
        .collect();
    let start = std::sync::Barrier::new(threads as usize + 1);
    let mut began = 0;
    let finished = std::thread::scope(|scope| {
        let workers: Vec<_> = logs
            .iter()
            .map(|log| {
                let (start, work) = (&start, &work);
                scope.spawn(move || {
                    start.wait();
                    work(log);
                    log.now() as f64
                })
            })
            .collect();
        start.wait();
        began = origin.elapsed().as_nanos() as u64;
        workers.into_iter().filter_map(|w| w.join().ok()).collect()
    });
    RecordedRun {
        logs,
        finished,
        began,
    }
}

/// Keeps the CPU busy for `duration`, reading the clock all the while, and records every
/// pause longer than `gap` in its own readings as a gap: the thread was off the CPU then.
pub fn spin_for(log: &ThreadLog, duration: std::time::Duration, gap: std::time::Duration) {
    let (until, gap) = (
        log.now() + duration.as_nanos() as u64,
        gap.as_nanos() as u64,
    );
    let mut last = log.now();
    while last < until {
        let now = log.now();
        if now - last > gap {
            log.record_at(last, EventKind::GapBegan, 0);
            log.record_at(now, EventKind::GapEnded, 0);
        }
        last = now;
    }
}

/// The events of threads that recorded one reading per turn on one lock, taken just after
/// they let go, with the lock's own count of acquisitions as the object (read inside the lock,
/// where a clock reading would make every other thread wait longer): each turn becomes asked,
/// got and let go, all three inferred. A reading can come late (the thread was taken off the
/// CPU between letting go and reading the clock), so a turn is taken to end no later than the
/// turn after it ended. A thread asks again as soon as it lets go, so it asked when its
/// previous turn ended (its first turn: at `start`), and it got the lock once it had asked and
/// the turn before had ended.
pub fn turns_from_releases(threads: &[Vec<Event>], lock: u32, start: u64) -> Vec<Vec<Event>> {
    // (order, thread, index in the thread's events, reading)
    let mut turns: Vec<(u32, usize, usize, u64)> = threads
        .iter()
        .enumerate()
        .flat_map(|(t, events)| {
            events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == EventKind::Released)
                .map(move |(i, e)| (e.object, t, i, e.at))
        })
        .collect();
    turns.sort_unstable();
    // Each turn's end: its reading, or the end of the turn after it if that is earlier.
    let mut ends = vec![0; turns.len()];
    let mut later = u64::MAX;
    for (k, turn) in turns.iter().enumerate().rev() {
        later = later.min(turn.3);
        ends[k] = later;
    }
    let mut end_of: Vec<Vec<u64>> = threads.iter().map(|e| vec![0; e.len()]).collect();
    let mut got = end_of.clone();
    for (k, &(_, t, i, _)) in turns.iter().enumerate() {
        end_of[t][i] = ends[k];
    }
    let mut previous_end = start;
    // A thread's previous turn ended when it asked again.
    let asked_of = |t: usize, i: usize| -> u64 {
        (0..i)
            .rev()
            .find(|&j| threads[t][j].kind == EventKind::Released)
            .map_or(start, |j| end_of[t][j])
    };
    for (k, &(_, t, i, _)) in turns.iter().enumerate() {
        got[t][i] = asked_of(t, i).max(previous_end).min(ends[k]);
        previous_end = ends[k];
    }
    threads
        .iter()
        .enumerate()
        .map(|(t, events)| {
            let mut out = Vec::with_capacity(events.len() * 3);
            let mut asked = start;
            for (i, event) in events.iter().enumerate() {
                if event.kind != EventKind::Released {
                    out.push(*event);
                    continue;
                }
                let (got, end) = (got[t][i], end_of[t][i]);
                out.extend([
                    Event {
                        at: asked.min(got),
                        kind: EventKind::Requested,
                        object: lock,
                    },
                    Event {
                        at: got,
                        kind: EventKind::Acquired,
                        object: lock,
                    },
                    Event {
                        at: end,
                        kind: EventKind::Released,
                        object: lock,
                    },
                ]);
                asked = end;
            }
            out
        })
        .collect()
}

/// The spans of one thread from its events, the last open span closed at `end`.
pub fn spans_of(events: &[Event], end: f64) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut state = (
        ThreadState::Running,
        None,
        events.first().map_or(end, |e| e.at as f64),
    );
    // The state a gap interrupts, to return to when it ends.
    let mut before_gap = None;
    let mut holds: Vec<(usize, f64)> = Vec::new();
    let close = |spans: &mut Vec<Span>, state: (ThreadState, Option<usize>, f64), at: f64| {
        if at > state.2 {
            spans.push(Span {
                start: state.2,
                end: at,
                state: state.0,
                object: state.1,
            });
        }
    };
    for event in events {
        let (at, object) = (event.at as f64, Some(event.object as usize));
        let next = match event.kind {
            EventKind::Requested => (ThreadState::Blocked, object),
            EventKind::Acquired => {
                holds.push((event.object as usize, at));
                (ThreadState::Running, None)
            }
            EventKind::Released => {
                if let Some(i) = holds.iter().position(|h| h.0 == event.object as usize) {
                    let (lock, since) = holds.remove(i);
                    if at <= since {
                        continue;
                    }
                    spans.push(Span {
                        start: since,
                        end: at,
                        state: ThreadState::Holding,
                        object: Some(lock),
                    });
                }
                continue;
            }
            EventKind::BackedOff | EventKind::SleepEnded | EventKind::Began => {
                (ThreadState::Running, None)
            }
            EventKind::SleepBegan => (ThreadState::Sleeping, None),
            // A gap while blocked or asleep is part of that wait; only a running thread
            // becomes runnable.
            EventKind::GapBegan if state.0 == ThreadState::Running => {
                before_gap = Some((state.0, state.1));
                (ThreadState::Runnable, None)
            }
            EventKind::GapEnded => match before_gap.take() {
                Some(resumed) => resumed,
                None => continue,
            },
            EventKind::GapBegan => continue,
            EventKind::Finished => {
                close(&mut spans, state, at);
                state = (ThreadState::Running, None, f64::INFINITY);
                continue;
            }
        };
        close(&mut spans, state, at);
        state = (next.0, next.1, at);
    }
    close(&mut spans, state, end);
    for (lock, since) in holds {
        spans.push(Span {
            start: since,
            end,
            state: ThreadState::Holding,
            object: Some(lock),
        });
    }
    spans.sort_by(|a, b| a.start.total_cmp(&b.start));
    spans
}

/// The hand-overs between threads: each acquire of a lock by a thread that was blocked on
/// it, paired with the release just before it by another thread.
pub fn wakes_of(threads: &[&[Event]]) -> Vec<Wake> {
    let mut all: Vec<(usize, Event)> = threads
        .iter()
        .enumerate()
        .flat_map(|(lane, events)| events.iter().map(move |&e| (lane, e)))
        .collect();
    all.sort_by_key(|(_, e)| e.at);
    let mut last_release: Vec<(u32, usize, u64)> = Vec::new();
    let mut waiting: Vec<(usize, u32)> = Vec::new();
    let mut wakes = Vec::new();
    for (lane, event) in all {
        match event.kind {
            EventKind::Requested => waiting.push((lane, event.object)),
            EventKind::Released => {
                last_release.retain(|r| r.0 != event.object);
                last_release.push((event.object, lane, event.at));
            }
            EventKind::Acquired => {
                let was_waiting = waiting.iter().position(|w| *w == (lane, event.object));
                if let Some(i) = was_waiting {
                    waiting.remove(i);
                    let release = last_release.iter().find(|r| r.0 == event.object);
                    if let Some(&(object, from, released)) = release
                        && from != lane
                    {
                        wakes.push(Wake {
                            from,
                            to: lane,
                            released: released as f64,
                            acquired: event.at as f64,
                            object: object as usize,
                        });
                    }
                }
            }
            EventKind::BackedOff => waiting.retain(|w| *w != (lane, event.object)),
            _ => {}
        }
    }
    wakes
}

/// One thread's part of a timeline: its label, its events, and when its recording ended
/// (its last open span closes there: a killed thread's wait ends with the kill).
pub struct Recorded {
    pub label: super::experiment::Words,
    pub events: Vec<Event>,
    pub end: f64,
    /// The kernel's account of the thread, read by the thread itself as it finished.
    pub kernel: Option<super::os::SchedAccount>,
}

/// The timeline of `threads`, with `objects` naming the locks.
pub fn timeline_of(threads: Vec<Recorded>, objects: Vec<String>, dropped: u64) -> Timeline {
    let events: Vec<&[Event]> = threads.iter().map(|t| t.events.as_slice()).collect();
    Timeline {
        wakes: wakes_of(&events),
        lanes: threads
            .into_iter()
            .map(|thread| Lane {
                spans: spans_of(&thread.events, thread.end),
                label: thread.label,
                kernel: thread.kernel,
            })
            .collect(),
        objects,
        dropped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(at: u64, kind: EventKind, object: u32) -> Event {
        Event { at, kind, object }
    }

    #[test]
    fn a_full_log_drops_and_counts_instead_of_growing() {
        let log = ThreadLog::new(3, Instant::now());
        for i in 0..5 {
            log.record_at(i, EventKind::Acquired, 7);
        }
        assert_eq!(log.events().len(), 3);
        assert_eq!(log.dropped(), 2);
        assert_eq!(log.events()[2], event(2, EventKind::Acquired, 7));
    }

    #[test]
    fn a_wait_a_hold_and_a_gap_become_spans_in_order() {
        use EventKind::*;
        let events = [
            event(0, SleepBegan, 0),
            event(10, SleepEnded, 0),
            event(20, Requested, 1),
            event(30, Acquired, 1),
            event(40, GapBegan, 0),
            event(45, GapEnded, 0),
            event(50, Released, 1),
            event(60, Finished, 0),
        ];
        let spans = spans_of(&events, 100.0);
        let states: Vec<_> = spans
            .iter()
            .map(|s| (s.state, s.start, s.end, s.object))
            .collect();
        use ThreadState as S;
        assert_eq!(
            states,
            [
                (S::Sleeping, 0.0, 10.0, None),
                (S::Running, 10.0, 20.0, None),
                (S::Blocked, 20.0, 30.0, Some(1)),
                (S::Running, 30.0, 40.0, None),
                (S::Holding, 30.0, 50.0, Some(1)),
                (S::Runnable, 40.0, 45.0, None),
                (S::Running, 45.0, 60.0, None),
            ]
        );
    }

    #[test]
    fn turns_recorded_after_each_release_become_asked_got_and_let_go_in_the_locks_order() {
        use EventKind::*;
        // The lock's order: T0 holds turn 1, T1 turn 2, T0 turn 3.
        let t0 = vec![event(10, Released, 1), event(40, Released, 3)];
        let t1 = vec![event(25, Released, 2)];
        let turns = turns_from_releases(&[t0, t1], 0, 0);
        let times = |thread: &[Event]| thread.iter().map(|e| (e.kind, e.at)).collect::<Vec<_>>();
        assert_eq!(
            times(&turns[0]),
            [
                (Requested, 0),
                (Acquired, 0),
                (Released, 10),
                // Asked again at 10, got it once T1 let go at 25.
                (Requested, 10),
                (Acquired, 25),
                (Released, 40),
            ]
        );
        // T1 asked at the start and got the lock when T0 let go.
        assert_eq!(
            times(&turns[1]),
            [(Requested, 0), (Acquired, 10), (Released, 25)]
        );
    }

    #[test]
    fn a_reading_taken_late_ends_its_turn_no_later_than_the_next_turn_ended() {
        use EventKind::*;
        // T0 let go of turn 1 but read the clock only at 100, after T1's turn 2 ended at 50.
        let t0 = vec![event(100, Released, 1)];
        let t1 = vec![event(50, Released, 2)];
        let turns = turns_from_releases(&[t0, t1], 0, 0);
        assert_eq!(turns[0][2].at, 50);
        assert!(
            turns[1][1].at >= turns[0][2].at,
            "T1 got the lock before T0 let go"
        );
    }

    #[test]
    fn an_acquire_after_a_wait_is_a_wake_by_the_thread_that_released() {
        use EventKind::*;
        let holder = vec![event(0, Acquired, 0), event(50, Released, 0)];
        let waiter = vec![event(10, Requested, 0), event(52, Acquired, 0)];
        let wakes = wakes_of(&[&holder, &waiter]);
        assert_eq!(wakes.len(), 1);
        assert_eq!(
            (wakes[0].from, wakes[0].to, wakes[0].released),
            (0, 1, 50.0)
        );
    }
}
