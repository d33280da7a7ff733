//! Where the TLB claim holds: a ring of 2 to 32 members on one CPU passes a one-byte token,
//! and every member touches its own working set (a number of pages) before passing it on.
//! Members are threads of one process, or processes (ProcLab and children of its own), so the
//! two rings differ only in whether each hop changes address space. Cost per hop is plotted
//! against ring size for each working set.
//!
//! A CPU without tagged TLB entries (no PCID on x86) drops the last address space's entries
//! at every process switch, so every hop in the process ring walks the page tables again for
//! its pages; threads share one address space and lose nothing. With PCID, Linux keeps the
//! entries of the last few address spaces per CPU and the process ring pays only once more
//! address spaces take turns than that. The CPU's flags are read, and hardware TLB-miss
//! counters are used where the kernel offers them.

use std::io::{self, BufReader, Read, Write};
use std::process::{Child, ChildStdout, Stdio};

use serde::{Deserialize, Serialize};

use super::child::{setup_line, worker_command};
use super::error::LabError;
use super::experiment::{
    Curve, CurvePoint, Family, Job, Param, Params, Report, Unit, Words, on_own_thread,
};
use super::os::{self, CpuFlags, Machine};
use super::primitives::TlbMissCounter;
use super::stats::Summary;

/// Ring sizes measured.
pub const RING_SIZES: [usize; 5] = [2, 4, 8, 16, 32];

/// Working sets measured, in pages per member; the token byte says which.
pub const PAGES: [usize; 3] = [0, 64, 512];

/// Hops in one sample (whole laps, so a little more for rings that do not divide it).
const HOPS_PER_SAMPLE: usize = 256;

/// Samples of each configuration run and thrown away first.
const WARM_UP: u32 = 2;

/// The worker-mode role of a process member.
pub const CHILD_ROLE: &str = "ring-member";

const PAGE: usize = 4096;

/// The family, as the registry lists it.
pub const FAMILY: Family = Family {
    name: "tlb-ring",
    command: "tlb-ring",
    about: "Where the TLB claim holds: a token passed round a ring of 2 to 32 threads, and \
            of as many processes, on one CPU, each member touching its own pages; cost per \
            hop against ring size and working set",
    params: &[Param {
        name: "samples",
        en: "Samples per point",
        ko: "점마다 표본 수",
        range: crate::limits::SAMPLES,
        default: 10,
    }],
    texts: &[],
    run,
};

/// What the members are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Threads,
    Processes,
}

/// The typed result, as `proclab measure tlb-ring --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TlbRing {
    pub machine: Machine,
    pub cpu: usize,
    /// The CPU's TLB tagging flags, as the kernel lists them.
    pub pcid: bool,
    pub invpcid: bool,
    /// Hardware TLB-miss counting: `None` when available, else why not.
    pub tlb_counter_unavailable: Option<String>,
    pub rows: Vec<Row>,
}

/// One configuration's cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub kind: Kind,
    pub ring_size: usize,
    pub pages: usize,
    pub ns_per_hop: Summary,
    /// Data-TLB misses of the measuring member per hop it made, where counted.
    pub tlb_misses_per_hop: Option<f64>,
}

fn run(params: &Params, job: &Job) -> Result<Report, LabError> {
    let failed = LabError::measurement;
    let samples = params.get("samples");
    let cpu = os::first_allowed_cpu().map_err(failed)?;
    let (rows, unavailable) = on_own_thread(|| measure(samples, cpu, job))?;
    if rows.is_empty() {
        return Err(LabError::Cancelled);
    }
    let flags = CpuFlags::read().unwrap_or_default();
    let typed = TlbRing {
        machine: Machine::describe(),
        cpu,
        pcid: flags.pcid,
        invpcid: flags.invpcid,
        tlb_counter_unavailable: unavailable,
        rows,
    };
    report(typed, job.cancelled())
}

/// Every ring size, both kinds, every working set; batches of the two kinds alternate.
fn measure(samples: u32, cpu: usize, job: &Job) -> io::Result<(Vec<Row>, Option<String>)> {
    os::pin_current_thread(cpu)?;
    let counter = TlbMissCounter::open();
    let unavailable = counter.as_ref().err().map(why_no_counter);
    let mut memory = Memory::new();
    let mut rows = Vec::new();
    for (done, size) in RING_SIZES.into_iter().enumerate() {
        if job.cancelled() {
            break;
        }
        let mut rings = [
            Ring::threads(size, cpu)?,
            Ring::processes(size, cpu, job.worker_exe)?,
        ];
        for (index, pages) in PAGES.into_iter().enumerate() {
            let mut taken: [(Vec<f64>, Vec<f64>); 2] = Default::default();
            for sample in 0..WARM_UP + samples {
                for (ring, (times, misses)) in rings.iter_mut().zip(taken.iter_mut()) {
                    let before = counter.as_ref().ok().and_then(|c| c.read().ok());
                    let ns = ring.sample(index as u8, &mut memory)?;
                    let after = counter.as_ref().ok().and_then(|c| c.read().ok());
                    if sample >= WARM_UP {
                        times.push(ns);
                        if let (Some(b), Some(a)) = (before, after) {
                            misses.push(a.saturating_sub(b) as f64 / ring.laps() as f64);
                        }
                    }
                }
            }
            for (ring, (times, misses)) in rings.iter().zip(taken) {
                rows.push(Row {
                    kind: ring.kind(),
                    ring_size: size,
                    pages,
                    ns_per_hop: Summary::of(&times).ok_or(io::ErrorKind::InvalidData)?,
                    tlb_misses_per_hop: Summary::of(&misses).map(|s| s.median),
                });
            }
        }
        job.progress(done as u32 + 1, RING_SIZES.len() as u32);
    }
    Ok((rows, unavailable))
}

/// Why the kernel gave no TLB-miss counter, in words a reader can act on.
fn why_no_counter(error: &io::Error) -> String {
    match error.raw_os_error() {
        Some(libc::ENOENT | libc::EOPNOTSUPP | libc::ENODEV) => {
            "the CPU, or the hypervisor, offers no such event".to_owned()
        }
        Some(libc::EACCES | libc::EPERM) => {
            "kernel.perf_event_paranoid forbids it to this user".to_owned()
        }
        _ => error.to_string(),
    }
}

/// A member's own pages, touched once each per hop (one write per page: a TLB entry each).
struct Memory(Vec<u8>);

impl Memory {
    fn new() -> Self {
        Self(vec![1; PAGES[PAGES.len() - 1] * PAGE])
    }

    fn touch(&mut self, pages: usize) {
        for page in self.0.chunks_mut(PAGE).take(pages) {
            page[0] = page[0].wrapping_add(1);
        }
        std::hint::black_box(&mut self.0);
    }
}

/// The other members of one ring, and the two ends the measuring member holds: it writes
/// to the first of the others and reads from the last.
struct Ring {
    kind: Kind,
    size: usize,
    to_first: Box<dyn Write + Send>,
    from_last: Box<dyn Read + Send>,
    members: Members,
}

/// What ends with the ring: threads joined once their input closes, children killed.
enum Members {
    Threads(Vec<std::thread::JoinHandle<()>>),
    Processes(Vec<Child>),
}

/// A process member's set-up line, passed along the ring so that its return says every
/// member is in place.
#[derive(Debug, Serialize, Deserialize)]
struct Setup {
    cpu: usize,
}

impl Ring {
    /// A ring of `size` members: the measuring thread and `size - 1` threads, all on `cpu`.
    fn threads(size: usize, cpu: usize) -> io::Result<Self> {
        let (mut readers, mut writers): (Vec<_>, Vec<_>) = (0..size)
            .map(|_| io::pipe().map(|(r, w)| (Some(r), Some(w))))
            .collect::<io::Result<Vec<_>>>()?
            .into_iter()
            .unzip();
        let mut members = Vec::new();
        for i in 1..size {
            let (Some(mut input), Some(mut output)) = (readers[i - 1].take(), writers[i].take())
            else {
                return Err(io::ErrorKind::InvalidInput.into());
            };
            members.push(
                std::thread::Builder::new()
                    .name("ring-member".into())
                    .spawn(move || {
                        let _ = os::pin_current_thread(cpu);
                        let _ = serve(&mut input, &mut output, &mut Memory::new());
                    })?,
            );
        }
        let (Some(to_first), Some(from_last)) = (writers[0].take(), readers[size - 1].take())
        else {
            return Err(io::ErrorKind::InvalidInput.into());
        };
        Ok(Self {
            kind: Kind::Threads,
            size,
            to_first: Box::new(to_first),
            from_last: Box::new(from_last),
            members: Members::Threads(members),
        })
    }

    /// A ring of `size` members: this process and `size - 1` children chained by their
    /// standard input and output, all on `cpu`.
    fn processes(size: usize, cpu: usize, worker_exe: &std::path::Path) -> io::Result<Self> {
        let mut members: Vec<Child> = Vec::new();
        let mut previous: Option<ChildStdout> = None;
        for _ in 1..size {
            let input = match previous.take() {
                Some(stdout) => Stdio::from(stdout),
                None => Stdio::piped(),
            };
            let mut child = worker_command(worker_exe, CHILD_ROLE)
                .stdin(input)
                .stdout(Stdio::piped())
                .spawn()?;
            previous = child.stdout.take();
            members.push(child);
        }
        let missing = || io::Error::other("a ring member has no pipe");
        let to_first = members[0].stdin.take().ok_or_else(missing)?;
        let from_last = BufReader::new(previous.ok_or_else(missing)?);
        let mut ring = Self {
            kind: Kind::Processes,
            size,
            to_first: Box::new(to_first),
            from_last: Box::new(from_last),
            members: Members::Processes(members),
        };
        ring.pass_set_up(cpu)?;
        Ok(ring)
    }

    /// Sends the set-up line round the ring and waits for it to come back.
    fn pass_set_up(&mut self, cpu: usize) -> io::Result<()> {
        let line = serde_json::to_string(&Setup { cpu }).map_err(io::Error::other)?;
        writeln!(self.to_first, "{line}")?;
        self.to_first.flush()?;
        let mut back = vec![0u8; line.len() + 1];
        self.from_last.read_exact(&mut back)?;
        if back[..line.len()] != *line.as_bytes() {
            return Err(io::Error::other("the ring did not pass its set-up along"));
        }
        Ok(())
    }

    fn kind(&self) -> Kind {
        self.kind
    }

    /// Laps in one sample.
    fn laps(&self) -> usize {
        HOPS_PER_SAMPLE.div_ceil(self.size)
    }

    /// Passes the token round enough laps for one sample, every member touching the working
    /// set `PAGES[index]`; nanoseconds per hop.
    fn sample(&mut self, index: u8, memory: &mut Memory) -> io::Result<f64> {
        let pages = PAGES[usize::from(index)];
        let laps = self.laps();
        let start = std::time::Instant::now();
        let mut token = [index];
        for _ in 0..laps {
            memory.touch(pages);
            self.to_first.write_all(&token)?;
            self.to_first.flush()?;
            self.from_last.read_exact(&mut token)?;
        }
        Ok(start.elapsed().as_nanos() as f64 / (laps * self.size) as f64)
    }
}

impl Drop for Ring {
    /// Closing the first pipe ends every thread in turn; children are killed by the handles
    /// we hold (not yet reaped, so their ids are still ours) and reaped.
    fn drop(&mut self) {
        self.to_first = Box::new(io::sink());
        match &mut self.members {
            Members::Threads(threads) => {
                for thread in threads.drain(..) {
                    let _ = thread.join();
                }
            }
            Members::Processes(children) => {
                for child in children.iter_mut() {
                    let _ = child.kill();
                    let _ = child.wait();
                }
            }
        }
    }
}

/// A member's loop: take the token, touch the working set it names, pass it on; until the
/// input ends.
fn serve(input: &mut impl Read, output: &mut impl Write, memory: &mut Memory) -> io::Result<()> {
    let mut token = [0u8];
    loop {
        match input.read_exact(&mut token) {
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            other => other?,
        }
        memory.touch(PAGES.get(usize::from(token[0])).copied().unwrap_or(0));
        output.write_all(&token)?;
        output.flush()?;
    }
}

/// A process member: pass the set-up line on, pin, then serve until the input ends.
pub fn run_child() -> io::Result<()> {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let (setup, line): (Setup, _) = setup_line(&mut input)?;
    let stdout = io::stdout();
    let mut output = stdout.lock();
    output.write_all(line.as_bytes())?;
    output.flush()?;
    os::pin_current_thread(setup.cpu)?;
    serve(&mut input, &mut output, &mut Memory::new())
}

fn report(typed: TlbRing, cancelled: bool) -> Result<Report, LabError> {
    let mut report = Report::new(
        FAMILY.name,
        typed.machine.clone(),
        Vec::new(),
        Words::new(NOTE_EN, NOTE_KO),
        &typed,
    )?
    .cancelled(cancelled)
    .fact("Pinned to CPU", "고정한 CPU", typed.cpu)
    .fact(
        "CPU flags pcid / invpcid",
        "CPU 플래그 pcid / invpcid",
        format!("{} / {}", yes_no(typed.pcid), yes_no(typed.invpcid)),
    )
    .fact(
        "Hardware TLB-miss counter",
        "하드웨어 TLB 미스 카운터",
        match &typed.tlb_counter_unavailable {
            None => "counted / 셈".to_owned(),
            Some(why) => format!("not offered here ({why}): timing alone / 제공되지 않음: 시간만"),
        },
    );
    for pages in PAGES {
        if let Some(extra) = process_extra(&typed.rows, pages) {
            report = report.fact(
                &format!("Processes over threads, per hop, {pages} pages (median over ring sizes)"),
                &format!(
                    "프로세스가 스레드보다 홉마다 더 드는 시간, {pages}페이지 (고리 크기별 중앙값)"
                ),
                Unit::Nanoseconds.format(extra),
            );
        }
    }
    for kind in [Kind::Threads, Kind::Processes] {
        for pages in PAGES {
            report = report.curve(curve(&typed.rows, kind, pages));
        }
    }
    Ok(report)
}

/// How much more a hop costs in the process ring than in the thread ring of the same size,
/// for one working set: the median over ring sizes.
fn process_extra(rows: &[Row], pages: usize) -> Option<f64> {
    let cost = |kind, size| {
        rows.iter()
            .find(|r| r.kind == kind && r.ring_size == size && r.pages == pages)
            .map(|r| r.ns_per_hop.median)
    };
    let extras: Vec<f64> = RING_SIZES
        .iter()
        .filter_map(|&size| Some(cost(Kind::Processes, size)? - cost(Kind::Threads, size)?))
        .collect();
    Summary::of(&extras).map(|s| s.median)
}

fn yes_no(flag: bool) -> &'static str {
    if flag { "yes / 예" } else { "no / 아니오" }
}

/// Cost per hop against ring size for one kind and working set.
fn curve(rows: &[Row], kind: Kind, pages: usize) -> Curve {
    let (en, ko) = match kind {
        Kind::Threads => ("threads", "스레드"),
        Kind::Processes => ("processes", "프로세스"),
    };
    Curve {
        label: Words::new(
            format!("{en}, {pages} pages"),
            format!("{ko}, {pages}페이지"),
        ),
        x_label: Words::new("members in the ring", "고리의 구성원 수"),
        x_log2: true,
        unit: Unit::Nanoseconds,
        points: rows
            .iter()
            .filter(|r| r.kind == kind && r.pages == pages)
            .map(|r| CurvePoint {
                x: r.ring_size as f64,
                summary: r.ns_per_hop,
            })
            .collect(),
    }
}

const NOTE_EN: &str = "Every member is pinned to one CPU; a hop is one member taking the token \
    from a pipe, writing one byte in each page of its working set, and passing the token on \
    (so a hop includes a context switch). In the thread ring all members share one address \
    space; in the process ring every hop changes it (ProcLab is one member, its children the \
    rest). Without PCID the CPU keeps no tags, so a process switch drops the TLB entries of \
    user pages and each hop walks the page tables again for its pages: the process curves \
    rise with the working set at every ring size. With PCID Linux keeps the entries of the \
    last 6 address spaces used on a CPU, so the process ring costs like the thread ring \
    until more members than that take turns. Threads lose entries only when the members' \
    pages together outgrow the TLB. Caches fill up in both rings alike; the difference \
    between the two kinds is the address-space change.";

const NOTE_KO: &str = "모든 구성원을 한 CPU에 고정했습니다. 한 홉은 한 구성원이 파이프에서 \
    토큰을 받고, 자기 작업 집합의 페이지마다 한 바이트씩 쓰고, 토큰을 넘기는 일입니다(그래서 \
    홉마다 컨텍스트 스위칭(문맥 교환)이 들어 있습니다). 스레드 고리에서는 모든 구성원이 주소 공간 하나를 \
    나눠 쓰고, 프로세스 고리에서는 홉마다 주소 공간이 바뀝니다(ProcLab이 한 구성원이고 나머지는 \
    자식 프로세스). PCID가 없으면 CPU가 태그를 두지 않으므로 프로세스 전환 때 사용자 페이지의 \
    TLB 항목이 버려지고, 홉마다 자기 페이지의 페이지 테이블을 다시 걷습니다. 그래서 프로세스 \
    곡선은 고리 크기와 상관없이 작업 집합과 함께 올라갑니다. PCID가 있으면 리눅스는 한 CPU에서 \
    마지막으로 쓴 주소 공간 6개의 항목을 남겨 두므로, 그보다 많은 구성원이 차례를 돌기 전까지 \
    프로세스 고리의 비용은 스레드 고리와 같습니다. 스레드는 구성원들의 페이지를 합친 것이 \
    TLB보다 커질 때만 항목을 잃습니다. 캐시는 두 고리에서 똑같이 찹니다. 두 종류의 차이가 주소 \
    공간 전환의 몫입니다.";
