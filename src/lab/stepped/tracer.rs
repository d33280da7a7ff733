//! ptrace, as the stepped race uses it: seize a thread, stop it, step it one instruction,
//! let it run, read its registers and its process's memory, and reap it when it is killed.
//! Every call must come from the one thread that seized the tracee: the kernel ties a
//! tracee to its tracer thread, not to its process.

use std::io;

use nix::errno::Errno;
use nix::sys::ptrace;
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

/// The registers a student watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Registers {
    pub ip: u64,
    pub sp: u64,
    /// Every general-purpose register by its name, for those the listing names.
    general: [(&'static str, u64); 8],
}

impl Registers {
    /// The general register called `name` ("rax"), if it is one of those kept.
    pub fn named(&self, name: &str) -> Option<u64> {
        self.general
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }
}

/// Traces thread `tid`; it keeps running until [`interrupt`]. If this thread of ours ends,
/// the kernel kills the tracee (so a traced child never outlives its tracer).
pub fn seize(tid: i32) -> Result<(), Errno> {
    ptrace::seize(Pid::from_raw(tid), ptrace::Options::PTRACE_O_EXITKILL)
}

/// Stops a running traced thread and waits until it has stopped. A signal that reaches it
/// first is suppressed (nothing but the tracer should stop a stepped thread), and the wait
/// goes on for the stop asked for.
pub fn interrupt(tid: i32) -> io::Result<()> {
    let pid = Pid::from_raw(tid);
    ptrace::interrupt(pid).map_err(io::Error::from)?;
    for _ in 0..MOST_RETRIES {
        match wait(tid)? {
            WaitStatus::PtraceEvent(_, _, libc::PTRACE_EVENT_STOP) => return Ok(()),
            WaitStatus::Stopped(..) => ptrace::cont(pid, None).map_err(io::Error::from)?,
            other => return Err(unexpected(tid, other)),
        }
    }
    Err(io::Error::other(format!("thread {tid} would not stop")))
}

/// Runs one machine instruction of a stopped thread and waits for the trap after it. If
/// the thread stopped for anything else first (a signal, now suppressed), the instruction
/// has not run yet, and the step is asked for again.
pub fn step(tid: i32) -> io::Result<()> {
    let pid = Pid::from_raw(tid);
    for _ in 0..MOST_RETRIES {
        ptrace::step(pid, None).map_err(io::Error::from)?;
        match wait(tid)? {
            WaitStatus::Stopped(_, Signal::SIGTRAP) => return Ok(()),
            WaitStatus::Stopped(..) | WaitStatus::PtraceEvent(..) => {}
            other => return Err(unexpected(tid, other)),
        }
    }
    Err(io::Error::other(format!("thread {tid} would not step")))
}

/// How many unasked-for stops a step or an interrupt puts up with before giving up.
const MOST_RETRIES: usize = 16;

/// Lets a stopped thread run until the next [`interrupt`].
pub fn resume(tid: i32) -> io::Result<()> {
    ptrace::cont(Pid::from_raw(tid), None).map_err(io::Error::from)
}

/// The registers of a stopped thread.
pub fn registers(tid: i32) -> io::Result<Registers> {
    let r = ptrace::getregs(Pid::from_raw(tid)).map_err(io::Error::from)?;
    Ok(Registers {
        ip: r.rip,
        sp: r.rsp,
        general: [
            ("rax", r.rax),
            ("rbx", r.rbx),
            ("rcx", r.rcx),
            ("rdx", r.rdx),
            ("rsi", r.rsi),
            ("rdi", r.rdi),
            ("r8", r.r8),
            ("r9", r.r9),
        ],
    })
}

/// One 8-byte word of the traced process's memory, read through a stopped thread.
pub fn read_word(tid: i32, address: u64) -> io::Result<u64> {
    let word = ptrace::read(Pid::from_raw(tid), address as ptrace::AddressType)
        .map_err(io::Error::from)?;
    Ok(word as u64)
}

/// `len` bytes of the traced process's memory from `address`.
pub fn read_bytes(tid: i32, address: u64, len: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(len + 8);
    let mut at = address;
    while bytes.len() < len {
        bytes.extend_from_slice(&read_word(tid, at)?.to_le_bytes());
        at += 8;
    }
    bytes.truncate(len);
    Ok(bytes)
}

/// Writes one 8-byte word of the traced process's memory through a stopped thread.
pub fn write_word(tid: i32, address: u64, value: u64) -> io::Result<()> {
    ptrace::write(
        Pid::from_raw(tid),
        address as ptrace::AddressType,
        value as libc::c_long,
    )
    .map_err(io::Error::from)
}

/// Waits for a killed traced thread's end and collects it, so that its process can be
/// reaped: the kernel keeps a traced thread until its tracer has seen it go. A killed thread
/// always reports its end, so this wait cannot last.
pub fn reap(tid: i32) {
    loop {
        match waitpid(Pid::from_raw(tid), Some(WaitPidFlag::__WALL)) {
            Ok(WaitStatus::Exited(..) | WaitStatus::Signaled(..)) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// The next change of `tid`. The wait blocks in the kernel, which wakes it at a stop, or
/// with the thread's end if something killed it meanwhile: it cannot wait forever.
fn wait(tid: i32) -> io::Result<WaitStatus> {
    waitpid(Pid::from_raw(tid), Some(WaitPidFlag::__WALL)).map_err(io::Error::from)
}

fn unexpected(tid: i32, status: WaitStatus) -> io::Error {
    io::Error::other(format!("thread {tid} did not stop as asked: {status:?}"))
}
