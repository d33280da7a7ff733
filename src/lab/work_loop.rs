//! The loop every worker runs, thread or child process. Parked, a worker blocks on its orders
//! and uses no CPU at all: nothing about it changes, so an idle lab has nothing to report.
//! CPU-bound, it computes without pause and looks at its orders between slices, so that more
//! workers than cores really compete for the CPUs.

use std::ops::ControlFlow;
use std::time::Instant;

use crossbeam_channel::{Receiver, TryRecvError};
use serde::{Deserialize, Serialize};

use super::limits::{CPU_BOUND_NICE, WORK_PERIOD, WORK_SLICE};
use super::model::Load;
use super::os;

/// What a worker can be told to do; a child hears it as one message of the child protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// Write this value into the probe.
    Write(u64),
    /// Read the probe and report it.
    Report,
    /// Work this hard from now on.
    Load(Load),
    /// Finish.
    Stop,
}

/// Runs the work loop until `on_order` breaks, an order says stop, or the sender is gone.
/// `on_order` hears every order but `Load` and `Stop`, which the loop obeys itself.
/// `every_period` runs once per period while the worker computes (a child checks its parent
/// there; a parked child relies on its closed input and the parent-death signal instead).
pub fn run(
    orders: &Receiver<Order>,
    mut on_order: impl FnMut(Order) -> ControlFlow<()>,
    mut every_period: impl FnMut() -> ControlFlow<()>,
) {
    let mut load = Load::Parked;
    let mut period_start = Instant::now();
    loop {
        let current = load;
        let mut obey = |order| match order {
            Order::Stop => ControlFlow::Break(()),
            Order::Load(new) => {
                if new == Load::CpuBound && load != Load::CpuBound {
                    // Best effort: without it the workers still compete, only the window
                    // competes with them too. The nice value stays: lowering it again needs
                    // a privilege.
                    let _ = os::lower_own_priority(CPU_BOUND_NICE);
                }
                load = new;
                ControlFlow::Continue(())
            }
            other => on_order(other),
        };
        let flow = match current {
            Load::Parked => orders.recv().map_or(ControlFlow::Break(()), &mut obey),
            Load::CpuBound => {
                compute_for_a_slice();
                take_waiting_orders(orders, &mut obey)
            }
        };
        if flow.is_break() {
            return;
        }
        if load == Load::CpuBound && period_start.elapsed() >= WORK_PERIOD {
            period_start = Instant::now();
            if every_period().is_break() {
                return;
            }
        }
    }
}

/// Arithmetic the compiler cannot remove, for one slice.
fn compute_for_a_slice() {
    let start = Instant::now();
    let mut counter = 0u64;
    while start.elapsed() < WORK_SLICE {
        counter = std::hint::black_box(counter.wrapping_mul(6364136223846793005).wrapping_add(1));
    }
}

/// Hands every order already waiting to `obey`; breaks when `obey` does or the sender is gone.
fn take_waiting_orders(
    orders: &Receiver<Order>,
    obey: &mut impl FnMut(Order) -> ControlFlow<()>,
) -> ControlFlow<()> {
    loop {
        match orders.try_recv() {
            Ok(order) => obey(order)?,
            Err(TryRecvError::Empty) => return ControlFlow::Continue(()),
            Err(TryRecvError::Disconnected) => return ControlFlow::Break(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_survive_the_child_protocol() {
        for order in [
            Order::Write(42),
            Order::Report,
            Order::Load(Load::Parked),
            Order::Load(Load::CpuBound),
            Order::Stop,
        ] {
            let line = serde_json::to_string(&order).unwrap();
            assert_eq!(serde_json::from_str::<Order>(&line).unwrap(), order);
        }
        assert!(serde_json::from_str::<Order>(r#"{"load":"heavy"}"#).is_err());
    }

    #[test]
    fn a_cpu_bound_worker_keeps_computing_and_still_obeys() {
        let (send, orders) = crossbeam_channel::unbounded();
        send.send(Order::Load(Load::CpuBound)).unwrap();
        send.send(Order::Report).unwrap();
        let worker = std::thread::spawn(move || {
            let start = os::thread_cpu_time();
            let mut reports = 0;
            let wall = Instant::now();
            // Until it has computed for 30 ms of its own CPU time, however busy the machine
            // (or 10 s, after which the test fails).
            let enough = std::time::Duration::from_millis(30);
            run(
                &orders,
                |_| {
                    reports += 1;
                    ControlFlow::Continue(())
                },
                || {
                    let used = os::thread_cpu_time().saturating_sub(start);
                    if used > enough || wall.elapsed() > std::time::Duration::from_secs(10) {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                },
            );
            (reports, os::thread_cpu_time().saturating_sub(start))
        });
        let (reports, cpu) = worker.join().unwrap();
        assert_eq!(reports, 1);
        // A parked worker never computes, so it would never get there.
        assert!(cpu > std::time::Duration::from_millis(30), "{cpu:?}");
    }
}
