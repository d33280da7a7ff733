//! IPC between two real processes, each method measured the same way: the round trip of a
//! small message (latency) and the rate at which messages of 64 B to 1 MiB stream across
//! (throughput), every byte checked on arrival. The methods: a pipe (named, so that a child
//! can open it), POSIX message queues, shared memory (a ring in a mapping of /dev/shm, woken
//! through a futex), a Unix domain socket, TCP over loopback, and the same ring in a mapped
//! regular file.
//!
//! The parent's half is here; the child is this program in its `ipc-peer` worker role, which
//! opens its end of the method it is told, then follows the same plan: echo each small
//! message back, then drain each stream, checking every byte, and say how many were wrong.

mod channel;
mod endpoint;

use std::io;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::child::to_parent;
use super::ctx_switch::PIN;
use super::error::LabError;
use super::experiment::{
    Curve, CurvePoint, Family, Figure, Job, Param, Params, Report, Unit, Words, on_own_thread,
    pinned_cpu,
};
use super::os::{self, Machine};
use super::stats::Summary;
use channel::{Channel, receive_vec};
use endpoint::{Endpoint, Opened};

/// The worker-mode role of the child half.
pub const CHILD_ROLE: &str = "ipc-peer";

/// Bytes in the message whose round trip is the latency.
pub const LATENCY_BYTES: usize = 64;

/// Message sizes the throughput is measured at: 64 B to 1 MiB, eight times apart.
pub const MESSAGE_SIZES: [usize; 6] = [64, 512, 4096, 32_768, 262_144, 1_048_576];

/// Round trips run and thrown away before the measured ones.
const WARM_UP: u32 = 50;

/// Times each message size is streamed; each gives one throughput sample.
const THROUGHPUT_REPEATS: u32 = 5;

/// Bytes streamed per throughput sample, at most (and at least 16 messages).
const STREAM_BYTES: usize = 8 << 20;

/// The family, as the registry lists it.
pub const FAMILY: Family = Family {
    name: "ipc",
    command: "ipc",
    about: "IPC between two processes: pipe, POSIX message queue, shared memory, Unix \
            socket, TCP loopback and a mapped file; round-trip latency of 64 B and \
            throughput from 64 B to 1 MiB, every payload checked",
    params: &[
        Param {
            name: "samples",
            en: "Round trips per method",
            ko: "방법당 왕복 횟수",
            range: crate::limits::SAMPLES,
            default: 300,
        },
        PIN,
    ],
    texts: &[],
    run,
};

/// An IPC method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    Pipe,
    MessageQueue,
    SharedMemory,
    UnixSocket,
    Tcp,
    MappedFile,
}

impl Method {
    pub const ALL: [Method; 6] = [
        Method::Pipe,
        Method::MessageQueue,
        Method::SharedMemory,
        Method::UnixSocket,
        Method::Tcp,
        Method::MappedFile,
    ];

    /// What it is called, in English and Korean.
    pub fn words(self) -> Words {
        let (en, ko) = match self {
            Method::Pipe => ("pipe", "파이프"),
            Method::MessageQueue => ("POSIX message queue", "POSIX 메시지 큐"),
            Method::SharedMemory => ("shared memory + futex", "공유 메모리 + futex"),
            Method::UnixSocket => ("Unix domain socket", "유닉스 도메인 소켓"),
            Method::Tcp => ("TCP over loopback", "루프백 TCP"),
            Method::MappedFile => ("mapped file + futex", "매핑한 파일 + futex"),
        };
        Words::new(en, ko)
    }

    /// The copies a byte goes through on its way, in English and Korean.
    pub fn copies(self) -> Words {
        let (en, ko) = match self {
            Method::Pipe | Method::UnixSocket => (
                "2 copies: sender → kernel buffer → receiver",
                "복사 2번: 보내는 쪽 → 커널 버퍼 → 받는 쪽",
            ),
            Method::MessageQueue => (
                "2 copies, through the kernel, in messages of at most the queue's size",
                "복사 2번, 커널을 거치며 큐 크기 이하의 메시지로 나뉨",
            ),
            Method::Tcp => (
                "2 copies through the kernel, plus the TCP/IP stack on loopback",
                "커널을 거치는 복사 2번, 그리고 루프백의 TCP/IP 처리",
            ),
            Method::SharedMemory | Method::MappedFile => (
                "1 copy: sender → shared pages, read in place; the kernel only wakes",
                "복사 1번: 보내는 쪽 → 공유 페이지, 받는 쪽은 그 자리에서 읽음; 커널은 깨우기만",
            ),
        };
        Words::new(en, ko)
    }
}

/// The typed result, as `proclab measure ipc --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ipc {
    pub machine: Machine,
    pub pinned: bool,
    pub cpu: Option<usize>,
    pub latency_bytes: usize,
    pub methods: Vec<MethodFigures>,
    /// Methods from the shortest round trip to the longest.
    pub by_latency: Vec<Method>,
    /// Methods from the highest throughput at 1 MiB to the lowest.
    pub by_throughput: Vec<Method>,
}

/// One method's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodFigures {
    pub method: Method,
    /// Round trip of a [`LATENCY_BYTES`] message, in nanoseconds.
    pub latency_ns: Summary,
    pub pinned: bool,
    pub throughput_mb_s: Vec<SizeThroughput>,
    /// Every byte arrived as sent, both ways.
    pub intact: bool,
    pub copies: String,
}

/// Throughput at one message size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizeThroughput {
    pub bytes: usize,
    pub mb_s: Summary,
}

/// What the child does, in order, in step with the parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Phase {
    /// Receive a message of `size` bytes and send it straight back, `count` times.
    Echo { size: usize, count: u32 },
    /// Receive `count` messages of `size` bytes, checking each byte, then send the number of
    /// wrong bytes as eight bytes.
    Drain { size: usize, count: u32 },
}

/// The child's set-up line.
#[derive(Debug, Serialize, Deserialize)]
struct Setup {
    endpoint: Endpoint,
    cpu: Option<usize>,
    plan: Vec<Phase>,
}

/// The child's lines: in place, and done with how many bytes arrived wrong.
#[derive(Debug, Serialize, Deserialize)]
enum FromPeer {
    Ready,
    Done { wrong_bytes: u64 },
}

/// The byte at position `at` of a test stream: a pattern that a lost, doubled or shifted
/// piece breaks.
pub fn pattern_byte(at: usize) -> u8 {
    (at % PERIOD) as u8
}

/// The pattern's period: a prime, so that no message size lines up with it.
const PERIOD: usize = 251;

/// The test stream, long enough that any message or piece of one is a slice of it.
pub struct Pattern(Vec<u8>);

impl Pattern {
    pub fn new() -> Self {
        Self(
            (0..MESSAGE_SIZES[MESSAGE_SIZES.len() - 1] + PERIOD)
                .map(pattern_byte)
                .collect(),
        )
    }

    /// The `len` bytes of the stream at position `at`.
    pub fn at(&self, at: usize, len: usize) -> &[u8] {
        let start = at % PERIOD;
        &self.0[start..start + len]
    }

    /// How many bytes of `piece`, found at stream position `at`, differ from the pattern.
    /// Compared as a block first, so that checking does not slow the stream it checks.
    pub fn wrong_bytes(&self, piece: &[u8], at: usize) -> u64 {
        let expected = self.at(at, piece.len());
        if piece == expected {
            return 0;
        }
        piece.iter().zip(expected).filter(|(a, b)| a != b).count() as u64
    }
}

impl Default for Pattern {
    fn default() -> Self {
        Self::new()
    }
}

/// Messages of `size` bytes streamed per throughput sample.
fn stream_count(size: usize) -> u32 {
    (STREAM_BYTES / size).clamp(16, 4096) as u32
}

/// The plan both halves follow for `samples` round trips.
fn plan(samples: u32) -> Vec<Phase> {
    let mut phases = vec![Phase::Echo {
        size: LATENCY_BYTES,
        count: WARM_UP + samples,
    }];
    for size in MESSAGE_SIZES {
        for _ in 0..THROUGHPUT_REPEATS {
            phases.push(Phase::Drain {
                size,
                count: stream_count(size),
            });
        }
    }
    phases
}

fn run(params: &Params, job: &Job) -> Result<Report, LabError> {
    let cpu = pinned_cpu(params.get("pin") == 1)?;
    let plan = plan(params.get("samples"));
    let methods = on_own_thread(|| measure_all(&plan, cpu, job))?;
    report(methods, cpu, job.cancelled())
}

/// One method's figures, and its round trips one by one for the plot.
pub struct Measured {
    pub figures: MethodFigures,
    pub round_trips_ns: Vec<f64>,
}

fn measure_all(plan: &[Phase], cpu: Option<usize>, job: &Job) -> io::Result<Vec<Measured>> {
    if let Some(cpu) = cpu {
        os::pin_current_thread(cpu)?;
    }
    let total = Method::ALL.len() as u32;
    let mut results = Vec::new();
    for (done, method) in Method::ALL.into_iter().enumerate() {
        if job.cancelled() {
            break;
        }
        results.push(measure_method(method, plan, cpu, job)?);
        job.progress(done as u32 + 1, total);
    }
    Ok(results)
}

/// Starts the child with its end of `method`, runs the plan, and checks what came back.
pub fn measure_method(
    method: Method,
    plan: &[Phase],
    cpu: Option<usize>,
    job: &Job,
) -> io::Result<Measured> {
    let Opened {
        mut channel,
        mut child,
        _keep,
    } = endpoint::open(method, job.worker_exe, |endpoint| Setup {
        endpoint,
        cpu,
        plan: plan.to_vec(),
    })?;
    let source = Pattern::new();
    let mut latency = Vec::new();
    let mut rates: Vec<(usize, Vec<f64>)> = Vec::new();
    let mut wrong = 0;
    for phase in plan {
        match *phase {
            Phase::Echo { size, count } => {
                for round in 0..count {
                    let (took, bad) = round_trip(&mut *channel, &source, size, round)?;
                    wrong += bad;
                    if round >= WARM_UP {
                        latency.push(took.as_nanos() as f64);
                    }
                }
            }
            Phase::Drain { size, count } => {
                let (rate, bad) = stream(&mut *channel, &source, size, count)?;
                wrong += bad;
                match rates.iter_mut().find(|(bytes, _)| *bytes == size) {
                    Some((_, samples)) => samples.push(rate),
                    None => rates.push((size, vec![rate])),
                }
            }
        }
    }
    let FromPeer::Done { wrong_bytes } = child.receive::<FromPeer>()? else {
        return Err(io::Error::other("the IPC child answered out of turn"));
    };
    let no_samples = || io::Error::other("a phase took no samples");
    let figures = MethodFigures {
        method,
        latency_ns: Summary::of(&latency).ok_or_else(no_samples)?,
        pinned: cpu.is_some(),
        throughput_mb_s: rates
            .into_iter()
            .map(|(bytes, samples)| {
                let mb_s = Summary::of(&samples).ok_or_else(no_samples)?;
                Ok(SizeThroughput { bytes, mb_s })
            })
            .collect::<io::Result<_>>()?,
        intact: wrong + wrong_bytes == 0,
        copies: method.copies().en,
    };
    Ok(Measured {
        figures,
        round_trips_ns: latency,
    })
}

/// Sends message `round` and waits for it to come back; the time it took and how many bytes
/// came back wrong.
fn round_trip(
    channel: &mut dyn Channel,
    source: &Pattern,
    size: usize,
    round: u32,
) -> io::Result<(Duration, u64)> {
    let sent = source.at(round as usize * size, size);
    let start = Instant::now();
    channel.send(sent)?;
    let echoed = receive_vec(channel, size)?;
    let took = start.elapsed();
    Ok((took, source.wrong_bytes(&echoed, round as usize * size)))
}

/// Streams `count` messages of `size` bytes and waits for the receiver's count of wrong
/// bytes; the rate in MB/s (10^6 bytes per second) and that count.
fn stream(
    channel: &mut dyn Channel,
    source: &Pattern,
    size: usize,
    count: u32,
) -> io::Result<(f64, u64)> {
    let start = Instant::now();
    for i in 0..count as usize {
        channel.send(source.at(i * size, size))?;
    }
    let answer = receive_vec(channel, 8)?;
    let took = start.elapsed().as_secs_f64();
    let wrong = u64::from_le_bytes(answer.try_into().unwrap_or([0xff; 8]));
    let bytes = size as f64 * f64::from(count);
    Ok((bytes / took.max(1e-9) / 1e6, wrong))
}

fn report(
    measured: Vec<Measured>,
    cpu: Option<usize>,
    cancelled: bool,
) -> Result<Report, LabError> {
    if measured.is_empty() {
        return Err(LabError::Cancelled);
    }
    let figures = measured
        .iter()
        .filter_map(|m| {
            let name = m.figures.method.words();
            let label = Words::new(
                format!("{}: round trip of 64 B", name.en),
                format!("{}: 64 B 왕복", name.ko),
            );
            Figure::of(label, Unit::Nanoseconds, m.round_trips_ns.clone())
        })
        .collect();
    let methods: Vec<MethodFigures> = measured.into_iter().map(|m| m.figures).collect();
    let mut by_latency: Vec<&MethodFigures> = methods.iter().collect();
    by_latency.sort_by(|a, b| a.latency_ns.median.total_cmp(&b.latency_ns.median));
    let largest = |m: &MethodFigures| m.throughput_mb_s.last().map_or(0.0, |t| t.mb_s.median);
    let mut by_throughput: Vec<&MethodFigures> = methods.iter().collect();
    by_throughput.sort_by(|a, b| largest(b).total_cmp(&largest(a)));
    let typed = Ipc {
        machine: Machine::describe(),
        pinned: cpu.is_some(),
        cpu,
        latency_bytes: LATENCY_BYTES,
        by_latency: by_latency.iter().map(|m| m.method).collect(),
        by_throughput: by_throughput.iter().map(|m| m.method).collect(),
        methods: methods.clone(),
    };
    let mut report = Report::new(
        FAMILY.name,
        typed.machine.clone(),
        figures,
        Words::new(NOTE_EN, NOTE_KO),
        &typed,
    )?
    .cancelled(cancelled);
    for m in &methods {
        report = report.curve(Curve {
            label: m.method.words(),
            x_label: Words::new("message size (bytes)", "메시지 크기 (바이트)"),
            x_log2: true,
            unit: Unit::MegabytesPerSecond,
            points: m
                .throughput_mb_s
                .iter()
                .map(|t| CurvePoint {
                    x: t.bytes as f64,
                    summary: t.mb_s,
                })
                .collect(),
        });
    }
    let ranking = |order: &[&MethodFigures], lang: fn(Words) -> String| {
        order
            .iter()
            .map(|m| lang(m.method.words()))
            .collect::<Vec<_>>()
            .join(" < ")
    };
    report = report
        .fact(
            "Shortest round trip first (this run)",
            "왕복이 짧은 순서 (이번 측정)",
            format!(
                "{} / {}",
                ranking(&by_latency, |w| w.en),
                ranking(&by_latency, |w| w.ko)
            ),
        )
        .fact(
            "Highest throughput at 1 MiB first (this run)",
            "1 MiB 처리량이 높은 순서 (이번 측정)",
            format!(
                "{} / {}",
                ranking(&by_throughput, |w| w.en).replace(" < ", " > "),
                ranking(&by_throughput, |w| w.ko).replace(" < ", " > ")
            ),
        );
    for m in &methods {
        let name = m.method.words();
        let copies = m.method.copies();
        let intact = if m.intact {
            "intact / 온전함"
        } else {
            "DAMAGED / 손상됨"
        };
        report = report.fact(
            &format!("{}: copies; payload", name.en),
            &format!("{}: 복사; 내용", name.ko),
            format!("{} / {}; {intact}", copies.en, copies.ko),
        );
    }
    Ok(report)
}

const NOTE_EN: &str = "Two real processes: ProcLab and a child of its own, connected anew for \
    each method. Latency is the round trip of a 64-byte message (sent, echoed, received), \
    after 50 warm-up round trips. Throughput streams messages of each size (up to 8 MiB per \
    sample, 5 samples per size) and counts every byte on arrival against a known pattern; \
    the echo is compared byte by byte too. Pipes, sockets and message queues copy each byte \
    into the kernel and out again; the shared ring copies it once into pages both processes \
    map, and the kernel only wakes the other side (a futex) when it sleeps. The mapped file is \
    the same ring in a regular file instead of /dev/shm: the same pages in memory, which the \
    kernel may also write back to disk. The textbook ranking (shared memory > pipe ~ message \
    queue > socket) is about large transfers; for small messages the wake-up, not the copy, \
    decides, and the ranking can change: the facts say which order this run supports.";

const NOTE_KO: &str = "실제 프로세스 둘, 즉 ProcLab과 그 자식 프로세스를 방법마다 새로 \
    연결해 쟀습니다. 지연 시간은 64바이트 메시지의 왕복(보내고, 되돌려 받고, 받기)이며, 먼저 \
    워밍업 왕복 50번을 버렸습니다. 처리량은 크기마다 메시지를 연달아 보내(표본당 최대 8 MiB, \
    크기마다 표본 5개) 받는 쪽이 모든 바이트를 알려진 무늬와 비교합니다. 되돌아온 메시지도 \
    바이트마다 비교합니다. 파이프, 소켓, 메시지 큐는 바이트마다 커널로 복사했다가 다시 \
    꺼내고, 공유 링은 두 프로세스가 함께 매핑한 페이지로 한 번만 복사하며 커널은 상대가 잠들어 \
    있을 때만 깨웁니다(futex). 매핑한 파일은 같은 링을 /dev/shm 대신 일반 파일에 둔 것으로, \
    메모리의 페이지는 같지만 커널이 디스크에 기록할 수도 있습니다. 교과서의 순위(공유 메모리 \
    > 파이프 ~ 메시지 큐 > 소켓)는 큰 전송에 관한 것입니다. 작은 메시지에서는 복사보다 깨우기가 \
    시간을 정하므로 순위가 바뀔 수 있습니다. 이번 측정이 어느 순서를 뒷받침하는지는 사실 \
    항목에 있습니다.";

/// The child's half: open its end, pin, say ready, follow the plan, say how it went.
pub fn run_child() -> io::Result<()> {
    let setup: Setup = super::child::from_parent()
        .next()
        .ok_or_else(|| io::Error::other("expected the IPC set-up"))?;
    if let Some(cpu) = setup.cpu {
        os::pin_current_thread(cpu)?;
    }
    let mut channel = endpoint::connect(&setup.endpoint)?;
    to_parent(&FromPeer::Ready)?;
    let pattern = Pattern::new();
    let mut wrong = 0;
    for phase in &setup.plan {
        wrong += follow(&mut *channel, phase, &pattern)?;
    }
    to_parent(&FromPeer::Done { wrong_bytes: wrong })
}

/// The child's part of one phase; the wrong bytes it saw.
fn follow(channel: &mut dyn Channel, phase: &Phase, pattern: &Pattern) -> io::Result<u64> {
    match *phase {
        Phase::Echo { size, count } => {
            let mut wrong = 0;
            for round in 0..count as usize {
                let message = receive_vec(channel, size)?;
                wrong += pattern.wrong_bytes(&message, round * size);
                channel.send(&message)?;
            }
            Ok(wrong)
        }
        Phase::Drain { size, count } => {
            let mut at = 0;
            let mut wrong = 0;
            for _ in 0..count {
                channel.receive(size, &mut |piece| {
                    wrong += pattern.wrong_bytes(piece, at);
                    at += piece.len();
                })?;
            }
            channel.send(&wrong.to_le_bytes())?;
            Ok(wrong)
        }
    }
}
