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

/// State, CPU time and context switches of thread `tid` of process `pid`.
pub fn thread_sample(pid: u32, tid: u32) -> OsSample {
    #[cfg(target_os = "linux")]
    {
        let task =
            procfs::process::Process::new(pid as i32).and_then(|p| p.task_from_tid(tid as i32));
        match task {
            Ok(task) => {
                let sample = linux::sample(task.stat().ok(), task.status().ok());
                let path = format!("/proc/{pid}/task/{tid}/schedstat");
                OsSample {
                    cpu_time: linux::schedstat_cpu_time(&path).or(sample.cpu_time),
                    ..sample
                }
            }
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
                let sample = linux::sample(process.stat().ok(), status);
                let path = format!("/proc/{pid}/schedstat");
                OsSample {
                    resident_bytes: resident,
                    cpu_time: linux::schedstat_cpu_time(&path).or(sample.cpu_time),
                    ..sample
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

    /// Time on a CPU in nanoseconds, the first figure of a `schedstat` file: finer than the
    /// 10 ms clock ticks of `stat`. For a process it covers its main thread, which is the
    /// whole of a worker child's work.
    pub(super) fn schedstat_cpu_time(path: &str) -> Option<Duration> {
        let text = std::fs::read_to_string(path).ok()?;
        let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
        Some(Duration::from_nanos(nanos))
    }

    pub(super) fn sample(
        stat: Option<procfs::process::Stat>,
        status: Option<procfs::process::Status>,
    ) -> OsSample {
        let ticks = procfs::ticks_per_second().max(1);
        OsSample {
            state: stat.as_ref().map(|s| OsState::from_linux_letter(s.state)),
            cpu_time: stat.as_ref().map(|s| {
                Duration::from_nanos((s.utime + s.stime).saturating_mul(1_000_000_000) / ticks)
            }),
            voluntary_switches: status.as_ref().and_then(|s| s.voluntary_ctxt_switches),
            involuntary_switches: status.as_ref().and_then(|s| s.nonvoluntary_ctxt_switches),
            resident_bytes: None,
        }
    }
}

/// The machine a measurement was taken on, printed beside every figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    pub cpu_model: String,
    /// CPUs this process may run on.
    pub cpus: usize,
    pub os: String,
    pub kernel: String,
}

impl Machine {
    /// Reads the description of this machine; parts the OS does not offer say "unknown".
    pub fn describe() -> Self {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let read = |path: &str| std::fs::read_to_string(path).ok();
        let cpu_model = read("/proc/cpuinfo")
            .and_then(|info| {
                info.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".into());
        let kernel = read("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_owned())
            .unwrap_or_else(|| "unknown".into());
        Self {
            cpu_model,
            cpus,
            os: std::env::consts::OS.into(),
            kernel,
        }
    }
}

impl std::fmt::Display for Machine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, {} CPU(s), {} {}",
            self.cpu_model, self.cpus, self.os, self.kernel
        )
    }
}
