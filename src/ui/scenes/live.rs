//! What live mode draws into a diagram: the lab's real threads and processes, reduced to the
//! few facts a picture needs, so that painters do not depend on the lab's types.

/// A real worker thread of ProcLab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveThread {
    pub tid: u32,
    /// Address of a local variable on its stack.
    pub stack_addr: usize,
}

/// A real child process of ProcLab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveProcess {
    pub pid: u32,
    pub heap_addr: usize,
    pub static_addr: usize,
    /// The value its heap object holds, as it reported.
    pub value: u64,
}

/// The live facts of one moment, for the threads and processes scenes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Live {
    /// ProcLab's own process id.
    pub pid: u32,
    /// The heap object and static all of ProcLab's threads share.
    pub shared_heap_addr: usize,
    pub shared_static_addr: usize,
    pub threads: Vec<LiveThread>,
    pub processes: Vec<LiveProcess>,
}

impl Live {
    /// The lab's registry as live mode draws it; `None` while no worker runs.
    pub fn from_snapshot(snapshot: &crate::lab::LabSnapshot) -> Option<Self> {
        use crate::lab::WorkerKind;
        if snapshot.workers.is_empty() {
            return None;
        }
        Some(Self {
            pid: snapshot.pid,
            shared_heap_addr: snapshot.shared.heap_addr,
            shared_static_addr: snapshot.shared.static_addr,
            threads: snapshot
                .of_kind(WorkerKind::Thread)
                .map(|w| LiveThread {
                    tid: w.os_id,
                    stack_addr: w.memory.stack_addr,
                })
                .collect(),
            processes: snapshot
                .of_kind(WorkerKind::Process)
                .map(|w| LiveProcess {
                    pid: w.os_id,
                    heap_addr: w.memory.heap_addr,
                    static_addr: w.memory.static_addr,
                    value: w.memory.heap_value,
                })
                .collect(),
        })
    }
}
