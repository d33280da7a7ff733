//! Play the scheduler on the real machine: `count += 1` runs in real threads of a real child
//! process, stopped with ptrace, and whoever plays the scheduler picks which thread executes
//! its next machine instruction, watching the instruction, the registers and the counter in
//! the child's memory until an update is lost for real.
//!
//! [`Session`] is one run (a fresh child, traced); [`Stepper`] runs a session on a thread of
//! its own for the window; [`FAMILY`] runs a written schedule for `proclab measure
//! stepped-race`. A real machine cannot undo a step: a new session starts a fresh child.

mod child;
mod events;
mod listing;
mod refusal;
mod schedule;
mod session;
mod stepper;
mod tracer;

use serde::Serialize;

pub use child::{CHILD_ROLE, run_child};
pub use events::{Event, Executed, KernelRun, LostUpdate, Simulated};
pub use listing::{Line, Listing, Role};
pub use refusal::{Cause, Refusal};
pub use schedule::{
    LOST_UPDATE, MOST_KERNEL_MILLIS, Move, Problem, SERIAL, ScheduleError, parse as parse_schedule,
};
pub use session::{Session, Snapshot, ThreadNow};
pub use stepper::{Stepper, Update};

use super::error::LabError;
use super::experiment::{Family, Figure, Job, Param, Params, Report, TextParam, Unit, Words};
use super::os::Machine;

/// The family, as the registry lists it.
pub const FAMILY: Family = Family {
    name: "stepped-race",
    command: "stepped-race",
    about: "count += 1 on real threads stopped with ptrace, one machine instruction at a time, \
            in the order --schedule gives (default: 0:load 1:inc 0:store); steps, expected, \
            actual and lost",
    params: &[Param {
        name: "threads",
        en: "Threads",
        ko: "스레드",
        range: crate::limits::STEPPED_THREADS,
        default: 2,
    }],
    texts: &[TextParam {
        name: "schedule",
        en: "Schedule",
        ko: "스케줄",
    }],
    run,
};

/// The typed result, as `proclab measure stepped-race --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SteppedRace {
    pub machine: Machine,
    /// True: every step was a real instruction of a real thread, stopped with ptrace.
    pub real: bool,
    pub threads: u32,
    pub schedule: String,
    /// The traced child.
    pub pid: u32,
    pub listing: Listing,
    pub steps: Vec<Event>,
    /// Increments the threads finished, what the counter in the child's memory holds, and
    /// the difference.
    pub expected: u64,
    pub actual: u64,
    pub lost: u64,
    pub lost_updates: Vec<LostUpdate>,
    /// True when every instruction pointer moved where the disassembly said it would.
    pub ip_as_listed: bool,
    /// Threads of the child still alive after the run (always 0: it is killed and reaped).
    pub left_running: u32,
}

/// Runs one move of a schedule; `wait` waits while the kernel runs the threads.
pub fn apply(
    session: &mut Session,
    step: Move,
    wait: impl FnOnce(std::time::Duration),
) -> Result<(), LabError> {
    match step {
        Move::Instructions { thread, count } => {
            for _ in 0..count {
                session.step(thread)?;
            }
            Ok(())
        }
        Move::Until { thread, role } => session.run_until(thread, role).map(|_| ()),
        Move::Kernel { millis } => {
            session.let_kernel_run(millis, || wait(Move::kernel_time(millis)))
        }
    }
}

fn run(params: &Params, job: &Job) -> Result<Report, LabError> {
    let threads = params.get("threads");
    let text = params.text("schedule").unwrap_or(LOST_UPDATE);
    let moves = parse_schedule(text, threads as usize).map_err(LabError::Schedule)?;
    let mut session = Session::start(job.worker_exe, threads)?;
    for (done, &step) in moves.iter().enumerate() {
        if job.cancelled() {
            break;
        }
        apply(&mut session, step, std::thread::sleep)?;
        job.progress(done as u32 + 1, moves.len() as u32);
    }
    let snapshot = session.snapshot()?;
    drop(session);
    let typed = result_of(snapshot, threads, text);
    report_of(&typed, job.cancelled())
}

fn result_of(snapshot: Snapshot, threads: u32, schedule: &str) -> SteppedRace {
    let ip_as_listed = snapshot.events.iter().all(|e| match e {
        Event::Instruction(x) => x.ip_after == x.predicted_ip,
        Event::Kernel(_) => true,
    });
    SteppedRace {
        machine: Machine::describe(),
        real: true,
        threads,
        schedule: schedule.to_owned(),
        pid: snapshot.pid,
        listing: snapshot.listing,
        steps: snapshot.events,
        expected: snapshot.expected,
        actual: snapshot.counter,
        lost: snapshot.lost,
        lost_updates: snapshot.lost_updates,
        ip_as_listed,
        left_running: super::os::child_tasks_alive(snapshot.pid),
    }
}

/// What each single step of `events` took, as a distribution; `None` before the first.
pub fn step_times(events: &[Event]) -> Option<Figure> {
    let nanos = events
        .iter()
        .filter_map(|e| match e {
            Event::Instruction(x) => Some(x.nanos as f64),
            Event::Kernel(_) => None,
        })
        .collect();
    Figure::of(
        Words::new(
            "single step (trap after one instruction)",
            "단일 스텝 (명령어 하나 뒤의 트랩)",
        ),
        Unit::Nanoseconds,
        nanos,
    )
}

fn report_of(typed: &SteppedRace, cancelled: bool) -> Result<Report, LabError> {
    let figures = step_times(&typed.steps);
    let sequence = typed
        .steps
        .iter()
        .map(|e| match e {
            Event::Instruction(x) => format!("T{} {}", x.thread + 1, x.instruction),
            Event::Kernel(k) => format!("kernel {} ms", k.millis),
        })
        .collect::<Vec<_>>()
        .join(" | ");
    Ok(Report::new(
        FAMILY.name,
        typed.machine.clone(),
        figures.into_iter().collect(),
        Words::new(NOTE_EN, NOTE_KO),
        typed,
    )?
    .fact(
        "real threads, traced with ptrace",
        "ptrace로 추적한 실제 스레드",
        typed.real,
    )
    .fact("child process", "자식 프로세스", typed.pid)
    .fact("steps, in order", "순서대로 실행한 명령어", sequence)
    .fact(
        "expected (increments finished)",
        "기대값 (끝낸 증가)",
        typed.expected,
    )
    .fact(
        "actual (count in the child's memory)",
        "실제 (자식 메모리의 count)",
        typed.actual,
    )
    .fact("lost", "잃음", typed.lost)
    .fact(
        "every instruction pointer moved as the disassembly said",
        "모든 명령어 포인터가 디스어셈블리대로 움직임",
        typed.ip_as_listed,
    )
    .fact(
        "threads left running",
        "남아 있는 스레드",
        typed.left_running,
    )
    .cancelled(cancelled))
}

const NOTE_EN: &str = "Each thread of the child runs the same five machine instructions: load \
    the counter into a register, add one there, store it back, count the increment in a \
    register of its own, jump back. ProcLab stops every thread with ptrace and runs one \
    instruction of one thread at a time (a single step: the processor traps after one \
    instruction and the kernel stops the thread again). When a thread stores a value it \
    loaded before another thread's store, that increment is gone from the child's real \
    memory. The step time is what one single step costs here, most of it the trap and two \
    trips through the kernel.";

const NOTE_KO: &str = "자식의 각 스레드는 같은 기계어 명령어 다섯 개를 실행합니다. 카운터를 \
    레지스터로 읽고, 거기서 1을 더하고, 다시 쓰고, 자기 레지스터에 증가 횟수를 세고, 처음으로 \
    돌아갑니다. ProcLab은 ptrace로 모든 스레드를 멈추고 한 번에 한 스레드의 명령어 하나만 \
    실행합니다(단일 스텝: 프로세서가 명령어 하나 뒤에 트랩을 일으키고 커널이 스레드를 다시 \
    멈춥니다). 한 스레드가 다른 스레드가 쓰기 전에 읽은 값을 쓰면, 그 증가는 자식의 실제 \
    메모리에서 사라집니다. 스텝 시간은 여기서 단일 스텝 하나에 드는 비용이며, 대부분 트랩과 \
    커널을 두 번 오가는 시간입니다.";
