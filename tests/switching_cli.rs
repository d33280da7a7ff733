//! The switching, scheduling and IPC measurements from the outside: each `proclab measure`
//! runs with few samples and prints well-formed JSON with positive figures and their spread.

use std::process::Command;

use serde_json::Value;

/// `proclab measure <args> --json`, parsed; the run must succeed.
fn measure_json(args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .arg("measure")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `figure` is a distribution: positive median, p10 <= median <= p90, and `samples` of them.
fn assert_distribution(figure: &Value, samples: u64) {
    let field = |name: &str| {
        figure[name]
            .as_f64()
            .unwrap_or_else(|| panic!("{name} in {figure}"))
    };
    assert!(field("median") > 0.0, "{figure}");
    assert!(field("p10") <= field("median") && field("median") <= field("p90"));
    assert_eq!(figure["samples"], samples, "{figure}");
}

#[test]
fn ctx_switch_pinned_reports_both_pairs_per_switch_and_the_kernel_counts_the_switches() {
    let json = measure_json(&["ctx-switch", "--pin", "--samples", "10"]);
    assert_eq!(json["pinned"], true);
    for key in ["thread_switch_ns", "process_switch_ns"] {
        assert_distribution(&json[key], 10);
        assert_distribution(&json["futex"][key], 10);
    }
    // Pinned, the measuring thread gives up its CPU once per round trip: the figure really
    // is per switch.
    let counted = json["kernel_switches_per_round_trip"].as_array().unwrap();
    assert_eq!(counted.len(), 4);
    for pair in counted {
        let switches = pair["switches"].as_f64().unwrap();
        assert!((0.9..=1.5).contains(&switches), "{pair}");
    }
}

#[test]
fn ctx_switch_unpinned_says_so() {
    let json = measure_json(&["ctx-switch", "--samples", "10"]);
    assert_eq!(json["pinned"], false);
    assert_distribution(&json["process_switch_ns"], 10);
}

#[test]
fn timeslice_threads_on_one_cpu_take_turns_that_never_overlap() {
    let json = measure_json(&["timeslice", "--threads", "3", "--millis", "100"]);
    let threads = json["threads"].as_array().unwrap();
    assert_eq!(threads.len(), 3);
    let mut spans: Vec<(f64, f64)> = Vec::new();
    for thread in threads {
        assert!(thread["slices"].as_u64().unwrap() >= 1, "{thread}");
        assert!(thread["mean_slice_ns"].as_f64().unwrap() > 0.0);
        // The kernel saw every thread run and, sharing one CPU, wait.
        assert!(thread["run_ns"].as_u64().unwrap() > 0, "{thread}");
        assert!(thread["wait_ns"].as_u64().unwrap() > 0, "{thread}");
        for span in thread["spans"].as_array().unwrap() {
            let (start, end) = (span[0].as_f64().unwrap(), span[1].as_f64().unwrap());
            assert!(start <= end);
            spans.push((start, end));
        }
    }
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    for pair in spans.windows(2) {
        assert!(
            pair[1].0 >= pair[0].1,
            "{:?} overlaps {:?}",
            pair[0],
            pair[1]
        );
    }
}

#[test]
fn ipc_moves_a_known_payload_through_every_method_intact_and_measures_each() {
    let json = measure_json(&["ipc", "--samples", "10", "--pin"]);
    let methods = json["methods"].as_array().unwrap();
    let names: Vec<&str> = methods
        .iter()
        .map(|m| m["method"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "pipe",
            "message-queue",
            "shared-memory",
            "unix-socket",
            "tcp",
            "mapped-file"
        ]
    );
    for method in methods {
        // Every echoed byte and every streamed byte was checked against the pattern sent.
        assert_eq!(method["intact"], true, "{method}");
        assert_eq!(method["pinned"], true);
        assert_distribution(&method["latency_ns"], 10);
        let sizes: Vec<u64> = method["throughput_mb_s"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                assert!(t["mb_s"]["median"].as_f64().unwrap() > 0.0, "{t}");
                t["bytes"].as_u64().unwrap()
            })
            .collect();
        assert_eq!(sizes.first(), Some(&64));
        assert_eq!(sizes.last(), Some(&(1 << 20)));
    }
    assert_eq!(json["by_latency"].as_array().unwrap().len(), 6);
}

#[test]
fn tlb_ring_measures_every_ring_size_both_kinds_and_says_what_the_cpu_tags() {
    let json = measure_json(&["tlb-ring", "--samples", "10"]);
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        5 * 3 * 2,
        "5 ring sizes, 3 working sets, 2 kinds"
    );
    for row in rows {
        assert!(["threads", "processes"].contains(&row["kind"].as_str().unwrap()));
        assert!([2, 4, 8, 16, 32].contains(&row["ring_size"].as_u64().unwrap()));
        assert!(row["pages"].is_u64());
        assert_distribution(&row["ns_per_hop"], 10);
    }
    assert!(json["pcid"].is_boolean() && json["invpcid"].is_boolean());
}
