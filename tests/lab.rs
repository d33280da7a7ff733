//! The lab against real threads and real child processes: ids, addresses and values read
//! back from the OS and from the workers themselves, caps, and cleanup.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::children_of;
use proclab::lab::limits::{MAX_PROCESSES, MAX_THREADS, STOP_DEADLINE};
use proclab::lab::memory_map::Part;
use proclab::lab::{
    CpuShare, Lab, LabCommand, LabConfig, LabError, LabEvent, LabSnapshot, Load, WorkerKind,
};

fn lab() -> Lab {
    Lab::start(LabConfig {
        worker_exe: PathBuf::from(env!("CARGO_BIN_EXE_proclab")),
        wake: None,
    })
    .unwrap()
}

/// Reads events until a snapshot satisfies `done`, or fails after ten seconds.
fn wait_for(lab: &Lab, what: &str, done: impl Fn(&LabSnapshot) -> bool) -> LabSnapshot {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match lab.events().recv_deadline(deadline) {
            Ok(LabEvent::Snapshot(snapshot)) if done(&snapshot) => return snapshot,
            Ok(LabEvent::Failed(message)) => panic!("the lab failed: {message}"),
            Ok(_) => {}
            Err(_) => panic!("timed out waiting for {what}"),
        }
    }
}

/// Reads events until a refusal arrives and returns its message.
fn wait_for_refusal(lab: &Lab) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match lab.events().recv_deadline(deadline) {
            Ok(LabEvent::Refused(error)) => return error.to_string(),
            Ok(_) => {}
            Err(_) => panic!("no refusal arrived"),
        }
    }
}

fn count(snapshot: &LabSnapshot, kind: WorkerKind) -> usize {
    snapshot.of_kind(kind).count()
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[test]
fn threads_have_their_own_ids_and_stacks_and_share_heap_and_static() {
    let lab = lab();
    lab.send(LabCommand::StartThreads(4));
    let snapshot = wait_for(&lab, "4 threads", |s| count(s, WorkerKind::Thread) == 4);
    let threads: Vec<_> = snapshot.of_kind(WorkerKind::Thread).collect();

    let mut tids: Vec<u32> = threads.iter().map(|t| t.os_id).collect();
    tids.sort_unstable();
    tids.dedup();
    assert_eq!(tids.len(), 4, "every thread has its own TID");
    for thread in &threads {
        assert_ne!(
            thread.os_id, snapshot.pid,
            "a worker is not the main thread"
        );
        let task = format!("/proc/{}/task/{}", snapshot.pid, thread.os_id);
        assert!(
            std::path::Path::new(&task).exists(),
            "{task} is a real thread of ours"
        );
        assert_eq!(
            thread.memory.heap_addr, snapshot.shared.heap_addr,
            "one heap object"
        );
        assert_eq!(
            thread.memory.static_addr, snapshot.shared.static_addr,
            "one static"
        );
    }
    let mut stacks: Vec<usize> = threads.iter().map(|t| t.memory.stack_addr).collect();
    stacks.sort_unstable();
    stacks.dedup();
    assert_eq!(stacks.len(), 4, "every thread has its own stack");
    // Thread stacks are far apart: each is its own mapping, not a slice of one.
    assert!(
        stacks.windows(2).all(|w| w[1] - w[0] > 64 * 1024),
        "{stacks:x?}"
    );
}

#[test]
fn a_write_by_one_thread_is_seen_by_all_threads() {
    let lab = lab();
    lab.send(LabCommand::StartThreads(3));
    let snapshot = wait_for(&lab, "3 threads", |s| count(s, WorkerKind::Thread) == 3);
    let writer = snapshot.workers[0].id;
    let value = 0x5EED_0001;
    lab.send(LabCommand::WriteFrom {
        worker: writer,
        value,
    });
    let seen = wait_for(&lab, "every thread to see the write", |s| {
        s.of_kind(WorkerKind::Thread)
            .all(|t| t.memory.heap_value == value && t.memory.static_value == value)
    });
    assert_eq!(
        seen.shared.heap_value, value,
        "the main process sees it too"
    );
}

#[test]
fn a_childs_write_is_seen_neither_by_the_parent_nor_by_its_sibling() {
    let lab = lab();
    lab.send(LabCommand::StartProcesses(2));
    let snapshot = wait_for(&lab, "2 processes", |s| count(s, WorkerKind::Process) == 2);
    let children: Vec<_> = snapshot.of_kind(WorkerKind::Process).cloned().collect();
    for child in &children {
        assert_ne!(child.os_id, std::process::id());
        assert_eq!(
            parent_of(child.os_id),
            Some(std::process::id()),
            "a real child of ours"
        );
        assert_ne!(child.memory.heap_addr, snapshot.shared.heap_addr);
    }
    let value = 0x5EED_0002;
    lab.send(LabCommand::WriteFrom {
        worker: children[0].id,
        value,
    });
    wait_for(&lab, "the writer to report its write", |s| {
        s.workers
            .iter()
            .any(|w| w.id == children[0].id && w.memory.heap_value == value)
    });
    // The write triggers a re-read by every worker; give the sibling's answer time to arrive,
    // so that the checks below see what it read after the write, not before.
    let mut after = None;
    let settle = Instant::now() + Duration::from_millis(700);
    while let Ok(event) = lab.events().recv_deadline(settle) {
        if let LabEvent::Snapshot(snapshot) = event {
            after = Some(snapshot);
        }
    }
    let after = after.expect("snapshots after the write");
    let writer = after
        .workers
        .iter()
        .find(|w| w.id == children[0].id)
        .unwrap();
    let sibling = after
        .workers
        .iter()
        .find(|w| w.id == children[1].id)
        .unwrap();
    assert_eq!(writer.memory.static_value, value);
    assert_ne!(
        sibling.memory.heap_value, value,
        "the sibling has its own copy"
    );
    assert_ne!(sibling.memory.static_value, value);
    assert_ne!(
        after.shared.heap_value, value,
        "the parent has its own copy"
    );
    assert_ne!(after.shared.static_value, value);

    let pids: Vec<u32> = children.iter().map(|c| c.os_id).collect();
    let took = lab.shutdown();
    assert!(took < Duration::from_secs(1), "stopping took {took:?}");
    for pid in pids {
        assert!(parent_of(pid).is_none(), "child {pid} was not reaped");
    }
}

#[test]
fn stopping_joins_and_reaps_everything_within_a_second() {
    let lab = lab();
    lab.send(LabCommand::StartThreads(8));
    lab.send(LabCommand::StartProcesses(4));
    let snapshot = wait_for(&lab, "8 threads and 4 processes", |s| {
        count(s, WorkerKind::Thread) == 8 && count(s, WorkerKind::Process) == 4
    });
    let stopping = Instant::now();
    lab.send(LabCommand::StopAll);
    let after = wait_for(&lab, "no workers", |s| s.workers.is_empty());
    let took = stopping.elapsed();
    assert!(after.workers.is_empty());
    assert!(took < Duration::from_secs(1), "stopping took {took:?}");
    for worker in &snapshot.workers {
        let path = match worker.kind {
            WorkerKind::Thread => format!("/proc/{}/task/{}", snapshot.pid, worker.os_id),
            WorkerKind::Process => format!("/proc/{}", worker.os_id),
        };
        assert!(
            !std::path::Path::new(&path).exists(),
            "{path} is still there"
        );
    }
}

#[test]
fn a_child_that_cannot_answer_is_killed_at_the_deadline_and_reaped() {
    let lab = lab();
    lab.send(LabCommand::StartProcesses(2));
    let snapshot = wait_for(&lab, "2 processes", |s| count(s, WorkerKind::Process) == 2);
    let frozen = snapshot.of_kind(WorkerKind::Process).next().unwrap().os_id;
    // Our own child, stopped by its id: it cannot see its input close and leave by itself.
    let pid = rustix::process::Pid::from_raw(frozen as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::STOP).unwrap();

    let stopping = Instant::now();
    lab.send(LabCommand::StopAll);
    wait_for(&lab, "no workers", |s| s.workers.is_empty());
    assert!(
        stopping.elapsed() >= STOP_DEADLINE,
        "the frozen child was waited for"
    );
    assert!(
        parent_of(frozen).is_none(),
        "the frozen child was killed and reaped"
    );
}

#[test]
fn asking_for_more_than_the_cap_is_refused_and_starts_nothing() {
    let lab = lab();
    lab.send(LabCommand::StartThreads(MAX_THREADS + 1));
    let message = wait_for_refusal(&lab);
    assert!(
        message.contains(&format!("at most {MAX_THREADS} threads")),
        "{message}"
    );

    lab.send(LabCommand::StartThreads(MAX_THREADS - 2));
    wait_for(&lab, "threads up to near the cap", |s| {
        count(s, WorkerKind::Thread) == (MAX_THREADS - 2) as usize
    });
    lab.send(LabCommand::StartThreads(3));
    let message = wait_for_refusal(&lab);
    assert!(message.contains("none were started"), "{message}");

    lab.send(LabCommand::StartProcesses(MAX_PROCESSES + 1));
    let message = wait_for_refusal(&lab);
    assert!(
        message.contains(&format!("at most {MAX_PROCESSES} processes")),
        "{message}"
    );

    let snapshot = wait_for(&lab, "the registry after the refusals", |_| true);
    assert_eq!(
        count(&snapshot, WorkerKind::Thread),
        (MAX_THREADS - 2) as usize
    );
    assert_eq!(count(&snapshot, WorkerKind::Process), 0);
    let pid = snapshot.pid;
    let tids: Vec<u32> = snapshot.workers.iter().map(|w| w.os_id).collect();
    drop(lab);
    for tid in tids {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}/task/{tid}")).exists(),
            "thread {tid} leaked"
        );
    }
}

#[test]
fn the_os_reports_states_cpu_time_and_context_switches() {
    let lab = lab();
    // Busy workers, so that the scheduler has switches to count.
    lab.send(LabCommand::SetLoad(Load::CpuBound));
    lab.send(LabCommand::StartThreads(2));
    lab.send(LabCommand::StartProcesses(1));
    let switches = |w: &proclab::lab::WorkerRow| {
        w.os.voluntary_switches.unwrap_or(0) + w.os.involuntary_switches.unwrap_or(0)
    };
    let snapshot = wait_for(&lab, "switches counted", |s| {
        s.workers.len() == 3 && s.workers.iter().all(|w| switches(w) >= 3)
    });
    for worker in &snapshot.workers {
        assert!(worker.os.state.is_some());
        assert!(worker.os.cpu_time.is_some());
    }
    let process = snapshot.of_kind(WorkerKind::Process).next().unwrap();
    assert!(
        process.os.resident_bytes.unwrap() > 100 * 1024,
        "{:?}",
        process.os
    );
}

#[test]
fn the_program_on_disk_and_the_process_in_memory_are_read_for_real() {
    use proclab::lab::memory_map::Part;
    let lab = lab();
    lab.send(LabCommand::StartThreads(2));
    let snapshot = wait_for(&lab, "2 threads", |s| count(s, WorkerKind::Thread) == 2);
    lab.send(LabCommand::ReadMemoryMap);
    let deadline = Instant::now() + Duration::from_secs(10);
    let map = loop {
        match lab.events().recv_deadline(deadline) {
            Ok(LabEvent::MemoryMap(map)) => break map,
            Ok(LabEvent::Failed(message)) => panic!("{message}"),
            Ok(_) => {}
            Err(_) => panic!("no memory map arrived"),
        }
    };
    let section = |name: &str| map.sections.iter().find(|s| s.name == name).unwrap();
    assert!(section(".text").size > 0);
    assert!(section(".bss").size > 0);
    assert_eq!(
        section(".bss").file_size,
        0,
        ".bss takes no bytes in the file"
    );
    assert_eq!(section(".data").file_size, section(".data").size);

    let regions = map.regions.as_ref().expect("Linux offers /proc/<pid>/maps");
    for part in [Part::Code, Part::Data, Part::MainStack, Part::Library] {
        assert!(regions.iter().any(|r| r.part == part), "no {part:?} region");
    }
    let code = regions.iter().find(|r| r.part == Part::Code).unwrap();
    assert!(code.permissions.contains('x') && !code.permissions.contains('w'));
    // Each worker's stack is found in the map, under its own thread id.
    for thread in snapshot.of_kind(WorkerKind::Thread) {
        let region = regions
            .iter()
            .find(|r| r.thread == Some(thread.os_id))
            .unwrap_or_else(|| panic!("no stack region for thread {}", thread.os_id));
        assert_eq!(region.part, Part::ThreadStack);
        assert!((region.start..region.end).contains(&(thread.memory.stack_addr as u64)));
    }
}

#[test]
fn a_child_that_dies_on_its_own_is_reaped_and_reported() {
    let lab = lab();
    lab.send(LabCommand::StartProcesses(2));
    let snapshot = wait_for(&lab, "2 processes", |s| count(s, WorkerKind::Process) == 2);
    let victim = snapshot.of_kind(WorkerKind::Process).next().unwrap().os_id;
    // Our own child, killed by its id, as a crash would end it.
    let pid = rustix::process::Pid::from_raw(victim as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::KILL).unwrap();

    let deadline = Instant::now() + Duration::from_secs(10);
    let mut reported = false;
    loop {
        match lab.events().recv_deadline(deadline) {
            Ok(LabEvent::Failed(error)) => {
                assert!(
                    matches!(error, LabError::ChildEnded { pid, .. } if pid == victim),
                    "{error}"
                );
                reported = true;
            }
            Ok(LabEvent::Snapshot(s)) if reported && count(&s, WorkerKind::Process) == 1 => break,
            Ok(_) => {}
            Err(_) => panic!("the dead child was not reaped and reported"),
        }
    }
    assert!(parent_of(victim).is_none(), "no zombie left behind");
    // Its place under the cap is free again.
    lab.send(LabCommand::StartProcesses(MAX_PROCESSES - 1));
    wait_for(&lab, "the cap's worth of processes", |s| {
        count(s, WorkerKind::Process) == MAX_PROCESSES as usize
    });
}

#[test]
fn cpu_bound_workers_really_compete_for_the_cpus_and_light_ones_do_not() {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = cpus * 2 + 1;
    let lab = lab();
    lab.send(LabCommand::SetLoad(Load::CpuBound));
    lab.send(LabCommand::StartThreads(workers as u32));
    // Two readings after start, so that every row has a share of a whole interval.
    let shared =
        |s: &LabSnapshot| s.workers.len() == workers && s.workers.iter().all(|w| w.share.is_some());
    wait_for(&lab, "every thread's first share", shared);
    let snapshot = wait_for(&lab, "a second share", shared);
    assert_eq!(snapshot.load, Load::CpuBound);
    let shares: Vec<CpuShare> = snapshot.workers.iter().filter_map(|w| w.share).collect();
    let on_cpu: f64 = shares.iter().map(|s| s.on_cpu).sum();
    // More workers than CPUs: together they cannot have used more than every CPU...
    assert!(
        on_cpu <= cpus as f64 + 0.25,
        "{on_cpu} CPUs' worth on {cpus}"
    );
    // ...so they waited for one, and the scheduler took the CPU away from them.
    let waited = shares.iter().filter(|s| s.waiting > 0.05).count();
    assert!(waited > workers / 2, "{shares:?}");
    assert!(
        snapshot
            .workers
            .iter()
            .all(|w| w.os.involuntary_switches.is_some_and(|n| n > 0)),
        "{:?}",
        snapshot.workers
    );

    // Parked again: they wait for orders and use no CPU.
    lab.send(LabCommand::SetLoad(Load::Parked));
    let parked = |s: &LabSnapshot| {
        s.load == Load::Parked
            && s.workers.len() == workers
            && s.workers
                .iter()
                .all(|w| w.share.is_some_and(|s| s.on_cpu < 0.01))
    };
    wait_for(&lab, "every worker parked", parked);
}

#[test]
fn each_thread_allocates_its_own_block_and_its_region_is_named() {
    let lab = lab();
    lab.send(LabCommand::StartThreads(2));
    lab.send(LabCommand::StartProcesses(1));
    let snapshot = wait_for(&lab, "the workers", |s| s.workers.len() == 3);
    assert!(snapshot.shared_heap_region.is_some());
    for worker in &snapshot.workers {
        assert_ne!(worker.memory.own_heap_addr, worker.memory.heap_addr);
        // Heap memory, wherever the allocator put it: the main arena or a thread's arena.
        for region in [worker.regions.heap, worker.regions.own_heap] {
            assert!(
                matches!(region, Some(Part::Heap | Part::Anonymous)),
                "{region:?} for {worker:?}"
            );
        }
    }
    let threads: Vec<_> = snapshot.of_kind(WorkerKind::Thread).collect();
    assert_ne!(
        threads[0].memory.own_heap_addr,
        threads[1].memory.own_heap_addr
    );
}

#[test]
fn an_idle_lab_sends_nothing() {
    let lab = lab();
    lab.send(LabCommand::StartThreads(2));
    lab.send(LabCommand::StartProcesses(1));
    // Settled: every worker has reported and has a share of a whole interval, spent parked.
    wait_for(&lab, "parked workers", |s| {
        s.workers.len() == 3
            && s.workers
                .iter()
                .all(|w| w.share.is_some_and(|s| s.on_cpu == 0.0))
    });
    // Let the last reading that changed anything go out, then listen.
    std::thread::sleep(Duration::from_millis(600));
    while lab.events().try_recv().is_ok() {}
    let quiet = Instant::now() + Duration::from_millis(1200);
    let heard = lab.events().recv_deadline(quiet);
    assert!(heard.is_err(), "an idle lab sent {heard:?}");
}

#[test]
fn stop_all_during_the_start_of_sixteen_children_is_quick_and_leaves_nothing() {
    // Children that start but never report, as a hung or foreign program would: a lab that
    // waited for each one's first report would not hear Stop all for a long time.
    let dir = tempfile::tempdir().unwrap();
    let silent = dir.path().join("silent-worker");
    std::fs::write(&silent, "#!/bin/sh\nexec sleep 30\n").unwrap();
    std::fs::set_permissions(&silent, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let lab = Lab::start(LabConfig {
        worker_exe: silent,
        wake: None,
    })
    .unwrap();
    lab.send(LabCommand::StartProcesses(MAX_PROCESSES));
    let deadline = Instant::now() + Duration::from_secs(10);
    while silent_children().is_empty() {
        assert!(Instant::now() < deadline, "no child was started");
        std::thread::sleep(Duration::from_millis(5));
    }
    let asked = Instant::now();
    lab.send(LabCommand::StopAll);
    lab.shutdown();
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "{:?}",
        asked.elapsed()
    );
    let left = silent_children();
    assert!(left.is_empty(), "left running: {left:?}");
}

/// Our children running the silent worker (`sleep`), from `/proc`; zombies do not count.
fn silent_children() -> Vec<u32> {
    children_of(std::process::id())
        .into_iter()
        .filter(|&pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "sleep")
        })
        .filter(|&pid| is_alive(pid))
        .collect()
}

fn is_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
            .is_some_and(|state| state != 'Z' && state != 'X')
    })
}
