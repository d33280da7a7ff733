//! Why the operating system would not let ProcLab trace its own child, read from the machine
//! at the moment it refused: a seccomp filter, Yama's ptrace scope, a missing capability,
//! another tracer, or a platform without ptrace. Each cause says what would allow it.

use serde::Serialize;

/// A refused trace, with what the kernel said and every cause found on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// What was refused, as "attach to thread 1234".
    pub operation: String,
    /// The kernel's error, as "EPERM: Operation not permitted"; `None` where nothing was
    /// asked of a kernel (another platform).
    pub errno: Option<String>,
    pub causes: Vec<Cause>,
}

/// One reason found on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    /// Not Linux on x86_64: no ptrace, or no loop written for this processor.
    Platform { os: String, arch: String },
    /// This process runs under a seccomp filter (as containers do), which may refuse ptrace.
    Seccomp { filters: u32 },
    /// Yama's `kernel.yama.ptrace_scope` is above 1: 2 needs CAP_SYS_PTRACE, 3 forbids all.
    Yama { scope: u32 },
    /// The child is traced by someone else already.
    AlreadyTraced { tracer: u32 },
    /// Nothing on this machine explains it.
    Unknown,
}

impl Refusal {
    /// A refusal of `operation` on thread `tid` with the kernel's `errno`, and its causes.
    pub fn of_kernel(operation: String, errno: i32, tid: i32) -> Self {
        let error = std::io::Error::from_raw_os_error(errno);
        let name = errno_name(errno);
        Self {
            operation,
            errno: Some(format!("{name}: {error}")),
            causes: causes_for(tid),
        }
    }

    /// A platform this experiment does not run on.
    pub fn platform() -> Self {
        Self {
            operation: "step machine instructions".into(),
            errno: None,
            causes: vec![Cause::Platform {
                os: std::env::consts::OS.into(),
                arch: std::env::consts::ARCH.into(),
            }],
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} was refused", self.operation)?;
        if let Some(errno) = &self.errno {
            write!(f, " ({errno})")?;
        }
        for cause in &self.causes {
            write!(f, ". {}", cause.english())?;
        }
        write!(f, ". The simulated game still shows the same interleavings")
    }
}

impl Cause {
    /// The cause and what would allow tracing, in English.
    pub fn english(&self) -> String {
        match self {
            Cause::Platform { os, arch } => format!(
                "Stepping real threads needs Linux's ptrace on x86_64; this is {os} on {arch}"
            ),
            Cause::Seccomp { filters } => format!(
                "ProcLab runs under {filters} seccomp filter(s), as in a container, and such a \
                 filter can refuse ptrace: run it outside the container, or with a profile \
                 that allows ptrace (for Docker, --cap-add SYS_PTRACE)"
            ),
            Cause::Yama { scope } => format!(
                "kernel.yama.ptrace_scope is {scope}: 2 allows only CAP_SYS_PTRACE, 3 allows \
                 nobody; setting it to 1 lets a program trace its own children"
            ),
            Cause::AlreadyTraced { tracer } => format!(
                "process {tracer} is tracing the child already (a debugger); a thread has one \
                 tracer at a time"
            ),
            Cause::Unknown => "Nothing on this machine explains it".into(),
        }
    }
}

/// Every cause this machine shows for a refusal to trace `tid`.
fn causes_for(tid: i32) -> Vec<Cause> {
    let mut causes = Vec::new();
    // Seccomp filters belong to threads: read the calling (tracing) thread's own status.
    let own = std::fs::read_to_string("/proc/thread-self/status").unwrap_or_default();
    if status_field(&own, "Seccomp").is_some_and(|mode| mode == 2) {
        let filters = status_field(&own, "Seccomp_filters").unwrap_or(1);
        causes.push(Cause::Seccomp { filters });
    }
    let scope = std::fs::read_to_string("/proc/sys/kernel/yama/ptrace_scope")
        .ok()
        .and_then(|s| s.trim().parse().ok());
    if let Some(scope) = scope.filter(|&s| s > 1) {
        causes.push(Cause::Yama { scope });
    }
    let target = std::fs::read_to_string(format!("/proc/{tid}/status")).unwrap_or_default();
    let tracer = status_field(&target, "TracerPid").unwrap_or(0);
    if tracer != 0 && tracer != std::process::id() {
        causes.push(Cause::AlreadyTraced { tracer });
    }
    if causes.is_empty() {
        causes.push(Cause::Unknown);
    }
    causes
}

/// The number after `name:` in a `/proc/.../status` text.
fn status_field(status: &str, name: &str) -> Option<u32> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
        .and_then(|value| value.trim().parse().ok())
}

fn errno_name(errno: i32) -> &'static str {
    match errno {
        libc::EPERM => "EPERM",
        libc::EACCES => "EACCES",
        libc::ESRCH => "ESRCH",
        libc::ENOSYS => "ENOSYS",
        libc::EBUSY => "EBUSY",
        _ => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_are_read_by_name() {
        let status = "Name:\tproclab\nTracerPid:\t42\nSeccomp:\t2\nSeccomp_filters:\t3\n";
        assert_eq!(status_field(status, "TracerPid"), Some(42));
        assert_eq!(status_field(status, "Seccomp"), Some(2));
        assert_eq!(status_field(status, "Seccomp_filters"), Some(3));
        assert_eq!(status_field(status, "Missing"), None);
    }

    #[test]
    fn a_refusal_says_what_was_refused_and_why() {
        let refusal = Refusal {
            operation: "attach to thread 7".into(),
            errno: Some("EPERM: Operation not permitted".into()),
            causes: vec![Cause::Seccomp { filters: 1 }],
        };
        let text = refusal.to_string();
        assert!(
            text.starts_with("attach to thread 7 was refused (EPERM"),
            "{text}"
        );
        assert!(text.contains("seccomp"), "{text}");
    }
}
