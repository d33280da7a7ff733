//! Property tests of the lesson parser: whatever bytes a file holds, loading answers with a
//! lesson or with positioned problems, and never panics.

use proclab::lesson::{self, BUILTIN_LESSONS};
use proptest::prelude::*;

fn assert_answers_sanely(bytes: &[u8]) {
    match lesson::parse(bytes, "fuzz.toml") {
        Ok(lesson) => assert!(!lesson.steps.is_empty()),
        Err(error) => {
            assert!(!error.diagnostics.is_empty());
            let lines = bytes.split(|&b| b == b'\n').count();
            for d in &error.diagnostics {
                assert!(d.line >= 1 && d.column >= 1, "{d}");
                assert!(d.line <= lines, "{d} is past the end");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        assert_answers_sanely(&bytes);
    }

    #[test]
    fn mangled_real_lessons_never_panic(
        lesson_index in 0..BUILTIN_LESSONS.len(),
        cut in any::<prop::sample::Index>(),
        insert in proptest::collection::vec(any::<u8>(), 0..16),
    ) {
        let source = BUILTIN_LESSONS[lesson_index].source.as_bytes();
        let at = cut.index(source.len());
        let mut bytes = source[..at].to_vec();
        bytes.extend_from_slice(&insert);
        bytes.extend_from_slice(&source[at..]);
        assert_answers_sanely(&bytes);
    }

    #[test]
    fn truncated_real_lessons_never_panic(
        lesson_index in 0..BUILTIN_LESSONS.len(),
        cut in any::<prop::sample::Index>(),
    ) {
        let source = BUILTIN_LESSONS[lesson_index].source.as_bytes();
        assert_answers_sanely(&source[..cut.index(source.len())]);
    }
}
