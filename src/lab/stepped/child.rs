//! The child's half of the stepped race: T threads that each run the same tiny loop of
//! `count += 1` as load, add and store, written in machine instructions so that every build
//! runs exactly the instructions the listing shows. The parent stops them with ptrace; this
//! side only starts them, says where they are, and waits to be killed.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::super::child::{from_parent, to_parent};

/// The worker-mode role of the stepped child.
pub const CHILD_ROLE: &str = "stepped-race";

/// What the parent tells the stepped child.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToChild {
    /// Start this many threads at the gate.
    Start { threads: u32 },
}

/// What the stepped child tells the parent: where everything is, once every thread waits
/// at the gate.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FromChild {
    Ready {
        /// Each thread's kernel id, in the order the threads were started.
        tids: Vec<i32>,
        /// The address of the loop's machine code.
        code: u64,
        /// The address of the shared counter.
        count: u64,
        /// The address of the gate word the parent writes to let the threads in.
        gate: u64,
    },
    /// This machine cannot run the loop.
    Unsupported { reason: String },
}

/// The gate the threads wait at: `open` is written by the parent; `arrived` counts the
/// threads that reached it.
#[repr(C)]
struct Gate {
    open: AtomicU64,
    arrived: AtomicU64,
}

static GATE: Gate = Gate {
    open: AtomicU64::new(0),
    arrived: AtomicU64::new(0),
};

/// The counter every thread adds to.
static COUNT: AtomicU64 = AtomicU64::new(0);

/// The loop: say "arrived", wait at the gate, then forever load `count` into rax, add one,
/// store it back, and count the increment in rdx, which no other thread can see. rdi holds
/// the counter's address, rsi the gate's.
#[cfg(target_arch = "x86_64")]
#[unsafe(naked)]
extern "C" fn counting_loop(count: *mut u64, gate: *const Gate) -> ! {
    core::arch::naked_asm!(
        "lock add qword ptr [rsi + 8], 1",
        "2:",
        "pause",
        "cmp qword ptr [rsi], 0",
        "je 2b",
        "xor edx, edx",
        "3:",
        "mov rax, qword ptr [rdi]",
        "add rax, 1",
        "mov qword ptr [rdi], rax",
        "add rdx, 1",
        "jmp 3b",
    )
}

/// Starts the threads, waits until all are at the gate, says where things are, and then
/// waits for the parent, which kills this process when it is done.
pub fn run_child() -> io::Result<()> {
    let mut orders = from_parent::<ToChild>();
    let Some(ToChild::Start { threads }) = orders.next() else {
        return Err(io::Error::other("expected how many threads to start"));
    };
    let ready = start_threads(threads)?;
    to_parent(&ready)?;
    // Nothing more is asked; the parent kills us, or closes our input when it goes.
    for _ in orders {}
    Ok(())
}

#[cfg(target_arch = "x86_64")]
fn start_threads(threads: u32) -> io::Result<FromChild> {
    let (send, tids) = std::sync::mpsc::channel();
    for i in 0..threads {
        let send = send.clone();
        std::thread::Builder::new()
            .name(format!("stepped-{i}"))
            .spawn(move || {
                let _ = send.send((i, rustix::thread::gettid().as_raw_nonzero().get()));
                counting_loop(COUNT.as_ptr(), &GATE)
            })?;
    }
    let mut started: Vec<(u32, i32)> = tids.iter().take(threads as usize).collect();
    started.sort_unstable();
    let tids = started.into_iter().map(|(_, tid)| tid).collect();
    while GATE.arrived.load(Ordering::Acquire) < u64::from(threads) {
        std::thread::sleep(Duration::from_micros(200));
    }
    Ok(FromChild::Ready {
        tids,
        code: counting_loop as *const () as u64,
        count: COUNT.as_ptr() as u64,
        gate: &GATE.open as *const AtomicU64 as u64,
    })
}

#[cfg(not(target_arch = "x86_64"))]
fn start_threads(_: u32) -> io::Result<FromChild> {
    Ok(FromChild::Unsupported {
        reason: format!(
            "the stepped loop is written for x86_64; this is {}",
            std::env::consts::ARCH
        ),
    })
}
