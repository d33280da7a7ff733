//! The app's side of stepping real threads: the running [`Stepper`], the run as it last
//! stood, what failed, and how much of the run the simulated game beside it has followed.

use std::path::PathBuf;

use crate::lab::experiment::Figure;
use crate::lab::stepped::{Event, Move, Role, Snapshot, Stepper, Update, step_times};
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
    /// For each thread, whether it has loaded the counter yet in this run (until then its
    /// value register holds whatever it held before).
    pub loaded: Vec<bool>,
    /// How much of the run the game beside it has played.
    mirror: Mirror,
    /// The lesson and step the run belongs to.
    owner: Option<(u64, usize)>,
}

/// How far the simulated game beside a run has followed it.
#[derive(Debug, Default)]
struct Mirror {
    /// Events of the run already looked at.
    seen: usize,
    /// Instructions of `count += 1` the game has played for each of its threads.
    played: Vec<usize>,
    /// Set once the run did something the game cannot follow (a thread it does not have, a
    /// second increment, a kernel run): the game then stays where it was.
    lost_track: bool,
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
            loaded: Vec::new(),
            mirror: Mirror::default(),
            owner: None,
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
            Ok(stepper) => self.stepper = Some(stepper),
            Err(e) => self.failure = Some(e),
        }
    }

    /// Ends the run under way; its child is killed and reaped before this returns.
    pub fn close(&mut self) {
        self.stepper = None;
        self.snapshot = None;
        self.step_times = None;
        self.failure = None;
        self.loaded.clear();
        self.mirror = Mirror::default();
        self.owner = None;
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

    /// True from a start until its first snapshot.
    pub fn starting(&self) -> bool {
        self.running() && self.snapshot.is_none()
    }

    /// False once the game beside the run stopped following it.
    pub fn mirror_follows(&self) -> bool {
        !self.mirror.lost_track
    }

    /// Reads what the stepper reported since the last frame.
    pub fn poll(&mut self) {
        let Some(stepper) = &self.stepper else { return };
        let updates: Vec<Update> = stepper.updates().collect();
        for update in updates {
            match update {
                Update::Changed(snapshot) => {
                    self.step_times = step_times(&snapshot.events);
                    self.loaded = loaded(&snapshot);
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
    /// order, for as long as the game can follow. Only events new since the last call are
    /// looked at.
    pub fn unmirrored(&mut self, game_threads: usize) -> Vec<usize> {
        let Some(snapshot) = &self.snapshot else {
            return Vec::new();
        };
        let mirror = &mut self.mirror;
        let new = snapshot.events.get(mirror.seen..).unwrap_or_default();
        mirror.seen = snapshot.events.len();
        mirror.played.resize(game_threads, 0);
        let mut threads = Vec::new();
        for event in new {
            let thread = match event {
                Event::Instruction(x) if !x.role.is_increment_part() => continue,
                Event::Instruction(x) => Some(x.thread),
                Event::Kernel(_) => None,
            };
            match thread.and_then(|t| mirror.played.get_mut(t).map(|count| (t, count))) {
                Some((t, count)) if !mirror.lost_track && *count < 3 => {
                    *count += 1;
                    threads.push(t);
                }
                _ => mirror.lost_track = true,
            }
        }
        threads
    }
}

/// For each thread of `snapshot`, whether its value register holds a load of this run.
fn loaded(snapshot: &Snapshot) -> Vec<bool> {
    let mut loaded = vec![false; snapshot.threads.len()];
    for event in &snapshot.events {
        match event {
            Event::Instruction(x) if x.role == Role::Load => loaded[x.thread] = true,
            Event::Instruction(_) => {}
            Event::Kernel(_) => loaded.fill(true),
        }
    }
    loaded
}
