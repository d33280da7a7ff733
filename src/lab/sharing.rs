//! What a snapshot of the lab shows about sharing, worked out from its rows: each claim the
//! evidence panel makes ("threads share the heap", "processes keep their own copies") is a
//! finding that holds, is contradicted, or has not been shown yet, never a fixed sentence.

use super::model::{LabSnapshot, WorkerKind, WorkerRow};

/// How the rows bear on one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// The rows show it.
    Holds,
    /// The rows show the opposite.
    Contradicted,
    /// The rows say nothing about it yet (too few workers, or no write made).
    NotShownYet,
}

impl Finding {
    fn from_check(applies: bool, holds: bool) -> Self {
        match (applies, holds) {
            (false, _) => Finding::NotShownYet,
            (true, true) => Finding::Holds,
            (true, false) => Finding::Contradicted,
        }
    }
}

/// The claims about sharing, each judged from the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharingVerdict {
    /// Every worker thread has a stack address of its own (needs two threads).
    pub thread_stacks_private: Finding,
    /// Every worker thread sees the heap object and the static at ProcLab's own addresses.
    pub threads_share_addresses: Finding,
    /// After a thread wrote, ProcLab and every thread read the new value back.
    pub thread_write_seen_by_all: Finding,
    /// After a child process wrote, nobody else read the new value: each has its own copy.
    pub process_write_private: Finding,
}

/// Judges every claim from `snapshot`.
pub fn verdict(snapshot: &LabSnapshot) -> SharingVerdict {
    let threads: Vec<&WorkerRow> = snapshot.of_kind(WorkerKind::Thread).collect();
    let mut stacks: Vec<usize> = threads.iter().map(|t| t.memory.stack_addr).collect();
    stacks.sort_unstable();
    stacks.dedup();
    let shared = &snapshot.shared;
    let same_addresses = threads.iter().all(|t| {
        t.memory.heap_addr == shared.heap_addr && t.memory.static_addr == shared.static_addr
    });
    let writer = snapshot.last_write.and_then(|w| {
        snapshot
            .workers
            .iter()
            .find(|r| r.id == w.writer)
            .map(|r| (w, r))
    });
    let thread_write = writer.filter(|(_, row)| row.kind == WorkerKind::Thread);
    let process_write = writer.filter(|(_, row)| row.kind == WorkerKind::Process);
    let seen = |row: &WorkerRow, value: u64| {
        row.memory.heap_value == value && row.memory.static_value == value
    };
    SharingVerdict {
        thread_stacks_private: Finding::from_check(
            threads.len() >= 2,
            stacks.len() == threads.len(),
        ),
        threads_share_addresses: Finding::from_check(!threads.is_empty(), same_addresses),
        thread_write_seen_by_all: Finding::from_check(
            thread_write.is_some(),
            thread_write.is_some_and(|(write, _)| {
                threads.iter().all(|t| seen(t, write.value))
                    && shared.heap_value == write.value
                    && shared.static_value == write.value
            }),
        ),
        process_write_private: Finding::from_check(
            process_write.is_some(),
            process_write.is_some_and(|(write, writer)| {
                let others_saw_it =
                    snapshot
                        .workers
                        .iter()
                        .filter(|r| r.id != writer.id)
                        .any(|r| {
                            r.memory.heap_value == write.value
                                || r.memory.static_value == write.value
                        });
                let proclab_saw_it =
                    shared.heap_value == write.value || shared.static_value == write.value;
                seen(writer, write.value) && !others_saw_it && !proclab_saw_it
            }),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::model::{MemoryReport, WorkerId, Write};

    fn row(id: u32, kind: WorkerKind, memory: MemoryReport) -> WorkerRow {
        WorkerRow {
            id: WorkerId(id),
            kind,
            os_id: 100 + id,
            name: format!("w{id}"),
            os: Default::default(),
            share: None,
            memory,
            regions: Default::default(),
        }
    }

    fn memory(stack: usize, heap: usize, value: u64) -> MemoryReport {
        MemoryReport {
            stack_addr: stack,
            heap_addr: heap,
            own_heap_addr: heap + 0x100,
            static_addr: 0x5000,
            heap_value: value,
            static_value: value,
        }
    }

    /// ProcLab with two threads sharing its heap object and two children with their own.
    fn honest() -> LabSnapshot {
        LabSnapshot {
            pid: 1,
            shared: memory(0x7000, 0x1000, 0),
            workers: vec![
                row(1, WorkerKind::Thread, memory(0x7100, 0x1000, 0)),
                row(2, WorkerKind::Thread, memory(0x7200, 0x1000, 0)),
                row(3, WorkerKind::Process, memory(0x9100, 0x2000, 0)),
                row(4, WorkerKind::Process, memory(0x9200, 0x3000, 0)),
            ],
            ..Default::default()
        }
    }

    fn write(snapshot: &mut LabSnapshot, writer: u32, readers: &[u32], proclab: bool) {
        let value = 7;
        for row in &mut snapshot.workers {
            if row.id.0 == writer || readers.contains(&row.id.0) {
                row.memory.heap_value = value;
                row.memory.static_value = value;
            }
        }
        if proclab {
            snapshot.shared.heap_value = value;
            snapshot.shared.static_value = value;
        }
        snapshot.last_write = Some(Write {
            writer: WorkerId(writer),
            value,
        });
    }

    #[test]
    fn honest_rows_support_the_claims_and_unmade_writes_are_not_claimed() {
        let v = verdict(&honest());
        assert_eq!(v.thread_stacks_private, Finding::Holds);
        assert_eq!(v.threads_share_addresses, Finding::Holds);
        assert_eq!(v.thread_write_seen_by_all, Finding::NotShownYet);
        assert_eq!(v.process_write_private, Finding::NotShownYet);
    }

    #[test]
    fn the_verdict_turns_when_the_rows_contradict_it() {
        let mut shared_stack = honest();
        shared_stack.workers[1].memory.stack_addr = shared_stack.workers[0].memory.stack_addr;
        assert_eq!(
            verdict(&shared_stack).thread_stacks_private,
            Finding::Contradicted
        );

        let mut own_heap = honest();
        own_heap.workers[1].memory.heap_addr = 0x4000;
        assert_eq!(
            verdict(&own_heap).threads_share_addresses,
            Finding::Contradicted
        );

        let mut thread_write = honest();
        write(&mut thread_write, 1, &[2], true);
        assert_eq!(
            verdict(&thread_write).thread_write_seen_by_all,
            Finding::Holds
        );
        let mut unseen = honest();
        write(&mut unseen, 1, &[], true);
        assert_eq!(
            verdict(&unseen).thread_write_seen_by_all,
            Finding::Contradicted
        );

        let mut process_write = honest();
        write(&mut process_write, 3, &[], false);
        assert_eq!(
            verdict(&process_write).process_write_private,
            Finding::Holds
        );
        let mut leaked = honest();
        write(&mut leaked, 3, &[4], false);
        assert_eq!(
            verdict(&leaked).process_write_private,
            Finding::Contradicted
        );
    }

    #[test]
    fn one_thread_says_nothing_about_private_stacks() {
        let mut one = honest();
        one.workers.remove(1);
        assert_eq!(verdict(&one).thread_stacks_private, Finding::NotShownYet);
        one.workers.retain(|w| w.kind == WorkerKind::Process);
        assert_eq!(verdict(&one).threads_share_addresses, Finding::NotShownYet);
    }
}
