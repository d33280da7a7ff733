//! The memory probe: one static and one heap object whose addresses and values workers
//! report, so that what is shared and what is private can be seen rather than asserted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::model::MemoryReport;

/// The probe's static variable; each process has its own copy.
static PROBE_STATIC: AtomicU64 = AtomicU64::new(0);

/// The probe's heap object; threads share one through an `Arc`, each process makes its own.
#[derive(Debug, Default)]
pub struct HeapProbe {
    value: AtomicU64,
}

impl HeapProbe {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Writes `value` into both the heap object and this process's static.
    pub fn write(&self, value: u64) {
        self.value.store(value, Ordering::SeqCst);
        PROBE_STATIC.store(value, Ordering::SeqCst);
    }

    /// The probe as seen from the calling thread: addresses and values, with the address of
    /// a local variable of the caller standing for its stack.
    #[inline(never)]
    pub fn report(self: &Arc<Self>) -> MemoryReport {
        let local = 0u8;
        MemoryReport {
            stack_addr: std::hint::black_box(&local) as *const u8 as usize,
            heap_addr: Arc::as_ptr(self) as usize,
            static_addr: &PROBE_STATIC as *const AtomicU64 as usize,
            heap_value: self.value.load(Ordering::SeqCst),
            static_value: PROBE_STATIC.load(Ordering::SeqCst),
        }
    }
}
