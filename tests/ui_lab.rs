//! The evidence area of the real app, driving real workers: the buttons start threads and
//! child processes whose real ids appear on screen, and stop them all again; the creation
//! cost is measured with progress and shown with its spread.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{builtin, harness, step_until};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use proclab::lab::spawn_cost::SpawnCost;
use proclab::lab::{LabSnapshot, WorkerKind};
use proclab::lesson::{ExperimentKind, Language::Ko};
use proclab::ui::ProcLabApp;

fn count(snapshot: &LabSnapshot, kind: WorkerKind) -> usize {
    snapshot.of_kind(kind).count()
}

/// Opens the built-in lesson 2 at its first step whose experiment is `kind`.
fn open_step_with(harness: &mut Harness<'static, ProcLabApp>, kind: ExperimentKind) -> usize {
    let lesson = builtin(1);
    common::click(harness, lesson.title.exact(Ko).unwrap());
    let index = lesson
        .steps
        .iter()
        .position(|s| s.experiment.as_ref().is_some_and(|e| e.kind == kind))
        .unwrap();
    for _ in 0..index {
        harness.key_press(egui::Key::ArrowRight);
        harness.run();
    }
    index
}

#[test]
fn the_evidence_area_starts_shows_and_stops_real_workers() {
    let mut harness = harness(Arc::default());
    let index = open_step_with(&mut harness, ExperimentKind::Workers);
    let wanted = builtin(1).steps[index]
        .experiment
        .as_ref()
        .unwrap()
        .threads
        .unwrap() as usize;

    harness.get_by_label("스레드 시작").click();
    step_until(&mut harness, "the threads", |app| {
        count(app.lab_snapshot(), WorkerKind::Thread) == wanted
    });
    harness.get_by_label("프로세스 시작").click();
    step_until(&mut harness, "the processes", |app| {
        count(app.lab_snapshot(), WorkerKind::Process) >= 1
    });

    let snapshot = harness.state().lab_snapshot().clone();
    for worker in &snapshot.workers {
        // The real id is on screen, and it is real.
        harness.get_by_label(&worker.os_id.to_string());
        let path = match worker.kind {
            WorkerKind::Thread => format!("/proc/{}/task/{}", snapshot.pid, worker.os_id),
            WorkerKind::Process => format!("/proc/{}", worker.os_id),
        };
        assert!(std::path::Path::new(&path).exists(), "{path}");
    }

    harness.get_by_label("모두 멈추기").click();
    step_until(&mut harness, "every worker to stop", |app| {
        app.lab_snapshot().workers.is_empty()
    });
    for worker in &snapshot.workers {
        assert!(harness.query_by_label(&worker.os_id.to_string()).is_none());
        if worker.kind == WorkerKind::Process {
            assert!(!std::path::Path::new(&format!("/proc/{}", worker.os_id)).exists());
        }
    }
}

#[test]
fn closing_the_app_with_workers_running_reaps_them_within_a_second() {
    let mut harness = harness(Arc::default());
    open_step_with(&mut harness, ExperimentKind::Workers);
    harness.get_by_label("프로세스 시작").click();
    step_until(&mut harness, "the processes", |app| {
        count(app.lab_snapshot(), WorkerKind::Process) >= 1
    });
    let pids: Vec<u32> = harness
        .state()
        .lab_snapshot()
        .of_kind(WorkerKind::Process)
        .map(|w| w.os_id)
        .collect();
    let took = harness.state_mut().stop_lab();
    assert!(took < Duration::from_secs(1), "{took:?}");
    for pid in pids {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "child {pid} left behind"
        );
    }
}

#[test]
fn creation_cost_is_measured_with_progress_and_shown_with_its_spread() {
    let mut harness = harness(Arc::default());
    open_step_with(&mut harness, ExperimentKind::SpawnCost);
    harness.get_by_label("측정").click();
    step_until(&mut harness, "the measurement", |app| {
        app.report("spawn-cost").is_some()
    });
    let report = harness.state().report("spawn-cost").unwrap().clone();
    let cost: SpawnCost = serde_json::from_value(report.json.clone()).unwrap();
    assert!(cost.process_spawn_ns.median > cost.thread_spawn_ns.median);
    // The ratio with one decimal, from the per-round ratios, with its spread.
    harness.get_by_label(&format!("× {:.1}", cost.ratio.median));
    harness.get_by_label(&format!("× {:.1}", cost.ratio.p90));
    // Memory is measured the same way for both, with its sample count.
    let per_process = cost.process_unique_bytes.unwrap();
    harness.get_by_label(&format!("{:.0} KiB", per_process.median / 1024.0));
    assert!(cost.thread_unique_bytes.is_some());
    harness.get_by_label(&format!("{:.1} µs", cost.thread_spawn_ns.median / 1e3));
    // The sample count stands in the table beside each timing: Rust's thread and process,
    // the four OS primitives, and the ratio.
    let samples = cost.process_spawn_ns.samples.to_string();
    assert_eq!(harness.query_all_by_label(&samples).count(), 7);
    // What the figures are is said beside them: Rust's process start does not fork.
    assert!(report.note.ko.contains("여기서는 fork가 일어나지 않고"));
    harness.get_by_label("프로세스: posix_spawn + exec + wait");
}
