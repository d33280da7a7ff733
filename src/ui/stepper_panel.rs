//! The app's side of stepping real threads: the running [`Stepper`], the run as it last
//! stood, what failed, and how much of the run the simulated game beside it has followed.

use std::path::PathBuf;

use crate::lab::experiment::Figure;
use crate::lab::stepped::{Event, Move, Snapshot, Stepper, Update, step_times};
use crate::lab::{LabError, Wake};

/// What the user asks of the real threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepperOrder {
    /// Start a fresh child with this many threads (ending the run before, if any).
    Start { threads: u32 },
    /// One move of the run under way.
    Move(Move),
    /// End the run: its child is killed and reaped.
    Close,
}

impl StepperOrder {
    /// Thread `thread` runs its next machine instruction, as a key or a button asks.
    pub fn one_instruction(thread: usize) -> Self {
        StepperOrder::Move(Move::Instructions { thread, count: 1 })
    }
}

/// The stepping state the evidence area shows.
pub struct StepperPanel {
    stepper: Option<Stepper>,
    /// The run as it last stood.
    pub snapshot: Option<Box<Snapshot>>,
    /// What its single steps took, measured, once it has some.
    pub step_times: Option<Figure>,
    /// Why the last start or move failed (ptrace refused, say).
    pub failure: Option<LabError>,
    /// Threads the next start asks for, as the user set them.
    pub threads: u32,
    /// How long "let the kernel schedule" lets every thread run.
    pub kernel_millis: u32,
    /// Events of the run already played in the simulated game beside it.
    pub mirrored: usize,
    /// True from a start until its first snapshot.
    pub starting: bool,
    /// The lesson and step the run belongs to.
    owner: Option<(u64, usize)>,
    /// False once the run did something the game beside it cannot follow (a thread it does
    /// not have, a second increment, a kernel run): the game then stays where it was.
    pub mirror_follows: bool,
}

impl Default for StepperPanel {
    fn default() -> Self {
        Self {
            stepper: None,
            snapshot: None,
            step_times: None,
            failure: None,
            threads: 2,
            kernel_millis: 20,
            mirrored: 0,
            starting: false,
            owner: None,
            mirror_follows: true,
        }
    }
}

impl StepperPanel {
    /// Carries out `order`, given on the step `owner`; children are started from `exe`, and
    /// `wake` repaints.
    pub fn apply(
        &mut self,
        order: StepperOrder,
        owner: (u64, usize),
        exe: Option<&PathBuf>,
        wake: Option<&Wake>,
    ) {
        match order {
            StepperOrder::Start { threads } => {
                self.start(threads, exe, wake);
                self.owner = Some(owner);
            }
            StepperOrder::Move(step) => {
                if let Some(stepper) = &self.stepper {
                    stepper.send(step);
                }
            }
            StepperOrder::Close => self.close(),
        }
    }

    fn start(&mut self, threads: u32, exe: Option<&PathBuf>, wake: Option<&Wake>) {
        self.close();
        self.threads = threads;
        let Some(exe) = exe else {
            self.failure = Some(LabError::NoProgramFile);
            return;
        };
        let wake = wake.cloned().unwrap_or_else(|| std::sync::Arc::new(|| {}));
        match Stepper::start(exe.clone(), threads, wake) {
            Ok(stepper) => {
                self.stepper = Some(stepper);
                self.starting = true;
            }
            Err(e) => self.failure = Some(e),
        }
    }

    /// Ends the run under way; its child is killed and reaped before this returns.
    pub fn close(&mut self) {
        self.stepper = None;
        self.snapshot = None;
        self.step_times = None;
        self.failure = None;
        self.mirrored = 0;
        self.starting = false;
        self.owner = None;
        self.mirror_follows = true;
    }

    /// Ends the run unless it belongs to the step `here`.
    pub fn end_unless_at(&mut self, here: (u64, usize)) {
        if self.owner.is_some_and(|owner| owner != here) {
            self.close();
        }
    }

    /// True while a run is under way.
    pub fn running(&self) -> bool {
        self.stepper.is_some()
    }

    /// Reads what the stepper reported since the last frame.
    pub fn poll(&mut self) {
        let Some(stepper) = &self.stepper else { return };
        let updates: Vec<Update> = stepper.updates().collect();
        for update in updates {
            self.starting = false;
            match update {
                Update::Changed(snapshot) => {
                    self.step_times = step_times(&snapshot.events);
                    self.snapshot = Some(snapshot);
                }
                Update::Failed(error) => {
                    // What failed is gone: nothing of it stays on screen to be stepped.
                    self.stepper = None;
                    self.snapshot = None;
                    self.failure = Some(error);
                }
            }
        }
    }

    /// The threads of the run's instructions not yet played in the game beside it, which
    /// has `game_threads` threads of one increment each: each load, add and store once, in
    /// order, for as long as the game can follow.
    pub fn unmirrored(&mut self, game_threads: usize) -> Vec<usize> {
        let Some(snapshot) = &self.snapshot else {
            return Vec::new();
        };
        let mut played = vec![0; game_threads];
        for event in &snapshot.events[..self.mirrored.min(snapshot.events.len())] {
            if let Event::Instruction(x) = event
                && x.role.is_increment_part()
                && let Some(count) = played.get_mut(x.thread)
            {
                *count += 1;
            }
        }
        let mut threads = Vec::new();
        for event in snapshot.events.get(self.mirrored..).unwrap_or_default() {
            let thread = match event {
                Event::Instruction(x) if !x.role.is_increment_part() => continue,
                Event::Instruction(x) => Some(x.thread),
                Event::Kernel(_) => None,
            };
            match thread.and_then(|t| played.get_mut(t).map(|count| (t, count))) {
                Some((t, count)) if self.mirror_follows && *count < 3 => {
                    *count += 1;
                    threads.push(t);
                }
                _ => self.mirror_follows = false,
            }
        }
        self.mirrored = snapshot.events.len();
        threads
    }
}
