//! The lab: real worker threads and child processes that ProcLab starts, watches and stops,
//! and the measurements taken from them.
//!
//! One supervisor thread ([`Lab`]) owns every worker. Callers send [`LabCommand`]s and read
//! [`LabEvent`]s; each snapshot lists the live workers with their OS ids, states, CPU time,
//! context switches and what their memory probe shows. Children are this program in its
//! hidden worker mode ([`worker`]), started and reaped in one place ([`child`]).
//!
//! ```no_run
//! use proclab::lab::{Lab, LabCommand, LabConfig, LabEvent};
//! let lab = Lab::start(LabConfig::for_this_program()?)?;
//! lab.send(LabCommand::StartThreads(4));
//! while let Ok(event) = lab.events().recv() {
//!     if let LabEvent::Snapshot(snapshot) = event {
//!         if snapshot.workers.len() == 4 {
//!             break;
//!         }
//!     }
//! }
//! lab.shutdown(); // stops, joins and reaps everything
//! # Ok::<(), std::io::Error>(())
//! ```

pub mod child;
pub mod crash;
pub mod ctx_switch;
pub mod deadlock;
mod error;
pub mod experiment;
pub mod export;
pub mod fairness;
pub mod ipc;
pub mod limits;
pub mod locks;
pub mod memory_map;
mod model;
pub mod os;
pub mod picture;
mod primitives;
mod probe;
mod process_worker;
pub mod race;
mod registry;
pub mod runner;
mod shared_memory;
pub mod sharing;
pub mod spawn_cost;
pub mod stats;
pub mod stepped;
mod thread_worker;
pub mod timeline;
pub mod timeslice;
pub mod tlb_ring;
pub mod trace;
mod work_loop;
pub mod worker;

pub use error::LabError;
pub use model::{
    CpuShare, HeapRegions, LabCommand, LabEvent, LabSnapshot, Load, MemoryReport, OsSample,
    OsState, WorkerId, WorkerKind, WorkerRow, Write,
};
pub use registry::{Lab, LabConfig, Wake};

/// An address as debuggers and `/proc/<pid>/maps` print it.
pub fn hex(address: usize) -> String {
    format!("{address:#x}")
}
