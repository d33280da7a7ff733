//! The `proclab` binary from the outside: `check`, `--help` and `--version`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn proclab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_proclab"))
        .args(args)
        .output()
        .expect("the proclab binary runs")
}

fn builtin_lesson_files() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn check_accepts_every_shipped_lesson() {
    let files = builtin_lesson_files();
    assert!(files.len() >= 2);
    let args: Vec<&str> = files.iter().map(|p| p.to_str().unwrap()).collect();
    let mut all = vec!["check"];
    all.extend(args);
    let output = proclab(&all);
    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty(), "valid files print no problems");
}

#[test]
fn check_reports_each_problem_as_file_line_column_and_fails() {
    let folder = tempfile::tempdir().unwrap();
    let good = folder.path().join("good.toml");
    std::fs::copy(&builtin_lesson_files()[0], &good).unwrap();
    let bad = folder.path().join("bad.toml");
    std::fs::write(
        &bad,
        "format = 1\ntitle.en = \"T\"\n[[steps]]\ntitle.en = \"S\"\nnarration.en = \"N\"\ncolour = 3\nexperiment = { kind = \"workers\", threads = 100 }\n",
    )
    .unwrap();

    let output = proclab(&["check", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "serde stops at the first shape error: {stdout}"
    );
    assert_eq!(
        lines[0],
        format!(
            "{}:6:1: unknown field `colour`, expected one of `title`, `narration`, `notes`, `scene`, `experiment`, `quiz`",
            bad.display()
        )
    );

    // With the shape fixed, the meaning problem is found at its value.
    let text = std::fs::read_to_string(&bad)
        .unwrap()
        .replace("colour = 3\n", "");
    std::fs::write(&bad, text).unwrap();
    let output = proclab(&["check", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout.trim_end(),
        format!(
            "{}:6:44: `threads` = 100 is out of range; allowed 1..=64",
            bad.display()
        )
    );
}

#[test]
fn check_reports_a_missing_file() {
    let output = proclab(&["check", "does-not-exist.toml"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("does-not-exist.toml:1:1: cannot open the file"),
        "{stdout}"
    );
}

#[test]
fn check_without_files_is_a_usage_error() {
    let output = proclab(&["check"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn help_and_version_describe_the_program() {
    let help = proclab(&["--help"]);
    assert!(help.status.success());
    let help = String::from_utf8(help.stdout).unwrap();
    for word in ["check", "--present", "FILE"] {
        assert!(help.contains(word), "--help should mention {word}: {help}");
    }
    let version = proclab(&["--version"]);
    assert_eq!(
        String::from_utf8(version.stdout).unwrap().trim(),
        format!("proclab {}", env!("CARGO_PKG_VERSION"))
    );
}
