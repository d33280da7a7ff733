//! The supervisor of measurements: it runs any [`Family`] on a thread of its own, one run at a
//! time, and reports `Started`, `Progress`, `Finished` and `Failed`. Callers send runs, cancel
//! them by id and read events; they never wait on a measurement or join a thread, except when
//! the runner is dropped (which cancels whatever runs and waits for it to wind down).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

use super::error::LabError;
use super::experiment::{Family, Job, Params, Report};
use super::registry::Wake;

/// Progress is reported at most this often, so that a window repainting for it does not
/// disturb what is being measured.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(200);

/// Names one run for its whole life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RunId(pub u64);

/// What the runner reports.
#[derive(Debug, Clone, PartialEq)]
pub enum RunEvent {
    Started { id: RunId, family: &'static str },
    Progress { id: RunId, done: u32, total: u32 },
    Finished { id: RunId, report: Box<Report> },
    Failed { id: RunId, error: LabError },
}

struct Order {
    id: RunId,
    family: &'static Family,
    params: Params,
    cancel: Arc<AtomicBool>,
}

type Flags = Arc<Mutex<BTreeMap<RunId, Arc<AtomicBool>>>>;

/// Runs measurements in the background. Dropping it cancels them and joins its thread.
pub struct Runner {
    orders: Option<Sender<Order>>,
    events: Receiver<RunEvent>,
    /// Cancel flags of runs queued or running.
    flags: Flags,
    next_id: AtomicU64,
    thread: Option<JoinHandle<()>>,
}

impl Runner {
    /// Starts the runner's thread; children are started from `worker_exe`, and `wake` is
    /// called after every event.
    pub fn start(worker_exe: PathBuf, wake: Option<Wake>) -> std::io::Result<Self> {
        let (orders, inbox) = crossbeam_channel::unbounded::<Order>();
        let (events_out, events) = crossbeam_channel::unbounded();
        let flags: Flags = Arc::default();
        let finished = Arc::clone(&flags);
        let thread = std::thread::Builder::new()
            .name("measure".into())
            .spawn(move || {
                let say = Reporter {
                    events: events_out,
                    wake,
                };
                for order in inbox {
                    say.run(&worker_exe, &order);
                    if let Ok(mut flags) = finished.lock() {
                        flags.remove(&order.id);
                    }
                }
            })?;
        Ok(Self {
            orders: Some(orders),
            events,
            flags,
            next_id: AtomicU64::new(1),
            thread: Some(thread),
        })
    }

    /// Queues a run of `family` with `params`; its events carry the id returned.
    pub fn run(&self, family: &'static Family, params: Params) -> RunId {
        let id = RunId(self.next_id.fetch_add(1, Ordering::Relaxed));
        let cancel = Arc::new(AtomicBool::new(false));
        if let Ok(mut flags) = self.flags.lock() {
            flags.insert(id, Arc::clone(&cancel));
        }
        if let Some(orders) = &self.orders {
            let _ = orders.send(Order {
                id,
                family,
                params,
                cancel,
            });
        }
        id
    }

    /// Asks run `id` to stop; it finishes with what it has measured (or fails if nothing).
    pub fn cancel(&self, id: RunId) {
        if let Some(flag) = self.flags.lock().ok().and_then(|f| f.get(&id).cloned()) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// The events, to read with `try_iter` or `recv_timeout`.
    pub fn events(&self) -> &Receiver<RunEvent> {
        &self.events
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        if let Ok(flags) = self.flags.lock() {
            flags
                .values()
                .for_each(|f| f.store(true, Ordering::Relaxed));
        }
        // Closing the queue ends the thread once the current run has wound down.
        self.orders = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The runner thread's side of the events.
struct Reporter {
    events: Sender<RunEvent>,
    wake: Option<Wake>,
}

impl Reporter {
    fn say(&self, event: RunEvent) {
        let _ = self.events.send(event);
        if let Some(wake) = &self.wake {
            wake();
        }
    }

    fn run(&self, worker_exe: &std::path::Path, order: &Order) {
        let id = order.id;
        if order.cancel.load(Ordering::Relaxed) {
            self.say(RunEvent::Failed {
                id,
                error: LabError::Cancelled,
            });
            return;
        }
        self.say(RunEvent::Started {
            id,
            family: order.family.name,
        });
        let last = Mutex::new(Instant::now() - PROGRESS_INTERVAL);
        let progress = |done: u32, total: u32| {
            let Ok(mut last) = last.lock() else { return };
            if last.elapsed() >= PROGRESS_INTERVAL || done == total {
                *last = Instant::now();
                self.say(RunEvent::Progress { id, done, total });
            }
        };
        let job = Job::new(worker_exe, &order.cancel, &progress);
        self.say(match (order.family.run)(&order.params, &job) {
            Ok(report) => RunEvent::Finished {
                id,
                report: Box::new(report),
            },
            Err(error) => RunEvent::Failed { id, error },
        });
    }
}
