//! `proclab lab` from the outside: it prints the live registry, and its children never
//! outlive it, even when it is killed with SIGKILL and has no chance to clean up.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn is_running(pid: u64) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
            .is_some_and(|state| state != 'Z' && state != 'X'),
        Err(_) => false,
    }
}

#[test]
fn children_die_within_two_seconds_of_a_sigkill_of_proclab() {
    let mut proclab = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args([
            "lab",
            "--processes",
            "8",
            "--threads",
            "2",
            "--seconds",
            "60",
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(proclab.stdout.take().unwrap()).lines();
    // Spawning eight children on a busy machine may take more than the first second.
    let pids: Vec<u64> = loop {
        let line: serde_json::Value =
            serde_json::from_str(&lines.next().expect("a registry line").unwrap()).unwrap();
        let pids: Vec<u64> = line["workers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["kind"] == "process")
            .map(|w| w["os_id"].as_u64().unwrap())
            .collect();
        if pids.len() == 8 {
            break pids;
        }
        assert!(
            line["seconds"].as_u64().unwrap() < 20,
            "8 children never appeared: {line}"
        );
    };
    assert!(pids.iter().all(|&pid| is_running(pid)));

    // SIGKILL: no destructor, no signal handler, no goodbye.
    proclab.kill().unwrap();
    proclab.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(2);
    while pids.iter().any(|&pid| is_running(pid)) {
        assert!(
            Instant::now() < deadline,
            "children still alive: {:?}",
            pids.iter().filter(|&&p| is_running(p)).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_json_registry_names_each_worker_with_its_id_state_and_addresses() {
    let output = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args([
            "lab",
            "--threads",
            "3",
            "--processes",
            "1",
            "--seconds",
            "2",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "one line a second");
    let last = &lines[1];
    let shared_heap = last["shared"]["heap_addr"].as_str().unwrap();
    let workers = last["workers"].as_array().unwrap();
    assert_eq!(workers.len(), 4);
    for worker in workers {
        for key in [
            "kind",
            "os_id",
            "state",
            "stack_addr",
            "heap_addr",
            "static_addr",
        ] {
            assert!(!worker[key].is_null(), "{key} missing in {worker}");
        }
        assert!(worker["stack_addr"].as_str().unwrap().starts_with("0x"));
        let same_heap = worker["heap_addr"].as_str() == Some(shared_heap);
        assert_eq!(same_heap, worker["kind"] == "thread", "{worker}");
    }
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("stopped, joined and reaped every worker"),
        "{stderr}"
    );
}

#[test]
fn asking_the_cli_for_more_than_the_cap_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args(["lab", "--threads", "65"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("65 is not in 0..=64"), "{stderr}");
}

#[test]
fn the_shared_heap_object_is_in_the_main_arena_and_each_threads_own_block_in_another() {
    // In a fresh ProcLab the lab starts on the main thread, whose allocations come from the
    // main arena ([heap]); each worker thread's first allocation gets an arena of its own.
    let output = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args([
            "lab",
            "--threads",
            "2",
            "--processes",
            "1",
            "--seconds",
            "1",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let line: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(line["shared_heap_region"], "heap", "{line}");
    for worker in line["workers"].as_array().unwrap() {
        let expected = if worker["kind"] == "thread" {
            "anonymous"
        } else {
            // A child's own block comes from its main thread: its own [heap].
            "heap"
        };
        assert_eq!(worker["own_heap_region"], expected, "{worker}");
    }
}
