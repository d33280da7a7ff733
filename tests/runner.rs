//! The measurement runner against real runs: progress comes, cancel is honoured with what was
//! measured, and dropping the runner mid-run winds it down.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use proclab::lab::experiment::family;
use proclab::lab::runner::{RunEvent, Runner};

fn runner() -> Runner {
    Runner::start(PathBuf::from(env!("CARGO_BIN_EXE_proclab")), None).unwrap()
}

#[test]
fn a_run_reports_progress_and_a_cancel_keeps_what_was_measured() {
    let runner = runner();
    let spawn = family("spawn-cost").unwrap();
    let params = spawn.params_from(&[("samples", 10_000)]).unwrap();
    let id = runner.run(spawn, params);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut cancelled_at = None;
    let report = loop {
        match runner.events().recv_deadline(deadline).expect("an event") {
            RunEvent::Progress { id: of, done, .. }
                if of == id && done > 20 && cancelled_at.is_none() =>
            {
                runner.cancel(id);
                cancelled_at = Some(Instant::now());
            }
            RunEvent::Finished { id: of, report } if of == id => break report,
            RunEvent::Failed { error, .. } => panic!("{error}"),
            _ => {}
        }
    };
    let waited = cancelled_at.expect("progress came").elapsed();
    assert!(
        waited < Duration::from_secs(2),
        "the cancel took {waited:?}"
    );
    assert!(report.cancelled);
    let timings = &report.figures[0].summary;
    assert!(
        timings.samples > 0 && timings.samples < 10_000,
        "{timings:?}"
    );
}

#[test]
fn dropping_the_runner_mid_run_cancels_and_joins_it() {
    let runner = runner();
    let spawn = family("spawn-cost").unwrap();
    runner.run(spawn, spawn.params_from(&[("samples", 10_000)]).unwrap());
    let deadline = Instant::now() + Duration::from_secs(20);
    while !matches!(
        runner.events().recv_deadline(deadline),
        Ok(RunEvent::Started { .. })
    ) {}
    let dropping = Instant::now();
    drop(runner);
    assert!(
        dropping.elapsed() < Duration::from_secs(2),
        "{:?}",
        dropping.elapsed()
    );
}
