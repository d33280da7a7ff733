//! `proclab measure spawn` from the outside: real figures with their spread and sample
//! counts, and the machine they were taken on.

use std::process::Command;

#[test]
fn spawn_json_has_the_figures_and_a_process_costs_more_than_a_thread() {
    let output = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args(["measure", "spawn", "--samples", "30", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let starts = [
        "thread_spawn_ns",
        "process_spawn_ns",
        "os_thread_spawn_ns",
        "fork_ns",
        "fork_exec_ns",
        "posix_spawn_ns",
    ];
    for key in starts {
        let figure = &json[key];
        for field in ["median", "p10", "p90"] {
            let value = figure[field]
                .as_f64()
                .unwrap_or_else(|| panic!("{key}.{field} in {json}"));
            assert!(value > 0.0, "{key}.{field} = {value}");
        }
        assert_eq!(figure["samples"], 30);
        assert!(figure["p10"].as_f64() <= figure["median"].as_f64());
        assert!(figure["median"].as_f64() <= figure["p90"].as_f64());
    }
    let thread = json["thread_spawn_ns"]["median"].as_f64().unwrap();
    let process = json["process_spawn_ns"]["median"].as_f64().unwrap();
    assert!(
        process > thread,
        "process {process} ns vs thread {thread} ns"
    );
    // fork alone copies page tables but runs no new program: cheaper than fork + exec.
    let fork = json["fork_ns"]["median"].as_f64().unwrap();
    let fork_exec = json["fork_exec_ns"]["median"].as_f64().unwrap();
    assert!(
        fork < fork_exec,
        "fork {fork} ns vs fork+exec {fork_exec} ns"
    );
    assert!(json["machine"]["cpus"].as_u64().unwrap() >= 1);
    assert!(!json["machine"]["kernel"].as_str().unwrap().is_empty());
    for key in ["process_unique_bytes", "thread_unique_bytes", "ratio"] {
        let median = json[key]["median"].as_f64();
        assert!(median.is_some_and(|m| m > 0.0), "{key} in {json}");
    }
    // Both memory figures are measured the same way, with their spread and sample count.
    assert_eq!(
        json["process_unique_bytes"]["samples"],
        json["thread_unique_bytes"]["samples"]
    );
    assert!(json["thread_unique_bytes"]["samples"].as_u64().unwrap() >= 3);
}

#[test]
fn spawn_table_names_the_machine_and_the_samples() {
    let output = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args(["measure", "spawn", "--samples", "10"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("spawn-cost, measured on "), "{text}");
    assert!(text.contains("thread: spawn + join"));
    assert!(text.contains("process / thread, round by round"));
    // The process figure says how the process was started: not by fork.
    assert!(
        text.contains("process: posix_spawn + exec + wait"),
        "{text}"
    );
    assert!(text.contains("Nothing is forked"), "{text}");
}

#[test]
fn too_few_samples_are_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args(["measure", "spawn", "--samples", "3"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
