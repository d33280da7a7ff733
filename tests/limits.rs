//! One limit, one answer: a count that a lesson file may ask for is accepted by the command
//! line and by the lab, and one past it is refused by all three.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use proclab::cli::Cli;
use proclab::lab::{Lab, LabCommand, LabConfig, LabEvent};
use proclab::limits::{PROCESSES, SAMPLES, THREADS};

fn lesson_with(experiment: &str) -> Result<(), String> {
    let text = format!(
        "format = 1\ntitle.en = \"t\"\n[[steps]]\ntitle.en = \"s\"\nnarration.en = \"n\"\n\
         experiment = {{ {experiment} }}\n"
    );
    proclab::lesson::parse(text.as_bytes(), "limits.toml")
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn cli(args: &[&str]) -> bool {
    Cli::try_parse_from(std::iter::once("proclab").chain(args.iter().copied())).is_ok()
}

#[test]
fn lessons_and_the_command_line_agree_on_every_bound() {
    for (key, range) in [("threads", &THREADS), ("processes", &PROCESSES)] {
        let (top, over) = (range.end().to_string(), (range.end() + 1).to_string());
        assert!(lesson_with(&format!("kind = \"workers\", {key} = {top}")).is_ok());
        let refused = lesson_with(&format!("kind = \"workers\", {key} = {over}")).unwrap_err();
        assert!(
            refused.contains(&format!("{}..={}", range.start(), range.end())),
            "{refused}"
        );
        assert!(cli(&["lab", &format!("--{key}"), &top]));
        assert!(!cli(&["lab", &format!("--{key}"), &over]));
    }
    for samples in [*SAMPLES.start(), *SAMPLES.end()] {
        let samples = samples.to_string();
        assert!(lesson_with(&format!("kind = \"spawn-cost\", samples = {samples}")).is_ok());
        assert!(cli(&["measure", "spawn", "--samples", &samples]));
    }
    for samples in [SAMPLES.start() - 1, SAMPLES.end() + 1] {
        let samples = samples.to_string();
        assert!(lesson_with(&format!("kind = \"spawn-cost\", samples = {samples}")).is_err());
        assert!(!cli(&["measure", "spawn", "--samples", &samples]));
    }
}

#[test]
fn the_lab_runs_exactly_what_the_limits_allow() {
    let lab = Lab::start(LabConfig {
        worker_exe: PathBuf::from(env!("CARGO_BIN_EXE_proclab")),
        wake: None,
    })
    .unwrap();
    lab.send(LabCommand::StartThreads(THREADS.end() + 1));
    lab.send(LabCommand::StartThreads(*THREADS.end()));
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut refused = 0;
    loop {
        match lab.events().recv_deadline(deadline) {
            Ok(LabEvent::Refused(_)) => refused += 1,
            Ok(LabEvent::Snapshot(s)) if s.workers.len() == *THREADS.end() as usize => break,
            Ok(LabEvent::Failed(e)) => panic!("{e}"),
            Ok(_) => {}
            Err(_) => panic!("the lab did not start the most threads the limits allow"),
        }
    }
    assert_eq!(
        refused, 1,
        "one past the limit is refused, the limit itself is not"
    );
}
