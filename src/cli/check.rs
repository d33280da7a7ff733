//! `proclab check`: validate lesson files without opening the app.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::lesson;

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
