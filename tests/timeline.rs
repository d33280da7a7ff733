//! The real timeline from a known run: real threads that sleep, spin and block on a held lock
//! in a known pattern land in the right lanes, in the right order, and a full log keeps to its
//! bound.

use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

use proclab::lab::experiment::Words;
use proclab::lab::timeline::{Span, ThreadState, Timeline};
use proclab::lab::trace::{EventKind, Recorded, ThreadLog, spin_for, timeline_of};

const MS: f64 = 1e6;

/// Takes `lock`, asleep `for_` while holding it, and lets go, recording each step.
fn hold(log: &ThreadLog, lock: &Mutex<()>, for_: Duration) {
    log.record(EventKind::Requested, 0);
    let held = lock.lock().unwrap();
    log.record(EventKind::Acquired, 0);
    std::thread::sleep(for_);
    log.record(EventKind::Released, 0);
    drop(held);
}

/// Sleeps `for_`, recording it.
fn sleep(log: &ThreadLog, for_: Duration) {
    log.record(EventKind::SleepBegan, 0);
    std::thread::sleep(for_);
    log.record(EventKind::SleepEnded, 0);
}

/// T1 takes the lock and holds it 40 ms; T2 sleeps 8 ms, spins 2 ms, asks for the lock and
/// blocks until T1 lets go; T3 sleeps 15 ms, then spins 20 ms.
fn known_run() -> Timeline {
    let origin = Instant::now();
    let logs: Vec<ThreadLog> = (0..3).map(|_| ThreadLog::new(4096, origin)).collect();
    let lock = Mutex::new(());
    let start = Barrier::new(3);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            start.wait();
            hold(&logs[0], &lock, Duration::from_millis(40));
            logs[0].record(EventKind::Finished, 0);
        });
        scope.spawn(|| {
            start.wait();
            sleep(&logs[1], Duration::from_millis(8));
            spin_for(
                &logs[1],
                Duration::from_millis(2),
                Duration::from_micros(20),
            );
            hold(&logs[1], &lock, Duration::ZERO);
            logs[1].record(EventKind::Finished, 0);
        });
        scope.spawn(|| {
            start.wait();
            sleep(&logs[2], Duration::from_millis(15));
            spin_for(
                &logs[2],
                Duration::from_millis(20),
                Duration::from_micros(20),
            );
            logs[2].record(EventKind::Finished, 0);
        });
    });
    let end = origin.elapsed().as_nanos() as f64;
    let threads = logs
        .iter()
        .enumerate()
        .map(|(i, log)| Recorded {
            label: Words::new(format!("T{}", i + 1), format!("T{}", i + 1)),
            kernel: None,
            events: log.events(),
            end,
        })
        .collect();
    timeline_of(threads, vec!["A".into()], 0)
}

fn states(spans: &[Span]) -> Vec<ThreadState> {
    let mut seen: Vec<ThreadState> = Vec::new();
    for span in spans.iter().filter(|s| s.state.is_state()) {
        if seen.last() != Some(&span.state) {
            seen.push(span.state);
        }
    }
    seen
}

fn held(spans: &[Span]) -> Vec<&Span> {
    spans
        .iter()
        .filter(|s| s.state == ThreadState::Holding)
        .collect()
}

#[test]
fn a_known_run_lands_in_the_right_lanes_in_the_right_order() {
    let timeline = known_run();
    let [t1, t2, t3] = [0, 1, 2].map(|i| &timeline.lanes[i].spans);
    // T1 holds A for its whole 40 ms sleep.
    let t1_held = held(t1);
    assert_eq!(t1_held.len(), 1);
    let hold = t1_held[0];
    assert!(hold.end - hold.start >= 40.0 * MS, "{hold:?}");
    // T2 sleeps, runs, then blocks on A from about 10 ms until T1 lets go, then holds it.
    let t2_states = states(t2);
    assert_eq!(
        t2_states[..2],
        [ThreadState::Sleeping, ThreadState::Running]
    );
    let blocked_at = t2_states
        .iter()
        .position(|&s| s == ThreadState::Blocked)
        .unwrap();
    assert!(
        t2_states[2..blocked_at]
            .iter()
            .all(|&s| s == ThreadState::Runnable || s == ThreadState::Running)
    );
    let blocked = t2.iter().find(|s| s.state == ThreadState::Blocked).unwrap();
    assert_eq!(blocked.object, Some(0));
    assert!(blocked.start >= 10.0 * MS && blocked.start < hold.end);
    assert!(blocked.end >= hold.end, "T2 got A before T1 let go");
    assert!(held(t2)[0].start >= hold.end);
    // T3 sleeps first, then runs (with turns off the CPU, if it had any, only while spinning).
    assert_eq!(states(t3)[0], ThreadState::Sleeping);
    let slept = &t3[0];
    assert!(slept.end - slept.start >= 15.0 * MS);
    assert!(t3[1..].iter().all(|s| s.start >= slept.end));
    assert!(
        states(t3)[1..]
            .iter()
            .all(|s| matches!(s, ThreadState::Running | ThreadState::Runnable))
    );
    // The hand-over is inferred: T1's release woke T2.
    let wake = timeline
        .wakes
        .iter()
        .find(|w| w.to == 1)
        .expect("no hand-over to T2");
    assert_eq!((wake.from, wake.object), (0, 0));
    // States never overlap within a lane.
    for lane in &timeline.lanes {
        let spans: Vec<&Span> = lane.spans.iter().filter(|s| s.state.is_state()).collect();
        for pair in spans.windows(2) {
            assert!(pair[0].end <= pair[1].start, "{:?}", lane.label);
        }
    }
}

#[test]
fn a_log_shared_with_a_reader_keeps_to_its_bound_and_counts_what_it_dropped() {
    let log = ThreadLog::new(100, Instant::now());
    std::thread::scope(|scope| {
        scope.spawn(|| {
            for i in 0..1_000 {
                log.record(EventKind::Acquired, i);
            }
        });
        // A reader meanwhile sees a growing prefix, never a torn or out-of-order event.
        let mut seen = 0;
        while seen < 100 {
            let events = log.events();
            assert!(events.len() >= seen && events.len() <= 100);
            for (i, event) in events.iter().enumerate() {
                assert_eq!(event.object, i as u32);
            }
            seen = events.len();
        }
    });
    assert_eq!(log.events().len(), log.capacity());
    assert_eq!(log.dropped(), 900);
}
