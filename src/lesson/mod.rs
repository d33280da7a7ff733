//! Lessons: the file format (TOML, versioned), loading with positioned errors, atomic saving,
//! and the lessons built into the program.
//!
//! ```
//! let text = r#"
//! format = 1
//! title = { en = "Hello", ko = "안녕하세요" }
//! [[steps]]
//! title.en = "First step"
//! narration.en = "A **process** is a program that is running."
//! "#;
//! let lesson = proclab::lesson::parse(text.as_bytes(), "hello.toml").unwrap();
//! assert_eq!(lesson.steps.len(), 1);
//!
//! let bad = proclab::lesson::parse(b"format = 1\ntitel = 3\n", "bad.toml").unwrap_err();
//! assert!(bad.to_string().starts_with("bad.toml:2:1: "));
//! ```

mod builtin;
mod diagnostic;
pub mod edit;
pub mod limits;
mod load;
mod model;
mod save;
mod validate;

pub use builtin::{BUILTIN_LESSONS, BuiltinLesson};
pub use diagnostic::{Diagnostic, LoadError};
pub use load::{load, parse};
pub use model::{
    ExperimentKind, ExperimentSpec, FORMAT_VERSION, IpcKind, Language, Lesson, Question, SceneKind,
    SceneSpec, Step, Text,
};
pub use save::{SaveError, StagedSave, save, to_toml};
