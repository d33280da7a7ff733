//! A stepping session on a thread of its own, for the window: the window sends moves and
//! reads back snapshots, and the one thread that traces the child does every ptrace call.
//! Dropping the stepper ends the session at once (even while its child starts, or in the
//! middle of a kernel run): the child is killed and every traced thread reaped before the
//! drop returns.

use std::path::PathBuf;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};

use super::session::{Session, Snapshot};
use super::{Move, apply};
use crate::lab::{LabError, Wake};

/// What the stepper reports.
#[derive(Debug, Clone)]
pub enum Update {
    /// The run as it stands after a move (or after the start).
    Changed(Box<Snapshot>),
    /// A move or the start failed; the session has ended.
    Failed(LabError),
}

/// A session running on its own thread.
pub struct Stepper {
    moves: Option<Sender<Move>>,
    /// Never sent on: dropping it wakes a kernel run's wait early.
    stop: Option<Sender<()>>,
    updates: Receiver<Update>,
    thread: Option<JoinHandle<()>>,
}

impl Stepper {
    /// Starts a fresh child with `threads` traced threads; `wake` is called after every
    /// update.
    pub fn start(exe: PathBuf, threads: u32, wake: Wake) -> Result<Self, LabError> {
        let (moves, orders) = crossbeam_channel::unbounded::<Move>();
        let (stop, stopped) = crossbeam_channel::bounded::<()>(0);
        let (report, updates) = crossbeam_channel::unbounded();
        let thread = std::thread::Builder::new()
            .name("stepper".into())
            .spawn(move || {
                let say = |update| {
                    let _ = report.send(update);
                    wake();
                };
                let mut session = match Session::start_unless(&exe, threads, &stopped) {
                    Ok(session) => session,
                    Err(e) => return say(Update::Failed(e)),
                };
                let mut result = session.snapshot();
                loop {
                    match result {
                        Ok(snapshot) => say(Update::Changed(Box::new(snapshot))),
                        Err(e) => return say(Update::Failed(e)),
                    }
                    let Ok(next) = orders.recv() else { return };
                    let wait = |time| {
                        let _ = stopped.recv_timeout(time);
                    };
                    result = apply(&mut session, next, wait).and_then(|()| session.snapshot());
                }
            })
            .map_err(|e| LabError::LabStart(e.to_string()))?;
        Ok(Self {
            moves: Some(moves),
            stop: Some(stop),
            updates,
            thread: Some(thread),
        })
    }

    /// Asks for one move; its snapshot comes back through [`Stepper::updates`].
    pub fn send(&self, step: Move) {
        if let Some(moves) = &self.moves {
            let _ = moves.send(step);
        }
    }

    /// What happened since the last look.
    pub fn updates(&self) -> impl Iterator<Item = Update> + '_ {
        self.updates.try_iter()
    }
}

impl Drop for Stepper {
    fn drop(&mut self) {
        self.moves = None;
        self.stop = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
