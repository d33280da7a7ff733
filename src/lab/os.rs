//! What the operating system says about tasks and about the machine. On Linux it is read
//! from `/proc`; elsewhere these figures are unavailable and reported as `None`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::model::{OsSample, OsState};

/// The calling thread's OS id.
pub fn current_thread_id() -> u32 {
    #[cfg(target_os = "linux")]
    {
        rustix::thread::gettid()
            .as_raw_nonzero()
            .get()
            .unsigned_abs()
    }
    #[cfg(not(target_os = "linux"))]
    {
        0
    }
}

/// CPU time the calling thread has used (its thread CPU clock); zero where there is none.
pub fn thread_cpu_time() -> Duration {
    #[cfg(unix)]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
        Duration::new(t.tv_sec.unsigned_abs(), t.tv_nsec.unsigned_abs() as u32)
    }
    #[cfg(not(unix))]
    {
        Duration::ZERO
    }
}

/// Raises the calling thread's nice value to `nice` (a lower priority), as a thread may
/// without privileges. On Linux, nice values belong to threads.
pub fn lower_own_priority(nice: i32) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let tid = rustix::thread::gettid();
        rustix::process::setpriority_process(Some(tid), nice)?;
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = nice;
    }
    Ok(())
}

/// The CPU the pinned sides of a measurement share: the first one this thread may run on.
pub fn first_allowed_cpu() -> std::io::Result<usize> {
    let allowed = rustix::thread::sched_getaffinity(None)?;
    (0..rustix::thread::CpuSet::MAX_CPU)
        .find(|&cpu| allowed.is_set(cpu))
        .ok_or_else(|| std::io::Error::other("this thread may run on no CPU"))
}

/// Pins the calling thread, and only it, to `cpu`.
pub fn pin_current_thread(cpu: usize) -> std::io::Result<()> {
    let mut set = rustix::thread::CpuSet::new();
    set.set(cpu);
    Ok(rustix::thread::sched_setaffinity(None, &set)?)
}

/// Context switches the calling thread has made so far, voluntary and involuntary, as the
/// kernel counts them; `None` where it does not say.
pub fn own_context_switches() -> Option<u64> {
    let sample = thread_sample(std::process::id(), current_thread_id());
    Some(sample.voluntary_switches? + sample.involuntary_switches?)
}

/// The kernel's scheduling account of one thread of this process (`schedstat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SchedAccount {
    /// Time on a CPU, in nanoseconds.
    pub run_ns: u64,
    /// Time runnable but waiting in a run queue, in nanoseconds.
    pub wait_ns: u64,
    /// Times it was put on a CPU.
    pub slices: u64,
}

impl SchedAccount {
    /// The calling thread's account so far; `None` where the kernel keeps none.
    pub fn of_this_thread() -> Option<Self> {
        Self::of_task(std::process::id(), current_thread_id())
    }

    /// The account of thread `tid` of process `pid` so far.
    pub fn of_task(pid: u32, tid: u32) -> Option<Self> {
        let stat = procfs::process::Process::new(pid as i32)
            .and_then(|p| p.task_from_tid(tid as i32))
            .and_then(|t| t.schedstat())
            .ok()?;
        Some(Self {
            run_ns: stat.sum_exec_runtime,
            wait_ns: stat.run_delay,
            slices: stat.pcount,
        })
    }

    /// What happened between `earlier` and this account.
    pub fn since(self, earlier: Self) -> Self {
        Self {
            run_ns: self.run_ns.saturating_sub(earlier.run_ns),
            wait_ns: self.wait_ns.saturating_sub(earlier.wait_ns),
            slices: self.slices.saturating_sub(earlier.slices),
        }
    }
}

/// Local timer interrupts CPU `cpu` has taken since boot (the `LOC` row of
/// `/proc/interrupts`, x86); `None` where the kernel does not list them.
pub fn local_timer_interrupts(cpu: usize) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/interrupts").ok()?;
    timer_interrupts_in(&text, cpu)
}

/// The `LOC` count of `cpu` in the text of `/proc/interrupts`.
fn timer_interrupts_in(text: &str, cpu: usize) -> Option<u64> {
    let mut lines = text.lines();
    let header = lines.next()?;
    let column = header
        .split_whitespace()
        .position(|name| name == format!("CPU{cpu}"))?;
    let row = lines.find(|line| line.trim_start().starts_with("LOC:"))?;
    row.split_whitespace().nth(column + 1)?.parse().ok()
}

/// State, CPU time and context switches of thread `tid` of process `pid`.
pub fn thread_sample(pid: u32, tid: u32) -> OsSample {
    #[cfg(target_os = "linux")]
    {
        let task =
            procfs::process::Process::new(pid as i32).and_then(|p| p.task_from_tid(tid as i32));
        match task {
            Ok(task) => linux::sample(task.stat().ok(), task.status().ok(), task.schedstat().ok()),
            Err(_) => exited(),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (pid, tid);
        OsSample::default()
    }
}

/// The same for a whole process, with its resident memory.
pub fn process_sample(pid: u32) -> OsSample {
    #[cfg(target_os = "linux")]
    {
        match procfs::process::Process::new(pid as i32) {
            Ok(process) => {
                let status = process.status().ok();
                let resident = status.as_ref().and_then(|s| s.vmrss).map(|kb| kb * 1024);
                OsSample {
                    resident_bytes: resident,
                    ..linux::sample(process.stat().ok(), status, process.schedstat().ok())
                }
            }
            Err(_) => exited(),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        OsSample::default()
    }
}

/// Unique set size of process `pid`: the bytes of memory only it maps (private clean and
/// dirty pages, from `/proc/<pid>/smaps_rollup`). Shared library pages and kernel memory such
/// as page tables are not in it. `None` where the OS does not say.
pub fn unique_set_size(pid: u32) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let rollup = procfs::process::Process::new(pid as i32)
            .ok()?
            .smaps_rollup()
            .ok()?;
        let fields = &rollup.memory_map_rollup.0.first()?.extension.map;
        let private = ["Private_Clean", "Private_Dirty", "Private_Hugetlb"]
            .iter()
            .filter_map(|key| fields.get(*key))
            .sum();
        Some(private)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

#[cfg(target_os = "linux")]
fn exited() -> OsSample {
    OsSample {
        state: Some(OsState::Exited),
        ..OsSample::default()
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use super::*;

    /// CPU time comes from `schedstat` (nanoseconds, the time on a CPU) where the kernel
    /// offers it, finer than the 10 ms clock ticks of `stat`; for a process it covers its
    /// main thread, which is the whole of a worker child's work.
    pub(super) fn sample(
        stat: Option<procfs::process::Stat>,
        status: Option<procfs::process::Status>,
        schedstat: Option<procfs::process::Schedstat>,
    ) -> OsSample {
        let ticks = procfs::ticks_per_second().max(1);
        let from_ticks = |s: &procfs::process::Stat| {
            Duration::from_nanos((s.utime + s.stime).saturating_mul(1_000_000_000) / ticks)
        };
        OsSample {
            state: stat.as_ref().map(|s| OsState::from_linux_letter(s.state)),
            cpu_time: schedstat
                .as_ref()
                .map(|s| Duration::from_nanos(s.sum_exec_runtime))
                .or(stat.as_ref().map(from_ticks)),
            run_delay: schedstat
                .as_ref()
                .map(|s| Duration::from_nanos(s.run_delay)),
            voluntary_switches: status.as_ref().and_then(|s| s.voluntary_ctxt_switches),
            involuntary_switches: status.as_ref().and_then(|s| s.nonvoluntary_ctxt_switches),
            resident_bytes: None,
        }
    }
}

/// The CPU features a lesson speaks of, as this machine's CPU reports them (on Linux the
/// kernel lists only the features it uses, so a CPU feature switched off at boot reads absent).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpuFlags {
    /// Process-context identifiers: TLB entries tagged by address space (x86).
    pub pcid: bool,
    /// The instruction that invalidates TLB entries of one PCID (x86).
    pub invpcid: bool,
}

impl CpuFlags {
    /// Reads the first CPU's flags; `None` where the OS does not list them.
    pub fn read() -> Option<Self> {
        #[cfg(target_os = "linux")]
        {
            let info = <procfs::CpuInfo as procfs::Current>::current().ok()?;
            Some(Self::from_flags(info.flags(0)?))
        }
        #[cfg(not(target_os = "linux"))]
        {
            None
        }
    }

    /// The features among a list of flag names, as `/proc/cpuinfo` prints them.
    pub fn from_flags<'a>(flags: impl IntoIterator<Item = &'a str>) -> Self {
        let mut found = Self::default();
        for flag in flags {
            match flag {
                "pcid" => found.pcid = true,
                "invpcid" => found.invpcid = true,
                _ => {}
            }
        }
        found
    }
}

/// Default stack sizes on this machine, read when asked, never assumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackSizes {
    /// The main thread's stack limit, the soft `RLIMIT_STACK` (`ulimit -s`); `None` when it
    /// is unlimited.
    pub main_limit: Option<u64>,
    /// What Rust's `std::thread::spawn` gives a thread: 2 MiB unless `RUST_MIN_STACK` says
    /// otherwise.
    pub rust_thread: u64,
    /// What a C program's `pthread_create` gives a thread by default, where known: glibc
    /// takes the stack limit, or 2 MiB on x86-64 when it is unlimited.
    pub c_thread: Option<u64>,
}

/// Rust's own default for spawned threads.
const RUST_DEFAULT_STACK: u64 = 2 * 1024 * 1024;

impl StackSizes {
    /// Reads the limit and the environment of this process.
    pub fn read() -> Self {
        #[cfg(unix)]
        let main_limit = rustix::process::getrlimit(rustix::process::Resource::Stack).current;
        #[cfg(not(unix))]
        let main_limit = None;
        let rust_thread = std::env::var("RUST_MIN_STACK")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(RUST_DEFAULT_STACK);
        Self::from_limit(main_limit, rust_thread)
    }

    /// The sizes that follow from a stack limit, for this machine's architecture.
    pub fn from_limit(main_limit: Option<u64>, rust_thread: u64) -> Self {
        let glibc = cfg!(all(target_os = "linux", target_env = "gnu"));
        let c_thread = match main_limit {
            _ if !glibc => None,
            Some(limit) => Some(limit),
            None if cfg!(target_arch = "x86_64") => Some(RUST_DEFAULT_STACK),
            None => None,
        };
        Self {
            main_limit,
            rust_thread,
            c_thread,
        }
    }
}

/// The machine a measurement was taken on, printed beside every figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    pub cpu_model: String,
    /// CPUs this process may run on.
    pub cpus: usize,
    pub os: String,
    pub kernel: String,
    /// The one-minute load average when the figures were taken: how busy the machine was.
    pub load_average: Option<f64>,
}

impl Machine {
    /// Reads the description of this machine; parts the OS does not offer say "unknown".
    pub fn describe() -> Self {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        #[cfg(target_os = "linux")]
        let cpu_model = <procfs::CpuInfo as procfs::Current>::current()
            .ok()
            .and_then(|info| info.model_name(0).map(str::to_owned));
        #[cfg(not(target_os = "linux"))]
        let cpu_model = None;
        #[cfg(unix)]
        let kernel = rustix::system::uname()
            .release()
            .to_string_lossy()
            .into_owned();
        #[cfg(not(unix))]
        let kernel = String::from("unknown");
        Self {
            cpu_model: cpu_model.unwrap_or_else(|| "unknown".into()),
            cpus,
            os: std::env::consts::OS.into(),
            kernel,
            load_average: load_average(),
        }
    }
}

/// The one-minute load average, where the OS offers it.
fn load_average() -> Option<f64> {
    #[cfg(target_os = "linux")]
    {
        let load = <procfs::LoadAverage as procfs::Current>::current().ok()?;
        Some(f64::from(load.one))
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

impl std::fmt::Display for Machine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, {} CPU(s), {} {}",
            self.cpu_model, self.cpus, self.os, self.kernel
        )?;
        match self.load_average {
            Some(load) => write!(f, ", load {load:.2}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_interrupts_are_read_from_the_cpus_own_column() {
        let text = "           CPU0       CPU1\n  0:         33          0   IO-APIC   2-edge      timer\n\
                    LOC:    1404759    1503643   Local timer interrupts\n";
        assert_eq!(timer_interrupts_in(text, 0), Some(1_404_759));
        assert_eq!(timer_interrupts_in(text, 1), Some(1_503_643));
        assert_eq!(timer_interrupts_in(text, 2), None);
    }

    #[test]
    fn cpu_flags_are_found_among_the_others() {
        let with = CpuFlags::from_flags("fpu vme pcid sse2 invpcid".split(' '));
        assert_eq!(
            with,
            CpuFlags {
                pcid: true,
                invpcid: true
            }
        );
        let without = CpuFlags::from_flags("fpu vme pcidx sse2".split(' '));
        assert_eq!(without, CpuFlags::default());
    }

    #[test]
    fn a_c_thread_follows_the_stack_limit() {
        let limited = StackSizes::from_limit(Some(8 << 20), 2 << 20);
        assert_eq!(limited.main_limit, Some(8 << 20));
        if cfg!(all(target_os = "linux", target_env = "gnu")) {
            assert_eq!(limited.c_thread, Some(8 << 20));
        }
    }
}

/// Threads of our child `pid` that still exist (zombies included: they are not yet reaped);
/// 0 once it is gone. A process that took the id over since is not ours and counts 0.
pub fn child_tasks_alive(pid: u32) -> u32 {
    let ours = procfs::process::Process::new(pid as i32)
        .and_then(|p| p.stat())
        .is_ok_and(|stat| stat.ppid == std::process::id() as i32);
    match ours {
        true => std::fs::read_dir(format!("/proc/{pid}/task")).map_or(0, |t| t.count() as u32),
        false => 0,
    }
}

/// How a process ended: its exit code, or the signal that killed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exit {
    pub code: Option<i32>,
    pub signal: Option<i32>,
    /// `SIGSEGV`, `SIGABRT`…, for a signal.
    pub signal_name: Option<String>,
}

impl Exit {
    /// From the status `wait` returned.
    pub fn of(status: std::process::ExitStatus) -> Self {
        #[cfg(unix)]
        let signal = std::os::unix::process::ExitStatusExt::signal(&status);
        #[cfg(not(unix))]
        let signal = None;
        Self {
            code: status.code(),
            signal,
            signal_name: signal.map(signal_name),
        }
    }

    /// `SIGSEGV` or `exit code 101`: the short form, for a table.
    pub fn short(&self) -> String {
        match (&self.signal_name, self.code) {
            (Some(name), _) => name.clone(),
            (None, Some(code)) => format!("exit code {code}"),
            (None, None) => self.describe(),
        }
    }

    /// `signal 11 (SIGSEGV)` or `exit code 101`, as a person reads it.
    pub fn describe(&self) -> String {
        match (self.signal, &self.signal_name, self.code) {
            (Some(n), Some(name), _) => format!("signal {n} ({name})"),
            (Some(n), None, _) => format!("signal {n}"),
            (None, _, Some(code)) => format!("exit code {code}"),
            (None, _, None) => "unknown".to_owned(),
        }
    }
}

/// The usual name of signal `number` on Linux.
fn signal_name(number: i32) -> String {
    let name = match number {
        1 => "SIGHUP",
        2 => "SIGINT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => return format!("signal {number}"),
    };
    name.to_owned()
}
