//! Context-switch cost, measured the way `perf bench sched pipe` measures it: two tasks hand a
//! token back and forth, each blocking until the other answers, so that on one CPU every
//! hand-over is one switch from one task to the other. Two threads of one process against two
//! processes (this one and a child of this program); over a pair of pipes, as perf does, and
//! over a futex word; pinned to one CPU, or left wherever the scheduler puts them.
//!
//! All four pairs are measured in the same run, batch after batch in turn, after warm-up
//! batches, so that every comparison meets the same machine state. The kernel's own count of
//! the measuring thread's switches is read around every batch, so that the figure can be
//! checked to be per switch.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rustix::thread::futex;
use serde::{Deserialize, Serialize};

use super::child::{RawChild, setup_line, to_parent};
use super::error::LabError;
use super::experiment::{
    Family, Figure, Job, Param, Params, Report, Unit, Words, on_own_thread, pinned_cpu,
};
use super::os::{self, Machine};
use super::shared_memory::SharedRegion;
use super::stats::Summary;

/// Round trips in one batch; a batch gives one sample.
pub const ROUND_TRIPS: u32 = 1000;

/// Batches of every pair run and thrown away first.
pub const WARM_UP: u32 = 3;

/// The worker-mode role of the process pair's child half.
pub const CHILD_ROLE: &str = "ping-pong";

/// Whether the two sides share one CPU, as every family that can pin takes it.
pub const PIN: Param = Param {
    name: "pin",
    en: "Pin both sides to one CPU",
    ko: "양쪽을 한 CPU에 고정",
    range: 0..=1,
    default: 0,
};

/// The family, as the registry lists it.
pub const FAMILY: Family = Family {
    name: "ctx-switch",
    command: "ctx-switch",
    about: "Context-switch cost: a token passed back and forth between two threads and \
            between two processes, over pipes (as perf bench sched pipe) and over a futex, \
            in ns per switch; --pin puts both sides on one CPU",
    params: &[
        Param {
            name: "samples",
            en: "Batches of 1000 round trips",
            ko: "1000회 왕복 묶음 수",
            range: crate::limits::SAMPLES,
            default: 30,
        },
        PIN,
    ],
    texts: &[],
    run,
};

/// How a side wakes the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Wakeup {
    /// Writes four bytes into a pipe the other side is blocked reading.
    Pipe,
    /// Changes a shared word and wakes the futex the other side sleeps on.
    Futex,
}

/// Where the other side runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pair {
    Threads,
    Processes,
}

/// The typed result, as `proclab measure ctx-switch --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CtxSwitch {
    pub machine: Machine,
    /// Both sides were pinned to one CPU.
    pub pinned: bool,
    /// The CPU they shared, when pinned.
    pub cpu: Option<usize>,
    pub round_trips_per_sample: u32,
    /// Two threads over pipes: half a round trip, in nanoseconds (perf bench sched pipe -T).
    pub thread_switch_ns: Summary,
    /// Two processes over pipes (perf bench sched pipe).
    pub process_switch_ns: Summary,
    /// The same pairs woken through a futex word instead of a pipe.
    pub futex: FutexFigures,
    /// Switches the kernel counted for the measuring thread per round trip, per pair (one
    /// when every hand-over blocked it).
    pub kernel_switches_per_round_trip: Vec<PairSwitches>,
}

/// The futex variant's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FutexFigures {
    pub thread_switch_ns: Summary,
    pub process_switch_ns: Summary,
}

/// The kernel's count for one pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairSwitches {
    pub pair: Pair,
    pub wakeup: Wakeup,
    pub switches: f64,
}

/// The set-up line a child half reads first.
#[derive(Debug, Serialize, Deserialize)]
struct Setup {
    wakeup: Wakeup,
    cpu: Option<usize>,
    /// The shared file holding the futex word.
    file: Option<PathBuf>,
}

/// The child's answer once it is in place.
#[derive(Debug, Serialize, Deserialize)]
struct Ready {
    pid: u32,
}

/// The four pairs, in the order they are measured and reported.
const PAIRS: [(Pair, Wakeup); 4] = [
    (Pair::Threads, Wakeup::Pipe),
    (Pair::Processes, Wakeup::Pipe),
    (Pair::Threads, Wakeup::Futex),
    (Pair::Processes, Wakeup::Futex),
];

/// The parent's half; the measuring runs on a thread of its own so that pinning it leaves
/// the caller's thread where it was.
fn run(params: &Params, job: &Job) -> Result<Report, LabError> {
    let samples = params.get("samples");
    let cpu = pinned_cpu(params.get("pin") == 1)?;
    let taken = on_own_thread(|| measure(samples, cpu, job))?;
    report(taken, cpu, job.cancelled())
}

/// Samples of every pair: nanoseconds per switch, and the kernel's switches per round trip.
#[derive(Default)]
struct Taken {
    ns: [Vec<f64>; 4],
    switches: [Vec<f64>; 4],
}

fn measure(samples: u32, cpu: Option<usize>, job: &Job) -> io::Result<Taken> {
    if let Some(cpu) = cpu {
        os::pin_current_thread(cpu)?;
    }
    let mut partners = PAIRS
        .iter()
        .map(|&(pair, wakeup)| Partner::start(pair, wakeup, cpu, job))
        .collect::<io::Result<Vec<_>>>()?;
    let mut taken = Taken::default();
    let total = WARM_UP + samples;
    for batch in 0..total {
        if job.cancelled() {
            break;
        }
        for (slot, partner) in partners.iter_mut().enumerate() {
            let before = os::own_context_switches();
            let took = partner.round_trips(ROUND_TRIPS)?;
            let after = os::own_context_switches();
            if batch >= WARM_UP {
                let per_switch = took.as_nanos() as f64 / f64::from(2 * ROUND_TRIPS);
                taken.ns[slot].push(per_switch);
                if let (Some(before), Some(after)) = (before, after) {
                    let counted = after.saturating_sub(before) as f64;
                    taken.switches[slot].push(counted / f64::from(ROUND_TRIPS));
                }
            }
        }
        job.progress(batch + 1, total);
    }
    Ok(taken)
}

fn report(taken: Taken, cpu: Option<usize>, cancelled: bool) -> Result<Report, LabError> {
    let summary = |slot: usize| Summary::of(&taken.ns[slot]).ok_or(LabError::Cancelled);
    let typed = CtxSwitch {
        machine: Machine::describe(),
        pinned: cpu.is_some(),
        cpu,
        round_trips_per_sample: ROUND_TRIPS,
        thread_switch_ns: summary(0)?,
        process_switch_ns: summary(1)?,
        futex: FutexFigures {
            thread_switch_ns: summary(2)?,
            process_switch_ns: summary(3)?,
        },
        kernel_switches_per_round_trip: PAIRS
            .iter()
            .zip(&taken.switches)
            .filter_map(|(&(pair, wakeup), counted)| {
                let switches = Summary::of(counted)?.median;
                Some(PairSwitches {
                    pair,
                    wakeup,
                    switches,
                })
            })
            .collect(),
    };
    let figures = PAIRS
        .iter()
        .zip(taken.ns)
        .filter_map(|(&pair, samples)| {
            let name = pair_label(pair);
            let label = Words::new(
                format!("{}: per switch", name.en),
                format!("{}: 전환 1회", name.ko),
            );
            Figure::of(label, Unit::Nanoseconds, samples)
        })
        .collect();
    let mut report = Report::new(
        FAMILY.name,
        typed.machine.clone(),
        figures,
        Words::new(NOTE_EN, NOTE_KO),
        &typed,
    )?
    .cancelled(cancelled);
    report = match cpu {
        Some(cpu) => report.fact("Both sides pinned to CPU", "양쪽을 고정한 CPU", cpu),
        None => report.fact("Pinned", "CPU 고정", "no / 아니오"),
    };
    for counted in &typed.kernel_switches_per_round_trip {
        let label = pair_label((counted.pair, counted.wakeup));
        report = report.fact(
            &format!("{}: kernel-counted switches per round trip", label.en),
            &format!("{}: 왕복당 커널이 센 전환 수", label.ko),
            format!("{:.2}", counted.switches),
        );
    }
    Ok(report)
}

fn pair_label(pair: (Pair, Wakeup)) -> Words {
    let (en, ko) = match pair {
        (Pair::Threads, Wakeup::Pipe) => ("threads, pipe", "스레드, 파이프"),
        (Pair::Processes, Wakeup::Pipe) => ("processes, pipe", "프로세스, 파이프"),
        (Pair::Threads, Wakeup::Futex) => ("threads, futex", "스레드, futex"),
        (Pair::Processes, Wakeup::Futex) => ("processes, futex", "프로세스, futex"),
    };
    Words::new(en, ko)
}

const NOTE_EN: &str = "Each sample is 1000 round trips of a 4-byte token between two tasks, \
    after 3 warm-up batches; one round trip is two hand-overs, so the figure is half a round \
    trip. It includes the system calls, the wake-up and the scheduler, not the switch alone. \
    Pinned, both tasks share one CPU and every hand-over is a real switch: between processes \
    the kernel also loads the other page table (CR3), which without PCID flushes this CPU's \
    non-global TLB entries; between threads of one process it does not. Not pinned, the \
    scheduler places the two tasks anew from batch to batch: sharing a CPU, a batch costs \
    what a pinned one does; on two CPUs it is the time to wake a task on another CPU (an \
    interrupt between CPUs, often out of an idle state), not a switch, so the plot may show \
    two groups. Compare with perf bench sched pipe (processes) \
    and perf bench sched pipe -T (threads) under the same pinning: their usecs/op is one round \
    trip, twice our figure. The kernel-counted switches show how often the measuring thread \
    really gave up its CPU per round trip.";

const NOTE_KO: &str = "표본 하나는 두 작업이 4바이트 토큰을 1000번 주고받은 왕복이며, 먼저 \
    워밍업 3묶음을 버렸습니다. 왕복 한 번은 넘겨주기 두 번이므로 수치는 왕복의 절반입니다. \
    시스템 호출, 깨우기, 스케줄러가 모두 들어 있으며 전환만의 시간은 아닙니다. 고정하면 두 \
    작업이 한 CPU를 나눠 쓰므로 넘겨줄 때마다 실제 전환이 일어납니다. 프로세스 사이에서는 \
    커널이 상대의 페이지 테이블(CR3)도 적재하고, PCID가 없으면 이 CPU의 전역이 아닌 TLB \
    항목을 비웁니다. 한 프로세스의 스레드 사이에서는 그러지 않습니다. 고정하지 않으면 \
    스케줄러가 묶음마다 두 작업의 자리를 새로 정합니다. 한 CPU를 나눠 쓰면 고정했을 때와 \
    같은 값이 나오고, 두 CPU에 나뉘면 수치는 전환이 아니라 다른 CPU의 작업을 깨우는 시간(CPU \
    사이의 인터럽트, 흔히 유휴 상태에서 깨어남)이 되므로 그래프에 두 무리가 보일 수 있습니다. 같은 고정 조건에서 perf bench sched pipe(프로세스), perf \
    bench sched pipe -T(스레드)와 비교해 보세요. perf의 usecs/op는 왕복 한 번이라 이 수치의 \
    두 배입니다. 커널이 센 전환 수는 측정하는 스레드가 왕복마다 실제로 CPU를 내준 횟수입니다.";

/// The other side of one pair, waiting for the token.
enum Partner {
    Thread {
        /// Ours to write; `None` once closed, which is the server's end of input.
        to: Option<io::PipeWriter>,
        from: io::PipeReader,
        server: Option<JoinHandle<io::Result<()>>>,
    },
    FutexThread {
        turn: Arc<AtomicU32>,
        server: Option<JoinHandle<()>>,
    },
    Process(RawChild),
    FutexProcess {
        /// Kept for its life: dropped, it is killed and reaped.
        _child: RawChild,
        region: SharedRegion,
        _file: tempfile::NamedTempFile,
    },
}

impl Partner {
    fn start(pair: Pair, wakeup: Wakeup, cpu: Option<usize>, job: &Job) -> io::Result<Self> {
        match (pair, wakeup) {
            (Pair::Threads, Wakeup::Pipe) => Self::thread(cpu),
            (Pair::Threads, Wakeup::Futex) => Self::futex_thread(cpu),
            (Pair::Processes, Wakeup::Pipe) => {
                let mut child = RawChild::spawn(job.worker_exe, CHILD_ROLE)?;
                child.send(&Setup {
                    wakeup,
                    cpu,
                    file: None,
                })?;
                child.receive::<Ready>()?;
                Ok(Self::Process(child))
            }
            (Pair::Processes, Wakeup::Futex) => Self::futex_process(cpu, job),
        }
    }

    fn thread(cpu: Option<usize>) -> io::Result<Self> {
        let (mut their_from, to) = io::pipe()?;
        let (from, mut their_to) = io::pipe()?;
        let server = std::thread::Builder::new()
            .name("ping-pong".into())
            .spawn(move || {
                pin(cpu)?;
                serve_pipe(&mut their_from, &mut their_to)
            })?;
        Ok(Self::Thread {
            to: Some(to),
            from,
            server: Some(server),
        })
    }

    fn futex_thread(cpu: Option<usize>) -> io::Result<Self> {
        let turn = Arc::new(AtomicU32::new(MINE));
        let theirs = Arc::clone(&turn);
        let server = std::thread::Builder::new()
            .name("ping-pong-futex".into())
            .spawn(move || {
                let _ = pin(cpu);
                serve_futex(&theirs, futex::Flags::PRIVATE);
            })?;
        Ok(Self::FutexThread {
            turn,
            server: Some(server),
        })
    }

    fn futex_process(cpu: Option<usize>, job: &Job) -> io::Result<Self> {
        let file = tempfile::NamedTempFile::new()?;
        let region = SharedRegion::create(file.as_file(), 0)?;
        let mut child = RawChild::spawn(job.worker_exe, CHILD_ROLE)?;
        child.send(&Setup {
            wakeup: Wakeup::Futex,
            cpu,
            file: Some(file.path().to_owned()),
        })?;
        child.receive::<Ready>()?;
        Ok(Self::FutexProcess {
            _child: child,
            region,
            _file: file,
        })
    }

    /// Passes the token over and waits for it back, `count` times; the time it all took.
    fn round_trips(&mut self, count: u32) -> io::Result<Duration> {
        let start = Instant::now();
        match self {
            Self::Thread {
                to: Some(to), from, ..
            } => ping_pipe(to, from, count)?,
            Self::Thread { to: None, .. } => return Err(io::ErrorKind::BrokenPipe.into()),
            Self::Process(child) => ping_pipe(&mut child.input, &mut child.output, count)?,
            Self::FutexThread { turn, .. } => ping_futex(turn, futex::Flags::PRIVATE, count),
            Self::FutexProcess { region, .. } => {
                ping_futex(region.word(0), futex::Flags::empty(), count)
            }
        }
        Ok(start.elapsed())
    }
}

impl Drop for Partner {
    /// Tells the other side to finish and waits for a thread to end; a child is killed and
    /// reaped by its own handle.
    fn drop(&mut self) {
        match self {
            Self::Thread { to, server, .. } => {
                to.take();
                if let Some(server) = server.take() {
                    let _ = server.join();
                }
            }
            Self::FutexThread { turn, server } => {
                stop_futex(turn, futex::Flags::PRIVATE);
                if let Some(server) = server.take() {
                    let _ = server.join();
                }
            }
            Self::FutexProcess { region, .. } => stop_futex(region.word(0), futex::Flags::empty()),
            Self::Process(_) => {}
        }
    }
}

fn pin(cpu: Option<usize>) -> io::Result<()> {
    cpu.map_or(Ok(()), os::pin_current_thread)
}

/// The token is with the measuring side.
const MINE: u32 = 0;
/// The token is with the other side.
const THEIRS: u32 = 1;
/// The other side is to finish.
const STOP: u32 = 2;

fn ping_pipe(to: &mut impl Write, from: &mut impl Read, count: u32) -> io::Result<()> {
    let mut token = [0u8; 4];
    for round in 0..count {
        to.write_all(&round.to_ne_bytes())?;
        to.flush()?;
        from.read_exact(&mut token)?;
    }
    Ok(())
}

/// The other side over pipes: every token read is written straight back, until the input
/// ends.
fn serve_pipe(from: &mut impl Read, to: &mut impl Write) -> io::Result<()> {
    let mut token = [0u8; 4];
    loop {
        match from.read_exact(&mut token) {
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            other => other?,
        }
        to.write_all(&token)?;
        to.flush()?;
    }
}

fn ping_futex(turn: &AtomicU32, flags: futex::Flags, count: u32) {
    for _ in 0..count {
        turn.store(THEIRS, Ordering::SeqCst);
        let _ = futex::wake(turn, flags, 1);
        while turn.load(Ordering::SeqCst) == THEIRS {
            // Returns at once if the word already changed; a spurious return just loops.
            let _ = futex::wait(turn, flags, THEIRS, None);
        }
    }
}

/// The other side over a futex: every time the token arrives it is handed straight back,
/// until told to stop.
fn serve_futex(turn: &AtomicU32, flags: futex::Flags) {
    loop {
        match turn.load(Ordering::SeqCst) {
            STOP => return,
            THEIRS => {
                turn.store(MINE, Ordering::SeqCst);
                let _ = futex::wake(turn, flags, 1);
            }
            _ => {
                let _ = futex::wait(turn, flags, MINE, None);
            }
        }
    }
}

fn stop_futex(turn: &AtomicU32, flags: futex::Flags) {
    turn.store(STOP, Ordering::SeqCst);
    let _ = futex::wake(turn, flags, 1);
}

/// The child's half: read the set-up line, pin, say ready, then hand every token back.
pub fn run_child() -> io::Result<()> {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let (setup, _): (Setup, _) = setup_line(&mut input)?;
    pin(setup.cpu)?;
    let ready = Ready {
        pid: std::process::id(),
    };
    match (setup.wakeup, setup.file) {
        (Wakeup::Pipe, _) => {
            to_parent(&ready)?;
            serve_pipe(&mut input, &mut io::stdout().lock())
        }
        (Wakeup::Futex, Some(file)) => {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(file)?;
            let region = SharedRegion::open(&file)?;
            to_parent(&ready)?;
            serve_futex(region.word(0), futex::Flags::empty());
            Ok(())
        }
        (Wakeup::Futex, None) => Err(io::Error::other("a futex pair needs its shared file")),
    }
}
