//! Worker threads in ProcLab's own process: each reports its thread id and the probe as it
//! sees it (its own stack, the shared heap object and static), and obeys orders.

use std::io;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};

use super::model::{MemoryReport, WorkerId};
use super::os::current_thread_id;
use super::probe::{HeapProbe, OwnBlock};
use super::work_loop::{self, Order};

/// A memory report from a worker, to the supervisor.
#[derive(Debug, Clone, Copy)]
pub struct Reply {
    pub worker: WorkerId,
    pub memory: MemoryReport,
}

/// A running worker thread.
pub struct ThreadWorker {
    pub id: WorkerId,
    pub tid: u32,
    pub name: String,
    pub first_report: MemoryReport,
    orders: Sender<Order>,
    handle: JoinHandle<()>,
}

impl ThreadWorker {
    /// Starts a worker and waits until it has reported its thread id.
    pub fn spawn(
        id: WorkerId,
        name: String,
        probe: Arc<HeapProbe>,
        replies: Sender<Reply>,
    ) -> io::Result<Self> {
        let (orders, inbox) = crossbeam_channel::unbounded();
        let (started, hello) = crossbeam_channel::bounded(1);
        let handle = std::thread::Builder::new()
            .name(name.clone())
            .spawn(move || body(id, &probe, &inbox, &replies, &started))?;
        let (tid, first_report) = hello
            .recv_timeout(Duration::from_secs(2))
            .map_err(|_| io::Error::other(format!("worker thread {name} did not start")))?;
        Ok(Self {
            id,
            tid,
            name,
            first_report,
            orders,
            handle,
        })
    }

    /// Sends an order; a worker that has finished ignores it.
    pub fn order(&self, order: Order) {
        let _ = self.orders.send(order);
    }

    /// True once the thread has ended (normally only after a stop; otherwise it panicked).
    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Asks the thread to stop; [`Self::join`] waits for it.
    pub fn request_stop(&self) {
        self.order(Order::Stop);
    }

    /// Waits for the thread to finish.
    pub fn join(self) {
        // A worker that panicked has already finished; there is nothing else to clean up.
        let _ = self.handle.join();
    }
}

fn body(
    id: WorkerId,
    probe: &Arc<HeapProbe>,
    inbox: &Receiver<Order>,
    replies: &Sender<Reply>,
    started: &Sender<(u32, MemoryReport)>,
) {
    let own = OwnBlock::allocate();
    if started
        .send((current_thread_id(), probe.report(&own)))
        .is_err()
    {
        return;
    }
    work_loop::run(
        inbox,
        |order| {
            if let Order::Write(value) = order {
                probe.write(value);
            }
            let reply = Reply {
                worker: id,
                memory: probe.report(&own),
            };
            match replies.send(reply) {
                Ok(()) => ControlFlow::Continue(()),
                Err(_) => ControlFlow::Break(()),
            }
        },
        || ControlFlow::Continue(()),
    );
}
