//! A counter that several processes share through one memory mapping of a file: the only
//! place ProcLab uses `unsafe`, because mapping memory and viewing it as an atomic integer are
//! promises the compiler cannot check. Everything else reaches the counter through the safe
//! [`SharedCounter::counter`].
#![allow(unsafe_code)]

use std::fs::File;
use std::io;
use std::sync::atomic::AtomicU64;

use memmap2::MmapMut;

/// Bytes mapped: one page, of which the counter uses the first eight.
const SIZE: u64 = 4096;

/// A mapping of a counter file, shared with every process that maps the same file.
pub struct SharedCounter {
    map: MmapMut,
}

impl SharedCounter {
    /// Sizes `file` for a counter (it reads as zero) and maps it.
    pub fn create(file: &File) -> io::Result<Self> {
        file.set_len(SIZE)?;
        Self::open(file)
    }

    /// Maps a counter file that [`SharedCounter::create`] prepared.
    pub fn open(file: &File) -> io::Result<Self> {
        if file.metadata()?.len() < SIZE {
            return Err(io::Error::other("the counter file is too small"));
        }
        // SAFETY: the file is a temporary file ProcLab created for this run, sized above and
        // never truncated while mapped; every process that maps it touches the mapped bytes
        // only through the AtomicU64 below, so no access is a plain (racing) read or write.
        let map = unsafe { MmapMut::map_mut(file)? };
        Ok(Self { map })
    }

    /// The shared counter.
    pub fn counter(&self) -> &AtomicU64 {
        let bytes = self.map.as_ptr();
        // SAFETY: the mapping is page-aligned and at least eight bytes long, which satisfies
        // AtomicU64's size and alignment; it lives as long as `self`, which the returned
        // reference borrows; and all access to these bytes, in this and the other processes,
        // is atomic.
        unsafe { &*bytes.cast::<AtomicU64>() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    #[test]
    fn two_mappings_of_one_file_see_each_others_writes() {
        let file = tempfile::tempfile().unwrap();
        let first = SharedCounter::create(&file).unwrap();
        let second = SharedCounter::open(&file).unwrap();
        first.counter().store(41, Ordering::SeqCst);
        second.counter().fetch_add(1, Ordering::SeqCst);
        assert_eq!(first.counter().load(Ordering::SeqCst), 42);
    }
}
