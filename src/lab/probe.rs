//! The memory probe: one static and one heap object whose addresses and values workers
//! report, so that what is shared and what is private can be seen rather than asserted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::model::MemoryReport;

/// The probe's static variable; each process has its own copy.
static PROBE_STATIC: AtomicU64 = AtomicU64::new(0);

/// A heap block a worker allocates on its own thread. The C library's allocator serves
/// threads other than the main one from arenas of their own, so where this block lands says
/// which arena the thread uses.
#[derive(Debug)]
pub struct OwnBlock(Box<u64>);

impl OwnBlock {
    /// Allocates the block on the calling thread.
    pub fn allocate() -> Self {
        Self(Box::new(0))
    }

    fn address(&self) -> usize {
        std::ptr::from_ref::<u64>(&self.0) as usize
    }
}

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
    /// a local variable of the caller standing for its stack, and of `own`, a heap block the
    /// caller allocated itself.
    #[inline(never)]
    pub fn report(self: &Arc<Self>, own: &OwnBlock) -> MemoryReport {
        let local = 0u8;
        MemoryReport {
            stack_addr: std::hint::black_box(&local) as *const u8 as usize,
            heap_addr: Arc::as_ptr(self) as usize,
            own_heap_addr: own.address(),
            static_addr: &PROBE_STATIC as *const AtomicU64 as usize,
            heap_value: self.value.load(Ordering::SeqCst),
            static_value: PROBE_STATIC.load(Ordering::SeqCst),
        }
    }
}
