//! Deadlock for real, from the outside: `proclab measure deadlock` hangs threads in a child
//! process, finds the cycle in the wait-for graph, kills and reaps the child, and runs both
//! fixes to the end. The threads it names really existed, and are really gone afterwards.

use std::process::Command;

use serde_json::Value;

fn measure_deadlock(threads: u32) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args(["measure", "deadlock", "--json", "--runs", "10"])
        .args(["--threads", &threads.to_string()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn two_threads_in_opposite_orders_are_found_as_a_cycle_recovered_and_fixed() {
    let json = measure_deadlock(2);
    assert_eq!(json["detected"], true, "{json}");
    let seconds = json["seconds_to_detect"].as_f64().unwrap();
    assert!(seconds < 2.0, "found after {seconds} s");
    // The child's start-up is told apart from the detection, which comes after it.
    assert!(json["seconds_to_start"].as_f64().unwrap() > 0.0, "{json}");
    // T1 holds A and waits for B; T2 holds B and waits for A.
    assert_eq!(strings(&json["cycle"]["threads"]), ["T1", "T2"]);
    assert_eq!(strings(&json["cycle"]["locks"]), ["B", "A"]);
    assert_eq!(json["graph"]["holders"], serde_json::json!([0, 1]));
    // Both were asleep in the kernel, waiting on the locks, when the detector said so.
    assert_eq!(strings(&json["kernel_states"]), ["sleeping", "sleeping"]);
    assert_eq!(json["recovered"], true);
    assert_eq!(json["exit"]["signal_name"], "SIGKILL");
    assert_eq!(json["left_running"], 0);
    assert_eq!(json["hit_deadline"], false);
    let fixes = json["fixes"].as_array().unwrap();
    let names: Vec<&str> = fixes
        .iter()
        .map(|f| f["strategy"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["global-order", "try-lock"]);
    for fix in fixes {
        assert_eq!(fix["completed"], true, "{fix}");
        assert_eq!(fix["cycle_seen"], false, "{fix}");
    }
}

#[test]
fn a_ring_of_four_names_every_thread_and_lock_and_leaves_no_thread_behind() {
    let json = measure_deadlock(4);
    assert_eq!(json["detected"], true, "{json}");
    assert_eq!(strings(&json["cycle"]["threads"]), ["T1", "T2", "T3", "T4"]);
    // Thread i waits for lock i + 1, round the ring.
    assert_eq!(strings(&json["cycle"]["locks"]), ["B", "C", "D", "A"]);
    let tids: Vec<u64> = json["cycle"]["tids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_u64().unwrap())
        .collect();
    assert_eq!(tids.len(), 4);
    for tid in tids {
        assert!(tid > 0);
        // Kernel thread ids live in /proc too: a deadlocked thread still there was not reaped.
        assert!(
            !std::path::Path::new(&format!("/proc/{tid}")).exists(),
            "thread {tid} is still alive"
        );
    }
    assert_eq!(json["left_running"], 0);
    // Under try_lock threads really collided and let go, and still finished.
    let try_lock = &json["fixes"][1];
    assert_eq!(try_lock["completed"], true, "{try_lock}");
}

/// Held by the tests that run rings inside this process, so that each sees only its own
/// children when it counts them.
static IN_PROCESS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Children of this process started in the ring role, as the kernel lists them.
fn ring_children() -> Vec<u32> {
    let me = std::process::id().to_string();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // The parent's id is the second field after the command name in parentheses.
        let parent = stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().nth(1));
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if parent == Some(me.as_str())
            && String::from_utf8_lossy(&cmdline).contains("deadlock-ring")
        {
            found.push(pid);
        }
    }
    found
}

#[test]
fn a_run_cancelled_while_the_ring_hangs_leaves_no_child_behind() {
    let _alone = IN_PROCESS.lock().unwrap_or_else(|e| e.into_inner());
    use std::sync::atomic::{AtomicBool, Ordering};
    let deadlock = proclab::lab::experiment::family("deadlock").unwrap();
    let params = deadlock.params_from(&[("threads", 3)]).unwrap();
    let cancel = AtomicBool::new(false);
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_proclab"));
    let seen_alive = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            // Cancel as soon as a ring child exists: the run is in the middle of it.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            while ring_children().is_empty() && std::time::Instant::now() < deadline {
                std::thread::yield_now();
            }
            seen_alive.store(ring_children().len(), Ordering::SeqCst);
            cancel.store(true, Ordering::SeqCst);
        });
        let job = proclab::lab::experiment::Job::new(exe, &cancel, &|_, _| {});
        match (deadlock.run)(&params, &job) {
            Ok(report) => assert!(report.cancelled || report.json["detected"] == true),
            Err(e) => assert_eq!(e, proclab::lab::LabError::Cancelled),
        }
    });
    assert!(
        seen_alive.load(std::sync::atomic::Ordering::SeqCst) >= 1,
        "no ring child was seen"
    );
    assert_eq!(
        ring_children(),
        Vec::<u32>::new(),
        "a ring child outlived its run"
    );
}

#[test]
fn a_ring_still_going_at_its_deadline_is_killed_reaped_and_says_so() {
    let _alone = IN_PROCESS.lock().unwrap_or_else(|e| e.into_inner());
    use proclab::lab::deadlock::{RingSpec, Strategy, run_one_ring};
    use std::time::Duration;
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_proclab"));
    let job = proclab::lab::experiment::Job::new(exe, &cancel, &|_, _| {});
    // 100 rounds of 2 ms holds under one order take far longer than the deadline: the same
    // path a hang the detector missed would take.
    let spec = RingSpec {
        strategy: Strategy::GlobalOrder,
        threads: 4,
        rounds: 100,
        deadline: Duration::from_millis(150),
    };
    let outcome = run_one_ring(&job, spec).unwrap();
    assert!(outcome.hit_deadline, "{outcome:?}");
    assert!(!outcome.finished && !outcome.detected, "{outcome:?}");
    let exit = outcome.exit.expect("no exit status");
    assert_eq!(exit.signal_name.as_deref(), Some("SIGKILL"));
    assert_eq!(outcome.left_running, 0);
    assert_eq!(ring_children(), Vec::<u32>::new());
}
