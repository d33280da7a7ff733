//! The `proclab` program: parses the command line and hands over to the app or a subcommand.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use proclab::cli::{Cli, Subcommands, check};
use proclab::ui::{StartOptions, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Subcommands::Check { files }) => {
            check(&files, &mut std::io::stdout(), &mut std::io::stderr())
        }
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
