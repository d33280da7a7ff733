//! A schedule for the stepped race, as `--schedule` writes it: moves separated by spaces,
//! commas or semicolons. `0:load` runs thread 0 until it has loaded; `1:inc` runs thread 1
//! through a whole increment (to its next store); `0:3` runs three instructions;
//! `kernel:20` lets the kernel schedule every thread for 20 ms.

use std::time::Duration;

use serde::Serialize;

use super::listing::Role;

/// The schedule run when none is given: thread 0 loads, thread 1 runs a whole increment,
/// thread 0 adds and stores. One update is lost.
pub const LOST_UPDATE: &str = "0:load 1:inc 0:store";

/// Every thread runs one increment after the other: nothing is lost.
pub const SERIAL: &str = "0:inc 1:inc";

/// Most instructions one move may ask for.
pub const MOST_INSTRUCTIONS: u32 = 1000;

/// Most milliseconds the kernel may be given in one move.
pub const MOST_KERNEL_MILLIS: u32 = 1000;

/// One move of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Move {
    /// Thread `thread` runs `count` machine instructions.
    Instructions { thread: usize, count: u32 },
    /// Thread `thread` runs until it has executed an instruction of this role.
    Until { thread: usize, role: Role },
    /// Every thread runs under the kernel's scheduler for `millis`, then all stop again.
    Kernel { millis: u32 },
}

impl Move {
    /// How long the kernel runs in a `Kernel` move.
    pub fn kernel_time(millis: u32) -> Duration {
        Duration::from_millis(u64::from(millis))
    }
}

/// A schedule that did not parse, with the move at fault (counted from 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("schedule move {position} ({text:?}): {problem}")]
pub struct ScheduleError {
    pub position: usize,
    pub text: String,
    pub problem: Problem,
}

/// What is wrong with one move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    #[error("the schedule is empty")]
    Empty,
    #[error("write THREAD:WHAT (0:load) or kernel:MILLIS")]
    NoColon,
    #[error("{0:?} is not a thread number")]
    NotAThread(String),
    #[error("there is no thread {thread}: threads are 0 to {last}")]
    NoSuchThread { thread: usize, last: usize },
    #[error("{text:?} is not a number from {low} to {high}")]
    OutOfRange { text: String, low: u32, high: u32 },
    #[error("{0:?} is not one of load, add, store, inc, step or a number of instructions")]
    UnknownAction(String),
}

/// Parses `text` for `threads` threads.
pub fn parse(text: &str, threads: usize) -> Result<Vec<Move>, ScheduleError> {
    let moves: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|m| !m.is_empty())
        .collect();
    if moves.is_empty() {
        return Err(ScheduleError {
            position: 1,
            text: text.into(),
            problem: Problem::Empty,
        });
    }
    moves
        .iter()
        .enumerate()
        .map(|(i, m)| {
            parse_move(m, threads).map_err(|problem| ScheduleError {
                position: i + 1,
                text: (*m).into(),
                problem,
            })
        })
        .collect()
}

fn parse_move(text: &str, threads: usize) -> Result<Move, Problem> {
    let (who, what) = text.split_once(':').ok_or(Problem::NoColon)?;
    if who == "kernel" {
        return number(what, 1..=MOST_KERNEL_MILLIS).map(|millis| Move::Kernel { millis });
    }
    let thread: usize = who.parse().map_err(|_| Problem::NotAThread(who.into()))?;
    if thread >= threads {
        let last = threads.saturating_sub(1);
        return Err(Problem::NoSuchThread { thread, last });
    }
    let role = match what {
        "load" => Role::Load,
        "add" => Role::Add,
        "store" | "inc" => Role::Store,
        "step" => return Ok(Move::Instructions { thread, count: 1 }),
        count if count.parse::<u32>().is_ok() => {
            return number(count, 1..=MOST_INSTRUCTIONS)
                .map(|count| Move::Instructions { thread, count });
        }
        other => return Err(Problem::UnknownAction(other.into())),
    };
    Ok(Move::Until { thread, role })
}

fn number(text: &str, range: std::ops::RangeInclusive<u32>) -> Result<u32, Problem> {
    text.parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| Problem::OutOfRange {
            text: text.into(),
            low: *range.start(),
            high: *range.end(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_schedule_is_a_load_a_whole_increment_and_a_store() {
        assert_eq!(
            parse(LOST_UPDATE, 2).unwrap(),
            [
                Move::Until {
                    thread: 0,
                    role: Role::Load
                },
                Move::Until {
                    thread: 1,
                    role: Role::Store
                },
                Move::Until {
                    thread: 0,
                    role: Role::Store
                },
            ]
        );
    }

    #[test]
    fn counts_kernel_time_and_separators_parse() {
        assert_eq!(
            parse("0:3, kernel:20; 1:step", 2).unwrap(),
            [
                Move::Instructions {
                    thread: 0,
                    count: 3
                },
                Move::Kernel { millis: 20 },
                Move::Instructions {
                    thread: 1,
                    count: 1
                },
            ]
        );
    }

    #[test]
    fn a_bad_move_is_named_with_its_position() {
        let error = parse("0:load 2:store", 2).unwrap_err();
        assert_eq!(error.position, 2);
        assert_eq!(error.problem, Problem::NoSuchThread { thread: 2, last: 1 });
        assert!(error.to_string().contains("no thread 2"), "{error}");
        let unknown = parse("0:jump", 2).unwrap_err();
        assert_eq!(unknown.problem, Problem::UnknownAction("jump".into()));
        assert!(parse("kernel:0", 2).is_err());
        assert!(parse("   ", 2).is_err());
    }
}
