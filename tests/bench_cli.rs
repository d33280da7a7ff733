//! `proclab bench frame` runs and reports its figures. Speed itself is judged by reading the
//! benchmark's output, never by a timed test.

use std::process::Command;

#[test]
fn frame_bench_reports_median_p99_and_what_was_drawn() {
    let output = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args([
            "bench",
            "frame",
            "--scene",
            "memory-layout",
            "--frames",
            "10",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let scene = &json[0];
    assert_eq!(scene["scene"], "memory-layout");
    assert_eq!(scene["frames"], 10);
    // Both clocks, each with its spread: the UI thread's CPU time and the wall time.
    for clock in ["cpu", "wall"] {
        let median = scene[format!("{clock}_median_ms")].as_f64().unwrap();
        let p99 = scene[format!("{clock}_p99_ms")].as_f64().unwrap();
        assert!(median > 0.0 && p99 >= median, "{clock}: {scene}");
    }
    assert!(
        scene["median_vertices"].as_f64().unwrap() > 500.0,
        "the frame drew the scene"
    );
}

#[test]
fn the_bench_draws_a_plot_of_ten_thousand_samples_and_can_draw_under_load() {
    let output = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args(["bench", "frame", "--frames", "10", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let plot = json
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["scene"] == "plot-10000-samples")
        .expect("the plot is benchmarked");
    assert!(plot["median_vertices"].as_f64().unwrap() > 100.0, "{plot}");

    let loaded = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args([
            "bench",
            "frame",
            "--scene",
            "shared-stack",
            "--frames",
            "10",
        ])
        .args(["--under-load", "--json"])
        .output()
        .unwrap();
    assert!(loaded.status.success(), "{loaded:?}");
    let json: serde_json::Value = serde_json::from_slice(&loaded.stdout).unwrap();
    assert_eq!(json[0]["under_load"], true);
}

#[test]
fn an_unknown_scene_is_refused_with_the_names() {
    let output = Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args(["bench", "frame", "--scene", "nope"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("memory-layout"), "{stderr}");
}
