//! The command line: open the app, or check lesson files without opening it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::lesson;

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
}

/// Checks each file, writing problems to `out` and a summary to `summary`.
/// Returns the exit status: success only if every file is valid.
pub fn check(files: &[PathBuf], out: &mut impl Write, summary: &mut impl Write) -> ExitCode {
    let mut bad_files = 0;
    for file in files {
        if let Err(error) = lesson::load(file) {
            bad_files += 1;
            for diagnostic in &error.diagnostics {
                let _ = writeln!(out, "{diagnostic}");
            }
        }
    }
    let _ = writeln!(
        summary,
        "checked {} lesson file(s): {} valid, {bad_files} with problems",
        files.len(),
        files.len() - bad_files
    );
    if bad_files == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
