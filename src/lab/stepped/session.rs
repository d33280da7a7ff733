//! One stepping run on real threads: a fresh child whose T threads are traced and stopped at
//! the loop's first instruction, then stepped one instruction at a time, run to a store, or
//! let go under the kernel's scheduler, with every change read back from the child. However
//! the session ends, its child is killed and every traced thread reaped.

use std::marker::PhantomData;
use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use super::child::{CHILD_ROLE, FromChild, ToChild};
use super::events::{Event, Executed, KernelRun, LostUpdate, explain};
use super::listing::{Listing, Role};
use super::refusal::Refusal;
use super::tracer::{self, Registers};
use crate::lab::child::ChildProcess;
use crate::lab::error::LabError;

/// Most instructions "run to" may take before it gives up: the loop has five.
const MOST_STEPS_UNTIL: usize = 16;

/// How many bytes of the loop's code are read to decode it: more than it needs.
const CODE_BYTES: usize = 96;

/// How long the child may take to start its threads.
const START_DEADLINE: Duration = Duration::from_secs(10);

/// One thread as it stands, read from the kernel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThreadNow {
    pub tid: i32,
    pub ip: u64,
    pub sp: u64,
    /// Its private copy of the counter, in the register a load fills.
    pub value: u64,
    /// Its own count of increments, in a register nobody else sees.
    pub tally: u64,
    /// Increments it has finished: its tally, plus one just stored and not yet counted.
    pub completed: u64,
    /// The line of the listing it executes next.
    pub line: Option<usize>,
}

impl ThreadNow {
    /// The role of the instruction it executes next.
    pub fn next_role(&self, listing: &Listing) -> Role {
        self.line.map_or(Role::Other, |l| listing.lines[l].role)
    }
}

/// The whole run as it stands, for the window and the command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// The traced child's process id.
    pub pid: u32,
    pub listing: Listing,
    pub threads: Vec<ThreadNow>,
    /// The same threads before the last move, to show what changed.
    pub before: Vec<ThreadNow>,
    /// Where the shared counter is in the child, and what it holds.
    pub count_address: u64,
    pub counter: u64,
    /// Increments the threads finished, and how many the counter does not show.
    pub expected: u64,
    pub lost: u64,
    pub events: Vec<Event>,
    pub lost_updates: Vec<LostUpdate>,
}

/// A run in progress. Every call must come from the thread that started it (the kernel ties
/// a tracee to one tracer thread), so a session cannot be sent to another thread.
pub struct Session {
    child: ChildProcess,
    /// The threads traced so far: all of them once started.
    tids: Vec<i32>,
    listing: Listing,
    count_address: u64,
    threads: Vec<ThreadNow>,
    before: Vec<ThreadNow>,
    events: Vec<Event>,
    lost_updates: Vec<LostUpdate>,
    _one_thread: PhantomData<*const ()>,
}

impl Session {
    /// Starts a child with `threads` threads, traces every one and stops each at the first
    /// instruction of its loop.
    pub fn start(exe: &Path, threads: u32) -> Result<Self, LabError> {
        Self::start_unless(exe, threads, &crossbeam_channel::never())
    }

    /// As [`Session::start`], given up (and the child killed) as soon as `stop` is closed or
    /// sent on: a window closed while its child starts does not wait for it.
    pub fn start_unless(
        exe: &Path,
        threads: u32,
        stop: &crossbeam_channel::Receiver<()>,
    ) -> Result<Self, LabError> {
        let (send, replies) = crossbeam_channel::bounded(1);
        let mut child = ChildProcess::spawn(exe, CHILD_ROLE, move |m: FromChild| {
            let _ = send.try_send(m);
        })
        .map_err(LabError::measurement)?;
        child.send(&ToChild::Start { threads });
        let silent = || LabError::Measurement("the stepped child did not start".into());
        let ready = crossbeam_channel::select! {
            recv(replies) -> ready => ready.map_err(|_| silent())?,
            recv(stop) -> _ => return Err(LabError::Cancelled),
            default(START_DEADLINE) => return Err(silent()),
        };
        let (tids, code, count, gate) = match ready {
            FromChild::Ready {
                tids,
                code,
                count,
                gate,
            } => (tids, code, count, gate),
            FromChild::Unsupported { .. } => {
                return Err(LabError::Untraceable(Refusal::platform()));
            }
        };
        let mut session = Self {
            child,
            tids: Vec::new(),
            listing: Listing {
                lines: Vec::new(),
                loop_start: 0,
                value_register: String::new(),
                tally_register: String::new(),
            },
            count_address: count,
            threads: Vec::new(),
            before: Vec::new(),
            events: Vec::new(),
            lost_updates: Vec::new(),
            _one_thread: PhantomData,
        };
        session.attach(&tids)?;
        session.listing = session.read_listing(code)?;
        session.open_gate(gate)?;
        session.threads = session.read_threads()?;
        session.before = session.threads.clone();
        Ok(session)
    }

    /// Seizes and stops every thread; each seized one is remembered at once, so that the
    /// session's end reaps it even if a later one is refused.
    fn attach(&mut self, tids: &[i32]) -> Result<(), LabError> {
        for &tid in tids {
            tracer::seize(tid).map_err(|errno| {
                LabError::Untraceable(Refusal::of_kernel(
                    format!("attaching to thread {tid} of child {}", self.child.pid()),
                    errno as i32,
                    tid,
                ))
            })?;
            self.tids.push(tid);
            tracer::interrupt(tid).map_err(LabError::measurement)?;
        }
        Ok(())
    }

    fn read_listing(&self, code: u64) -> Result<Listing, LabError> {
        let bytes =
            tracer::read_bytes(self.tids[0], code, CODE_BYTES).map_err(LabError::measurement)?;
        Listing::decode(&bytes, code).map_err(LabError::measurement)
    }

    /// Lets the threads past the gate and steps each to the loop's first instruction.
    fn open_gate(&mut self, gate: u64) -> Result<(), LabError> {
        tracer::write_word(self.tids[0], gate, 1).map_err(LabError::measurement)?;
        for &tid in &self.tids {
            let mut steps = 0;
            while tracer::registers(tid).map_err(LabError::measurement)?.ip
                != self.listing.loop_start
            {
                steps += 1;
                if steps > 2 * MOST_STEPS_UNTIL {
                    return Err(LabError::Measurement(format!(
                        "thread {tid} did not reach the loop"
                    )));
                }
                tracer::step(tid).map_err(LabError::measurement)?;
            }
        }
        Ok(())
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.pid()
    }

    /// How many threads are stepped.
    pub fn threads(&self) -> usize {
        self.tids.len()
    }

    /// The shared counter, read from the child's memory.
    pub fn counter(&self) -> Result<u64, LabError> {
        tracer::read_word(self.tids[0], self.count_address).map_err(LabError::measurement)
    }

    /// Thread `t` executes its next machine instruction.
    pub fn step(&mut self, t: usize) -> Result<&Executed, LabError> {
        self.before = self.threads.clone();
        self.step_one(t)
    }

    /// Thread `t` runs until it has executed an instruction of `role`; returns how many it
    /// executed.
    pub fn run_until(&mut self, t: usize, role: Role) -> Result<usize, LabError> {
        self.before = self.threads.clone();
        for done in 1..=MOST_STEPS_UNTIL {
            if self.step_one(t)?.role == role {
                return Ok(done);
            }
        }
        Err(LabError::Measurement(format!(
            "thread {t} ran {MOST_STEPS_UNTIL} instructions without a {role:?}"
        )))
    }

    /// Every thread runs under the kernel's scheduler while `wait` waits, then all stop.
    pub fn let_kernel_run(&mut self, millis: u32, wait: impl FnOnce()) -> Result<(), LabError> {
        self.before = self.threads.clone();
        let counter_before = self.counter()?;
        let started = std::time::Instant::now();
        for &tid in &self.tids {
            tracer::resume(tid).map_err(LabError::measurement)?;
        }
        wait();
        for &tid in &self.tids {
            tracer::interrupt(tid).map_err(LabError::measurement)?;
        }
        let nanos = started.elapsed().as_nanos() as u64;
        self.threads = self.read_threads()?;
        let run = KernelRun {
            millis,
            nanos,
            counter_before,
            counter_after: self.counter()?,
            increments: self
                .threads
                .iter()
                .zip(&self.before)
                .map(|(now, then)| now.completed - then.completed)
                .collect(),
            stopped_before: self
                .threads
                .iter()
                .map(|t| t.next_role(&self.listing))
                .collect(),
        };
        self.events.push(Event::Kernel(run));
        Ok(())
    }

    /// One instruction of thread `t`, recorded; a stale store is explained.
    fn step_one(&mut self, t: usize) -> Result<&Executed, LabError> {
        let tid = *self.tids.get(t).ok_or(LabError::NoSuchWorker(t as u32))?;
        let before = tracer::registers(tid).map_err(LabError::measurement)?;
        let line = self.listing.line_at(before.ip).ok_or_else(|| {
            LabError::Measurement(format!(
                "thread {t} is outside the loop at {:#x}",
                before.ip
            ))
        })?;
        let counter_before = self.counter()?;
        let started = std::time::Instant::now();
        tracer::step(tid).map_err(LabError::measurement)?;
        let nanos = started.elapsed().as_nanos() as u64;
        let after = tracer::registers(tid).map_err(LabError::measurement)?;
        let value = |r: &Registers| r.named(&self.listing.value_register).unwrap_or(0);
        let listed = &self.listing.lines[line];
        let executed = Executed {
            thread: t,
            line,
            instruction: listed.text.clone(),
            role: listed.role,
            address: listed.address,
            counter_before,
            counter_after: self.counter()?,
            value_before: value(&before),
            value_after: value(&after),
            ip_after: after.ip,
            predicted_ip: listed.next,
            nanos,
        };
        self.threads[t] = self.thread_now(tid, &after);
        let stale = executed.role == Role::Store && executed.value_before <= counter_before;
        self.events.push(Event::Instruction(executed));
        if stale && let Some(lost) = explain(&self.events, self.events.len() - 1, self.threads()) {
            self.lost_updates.push(lost);
        }
        match self.events.last() {
            Some(Event::Instruction(executed)) => Ok(executed),
            _ => Err(LabError::Measurement("no step was recorded".into())),
        }
    }

    fn read_threads(&self) -> Result<Vec<ThreadNow>, LabError> {
        self.tids
            .iter()
            .map(|&tid| {
                let registers = tracer::registers(tid).map_err(LabError::measurement)?;
                Ok(self.thread_now(tid, &registers))
            })
            .collect()
    }

    fn thread_now(&self, tid: i32, registers: &Registers) -> ThreadNow {
        let named = |name: &str| registers.named(name).unwrap_or(0);
        let tally = named(&self.listing.tally_register);
        let just_stored = self.listing.address_of(Role::Tally) == Some(registers.ip);
        ThreadNow {
            tid,
            ip: registers.ip,
            sp: registers.sp,
            value: named(&self.listing.value_register),
            tally,
            completed: tally + u64::from(just_stored),
            line: self.listing.line_at(registers.ip),
        }
    }

    /// The run as it stands.
    pub fn snapshot(&self) -> Result<Snapshot, LabError> {
        let counter = self.counter()?;
        let expected = self.threads.iter().map(|t| t.completed).sum();
        Ok(Snapshot {
            pid: self.pid(),
            listing: self.listing.clone(),
            threads: self.threads.clone(),
            before: self.before.clone(),
            count_address: self.count_address,
            counter,
            expected,
            lost: u64::saturating_sub(expected, counter),
            events: self.events.clone(),
            lost_updates: self.lost_updates.clone(),
        })
    }
}

impl Drop for Session {
    /// Kills the child, collects every traced thread (the kernel keeps a traced thread until
    /// its tracer has seen it end, and its process cannot be reaped before), then reaps it.
    fn drop(&mut self) {
        self.child.kill();
        for &tid in &self.tids {
            tracer::reap(tid);
        }
    }
}
