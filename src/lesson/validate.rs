//! The meaning checks a lesson must pass after its shape is right: text present, counts in
//! range, quiz answers among the choices. Problems carry the path of the value they are about,
//! which the loader turns into a line and column.

use std::fmt::Display;
use std::ops::RangeInclusive;

use super::limits;
use super::model::{ExperimentKind, ExperimentSpec, Lesson, Question, Text};

/// One step of the way from the top of a lesson document to a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSegment {
    Key(&'static str),
    Index(usize),
}

/// A problem with the value at `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: Vec<PathSegment>,
    pub message: String,
}

/// Every meaning problem in `lesson`, in file order.
pub fn lesson(lesson: &Lesson) -> Vec<Problem> {
    let mut check = Checker::default();
    check.text(&[Key("title")], "title", &lesson.title);
    if lesson.steps.is_empty() {
        check.problem(&[Key("steps")], "a lesson needs at least one [[steps]]");
    }
    for (i, step) in lesson.steps.iter().enumerate() {
        let at = [Key("steps"), Index(i)];
        check.text(&at, "title", &step.title);
        check.text(&at, "narration", &step.narration);
        if let Some(scene) = &step.scene {
            let at = [Key("steps"), Index(i), Key("scene")];
            check.in_range(&at, "stack_limit", scene.stack_limit, &limits::STACK_LIMIT);
            check.in_range(&at, "threads", scene.threads, &limits::SCENE_THREADS);
        }
        if let Some(experiment) = &step.experiment {
            check.experiment(&[Key("steps"), Index(i), Key("experiment")], experiment);
        }
        for (q, question) in step.quiz.iter().enumerate() {
            check.question(&[Key("steps"), Index(i), Key("quiz"), Index(q)], question);
        }
    }
    check.problems
}

use PathSegment::{Index, Key};

/// `parent` followed by `more`.
fn child(parent: &[PathSegment], more: &[PathSegment]) -> Vec<PathSegment> {
    [parent, more].concat()
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn problem(&mut self, path: &[PathSegment], message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_vec(),
            message: message.into(),
        });
    }

    fn text(&mut self, parent: &[PathSegment], key: &'static str, text: &Text) {
        if text.is_empty() {
            let path = child(parent, &[Key(key)]);
            self.problem(
                &path,
                format!("missing text: `{key}` needs a non-empty `ko` or `en`"),
            );
        }
    }

    fn in_range<T: PartialOrd + Display>(
        &mut self,
        parent: &[PathSegment],
        key: &'static str,
        value: Option<T>,
        range: &RangeInclusive<T>,
    ) {
        if let Some(value) = value
            && !range.contains(&value)
        {
            let path = child(parent, &[Key(key)]);
            self.problem(
                &path,
                format!(
                    "`{key}` = {value} is out of range; allowed {}..={}",
                    range.start(),
                    range.end()
                ),
            );
        }
    }

    fn experiment(&mut self, at: &[PathSegment], experiment: &ExperimentSpec) {
        let processes = if experiment.kind.races() {
            limits::RACE_THREADS
        } else {
            limits::PROCESSES
        };
        let threads = experiment.kind.thread_range();
        self.in_range(at, "threads", experiment.threads, &threads);
        self.in_range(at, "processes", experiment.processes, &processes);
        self.in_range(at, "samples", experiment.samples, &limits::SAMPLES);
        self.in_range(at, "increments", experiment.increments, &limits::INCREMENTS);
        self.in_range(at, "runs", experiment.runs, &limits::RUNS);
        self.in_range(at, "millis", experiment.millis, &limits::CONTENTION_MILLIS);
        let pins = matches!(
            experiment.kind,
            ExperimentKind::CtxSwitch | ExperimentKind::Ipc
        );
        if experiment.pin && !pins {
            let path = child(at, &[Key("pin")]);
            self.problem(
                &path,
                format!(
                    "`pin` applies to ctx-switch and ipc, not to {}",
                    experiment.kind.file_name()
                ),
            );
        }
    }

    fn question(&mut self, at: &[PathSegment], question: &Question) {
        self.text(at, "prompt", &question.prompt);
        let count = question.choices.len();
        if !limits::CHOICES.contains(&count) {
            let path = child(at, &[Key("choices")]);
            self.problem(
                &path,
                format!(
                    "a question needs {}..={} choices, this one has {count}",
                    limits::CHOICES.start(),
                    limits::CHOICES.end()
                ),
            );
        }
        for (c, choice) in question.choices.iter().enumerate() {
            if choice.is_empty() {
                let path = child(at, &[Key("choices"), Index(c)]);
                self.problem(
                    &path,
                    "missing text: a choice needs a non-empty `ko` or `en`",
                );
            }
        }
        let answer = question.answer as usize;
        if count > 0 && answer >= count {
            let path = child(at, &[Key("answer")]);
            self.problem(
                &path,
                format!(
                    "`answer` = {answer} is out of range; choices are counted from 0 to {}",
                    count - 1
                ),
            );
        }
    }
}
