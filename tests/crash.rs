//! Crash isolation for real: every scenario runs in a child process beside a sibling, from
//! this test process, which stands in for ProcLab and must live through all of them.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use proclab::lab::crash::{Crash, Scenario};
use proclab::lab::experiment::{Job, family};

fn run_crashes(threads: u32) -> Crash {
    let crash = family("crash").unwrap();
    let params = crash.params_from(&[("threads", threads)]).unwrap();
    let cancel = AtomicBool::new(false);
    let exe = Path::new(env!("CARGO_BIN_EXE_proclab"));
    let report = (crash.run)(&params, &Job::new(exe, &cancel, &|_, _| {})).unwrap();
    serde_json::from_value(report.json).unwrap()
}

#[test]
fn each_crash_ends_its_own_process_as_it_should_and_nothing_else() {
    let result = run_crashes(4);
    let scenarios: Vec<Scenario> = result.scenarios.iter().map(|r| r.scenario).collect();
    assert_eq!(scenarios, Scenario::ALL);
    for row in &result.scenarios {
        let name = &row.scenario;
        // Four threads of ours and the main thread, counted by the kernel.
        assert_eq!(row.threads_before, 5, "{name:?}");
        assert!(row.sibling_survived, "{name:?}: the sibling died");
        assert_eq!(row.sibling_threads, 5, "{name:?}");
        assert_eq!(row.tids.len(), 4, "{name:?}");
        let signal = row.exit.signal_name.as_deref();
        match row.scenario {
            Scenario::Abort => assert_eq!(signal, Some("SIGABRT")),
            Scenario::InvalidAccess => assert_eq!(signal, Some("SIGSEGV")),
            Scenario::StackOverflow => {
                assert_eq!(signal, Some("SIGABRT"));
                assert!(row.last_words.contains("overflowed its stack"), "{row:?}");
            }
            Scenario::CaughtPanic => {
                assert!(!row.ended_by_crash);
                assert_eq!(row.threads_after, 4, "only the panicking thread is gone");
                assert_eq!(row.exit.code, Some(0));
                assert!(row.last_words.contains("panicked"), "{row:?}");
            }
        }
        if row.scenario != Scenario::CaughtPanic {
            assert!(row.ended_by_crash, "{name:?}");
            assert_eq!((row.threads_after, row.threads_lost), (0, 5), "{name:?}");
        }
        for tid in &row.tids {
            assert!(!Path::new(&format!("/proc/{tid}")).exists(), "{tid} lives");
        }
    }
    // This process, ProcLab's stand-in and the parent of every one of them, lived to check.
    assert_eq!(result.left_running, 0);
}

#[test]
fn the_command_line_prints_one_row_per_scenario() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args(["measure", "crash", "--json", "--threads", "2"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = json["scenarios"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    for row in rows {
        for key in [
            "scenario",
            "exit",
            "threads_lost",
            "sibling_survived",
            "app_survived",
        ] {
            assert!(!row[key].is_null(), "{key} missing in {row}");
        }
        assert_eq!(row["sibling_survived"], true);
    }
}
