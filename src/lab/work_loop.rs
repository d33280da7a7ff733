//! The loop every worker runs, thread or child process: a short burst of computation, then
//! waiting for orders until the period is over. The mix makes states change visibly (running,
//! then sleeping) while all workers together stay light.

use std::ops::ControlFlow;
use std::time::Instant;

use crossbeam_channel::{Receiver, RecvTimeoutError};

use super::limits::{WORK_PERIOD, WORK_SLICE};

/// What a worker can be told to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Write this value into the probe.
    Write(u64),
    /// Read the probe and report it.
    Report,
    /// Finish.
    Stop,
}

impl Order {
    /// The order as one line of the child protocol.
    pub fn to_line(self) -> String {
        match self {
            Order::Write(value) => format!("write {value}"),
            Order::Report => "report".into(),
            Order::Stop => "stop".into(),
        }
    }

    /// Reads one line of the child protocol.
    pub fn from_line(line: &str) -> Option<Self> {
        match line.trim().split_once(' ') {
            Some(("write", value)) => value.parse().ok().map(Order::Write),
            None if line.trim() == "report" => Some(Order::Report),
            None if line.trim() == "stop" => Some(Order::Stop),
            _ => None,
        }
    }
}

/// Runs the work loop until `on_order` breaks, an order says stop, or the sender is gone.
/// `every_period` runs once per period (a child checks its parent there).
pub fn run(
    orders: &Receiver<Order>,
    mut on_order: impl FnMut(Order) -> ControlFlow<()>,
    mut every_period: impl FnMut() -> ControlFlow<()>,
) {
    let mut counter = 0u64;
    loop {
        let start = Instant::now();
        while start.elapsed() < WORK_SLICE {
            counter =
                std::hint::black_box(counter.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
        let deadline = start + WORK_PERIOD;
        loop {
            match orders.recv_deadline(deadline) {
                Ok(Order::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(order) => {
                    if on_order(order).is_break() {
                        return;
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
            }
        }
        if every_period().is_break() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_survive_the_line_protocol() {
        for order in [Order::Write(42), Order::Report, Order::Stop] {
            assert_eq!(Order::from_line(&order.to_line()), Some(order));
        }
        assert_eq!(Order::from_line("write x"), None);
        assert_eq!(Order::from_line("dance"), None);
    }
}
