//! The command line: open the app, or work without it (check lessons, run the lab headless,
//! measure), and the hidden worker mode children run in.

mod bench;
mod bench_trace;
mod check;
mod lab;
mod measure;
mod perf_compare;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::lab::limits::{MAX_PROCESSES, MAX_THREADS};
use crate::lab::worker::WorkerRole;

pub use bench::{BenchRun, run_bench};
pub use bench_trace::run_trace_bench;
pub use check::check;
pub use lab::{LabRun, run_lab};
pub use measure::{MeasureArgs, run_measure};
pub use perf_compare::run_perf_compare;

/// ProcLab: processes and threads, explained and measured.
#[derive(Debug, Parser)]
#[command(
    name = "proclab",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Subcommands>,

    /// Open straight into presentation mode (full screen, no side panels).
    #[arg(long)]
    pub present: bool,

    /// A lesson file to open (default: the last lesson, or the first built-in one).
    pub file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Subcommands {
    /// Validate lesson files; print one `file:line:column: message` line per problem and
    /// exit with status 1 if any file has a problem.
    Check {
        /// Lesson files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Start real worker threads and child processes without a window, print the live
    /// registry once a second, then stop them all.
    Lab {
        /// Worker threads to start.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_THREADS)))]
        threads: u32,
        /// Child processes to start.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_PROCESSES)))]
        processes: u32,
        /// How long to run, in seconds.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
        seconds: u64,
        /// Workers compute without pause (at nice 10), so that more of them than there are
        /// CPUs compete and take turns.
        #[arg(long)]
        cpu_bound: bool,
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Run one real experiment without a window and print its figures.
    #[command(after_help = measure::measure_help())]
    Measure(MeasureArgs),
    /// Measure ProcLab's own speed.
    Bench {
        #[command(subcommand)]
        kind: BenchKind,
    },
    /// Worker mode, used by ProcLab for its own child processes.
    #[command(hide = true)]
    Worker {
        role: WorkerRole,
        /// The process id of the ProcLab that started this worker.
        #[arg(long)]
        parent: u32,
    },
}

/// What `proclab bench` can measure.
#[derive(Debug, Subcommand)]
pub enum BenchKind {
    /// Time per frame of each animated diagram, of a 10,000-sample plot and of a timeline of
    /// 64 threads x 10,000 events at 1920x1080 (egui pass and tessellation, no GPU), the
    /// threads scene with 64 real live threads: the UI thread's CPU time and the wall time,
    /// median and p99.
    Frame {
        /// Only this scene (as lesson files name it, e.g. memory-layout).
        #[arg(long, value_parser = parse_scene)]
        scene: Option<crate::lesson::SceneKind>,
        /// Frames measured per scene, after 30 warm-up frames.
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u32).range(10..=100_000))]
        frames: u32,
        /// Draw while a real race keeps every CPU busy, as when a lesson runs one.
        #[arg(long)]
        under_load: bool,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// What recording lock events costs: a contended mutex bare, recording every step into
    /// the threads' own logs, and one reading per turn; ns per operation and the difference.
    Trace {
        /// Measured rounds of each, after one warm-up round.
        #[arg(long, default_value_t = 31, value_parser = clap::value_parser!(u32).range(3..=1000))]
        rounds: u32,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Context-switch cost as ProcLab measures it against `perf bench sched pipe` (processes)
    /// and `perf bench sched pipe -T` (threads), pinned to one CPU and not, per switch; exits
    /// with status 1 if a pinned pair differs from perf by more than 25%.
    CtxSwitch {
        /// Batches of 1000 round trips ProcLab takes per pair.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(10..=10_000))]
        samples: u32,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

fn parse_scene(name: &str) -> Result<crate::lesson::SceneKind, String> {
    crate::lesson::SceneKind::ALL
        .into_iter()
        .find(|k| k.file_name() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = crate::lesson::SceneKind::ALL
                .iter()
                .map(|k| k.file_name())
                .collect();
            format!("unknown scene {name:?}; one of: {}", names.join(", "))
        })
}
