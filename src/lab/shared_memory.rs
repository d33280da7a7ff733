//! Memory that several processes share through one mapping of a file: the one place ProcLab
//! maps memory itself, and so (with [`super::primitives`]) one of the two places it uses
//! `unsafe`, because mapping memory and viewing it as atomics or as bytes another process
//! writes are promises the compiler cannot check.
//!
//! A region is a header page of atomic words (counters, futex words, ring positions) followed
//! by a data area. Everything else reaches it through the safe methods below; the data area
//! is only ever touched by a protocol that hands each byte range from one side to the other
//! with release/acquire atomics in the header (see [`super::ipc`]'s ring).
#![allow(unsafe_code)]

use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicU32, AtomicU64};

use memmap2::MmapMut;

/// Bytes of the header: one page of atomic words.
pub const HEADER: usize = 4096;

/// A mapping of a file, shared with every process that maps the same file.
pub struct SharedRegion {
    map: MmapMut,
    /// The mapping's first byte, taken once from the mutable mapping so that writes into the
    /// data area do not go through a shared reference.
    base: *mut u8,
}

// SAFETY: the region is memory shared with other processes, made for concurrent use: the
// header is only touched through atomics, and the data area only through `write` and `read`,
// whose callers hand byte ranges over with atomics (the documented contract of both).
unsafe impl Send for SharedRegion {}
// SAFETY: as above.
unsafe impl Sync for SharedRegion {}

impl SharedRegion {
    /// Sizes `file` to a header and `data` bytes (it reads as zeros) and maps it.
    pub fn create(file: &File, data: usize) -> io::Result<Self> {
        file.set_len((HEADER + data) as u64)?;
        Self::open(file)
    }

    /// Maps a file that [`SharedRegion::create`] prepared.
    pub fn open(file: &File) -> io::Result<Self> {
        if file.metadata()?.len() < HEADER as u64 {
            return Err(io::Error::other("the shared file is too small"));
        }
        // SAFETY: the file is a temporary file ProcLab created for this run, sized above and
        // never truncated while mapped; every process that maps it touches the header only
        // through atomics and the data area only through `write` and `read` below.
        let mut map = unsafe { MmapMut::map_mut(file)? };
        let base = map.as_mut_ptr();
        Ok(Self { map, base })
    }

    /// The `index`th 32-bit word of the header (a futex word, a flag).
    pub fn word(&self, index: usize) -> &AtomicU32 {
        assert!(
            (index + 1) * 4 <= HEADER / 2,
            "header word {index} out of range"
        );
        // SAFETY: the mapping is page-aligned and the header one page long, so the word is in
        // bounds and aligned; it lives as long as `self`, which the reference borrows; every
        // process touches it only atomically. Words use the header's first half and counters
        // its second, so the two views never overlap.
        unsafe { &*self.base.add(index * 4).cast::<AtomicU32>() }
    }

    /// The `index`th 64-bit counter of the header.
    pub fn counter(&self, index: usize) -> &AtomicU64 {
        let offset = HEADER / 2 + index * 8;
        assert!(offset + 8 <= HEADER, "header counter {index} out of range");
        // SAFETY: as for `word`: in bounds, 8-aligned, borrowed from `self`, atomic only.
        unsafe { &*self.base.add(offset).cast::<AtomicU64>() }
    }

    /// Bytes in the data area.
    pub fn data_len(&self) -> usize {
        self.map.len() - HEADER
    }

    /// Copies `bytes` into the data area at `offset`.
    ///
    /// The caller must own that range: no other thread or process reads or writes it until
    /// the caller hands it over with a release store to a header word or counter.
    pub fn write(&self, offset: usize, bytes: &[u8]) {
        assert!(
            offset + bytes.len() <= self.data_len(),
            "write out of bounds"
        );
        // SAFETY: in bounds (checked above); the source is a Rust slice that cannot overlap
        // the mapping's data area handed to us; the range is ours by the contract above.
        unsafe {
            std::ptr::copy_nonoverlapping(
                bytes.as_ptr(),
                self.base.add(HEADER + offset),
                bytes.len(),
            );
        }
    }

    /// Lets `read` look at `len` bytes of the data area at `offset`, in place.
    ///
    /// The caller must own that range, having taken it over with an acquire load of the
    /// header word or counter the writer released it with; nobody writes it meanwhile.
    pub fn read<R>(&self, offset: usize, len: usize, read: impl FnOnce(&[u8]) -> R) -> R {
        assert!(offset + len <= self.data_len(), "read out of bounds");
        // SAFETY: in bounds (checked above); by the contract above no one writes the range
        // while the slice lives, and the slice does not outlive this call.
        let bytes = unsafe { std::slice::from_raw_parts(self.base.add(HEADER + offset), len) };
        read(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    #[test]
    fn two_mappings_of_one_file_see_each_others_writes() {
        let file = tempfile::tempfile().unwrap();
        let first = SharedRegion::create(&file, 4096).unwrap();
        let second = SharedRegion::open(&file).unwrap();
        first.counter(0).store(41, Ordering::SeqCst);
        second.counter(0).fetch_add(1, Ordering::SeqCst);
        assert_eq!(first.counter(0).load(Ordering::SeqCst), 42);
        second.word(3).store(7, Ordering::SeqCst);
        assert_eq!(first.word(3).load(Ordering::SeqCst), 7);
        first.write(100, b"hello");
        assert_eq!(second.read(100, 5, <[u8]>::to_vec), b"hello");
    }
}
