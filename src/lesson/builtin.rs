//! The lessons compiled into the binary, so an installed ProcLab has them without any files.

use super::diagnostic::LoadError;
use super::load::parse;
use super::model::Lesson;

/// A lesson shipped inside the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinLesson {
    /// Stable name used in settings to remember the last lesson.
    pub id: &'static str,
    /// The TOML text, as in `lessons/`.
    pub source: &'static str,
}

macro_rules! builtin {
    ($id:literal) => {
        BuiltinLesson {
            id: $id,
            source: include_str!(concat!("../../lessons/", $id, ".toml")),
        }
    };
}

/// Every built-in lesson, in curriculum order.
pub const BUILTIN_LESSONS: &[BuiltinLesson] = &[
    builtin!("01-program-and-process"),
    builtin!("02-threads-share-and-keep"),
    builtin!("03-races-and-locks"),
    builtin!("04-switching-and-scheduling"),
    builtin!("05-ipc"),
    builtin!("06-deadlock-and-crashes"),
];

impl BuiltinLesson {
    /// The built-in lesson with this id.
    pub fn find(id: &str) -> Option<&'static BuiltinLesson> {
        BUILTIN_LESSONS.iter().find(|b| b.id == id)
    }

    /// Parses the lesson; errors name it as `lessons/<id>.toml`.
    pub fn load(&self) -> Result<Lesson, LoadError> {
        parse(self.source.as_bytes(), &format!("lessons/{}.toml", self.id))
    }
}
