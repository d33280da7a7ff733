//! The structural edits a lesson editor makes: adding, duplicating, deleting and moving steps,
//! questions and choices. Pure functions on the model, so that every rule (a lesson keeps at
//! least one step, a question keeps 2..=8 choices and an answer among them) is tested here
//! once and the UI only calls them.

use super::limits::CHOICES;
use super::model::{Lesson, Question, Step, Text};

/// Why a structural edit was not made; the lesson is left as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("a lesson needs at least one step")]
    OnlyStep,
    #[error("there is no step or question at that index")]
    NoSuchItem,
    #[error("a question needs at least {} choices", CHOICES.start())]
    TooFewChoices,
    #[error("a question may offer at most {} choices", CHOICES.end())]
    TooManyChoices,
}

/// Inserts `step` right after step `after` (at the end when `after` is past it); returns the
/// new step's index.
pub fn insert_step_after(lesson: &mut Lesson, after: usize, step: Step) -> usize {
    let at = after.saturating_add(1).min(lesson.steps.len());
    lesson.steps.insert(at, step);
    at
}

/// Inserts a copy of step `index` right after it; returns the copy's index.
pub fn duplicate_step(lesson: &mut Lesson, index: usize) -> Result<usize, Refusal> {
    let copy = lesson.steps.get(index).ok_or(Refusal::NoSuchItem)?.clone();
    Ok(insert_step_after(lesson, index, copy))
}

/// Deletes step `index`, refusing the only one; returns the step to show next: the one that
/// took its place, or the new last step when the last was deleted.
pub fn delete_step(lesson: &mut Lesson, index: usize) -> Result<usize, Refusal> {
    if index >= lesson.steps.len() {
        return Err(Refusal::NoSuchItem);
    }
    if lesson.steps.len() == 1 {
        return Err(Refusal::OnlyStep);
    }
    lesson.steps.remove(index);
    Ok(index.min(lesson.steps.len() - 1))
}

/// Moves step `from` so that it ends up at index `to` (clamped to the last step); returns
/// where it is now.
pub fn move_step(lesson: &mut Lesson, from: usize, to: usize) -> Result<usize, Refusal> {
    move_item(&mut lesson.steps, from, to)
}

/// Inserts `question` right after question `after` (at the end when `after` is `None` or past
/// it); returns its index.
pub fn insert_question_after(step: &mut Step, after: Option<usize>, question: Question) -> usize {
    let at = after.map_or(step.quiz.len(), |a| a.saturating_add(1));
    let at = at.min(step.quiz.len());
    step.quiz.insert(at, question);
    at
}

/// Deletes question `index` (a step may have none); returns the question to show next, if
/// any is left.
pub fn delete_question(step: &mut Step, index: usize) -> Result<Option<usize>, Refusal> {
    if index >= step.quiz.len() {
        return Err(Refusal::NoSuchItem);
    }
    step.quiz.remove(index);
    Ok((!step.quiz.is_empty()).then(|| index.min(step.quiz.len() - 1)))
}

/// Moves question `from` so that it ends up at index `to` (clamped); returns where it is now.
pub fn move_question(step: &mut Step, from: usize, to: usize) -> Result<usize, Refusal> {
    move_item(&mut step.quiz, from, to)
}

/// Adds `choice` at the end of the choices, refusing more than [`CHOICES`] allows; returns its
/// index.
pub fn add_choice(question: &mut Question, choice: Text) -> Result<usize, Refusal> {
    if question.choices.len() >= *CHOICES.end() {
        return Err(Refusal::TooManyChoices);
    }
    question.choices.push(choice);
    Ok(question.choices.len() - 1)
}

/// Deletes choice `index`, refusing fewer than [`CHOICES`] allows. The answer keeps pointing
/// at the same choice; when that choice is the one deleted, at the choice that took its place
/// (or the new last one), so the answer is always among the choices.
pub fn delete_choice(question: &mut Question, index: usize) -> Result<(), Refusal> {
    if index >= question.choices.len() {
        return Err(Refusal::NoSuchItem);
    }
    if question.choices.len() <= *CHOICES.start() {
        return Err(Refusal::TooFewChoices);
    }
    question.choices.remove(index);
    let answer = question.answer as usize;
    let answer = if answer > index { answer - 1 } else { answer };
    let last = question.choices.len() - 1;
    // Fits: a question has at most `CHOICES.end()` choices.
    question.answer = u32::try_from(answer.min(last)).unwrap_or(0);
    Ok(())
}

/// Removes `items[from]` and inserts it at `to` (clamped to the last index).
fn move_item<T>(items: &mut Vec<T>, from: usize, to: usize) -> Result<usize, Refusal> {
    if from >= items.len() {
        return Err(Refusal::NoSuchItem);
    }
    let item = items.remove(from);
    let to = to.min(items.len());
    items.insert(to, item);
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::Text;

    fn step(name: &str) -> Step {
        Step {
            title: Text::new(name, name),
            narration: Text::new("설명", "narration"),
            notes: Text::default(),
            scene: None,
            experiment: None,
            quiz: Vec::new(),
        }
    }

    fn lesson(names: &[&str]) -> Lesson {
        Lesson {
            format: crate::lesson::FORMAT_VERSION,
            title: Text::new("강의", "Lesson"),
            summary: Text::default(),
            author: String::new(),
            builds: false,
            steps: names.iter().map(|n| step(n)).collect(),
        }
    }

    fn names(lesson: &Lesson) -> Vec<&str> {
        lesson
            .steps
            .iter()
            .map(|s| s.title.raw(crate::lesson::Language::En))
            .collect()
    }

    fn question(choices: &[&str], answer: u32) -> Question {
        Question {
            prompt: Text::new("질문", "Question"),
            choices: choices.iter().map(|c| Text::new(*c, *c)).collect(),
            answer,
            explanation: Text::default(),
        }
    }

    fn choice_names(question: &Question) -> Vec<&str> {
        let en = crate::lesson::Language::En;
        question.choices.iter().map(|c| c.raw(en)).collect()
    }

    #[test]
    fn a_step_is_inserted_after_the_current_one_or_at_the_end() {
        let mut l = lesson(&["a", "b"]);
        assert_eq!(insert_step_after(&mut l, 0, step("new")), 1);
        assert_eq!(names(&l), ["a", "new", "b"]);
        assert_eq!(insert_step_after(&mut l, 2, step("end")), 3);
        assert_eq!(insert_step_after(&mut l, usize::MAX, step("past")), 4);
        assert_eq!(names(&l), ["a", "new", "b", "end", "past"]);
    }

    #[test]
    fn a_duplicate_follows_its_original() {
        let mut l = lesson(&["a", "b", "c"]);
        assert_eq!(duplicate_step(&mut l, 2), Ok(3));
        assert_eq!(names(&l), ["a", "b", "c", "c"]);
        assert_eq!(l.steps[2], l.steps[3]);
        assert_eq!(duplicate_step(&mut l, 4), Err(Refusal::NoSuchItem));
    }

    #[test]
    fn deleting_the_only_step_is_refused_and_changes_nothing() {
        let mut l = lesson(&["only"]);
        assert_eq!(delete_step(&mut l, 0), Err(Refusal::OnlyStep));
        assert_eq!(names(&l), ["only"]);
        assert_eq!(delete_step(&mut l, 1), Err(Refusal::NoSuchItem));
    }

    #[test]
    fn after_a_delete_the_next_step_or_the_new_last_is_shown() {
        let mut l = lesson(&["a", "b", "c"]);
        assert_eq!(delete_step(&mut l, 0), Ok(0));
        assert_eq!(names(&l), ["b", "c"]);
        assert_eq!(delete_step(&mut l, 1), Ok(0));
        assert_eq!(names(&l), ["b"]);
    }

    #[test]
    fn moves_reach_both_ends_and_clamp_past_them() {
        let mut l = lesson(&["a", "b", "c", "d"]);
        assert_eq!(move_step(&mut l, 0, 3), Ok(3));
        assert_eq!(names(&l), ["b", "c", "d", "a"]);
        assert_eq!(move_step(&mut l, 3, 0), Ok(0));
        assert_eq!(names(&l), ["a", "b", "c", "d"]);
        assert_eq!(move_step(&mut l, 1, 2), Ok(2));
        assert_eq!(names(&l), ["a", "c", "b", "d"]);
        assert_eq!(move_step(&mut l, 1, usize::MAX), Ok(3));
        assert_eq!(names(&l), ["a", "b", "d", "c"]);
        assert_eq!(move_step(&mut l, 2, 2), Ok(2));
        assert_eq!(names(&l), ["a", "b", "d", "c"]);
        assert_eq!(move_step(&mut l, 4, 0), Err(Refusal::NoSuchItem));
    }

    #[test]
    fn questions_are_inserted_deleted_and_moved_within_their_step() {
        let mut s = step("s");
        assert_eq!(
            insert_question_after(&mut s, None, question(&["1", "2"], 0)),
            0
        );
        assert_eq!(
            insert_question_after(&mut s, None, question(&["3", "4"], 0)),
            1
        );
        assert_eq!(
            insert_question_after(&mut s, Some(0), question(&["5", "6"], 1)),
            1
        );
        let first = |s: &Step| {
            s.quiz
                .iter()
                .map(|q| choice_names(q)[0].to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(first(&s), ["1", "5", "3"]);
        assert_eq!(move_question(&mut s, 2, 0), Ok(0));
        assert_eq!(first(&s), ["3", "1", "5"]);
        assert_eq!(move_question(&mut s, 0, 2), Ok(2));
        assert_eq!(first(&s), ["1", "5", "3"]);
        assert_eq!(delete_question(&mut s, 2), Ok(Some(1)));
        assert_eq!(delete_question(&mut s, 0), Ok(Some(0)));
        assert_eq!(delete_question(&mut s, 0), Ok(None));
        assert!(s.quiz.is_empty());
        assert_eq!(delete_question(&mut s, 0), Err(Refusal::NoSuchItem));
    }

    #[test]
    fn choices_stay_within_their_bounds() {
        let mut q = question(&["a", "b"], 1);
        assert_eq!(delete_choice(&mut q, 0), Err(Refusal::TooFewChoices));
        for n in 2..*CHOICES.end() {
            assert_eq!(add_choice(&mut q, Text::new("x", "x")), Ok(n));
        }
        assert_eq!(q.choices.len(), *CHOICES.end());
        assert_eq!(
            add_choice(&mut q, Text::new("y", "y")),
            Err(Refusal::TooManyChoices)
        );
        assert_eq!(q.choices.len(), *CHOICES.end());
    }

    #[test]
    fn the_answer_follows_its_choice_through_a_delete() {
        let mut q = question(&["a", "b", "c", "d"], 2);
        delete_choice(&mut q, 0).unwrap();
        assert_eq!((choice_names(&q), q.answer), (vec!["b", "c", "d"], 1));
        delete_choice(&mut q, 2).unwrap();
        assert_eq!((choice_names(&q), q.answer), (vec!["b", "c"], 1));
        let mut q = question(&["a", "b", "c"], 2);
        delete_choice(&mut q, 2).unwrap();
        assert_eq!((choice_names(&q), q.answer), (vec!["a", "b"], 1));
        let mut q = question(&["a", "b", "c"], 1);
        delete_choice(&mut q, 1).unwrap();
        assert_eq!((choice_names(&q), q.answer), (vec!["a", "c"], 1));
    }
}
