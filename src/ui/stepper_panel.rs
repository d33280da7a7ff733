//! The app's side of stepping real threads: the running [`Stepper`], the run as it last
//! stood, what failed, and how much of the run the simulated game beside it has followed.

use std::path::PathBuf;

use crate::lab::stepped::{Event, Move, Snapshot, Stepper, Update};
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

/// The stepping state the evidence area shows.
pub struct StepperPanel {
    stepper: Option<Stepper>,
    /// The run as it last stood.
    pub snapshot: Option<Box<Snapshot>>,
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
}

impl Default for StepperPanel {
    fn default() -> Self {
        Self {
            stepper: None,
            snapshot: None,
            failure: None,
            threads: 2,
            kernel_millis: 20,
            mirrored: 0,
            starting: false,
        }
    }
}

impl StepperPanel {
    /// Carries out `order`; children are started from `exe`, and `wake` repaints.
    pub fn apply(&mut self, order: StepperOrder, exe: Option<&PathBuf>, wake: Option<&Wake>) {
        match order {
            StepperOrder::Start { threads } => self.start(threads, exe, wake),
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
        self.failure = None;
        self.mirrored = 0;
        self.starting = false;
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
                Update::Changed(snapshot) => self.snapshot = Some(snapshot),
                Update::Failed(error) => {
                    self.stepper = None;
                    self.failure = Some(error);
                }
            }
        }
    }

    /// The threads of the run's instructions not yet played in the simulation, in order: each
    /// load, add and store once.
    pub fn unmirrored(&mut self) -> Vec<usize> {
        let Some(snapshot) = &self.snapshot else {
            return Vec::new();
        };
        let new = snapshot.events.get(self.mirrored..).unwrap_or_default();
        let threads = new
            .iter()
            .filter_map(|event| match event {
                Event::Instruction(x) if x.role.is_increment_part() => Some(x.thread),
                _ => None,
            })
            .collect();
        self.mirrored = snapshot.events.len();
        threads
    }
}
