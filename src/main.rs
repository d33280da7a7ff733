//! The `proclab` program: parses the command line and hands over to the app or a subcommand.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use proclab::cli::{
    BenchKind, BenchRun, Cli, LabRun, Subcommands, check, run_bench, run_lab, run_measure,
    run_perf_compare, run_trace_bench,
};
use proclab::lab::worker;
use proclab::ui::{StartOptions, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Subcommands::Check { files }) => {
            check(&files, &mut std::io::stdout(), &mut std::io::stderr())
        }
        Some(Subcommands::Lab {
            threads,
            processes,
            seconds,
            cpu_bound,
            json,
        }) => {
            let run = LabRun {
                threads,
                processes,
                seconds,
                cpu_bound,
                json,
            };
            run_lab(run, &mut std::io::stdout().lock()).unwrap_or_else(|e| {
                eprintln!("proclab lab: {e:#}");
                ExitCode::FAILURE
            })
        }
        Some(Subcommands::Measure(args)) => run_measure(args, &mut std::io::stdout().lock())
            .unwrap_or_else(|e| {
                eprintln!("proclab measure: {e:#}");
                ExitCode::FAILURE
            }),
        Some(Subcommands::Bench {
            kind:
                BenchKind::Frame {
                    scene,
                    frames,
                    under_load,
                    json,
                },
        }) => {
            let run = BenchRun {
                scene,
                frames,
                under_load,
                json,
            };
            run_bench(run, &mut std::io::stdout().lock()).unwrap_or_else(|e| {
                eprintln!("proclab bench: {e:#}");
                ExitCode::FAILURE
            })
        }
        Some(Subcommands::Bench {
            kind: BenchKind::CtxSwitch { samples, json },
        }) => run_perf_compare(samples, json, &mut std::io::stdout().lock()).unwrap_or_else(|e| {
            eprintln!("proclab bench ctx-switch: {e:#}");
            ExitCode::FAILURE
        }),
        Some(Subcommands::Bench {
            kind: BenchKind::Trace { rounds, json },
        }) => run_trace_bench(rounds as usize, json, &mut std::io::stdout().lock()).unwrap_or_else(
            |e| {
                eprintln!("proclab bench trace: {e:#}");
                ExitCode::FAILURE
            },
        ),
        Some(Subcommands::Worker { role, parent }) => worker::run(role, parent),
        None => match run(StartOptions {
            file: cli.file,
            present: cli.present,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("proclab: cannot open the window: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
