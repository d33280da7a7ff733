//! Lesson files on disk: every built-in lesson round-trips, every kind of bad input is
//! reported at its exact line and column, and saving never leaves a half-written file.

use std::fs;
use std::path::Path;

use proclab::lesson::{self, BUILTIN_LESSONS, Diagnostic, LoadError, limits};

/// A small valid lesson, the base the bad inputs below are made from.
const VALID: &str = r#"format = 1
title = { ko = "시험", en = "Test" }

[[steps]]
title = { en = "One" }
narration.en = "Text"
experiment = { kind = "workers", threads = 4 }
"#;

fn problems(text: &str) -> Vec<Diagnostic> {
    lesson::parse(text.as_bytes(), "bad.toml")
        .expect_err("the input should be refused")
        .diagnostics
}

/// Asserts the first problem is at `line:column` and its message mentions `words`.
fn assert_first_problem(text: &str, line: usize, column: usize, words: &str) {
    let found = problems(text);
    let first = &found[0];
    assert_eq!(
        (first.file.as_str(), first.line, first.column),
        ("bad.toml", line, column),
        "wrong position for {first}"
    );
    assert!(
        first.message.contains(words),
        "message {:?} should mention {words:?}",
        first.message
    );
}

#[test]
fn the_valid_base_loads() {
    let lesson = lesson::parse(VALID.as_bytes(), "ok.toml").unwrap();
    assert_eq!(
        lesson.steps[0].experiment.as_ref().unwrap().threads,
        Some(4)
    );
}

#[test]
fn every_builtin_lesson_round_trips_through_a_real_file() {
    let folder = tempfile::tempdir().unwrap();
    for builtin in BUILTIN_LESSONS {
        let original = builtin.load().unwrap_or_else(|e| panic!("{e}"));
        let path = folder.path().join(format!("{}.toml", builtin.id));
        lesson::save(&path, &original).unwrap();
        let reloaded = lesson::load(&path).unwrap();
        assert_eq!(reloaded, original, "{} changed on the way", builtin.id);
        // Saving what was loaded writes the same bytes again: the format is stable.
        let again = folder.path().join("again.toml");
        lesson::save(&again, &reloaded).unwrap();
        assert_eq!(fs::read(&path).unwrap(), fs::read(&again).unwrap());
    }
}

#[test]
fn builtin_lessons_have_both_languages_everywhere() {
    use proclab::lesson::Language;
    for builtin in BUILTIN_LESSONS {
        let lesson = builtin.load().unwrap();
        for (i, step) in lesson.steps.iter().enumerate() {
            for language in Language::ALL {
                assert!(
                    step.title.exact(language).is_some()
                        && step.narration.exact(language).is_some(),
                    "{} step {} lacks {language:?} text",
                    builtin.id,
                    i + 1
                );
            }
        }
    }
}

#[test]
fn unknown_field_is_reported_at_its_key() {
    let text = VALID.replace("narration.en", "naration.en");
    assert_first_problem(&text, 6, 1, "unknown field `naration`");
}

#[test]
fn wrong_type_is_reported_at_the_value() {
    let text = VALID.replace("threads = 4", "threads = \"four\"");
    assert_first_problem(&text, 7, 44, "invalid type");
}

#[test]
fn syntax_error_is_reported_where_it_is() {
    // An inline table left open runs into the next line, where the comma was expected.
    let text = VALID.replace("title = { en = \"One\" }", "title = { en = \"One\" ");
    assert_first_problem(&text, 6, 1, "missing comma");
    let text = VALID.replace("narration.en = \"Text\"", "narration.en = Text");
    assert_first_problem(&text, 6, 16, "invalid");
}

#[test]
fn missing_text_is_reported_at_the_empty_field() {
    let text = VALID.replace("title = { en = \"One\" }", "title = { en = \"  \" }");
    assert_first_problem(&text, 5, 9, "missing text: `title`");
}

#[test]
fn missing_required_key_is_reported() {
    let text = VALID.replace("narration.en = \"Text\"\n", "");
    let found = problems(&text);
    assert!(
        found[0].message.contains("missing field `narration`"),
        "{}",
        found[0]
    );
    assert_eq!(found[0].line, 4, "{}", found[0]);
}

#[test]
fn out_of_range_parameter_is_reported_at_the_value() {
    let text = VALID.replace("threads = 4", "threads = 5000");
    assert_first_problem(
        &text,
        7,
        44,
        "`threads` = 5000 is out of range; allowed 1..=64",
    );
}

#[test]
fn unsupported_format_version_is_reported_at_the_number() {
    let text = VALID.replace("format = 1", "format = 7");
    assert_first_problem(&text, 1, 10, "unsupported lesson format version 7");
}

#[test]
fn text_that_is_not_utf8_is_reported_where_it_stops_being_utf8() {
    let mut bytes = VALID.as_bytes().to_vec();
    let at = VALID.find("Text\"").unwrap() + 2;
    bytes[at] = 0xff;
    let found = lesson::parse(&bytes, "bad.toml").unwrap_err().diagnostics;
    assert_eq!((found[0].line, found[0].column), (6, 19), "{}", found[0]);
    assert!(found[0].message.contains("not UTF-8"));
}

#[test]
fn empty_file_is_refused() {
    assert_first_problem("", 1, 1, "empty");
    assert_first_problem("  \n\n", 1, 1, "empty");
}

#[test]
fn file_larger_than_the_limit_is_refused_without_reading_it_all() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("huge.toml");
    let padding = "# padding\n".repeat(limits::MAX_FILE_BYTES as usize / 10 + 10);
    fs::write(&path, format!("{VALID}{padding}")).unwrap();
    let error = lesson::load(&path).unwrap_err();
    let first = &error.diagnostics[0];
    assert_eq!((first.line, first.column), (1, 1));
    assert!(
        first.message.contains("larger than the 1024 KiB limit"),
        "{first}"
    );
    assert!(first.file.ends_with("huge.toml"));
}

#[test]
fn quiz_answer_outside_the_choices_is_reported() {
    let text = format!(
        "{VALID}\n[[steps.quiz]]\nprompt.en = \"Q\"\nchoices = [{{ en = \"a\" }}, {{ en = \"b\" }}]\nanswer = 2\n"
    );
    assert_first_problem(&text, 12, 10, "`answer` = 2 is out of range");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let text = VALID
        .replace("threads = 4", "threads = 0, processes = 99")
        .replace("title = { en = \"One\" }", "title = { en = \"\" }");
    let found = problems(&text);
    assert_eq!(found.len(), 3, "{found:#?}");
}

#[test]
fn a_missing_file_is_reported_by_name() {
    let error = lesson::load(Path::new("no/such/lesson.toml")).unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with("no/such/lesson.toml:1:1: cannot open the file"),
        "{text}"
    );
}

#[test]
fn save_replaces_the_file_and_keeps_no_temporary_files() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("lesson.toml");
    fs::write(&path, "old").unwrap();
    let lesson = lesson::parse(VALID.as_bytes(), "x").unwrap();
    lesson::save(&path, &lesson).unwrap();
    assert_eq!(lesson::load(&path).unwrap(), lesson);
    let names: Vec<_> = fs::read_dir(folder.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "a temporary file was left behind");
}

#[test]
fn a_save_interrupted_before_the_rename_leaves_the_old_file_intact() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("lesson.toml");
    fs::write(&path, VALID).unwrap();
    let mut changed = lesson::parse(VALID.as_bytes(), "x").unwrap();
    changed.title.en = Some("Changed".into());

    let staged = lesson::StagedSave::write(&path, &changed).unwrap();
    let temp = staged.temp_path().to_owned();
    assert!(fs::read_to_string(&temp).unwrap().contains("Changed"));
    // Interrupted here: the rename never happens.
    drop(staged);

    assert_eq!(fs::read_to_string(&path).unwrap(), VALID);
    assert!(!temp.exists(), "the temporary file should be cleaned up");
}

#[test]
fn a_save_that_cannot_write_reports_the_path_and_changes_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("missing-folder").join("lesson.toml");
    let lesson = lesson::parse(VALID.as_bytes(), "x").unwrap();
    let error = lesson::save(&path, &lesson).unwrap_err().to_string();
    assert!(error.contains("missing-folder"), "{error}");
    assert!(!path.exists());
}

#[test]
fn load_error_displays_one_line_per_problem() {
    let error = LoadError {
        diagnostics: problems(&VALID.replace("threads = 4", "threads = 0, processes = 99")),
    };
    let text = error.to_string();
    assert_eq!(text.lines().count(), 2);
    assert!(text.lines().all(|l| l.starts_with("bad.toml:7:")), "{text}");
}

#[test]
fn blank_text_round_trips_as_it_was_written() {
    let text = VALID.replace(
        "narration.en = \"Text\"",
        "narration.en = \"Text\"\nnotes.en = \" \"",
    );
    let lesson = lesson::parse(text.as_bytes(), "x").unwrap();
    let saved = lesson::to_toml(&lesson).unwrap();
    assert_eq!(
        lesson::parse(saved.as_bytes(), "y").unwrap(),
        lesson,
        "{saved}"
    );
}
