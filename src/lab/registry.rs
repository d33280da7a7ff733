//! The lab's registry of live workers, run by one supervisor thread that owns every worker
//! thread and child process. Callers send commands and read events; they never wait on a
//! spawn or on `/proc`, which is what lets the UI stay responsive.
//!
//! The supervisor is also the thread that starts every child, which matters on Linux: the
//! parent-death signal fires when the starting *thread* ends, so children must be started
//! from a thread that lives as long as the lab does.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select};

use super::error::LabError;
use super::limits::{MAX_PROCESSES, MAX_THREADS, SAMPLE_INTERVAL, STOP_DEADLINE};
use super::memory_map::{self, Part};
use super::model::{
    CpuShare, HeapRegions, LabCommand, LabEvent, LabSnapshot, Load, MemoryReport, OsSample,
    WorkerId, WorkerKind, WorkerRow, Write,
};
use super::os;
use super::probe::{HeapProbe, OwnBlock};
use super::process_worker::{ProcessWorker, START_TIMEOUT};
use super::thread_worker::{Reply, ThreadWorker};
use super::work_loop::Order;

/// Called after every event, from the supervisor thread: the UI passes a repaint request.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// How to run a lab.
#[derive(Clone)]
pub struct LabConfig {
    /// The ProcLab executable to start children from (worker mode).
    pub worker_exe: PathBuf,
    pub wake: Option<Wake>,
}

impl LabConfig {
    /// Children from the running executable.
    pub fn for_this_program() -> io::Result<Self> {
        Ok(Self {
            worker_exe: std::env::current_exe()?,
            wake: None,
        })
    }
}

enum Control {
    Command(LabCommand),
    Shutdown,
}

/// A running lab. Dropping it stops, joins and reaps every worker.
pub struct Lab {
    control: Sender<Control>,
    events: Receiver<LabEvent>,
    supervisor: Option<JoinHandle<()>>,
}

/// Distinguishes labs in thread names, so that the threads of one lab can be told apart.
static LAB_NUMBER: AtomicU32 = AtomicU32::new(1);

impl Lab {
    /// Starts the supervisor; no workers run until asked for.
    ///
    /// The heap object the worker threads share is allocated here, on the calling thread: on
    /// the app's main thread the C library serves it from the main arena, the `[heap]` region,
    /// while each worker's own block comes from the arena of the thread that allocates it.
    pub fn start(config: LabConfig) -> io::Result<Self> {
        let (control, inbox) = crossbeam_channel::unbounded();
        let (events_out, events) = crossbeam_channel::unbounded();
        let number = LAB_NUMBER.fetch_add(1, Ordering::Relaxed);
        let shared = (HeapProbe::new(), OwnBlock::allocate());
        let supervisor = std::thread::Builder::new()
            .name(format!("lab{number}"))
            .spawn(move || Supervisor::new(config, number, shared, events_out).run(&inbox))?;
        Ok(Self {
            control,
            events,
            supervisor: Some(supervisor),
        })
    }

    /// Asks the lab to do something; the outcome arrives as events.
    pub fn send(&self, command: LabCommand) {
        // The supervisor only ends when the lab is dropped.
        let _ = self.control.send(Control::Command(command));
    }

    /// The events from the lab, to read with `try_iter` or `recv_timeout`.
    pub fn events(&self) -> &Receiver<LabEvent> {
        &self.events
    }

    /// Stops every worker and the supervisor; returns how long that took.
    pub fn shutdown(mut self) -> Duration {
        let start = Instant::now();
        self.stop_supervisor();
        start.elapsed()
    }

    fn stop_supervisor(&mut self) {
        let _ = self.control.send(Control::Shutdown);
        if let Some(supervisor) = self.supervisor.take() {
            let _ = supervisor.join();
        }
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        self.stop_supervisor();
    }
}

struct Supervisor {
    config: LabConfig,
    lab_number: u32,
    pid: u32,
    probe: Arc<HeapProbe>,
    /// ProcLab's own heap block, allocated with the probe.
    own: OwnBlock,
    /// Where the shared heap object lies in ProcLab's map, looked up once.
    shared_heap_region: Option<Part>,
    threads: Vec<ThreadWorker>,
    processes: Vec<ProcessWorker>,
    rows: BTreeMap<WorkerId, WorkerRow>,
    next_id: u32,
    events: Sender<LabEvent>,
    replies: Sender<Reply>,
    reply_inbox: Receiver<Reply>,
    /// After a write, the worker and value whose reply triggers a re-read by everyone. The
    /// value tells the reply to this write from a reply to an earlier order still queued.
    awaiting_write: Option<(WorkerId, u64)>,
    /// A write whose re-reads are still coming back, and the workers yet to answer.
    rereading: Option<(Write, BTreeSet<WorkerId>)>,
    /// The last write every worker has read back after.
    last_write: Option<Write>,
    load: Load,
    last_sample: Instant,
    /// The last snapshot sent.
    published: Option<LabSnapshot>,
    changed: bool,
}

impl Supervisor {
    fn new(
        config: LabConfig,
        lab_number: u32,
        (probe, own): (Arc<HeapProbe>, OwnBlock),
        events: Sender<LabEvent>,
    ) -> Self {
        let (replies, reply_inbox) = crossbeam_channel::unbounded();
        let pid = std::process::id();
        let shared_heap_region = memory_map::process_regions(pid, &config.worker_exe, &[])
            .and_then(|regions| memory_map::part_of(&regions, probe.report(&own).heap_addr));
        Self {
            config,
            lab_number,
            pid,
            probe,
            own,
            shared_heap_region,
            threads: Vec::new(),
            processes: Vec::new(),
            rows: BTreeMap::new(),
            next_id: 1,
            events,
            replies,
            reply_inbox,
            awaiting_write: None,
            rereading: None,
            last_write: None,
            load: Load::Parked,
            last_sample: Instant::now(),
            published: None,
            changed: true,
        }
    }

    fn run(mut self, inbox: &Receiver<Control>) {
        let mut next_sample = Instant::now();
        loop {
            let reply_inbox = self.reply_inbox.clone();
            select! {
                recv(inbox) -> control => match control {
                    Ok(Control::Command(command)) => self.handle(command),
                    Ok(Control::Shutdown) | Err(_) => break,
                },
                recv(reply_inbox) -> reply => {
                    if let Ok(reply) = reply {
                        self.on_reply(reply);
                    }
                },
                recv(crossbeam_channel::at(next_sample)) -> _ => {
                    self.sample();
                    next_sample = Instant::now() + SAMPLE_INTERVAL;
                },
            }
            // Replies come in bursts (one per worker); publish once the burst is read.
            if self.changed && self.reply_inbox.is_empty() {
                self.publish();
            }
        }
        self.stop_all();
    }

    fn handle(&mut self, command: LabCommand) {
        match command {
            LabCommand::StartThreads(count) => self.start_threads(count),
            LabCommand::StartProcesses(count) => self.start_processes(count),
            LabCommand::WriteFrom { worker, value } => self.write_from(worker, value),
            LabCommand::StopAll => {
                self.stop_all();
                self.changed = true;
            }
            LabCommand::ReadMemoryMap => self.read_memory_map(),
            LabCommand::SetLoad(load) => {
                self.load = load;
                self.order_all(Order::Load(load));
                self.changed = true;
            }
        }
    }

    fn emit(&self, event: LabEvent) {
        let _ = self.events.send(event);
        if let Some(wake) = &self.config.wake {
            wake();
        }
    }

    /// Refuses a request that would pass the cap.
    fn refuse_over_cap(&self, kind: WorkerKind, asked: u32, running: usize, cap: u32) -> bool {
        let total = running as u64 + u64::from(asked);
        if asked == 0 || total > u64::from(cap) {
            self.emit(LabEvent::Refused(LabError::OverCap {
                kind,
                asked,
                running,
                cap,
            }));
            return true;
        }
        false
    }

    fn next_worker(&mut self, prefix: &str) -> (WorkerId, String) {
        let id = WorkerId(self.next_id);
        self.next_id += 1;
        // Linux keeps 15 bytes of a thread name; this stays within them.
        (id, format!("pl{}-{prefix}{}", self.lab_number, id.0))
    }

    fn start_threads(&mut self, count: u32) {
        if self.refuse_over_cap(WorkerKind::Thread, count, self.threads.len(), MAX_THREADS) {
            return;
        }
        let (probe, replies) = (Arc::clone(&self.probe), self.replies.clone());
        let started = self.start_batch(count, WorkerKind::Thread, |id, name| {
            ThreadWorker::spawn(id, name, Arc::clone(&probe), replies.clone())
        });
        self.threads.extend(started);
    }

    fn start_processes(&mut self, count: u32) {
        if self.refuse_over_cap(
            WorkerKind::Process,
            count,
            self.processes.len(),
            MAX_PROCESSES,
        ) {
            return;
        }
        let (exe, replies) = (self.config.worker_exe.clone(), self.replies.clone());
        let started = self.start_batch(count, WorkerKind::Process, |id, name| {
            ProcessWorker::spawn(&exe, id, name, replies.clone())
        });
        self.processes.extend(started);
    }

    /// Starts `count` workers with `spawn`. If one fails, those already started for this
    /// request are stopped again, so a request never leaves anything half-started.
    fn start_batch<W: Worker>(
        &mut self,
        count: u32,
        kind: WorkerKind,
        mut spawn: impl FnMut(WorkerId, String) -> io::Result<W>,
    ) -> Vec<W> {
        let prefix = match kind {
            WorkerKind::Thread => "t",
            WorkerKind::Process => "p",
        };
        let mut started = Vec::new();
        for _ in 0..count {
            let (id, name) = self.next_worker(prefix);
            match spawn(id, name) {
                Ok(worker) => started.push(worker),
                Err(e) => {
                    W::stop_all(started);
                    self.emit(LabEvent::Failed(LabError::StartFailed {
                        kind,
                        reason: e.to_string(),
                    }));
                    return Vec::new();
                }
            }
        }
        for worker in &mut started {
            if self.load != Load::Parked {
                worker.order(Order::Load(self.load));
            }
            // A child's row appears with its first report, which arrives on its own.
            if let Some(memory) = worker.first_report() {
                self.add_row(worker.row(memory));
            }
        }
        self.sample();
        started
    }

    /// Registers a worker that has reported for the first time.
    fn add_row(&mut self, mut row: WorkerRow) {
        row.regions = self.heap_regions(row.kind, row.os_id, &row.memory);
        self.rows.insert(row.id, row);
        self.changed = true;
    }

    /// Where a worker's heap addresses lie: in ProcLab's map for a thread, in its own for a
    /// child. Read once, at start: the addresses never move.
    fn heap_regions(&self, kind: WorkerKind, os_id: u32, memory: &MemoryReport) -> HeapRegions {
        let pid = match kind {
            WorkerKind::Thread => self.pid,
            WorkerKind::Process => os_id,
        };
        let Some(regions) = memory_map::process_regions(pid, &self.config.worker_exe, &[]) else {
            return HeapRegions::default();
        };
        HeapRegions {
            heap: memory_map::part_of(&regions, memory.heap_addr),
            own_heap: memory_map::part_of(&regions, memory.own_heap_addr),
        }
    }

    /// Sends `order` to every worker, threads and children.
    fn order_all(&mut self, order: Order) {
        for thread in &self.threads {
            thread.order(order);
        }
        for process in &mut self.processes {
            process.order(order);
        }
    }

    fn write_from(&mut self, worker: WorkerId, value: u64) {
        let order = Order::Write(value);
        if let Some(thread) = self.threads.iter().find(|t| t.id == worker) {
            thread.order(order);
        } else if let Some(process) = self.processes.iter_mut().find(|p| p.id == worker) {
            process.order(order);
        } else {
            self.emit(LabEvent::Refused(LabError::NoSuchWorker(worker.0)));
            return;
        }
        self.awaiting_write = Some((worker, value));
    }

    fn on_reply(&mut self, reply: Reply) {
        if let Some(row) = self.rows.get_mut(&reply.worker) {
            row.memory = reply.memory;
            self.changed = true;
        } else if let Some(process) = self.processes.iter().find(|p| p.id == reply.worker) {
            let row = process.row(reply.memory);
            self.add_row(row);
            self.sample_row(reply.worker);
        }
        if let Some((write, waiting)) = &mut self.rereading {
            waiting.remove(&reply.worker);
            if waiting.is_empty() {
                self.last_write = Some(*write);
                self.rereading = None;
            }
        }
        if self.awaiting_write == Some((reply.worker, reply.memory.heap_value)) {
            self.awaiting_write = None;
            // The write is done; now every worker reads the probe again, on its own side.
            let write = Write {
                writer: reply.worker,
                value: reply.memory.heap_value,
            };
            self.rereading = Some((write, self.rows.keys().copied().collect()));
            self.last_write = None;
            self.order_all(Order::Report);
        }
    }

    fn read_memory_map(&self) {
        let stacks: Vec<(u32, usize)> = self
            .threads
            .iter()
            .map(|t| (t.tid, t.first_report.stack_addr))
            .collect();
        // The executable the children come from is this process's own program.
        let event = match std::env::current_exe().and_then(|exe| memory_map::read(&exe, &stacks)) {
            Ok(map) => LabEvent::MemoryMap(Box::new(map)),
            Err(e) => LabEvent::Failed(LabError::MemoryMap(e.to_string())),
        };
        self.emit(event);
    }

    /// Reaps workers that ended on their own (a crashed child, a panicked thread) and gives up
    /// children that never reported, so that none lingers as a zombie or counts against the
    /// caps, and says so.
    fn reap_finished(&mut self) {
        let mut ended = Vec::new();
        let mut index = 0;
        while index < self.processes.len() {
            let reported = self.rows.contains_key(&self.processes[index].id);
            let worker = &mut self.processes[index];
            let message = if let Some(status) = worker.exit_status() {
                Some(LabError::ChildEnded {
                    pid: worker.pid(),
                    status: status.to_string(),
                })
            } else if !reported && worker.started_at.elapsed() > START_TIMEOUT {
                Some(LabError::ChildSilent {
                    pid: worker.pid(),
                    seconds: START_TIMEOUT.as_secs(),
                    program: self.config.worker_exe.display().to_string(),
                })
            } else {
                None
            };
            if let Some(message) = message {
                let worker = self.processes.remove(index);
                ended.push((worker.id, message));
                worker.stop(Instant::now());
            } else {
                index += 1;
            }
        }
        let (finished, running): (Vec<ThreadWorker>, Vec<ThreadWorker>) =
            std::mem::take(&mut self.threads)
                .into_iter()
                .partition(ThreadWorker::is_finished);
        self.threads = running;
        for thread in finished {
            ended.push((thread.id, LabError::ThreadEnded { tid: thread.tid }));
            thread.join();
        }
        for (id, message) in ended {
            self.rows.remove(&id);
            self.emit(LabEvent::Failed(message));
            self.changed = true;
        }
    }

    /// Reads the OS's figures for every worker, and how each spent the time since the last
    /// reading.
    fn sample(&mut self) {
        self.reap_finished();
        let interval = self.last_sample.elapsed();
        self.last_sample = Instant::now();
        for row in self.rows.values_mut() {
            let sample = os_sample(self.pid, row);
            // A worker's first reading has nothing to compare with.
            let seen_before = row.os.cpu_time.is_some();
            row.share = seen_before
                .then(|| CpuShare::between(&row.os, &sample, interval))
                .flatten();
            row.os = sample;
        }
        self.changed = true;
    }

    /// Reads one worker's figures as a baseline, outside the regular readings.
    fn sample_row(&mut self, id: WorkerId) {
        if let Some(row) = self.rows.get_mut(&id) {
            row.os = os_sample(self.pid, row);
        }
    }

    fn publish(&mut self) {
        let snapshot = LabSnapshot {
            pid: self.pid,
            shared: self.probe.report(&self.own),
            shared_heap_region: self.shared_heap_region,
            workers: self.rows.values().cloned().collect(),
            last_write: self.last_write,
            load: self.load,
        };
        self.changed = false;
        // Readings come every half second; a snapshot goes out only when one of them changed
        // something, so an idle lab (and the window that repaints for it) stays idle.
        if self.published.as_ref() != Some(&snapshot) {
            self.published = Some(snapshot.clone());
            self.emit(LabEvent::Snapshot(snapshot));
        }
    }

    /// Stops every worker within [`STOP_DEADLINE`]: threads are joined, children reaped, and
    /// children still running at the deadline killed.
    fn stop_all(&mut self) {
        // A child that has not reported yet has nothing to wind down: it is killed at once.
        let (reported, starting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.processes)
            .into_iter()
            .partition(|p| self.rows.contains_key(&p.id));
        for child in starting {
            child.stop(Instant::now());
        }
        self.processes = reported;
        // Children are asked first, so they wind down while the threads are joined.
        for process in &mut self.processes {
            process.request_stop();
        }
        ThreadWorker::stop_all(std::mem::take(&mut self.threads));
        ProcessWorker::stop_all(std::mem::take(&mut self.processes));
        self.rows.clear();
        self.awaiting_write = None;
        self.rereading = None;
        self.last_write = None;
    }
}

/// The OS's figures for the worker of `row`; threads are tasks of ProcLab (`pid`).
fn os_sample(pid: u32, row: &WorkerRow) -> OsSample {
    match row.kind {
        WorkerKind::Thread => os::thread_sample(pid, row.os_id),
        WorkerKind::Process => os::process_sample(row.os_id),
    }
}

/// What the registry needs of every kind of worker.
trait Worker: Sized {
    /// The worker's first report, if it has already arrived when `spawn` returns.
    fn first_report(&self) -> Option<MemoryReport>;
    /// The worker's registry row, given its first report.
    fn row(&self, memory: MemoryReport) -> WorkerRow;
    /// Sends an order; a worker that has finished ignores it.
    fn order(&mut self, order: Order);
    /// Stops, joins or reaps `workers`.
    fn stop_all(workers: Vec<Self>);
}

impl Worker for ThreadWorker {
    fn first_report(&self) -> Option<MemoryReport> {
        Some(self.first_report)
    }

    fn row(&self, memory: MemoryReport) -> WorkerRow {
        WorkerRow {
            id: self.id,
            kind: WorkerKind::Thread,
            os_id: self.tid,
            name: self.name.clone(),
            os: Default::default(),
            share: None,
            memory,
            regions: HeapRegions::default(),
        }
    }

    fn order(&mut self, order: Order) {
        ThreadWorker::order(self, order);
    }

    fn stop_all(workers: Vec<Self>) {
        for worker in &workers {
            worker.request_stop();
        }
        workers.into_iter().for_each(ThreadWorker::join);
    }
}

impl Worker for ProcessWorker {
    fn first_report(&self) -> Option<MemoryReport> {
        None
    }

    fn row(&self, memory: MemoryReport) -> WorkerRow {
        WorkerRow {
            id: self.id,
            kind: WorkerKind::Process,
            os_id: self.pid(),
            name: self.name.clone(),
            os: Default::default(),
            share: None,
            memory,
            regions: HeapRegions::default(),
        }
    }

    fn order(&mut self, order: Order) {
        ProcessWorker::order(self, order);
    }

    fn stop_all(mut workers: Vec<Self>) {
        let deadline = Instant::now() + STOP_DEADLINE;
        for worker in &mut workers {
            worker.request_stop();
        }
        for worker in workers {
            worker.stop(deadline);
        }
    }
}
