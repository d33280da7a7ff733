//! The README's promises that code can check: its example lesson is a valid lesson, and its
//! set-up commands exist.

use proclab::lesson;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn the_example_lesson_in_the_readme_is_valid() {
    let readme = readme();
    let start = readme
        .find("```toml\n")
        .expect("the README has a TOML example")
        + 8;
    let length = readme[start..].find("```").unwrap();
    let example = &readme[start..start + length];
    let lesson =
        lesson::parse(example.as_bytes(), "README.md example").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lesson.steps[0].quiz.len(), 1);
}

#[test]
fn the_readme_names_the_two_setup_commands_that_exist() {
    let readme = readme();
    for script in ["scripts/run", "scripts/test"] {
        assert!(
            readme.contains(&format!("./{script}")),
            "README should show ./{script}"
        );
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(script);
        assert!(path.is_file(), "{script} is missing");
    }
}
