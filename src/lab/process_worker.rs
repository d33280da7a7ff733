//! Worker child processes, both halves: the parent's handle, and the child's loop. A child
//! has its own copy of the probe (its own static, its own heap object), so a write there is
//! invisible to ProcLab and to its sibling processes.

use std::io;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;
use serde::{Deserialize, Serialize};

use super::child::{ChildProcess, from_parent, to_parent};
use super::model::{MemoryReport, WorkerId};
use super::probe::{HeapProbe, OwnBlock};
use super::thread_worker::Reply;
use super::work_loop::{self, Order};

/// The worker-mode role name of these children.
pub const ROLE: &str = "process";

/// One line from a child: its probe as it sees it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct ChildReport {
    pid: u32,
    memory: MemoryReport,
}

/// A running worker child, as the parent holds it.
pub struct ProcessWorker {
    pub id: WorkerId,
    pub name: String,
    /// When it was started: a child that has not reported by [`START_TIMEOUT`] is given up.
    pub started_at: Instant,
    child: ChildProcess,
}

/// How long a child may take to send its first report.
pub const START_TIMEOUT: Duration = Duration::from_secs(5);

impl ProcessWorker {
    /// Starts a child and returns at once; its reports, the first one included, arrive on
    /// `replies`. Only starting the program can fail here.
    pub fn spawn(
        exe: &Path,
        id: WorkerId,
        name: String,
        replies: Sender<Reply>,
    ) -> io::Result<Self> {
        let child = ChildProcess::spawn(exe, ROLE, move |report: ChildReport| {
            let _ = replies.send(Reply {
                worker: id,
                memory: report.memory,
            });
        })?;
        Ok(Self {
            id,
            name,
            started_at: Instant::now(),
            child,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.pid()
    }

    /// The exit status, if the child has ended on its own.
    pub fn exit_status(&mut self) -> Option<std::process::ExitStatus> {
        self.child.exit_status()
    }

    pub fn order(&mut self, order: Order) {
        self.child.send(&order);
    }

    pub fn request_stop(&mut self) {
        self.child.request_stop();
    }

    /// Waits for the child until `deadline`, kills it if needed, and reaps it.
    pub fn stop(self, deadline: Instant) {
        // The child is reaped by `stop` or, failing that, by the drop of `ChildProcess`.
        let _ = self.child.stop(deadline);
    }
}

/// The child's half: report the probe, then run the work loop obeying orders from standard
/// input until it closes or the parent is gone.
pub fn run_child(parent_alive: impl Fn() -> bool) -> io::Result<()> {
    let probe = HeapProbe::new();
    let own = OwnBlock::allocate();
    let report = |probe: &std::sync::Arc<HeapProbe>| {
        to_parent(&ChildReport {
            pid: std::process::id(),
            memory: probe.report(&own),
        })
    };
    report(&probe)?;

    let (orders, inbox) = crossbeam_channel::unbounded();
    // Standard input closes when the parent stops us or dies: either way, finish.
    std::thread::Builder::new()
        .name("orders".into())
        .spawn(move || {
            for order in from_parent::<Order>() {
                if orders.send(order).is_err() {
                    break;
                }
            }
        })?;

    let mut failure = None;
    work_loop::run(
        &inbox,
        |order| {
            if let Order::Write(value) = order {
                probe.write(value);
            }
            match report(&probe) {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    failure = Some(e);
                    ControlFlow::Break(())
                }
            }
        },
        || {
            if parent_alive() {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            }
        },
    );
    failure.map_or(Ok(()), Err)
}
