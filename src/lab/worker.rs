//! Worker mode: what this program does when the lab starts it as a child. It ties its life to
//! the parent first, then hands over to the child half of the experiment family asked for.

use std::process::ExitCode;

use clap::ValueEnum;

use super::{
    crash, ctx_switch, deadlock, ipc, process_worker, race, spawn_cost, stepped, tlb_ring,
};

/// The child halves the lab can start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WorkerRole {
    /// Exit at once: the smallest process there is, for measuring creation cost.
    Noop,
    /// A live worker process with its own memory probe.
    Process,
    /// Reports its own private memory, idle and with parked threads, then exits.
    ThreadMemory,
    /// Races on a counter in a memory mapping it shares with its siblings.
    RaceProcess,
    /// Hands a token straight back to the parent, for the context-switch measurement.
    PingPong,
    /// The far end of one IPC method: echoes and drains what the parent sends.
    IpcPeer,
    /// One process of the TLB ring: takes the token, touches its pages, passes it on.
    RingMember,
    /// Threads in a ring taking two locks each, which may deadlock; killed by the parent.
    DeadlockRing,
    /// Several threads, one of which crashes as the parent says (or, as the sibling, none).
    CrashScenario,
    /// Threads running `count += 1` in machine instructions, stepped by the parent with ptrace.
    SteppedRace,
}

/// Runs worker mode as a child of `parent`.
pub fn run(role: WorkerRole, parent: u32) -> ExitCode {
    if role == WorkerRole::Noop {
        return ExitCode::SUCCESS;
    }
    if let Err(e) = die_with_parent() {
        eprintln!("proclab worker: cannot tie to the parent: {e}");
        return ExitCode::FAILURE;
    }
    // The parent may have died before the line above ran; then we were adopted by another.
    let parent_alive = move || parent_id() == Some(parent);
    if !parent_alive() {
        return ExitCode::FAILURE;
    }
    let result = match role {
        WorkerRole::Noop => Ok(()),
        WorkerRole::Process => process_worker::run_child(parent_alive),
        WorkerRole::ThreadMemory => spawn_cost::run_memory_child(),
        WorkerRole::RaceProcess => race::run_child(),
        WorkerRole::PingPong => ctx_switch::run_child(),
        WorkerRole::IpcPeer => ipc::run_child(),
        WorkerRole::RingMember => tlb_ring::run_child(),
        WorkerRole::DeadlockRing => deadlock::run_child(),
        WorkerRole::CrashScenario => crash::run_child(),
        WorkerRole::SteppedRace => stepped::run_child(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe means the parent went away; nothing to report to anyone.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("proclab worker: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Asks the kernel to kill this process when the thread that started it ends.
fn die_with_parent() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))?;
    }
    Ok(())
}

fn parent_id() -> Option<u32> {
    #[cfg(unix)]
    {
        rustix::process::getppid().map(|p| p.as_raw_nonzero().get().unsigned_abs())
    }
    #[cfg(not(unix))]
    {
        None
    }
}
