//! Crash isolation, really: in each scenario a child process with several threads has one of
//! them crash, while a sibling child runs beside it. A thread that calls `abort`, reads memory
//! it may not, or overflows its stack takes every thread of its process down with it (the
//! signal goes to that thread, but its default action ends the whole process); a thread that panics in Rust can be caught where it is
//! joined, and then only that thread is gone. The sibling process, and ProcLab, never notice.
//! Threads are counted by the kernel (`/proc/<pid>/task`) before and after.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::child::{ChildProcess, from_parent, to_parent};
use super::error::LabError;
use super::experiment::{Family, Job, Param, Params, Report, Words};
use super::os::{self, Exit, Machine};
use super::picture::{CrashPicture, Picture};

/// The family, as the registry lists it.
pub const FAMILY: Family = Family {
    name: "crash",
    command: "crash",
    about: "Crash isolation: a thread of a child process calls abort, reads a forbidden page \
            (SIGSEGV), overflows its stack, or panics and is caught at join, with a sibling \
            child beside it; which threads died, the exit signal, and that the sibling and \
            ProcLab lived on",
    params: &[Param {
        name: "threads",
        en: "Threads in the crashing process",
        ko: "죽는 프로세스의 스레드",
        range: crate::limits::RACE_THREADS,
        default: 4,
    }],
    texts: &[],
    run,
};

/// How a thread crashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    /// `abort()`: SIGABRT to the whole process.
    Abort,
    /// A read of a page mapped with no access: SIGSEGV.
    InvalidAccess,
    /// Recursion past the end of a small thread stack: the guard page faults, and Rust's
    /// handler says so and aborts.
    StackOverflow,
    /// A Rust panic, caught where the thread is joined.
    CaughtPanic,
}

impl Scenario {
    pub const ALL: [Scenario; 4] = [
        Scenario::Abort,
        Scenario::InvalidAccess,
        Scenario::StackOverflow,
        Scenario::CaughtPanic,
    ];

    /// As a person reads it.
    pub fn words(self) -> Words {
        match self {
            Scenario::Abort => Words::new("a thread calls abort()", "스레드가 abort() 호출"),
            Scenario::InvalidAccess => Words::new(
                "a thread reads a forbidden page",
                "스레드가 접근 금지 페이지를 읽음",
            ),
            Scenario::StackOverflow => {
                Words::new("a thread overflows its stack", "스레드의 스택 오버플로")
            }
            Scenario::CaughtPanic => Words::new(
                "a thread panics, caught at join",
                "스레드 패닉, join에서 잡음",
            ),
        }
    }
}

/// The stack the overflowing thread gets: small, so that the recursion reaches its end fast.
const SMALL_STACK: usize = 64 * 1024;

/// The parent's orders.
#[derive(Debug, Serialize, Deserialize)]
enum ToChild {
    /// Start `threads` threads (the crashing one among them) and report.
    Setup { threads: u32 },
    /// Crash as `scenario`; `None` for the sibling, which only lives on.
    Crash(Scenario),
}

/// What the child tells the parent.
#[derive(Debug, Serialize, Deserialize)]
enum FromChild {
    Started {
        tids: Vec<u32>,
    },
    /// The crash was caught inside the process; it lives on.
    Caught,
}

/// One scenario's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioRow {
    pub scenario: Scenario,
    /// How the crashing process ended: by the crash, or (a caught panic) when ProcLab let
    /// it go afterwards.
    pub exit: Exit,
    /// The crash itself ended the process.
    pub ended_by_crash: bool,
    /// The kernel ids of the threads it started (its main thread aside).
    pub tids: Vec<u32>,
    /// The kernel's count of the process's threads before and after.
    pub threads_before: u32,
    pub threads_after: u32,
    pub threads_lost: u32,
    /// The sibling process was still running, with all its threads, after the crash.
    pub sibling_survived: bool,
    pub sibling_threads: u32,
    /// ProcLab, the parent of both, went on (it wrote this).
    pub app_survived: bool,
    /// What the crashing process wrote to its standard error as it died.
    pub last_words: String,
}

/// The typed result, as `proclab measure crash --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Crash {
    pub machine: Machine,
    pub threads: u32,
    pub scenarios: Vec<ScenarioRow>,
    /// Processes and threads of the demo still alive afterwards: must be 0.
    pub left_running: u32,
}

/// A started child: its handle, its messages, its thread ids.
struct Started {
    child: ChildProcess,
    messages: mpsc::Receiver<FromChild>,
    tids: Vec<u32>,
}

fn start(job: &Job, threads: u32) -> Result<Started, LabError> {
    let failed = LabError::measurement;
    let (sender, messages) = mpsc::channel();
    let mut child = ChildProcess::spawn_capturing(job.worker_exe, "crash-scenario", move |m| {
        let _ = sender.send(m);
    })
    .map_err(failed)?;
    child.send(&ToChild::Setup { threads });
    match messages.recv_timeout(Duration::from_secs(10)) {
        Ok(FromChild::Started { tids }) => Ok(Started {
            child,
            messages,
            tids,
        }),
        _ => Err(LabError::ChildSilent {
            pid: child.pid(),
            seconds: 10,
            program: job.worker_exe.display().to_string(),
        }),
    }
}

/// Waits until the child has ended or has reported that it caught the crash.
fn outcome(started: &mut Started) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Some(status) = started.child.exit_status() {
            return Some(status);
        }
        if let Ok(FromChild::Caught) = started.messages.try_recv() {
            return None;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    None
}

fn run_scenario(
    job: &Job,
    scenario: Scenario,
    threads: u32,
) -> Result<(ScenarioRow, u32), LabError> {
    let failed = LabError::measurement;
    let sibling = start(job, threads)?;
    let mut victim = start(job, threads)?;
    let pid = victim.child.pid();
    let threads_before = os::child_tasks_alive(pid);
    victim.child.send(&ToChild::Crash(scenario));
    let ended = outcome(&mut victim);
    // Read from the kernel either way: once the process is reaped it lists none.
    let threads_after = os::child_tasks_alive(pid);
    let sibling_pid = sibling.child.pid();
    let sibling_threads = os::child_tasks_alive(sibling_pid);
    let mut sibling_child = sibling.child;
    let sibling_survived =
        sibling_child.exit_status().is_none() && sibling_threads == threads_before;
    let (status, last_words) = victim
        .child
        .stop_and_listen(Instant::now() + Duration::from_secs(2))
        .map_err(failed)?;
    sibling_child
        .stop(Instant::now() + Duration::from_secs(2))
        .map_err(failed)?;
    let left = os::child_tasks_alive(pid) + os::child_tasks_alive(sibling_pid);
    let row = ScenarioRow {
        scenario,
        exit: Exit::of(status),
        ended_by_crash: ended.is_some(),
        tids: victim.tids,
        threads_before,
        threads_after,
        threads_lost: threads_before.saturating_sub(threads_after),
        sibling_survived,
        sibling_threads,
        app_survived: true,
        last_words: first_lines(&last_words),
    };
    Ok((row, left))
}

/// What a dying process said, without a backtrace: the lines before `stack backtrace:`.
fn first_lines(said: &str) -> String {
    said.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take_while(|line| !line.starts_with("stack backtrace"))
        .take(4)
        .collect::<Vec<_>>()
        .join("\n")
}

fn run(params: &Params, job: &Job) -> Result<Report, LabError> {
    let threads = params.get("threads");
    let mut scenarios = Vec::new();
    let mut left_running = 0;
    for (done, scenario) in Scenario::ALL.into_iter().enumerate() {
        if job.cancelled() {
            break;
        }
        let (row, left) = run_scenario(job, scenario, threads)?;
        scenarios.push(row);
        left_running += left;
        job.progress(done as u32 + 1, Scenario::ALL.len() as u32);
    }
    if scenarios.is_empty() {
        return Err(LabError::Cancelled);
    }
    let typed = Crash {
        machine: Machine::describe(),
        threads,
        scenarios,
        left_running,
    };
    let report = Report::new(
        FAMILY.name,
        typed.machine.clone(),
        Vec::new(),
        note(),
        &typed,
    )?
    .cancelled(job.cancelled());
    let pictures = typed.scenarios.iter().map(picture_of).collect();
    Ok(report.picture(Picture::Crashes(pictures)).fact(
        "processes and threads left running",
        "남아 있는 프로세스와 스레드",
        left_running,
    ))
}

fn picture_of(row: &ScenarioRow) -> CrashPicture {
    CrashPicture {
        scenario: row.scenario.words(),
        exit: row.exit.short(),
        ended_by_crash: row.ended_by_crash,
        threads_before: row.threads_before,
        threads_after: row.threads_after,
        sibling_threads: row.sibling_threads,
        sibling_survived: row.sibling_survived,
    }
}

fn note() -> Words {
    Words::new(
        "A signal such as SIGSEGV or SIGABRT goes to the thread that caused it, but its default \
         action ends the whole process: the kernel ends every thread of it at once. A stack overflow \
         hits the guard page below the thread's stack; Rust's handler for that fault prints \
         that the stack overflowed and aborts, so it ends as SIGABRT. A Rust panic unwinds only \
         the thread that panicked, and the thread that joins it gets the panic as an error: the \
         process lives on with one thread fewer. The sibling process has its own address space \
         and its own threads, so none of this reaches it. This is why browsers put each site in \
         a process of its own, and why many servers hand jobs to worker processes.",
        "SIGSEGV나 SIGABRT 같은 시그널은 그것을 일으킨 스레드에 전달되지만, 기본 동작은 프로세스 \
         전체를 끝내는 것입니다. 커널은 그 프로세스의 모든 스레드를 한꺼번에 끝냅니다. 스택 오버플로는 스레드 스택 \
         아래의 가드 페이지에 닿습니다. Rust의 처리기는 그 오류를 받아 스택이 넘쳤다고 알리고 \
         abort하므로 SIGABRT로 끝납니다. Rust의 패닉은 패닉한 스레드만 되감고, 그 스레드를 join하는 \
         스레드는 패닉을 오류로 받습니다. 프로세스는 스레드 하나가 줄어든 채 계속 돕니다. 형제 \
         프로세스는 자기만의 주소 공간과 스레드를 가지므로 이 중 어느 것도 닿지 않습니다. 브라우저가 \
         사이트마다 프로세스를 따로 두고, 많은 서버가 일을 작업자 프로세스에 맡기는 까닭입니다.",
    )
}

/// Worker mode `crash-scenario`: start the threads, report, then crash as told (or, as the
/// sibling, live on) until the parent closes our input.
pub fn run_child() -> std::io::Result<()> {
    no_core_dumps()?;
    let mut orders = from_parent::<ToChild>();
    let Some(ToChild::Setup { threads }) = orders.next() else {
        return Err(std::io::Error::other("expected the crash set-up"));
    };
    let (tid_sender, tids) = mpsc::channel();
    // The parked threads live as long as the process: a crash takes them, a normal end
    // leaves them to the exit.
    for index in 1..threads {
        let sender = tid_sender.clone();
        std::thread::Builder::new()
            .name(format!("parked-{index}"))
            .spawn(move || {
                let _ = sender.send(os::current_thread_id());
                loop {
                    std::thread::park();
                }
            })?;
    }
    let (crash_sender, crash_order) = mpsc::channel::<Scenario>();
    let crasher = std::thread::Builder::new()
        .name("crasher".into())
        .stack_size(SMALL_STACK)
        .spawn(move || {
            let _ = tid_sender.send(os::current_thread_id());
            if let Ok(scenario) = crash_order.recv() {
                crash(scenario);
            }
        })?;
    let tids = tids.iter().take(threads as usize).collect();
    to_parent(&FromChild::Started { tids })?;
    for order in orders {
        if let ToChild::Crash(scenario) = order {
            let _ = crash_sender.send(scenario);
            break;
        }
    }
    // The sibling's crasher, never told to crash, ends here.
    drop(crash_sender);
    // Only a caught panic comes back here; the other crashes end the process first.
    if crasher.join().is_err() {
        to_parent(&FromChild::Caught)?;
    }
    // Live on until the parent is done with us.
    for _ in from_parent::<ToChild>() {}
    Ok(())
}

/// A crash on purpose leaves no core file behind (in the user's folder, say).
fn no_core_dumps() -> std::io::Result<()> {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Core);
    limit.current = Some(0);
    setrlimit(Resource::Core, limit)?;
    Ok(())
}

/// Crashes the calling thread as `scenario` says.
fn crash(scenario: Scenario) {
    match scenario {
        Scenario::Abort => std::process::abort(),
        Scenario::InvalidAccess => {
            let _ = super::primitives::read_forbidden_page();
        }
        Scenario::StackOverflow => {
            std::hint::black_box(recurse(0));
        }
        Scenario::CaughtPanic => panic!("the crash demo's thread panics on purpose"),
    }
}

/// Goes one frame deeper for ever (the point: only the stack's end stops it), each frame holding a buffer the compiler must keep.
#[allow(unconditional_recursion)]
fn recurse(depth: u64) -> u64 {
    let frame = std::hint::black_box([depth; 64]);
    recurse(depth + 1) + frame[(depth % 64) as usize]
}
