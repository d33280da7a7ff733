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
