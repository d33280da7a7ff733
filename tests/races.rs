//! Races and locks against real threads: updates really get lost, every fix is exact, the
//! mutex keeps one thread inside at a time, the fair lock bounds every wait, and the command
//! line prints the figures as JSON.

use std::process::Command;

use proclab::lab::fairness::{LockKind, contend};
use proclab::lab::locks::{Method, time_method};
use proclab::lab::race::race_once;

#[test]
fn the_racy_count_loses_updates_within_a_bounded_number_of_tries() {
    // On two or more CPUs the threads overlap all the time; on one, only when a switch lands
    // between a load and its store, so allow many tries before failing honestly.
    let lost = (0..50)
        .map(|_| race_once(2, 1_000_000))
        .find(|run| run.lost > 0);
    let run = lost.expect("50 races of 2 x 1,000,000 increments never lost an update");
    assert_eq!(run.expected, 2_000_000);
    assert_eq!(run.actual + run.lost, run.expected);
}

#[test]
fn processes_that_share_a_mapping_lose_updates_too() {
    let output = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args([
            "measure",
            "race",
            "--processes",
            "2",
            "--increments",
            "1000000",
        ])
        .args(["--runs", "20", "--threads", "2", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let lost: u64 = json["process_runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| run["lost"].as_u64().unwrap())
        .sum();
    assert!(
        lost > 0,
        "20 races of 2 processes x 1,000,000 lost nothing: {json}"
    );
}

#[test]
fn every_fix_is_exact_every_time() {
    for method in [Method::Mutex, Method::Atomic, Method::PerThread] {
        for _ in 0..5 {
            let sample = time_method(method, 4, 100_000, false);
            assert_eq!(sample.counted, sample.expected, "{method:?}");
        }
    }
}

#[test]
fn the_mutex_never_has_two_threads_inside_and_the_racy_count_says_how_often_it_does() {
    let mutex = time_method(Method::Mutex, 4, 100_000, true);
    assert_eq!(mutex.overlaps, 0);
    assert_eq!(mutex.counted, mutex.expected);
    // The racy version's overlaps are counted (how many depends on the machine).
    let racy = time_method(Method::Racy, 4, 100_000, true);
    assert!(racy.overlaps <= racy.expected);
}

#[test]
fn with_the_fair_lock_no_wait_is_longer_than_the_other_threads_turns() {
    let threads = 6;
    for thread in contend(
        LockKind::Fair,
        threads,
        std::time::Duration::from_millis(300),
    ) {
        assert!(thread.acquisitions > 0);
        assert!(thread.max_turns_waited < u64::from(threads), "{thread:?}");
    }
}

fn measure(args: &[&str]) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .arg("measure")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn measure_race_locks_and_fairness_print_their_json() {
    let race = measure(&[
        "race",
        "--threads",
        "2",
        "--increments",
        "200000",
        "--runs",
        "3",
    ]);
    for key in ["threads", "increments", "expected", "actual", "lost"] {
        assert!(race[key].is_u64(), "{key} in {race}");
    }
    assert_eq!(race["runs"].as_array().unwrap().len(), 3);
    // The children's private counters lost nothing and were theirs alone.
    let private = race["private_counts"].as_array().unwrap();
    assert_eq!(private.len(), 2);
    assert!(private.iter().all(|count| count == 200_000), "{race}");
    for run in race["process_runs"].as_array().unwrap() {
        assert_eq!(run["expected"], 400_000);
        let (actual, lost) = (
            run["actual"].as_u64().unwrap(),
            run["lost"].as_u64().unwrap(),
        );
        assert_eq!(actual + lost, 400_000);
    }

    let locks = measure(&[
        "locks",
        "--threads",
        "2",
        "--increments",
        "20000",
        "--runs",
        "2",
    ]);
    let methods = locks["methods"].as_array().unwrap();
    assert_eq!(methods.len(), 8, "four methods, uncontended and contended");
    for row in methods {
        assert!(row["method"].is_string() && row["threads"].is_u64());
        for field in ["median", "p10", "p90"] {
            assert!(row["ns_per_op"][field].as_f64().unwrap() > 0.0, "{row}");
        }
        assert_eq!(row["ns_per_op"]["samples"], 2);
        let exact = row["exact"].as_bool().unwrap();
        assert!(exact || row["method"] == "racy", "{row}");
    }
    assert_eq!(locks["mutual_exclusion"]["mutex_overlaps"], 0);

    let fairness = measure(&["fairness", "--threads", "3", "--millis", "100"]);
    let rows = fairness["locks"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for row in rows {
        assert!(row["lock"].is_string());
        let threads = row["threads"].as_array().unwrap();
        assert_eq!(threads.len(), 3);
        for thread in threads {
            assert!(thread["acquisitions"].as_u64().unwrap() > 0);
            assert!(thread["max_wait_ns"].is_u64());
        }
    }
}

/// The timeline's turns are ordered by the lock's own count (read inside it), so a real run
/// must come out with one holder at a time, however late a thread read its clock.
#[test]
fn the_locks_timeline_shows_one_holder_at_a_time() {
    use proclab::lab::experiment::{Job, family};
    use proclab::lab::timeline::ThreadState;
    let locks = family("locks").unwrap();
    let params = locks
        .params_from(&[("threads", 3), ("increments", 20_000), ("runs", 1)])
        .unwrap();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_proclab"));
    let report = (locks.run)(&params, &Job::new(exe, &cancel, &|_, _| {})).unwrap();
    let timeline = report.timeline.expect("the locks report has a timeline");
    assert_eq!(timeline.lanes.len(), 3);
    let mut holds: Vec<(f64, f64, usize)> = timeline
        .lanes
        .iter()
        .enumerate()
        .flat_map(|(lane, l)| {
            l.spans
                .iter()
                .filter(|s| s.state == ThreadState::Holding)
                .map(move |s| (s.start, s.end, lane))
        })
        .collect();
    // The lanes end once a thread's log is full; on a busy machine one thread may have had
    // most of the turns by then.
    assert!(holds.len() >= 1_000, "only {} holds", holds.len());
    holds.sort_by(|a, b| a.0.total_cmp(&b.0));
    for pair in holds.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "two holders at once: {pair:?}");
    }
}

#[test]
fn the_race_timeline_shows_when_each_thread_ran_and_when_it_waited() {
    use proclab::lab::race::race_timeline;
    use proclab::lab::timeline::ThreadState;
    let timeline = race_timeline(3, 300_000);
    assert_eq!(timeline.lanes.len(), 3);
    for lane in &timeline.lanes {
        assert_eq!(
            lane.spans.first().map(|s| s.state),
            Some(ThreadState::Running)
        );
        for span in &lane.spans {
            assert!(matches!(
                span.state,
                ThreadState::Running | ThreadState::Runnable
            ));
        }
        for pair in lane.spans.windows(2) {
            assert!(pair[0].end <= pair[1].start);
        }
    }
}

#[test]
fn overlap_is_the_share_of_the_time_two_threads_ran_at_once() {
    use proclab::lab::experiment::Words;
    use proclab::lab::race::overlap_share;
    use proclab::lab::timeline::{Lane, Span, Timeline};
    let lane = |spans: Vec<Span>| Lane {
        label: Words::new("t", "t"),
        spans,
        kernel: None,
    };
    // 0-10 and 5-20: both ran from 5 to 10, a quarter of the 20.
    let timeline = Timeline::of_lanes(vec![
        lane(vec![Span::running(0.0, 10.0)]),
        lane(vec![Span::running(5.0, 20.0)]),
    ]);
    assert_eq!(overlap_share(&timeline), 0.25);
}
