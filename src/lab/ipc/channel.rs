//! One way of moving bytes between two processes, for each IPC method measured: both ends
//! send and receive through [`Channel`], so that the timing and checking code is the same for
//! all of them. Streams (pipes, sockets) and message queues copy every byte into the kernel
//! and out again; the shared ring copies it once, into memory both processes map, and the
//! receiver reads it where it lies.

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicU32, Ordering};

use rustix::thread::futex;

use crate::lab::primitives::MessageQueue;
use crate::lab::shared_memory::SharedRegion;

/// What every IPC method offers the measurement.
pub trait Channel {
    /// Sends all of `bytes`, waiting while the other side has not made room.
    fn send(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Receives exactly `len` bytes, handing them to `take` in order (in one piece or more).
    fn receive(&mut self, len: usize, take: &mut dyn FnMut(&[u8])) -> io::Result<()>;
}

/// Receives `len` bytes into a vector (for an echo, which must send them on).
pub fn receive_vec(channel: &mut dyn Channel, len: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(len);
    channel.receive(len, &mut |piece| bytes.extend_from_slice(piece))?;
    Ok(bytes)
}

/// A byte stream both ways: a pair of pipes, a Unix domain socket, a TCP connection.
pub struct Stream<R, W> {
    reader: R,
    writer: W,
    buffer: Vec<u8>,
}

impl<R: Read, W: Write> Stream<R, W> {
    pub fn new(reader: R, writer: W) -> Self {
        Self {
            reader,
            writer,
            buffer: vec![0; 64 * 1024],
        }
    }
}

impl<R: Read, W: Write> Channel for Stream<R, W> {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.writer.write_all(bytes)?;
        self.writer.flush()
    }

    fn receive(&mut self, len: usize, take: &mut dyn FnMut(&[u8])) -> io::Result<()> {
        let mut left = len;
        while left > 0 {
            let want = left.min(self.buffer.len());
            let got = self.reader.read(&mut self.buffer[..want])?;
            if got == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            take(&self.buffer[..got]);
            left -= got;
        }
        Ok(())
    }
}

/// Two POSIX message queues, one each way; a message longer than the queue takes is sent in
/// pieces of the largest size it does take.
pub struct Queues {
    outgoing: MessageQueue,
    incoming: MessageQueue,
    buffer: Vec<u8>,
}

impl Queues {
    pub fn new(outgoing: MessageQueue, incoming: MessageQueue) -> Self {
        let buffer = vec![0; incoming.message_size];
        Self {
            outgoing,
            incoming,
            buffer,
        }
    }
}

impl Channel for Queues {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        bytes
            .chunks(self.outgoing.message_size)
            .try_for_each(|piece| self.outgoing.send(piece))
    }

    fn receive(&mut self, len: usize, take: &mut dyn FnMut(&[u8])) -> io::Result<()> {
        let mut left = len;
        while left > 0 {
            let got = self.incoming.receive(&mut self.buffer)?;
            take(&self.buffer[..got.min(left)]);
            left = left.saturating_sub(got);
        }
        Ok(())
    }
}

/// Header slots of a ring in its shared region.
mod slot {
    /// Counters: bytes written so far, bytes read so far.
    pub const WRITTEN: usize = 0;
    pub const READ: usize = 1;
    /// Futex words: bumped when data arrives, and when room is made.
    pub const DATA: usize = 0;
    pub const ROOM: usize = 1;
    /// Flags: the reader (or writer) is about to sleep, so the other side must wake it.
    pub const READER_WAITS: usize = 2;
    pub const WRITER_WAITS: usize = 3;
}

/// The most a ring hands over at once: smaller pieces let the writer fill one while the
/// reader reads another, as a pipe's pages do.
const PIECE: usize = 64 * 1024;

/// A one-way ring buffer in a shared region: one writer, one reader, in two processes. The
/// writer copies bytes in and moves the written count on; the reader looks at them in place
/// and moves the read count on; either sleeps on a futex only when the ring is empty (or
/// full), and is woken only if it said it sleeps.
pub struct Ring {
    region: SharedRegion,
}

impl Ring {
    pub fn new(region: SharedRegion) -> Self {
        Self { region }
    }

    fn capacity(&self) -> u64 {
        self.region.data_len() as u64
    }

    fn written(&self) -> u64 {
        self.region.counter(slot::WRITTEN).load(Ordering::SeqCst)
    }

    fn read(&self) -> u64 {
        self.region.counter(slot::READ).load(Ordering::SeqCst)
    }

    /// Copies all of `bytes` in, waiting for room.
    pub fn push(&self, bytes: &[u8]) {
        let capacity = self.capacity();
        let mut sent = 0;
        while sent < bytes.len() {
            let written = self.written();
            let room = capacity - (written - self.read());
            if room == 0 {
                self.sleep_until(slot::ROOM, slot::WRITER_WAITS, || {
                    self.written() - self.read() < capacity
                });
                continue;
            }
            let count = (room as usize).min(bytes.len() - sent).min(PIECE);
            self.each_part(written, count, |at, offset, len| {
                self.region
                    .write(at, &bytes[sent + offset..sent + offset + len]);
            });
            self.region
                .counter(slot::WRITTEN)
                .store(written + count as u64, Ordering::SeqCst);
            self.wake(slot::DATA, slot::READER_WAITS);
            sent += count;
        }
    }

    /// Hands the next `len` bytes to `take` where they lie, waiting for them to arrive.
    pub fn pull(&self, len: usize, take: &mut dyn FnMut(&[u8])) {
        let mut got = 0;
        while got < len {
            let read = self.read();
            let ready = self.written() - read;
            if ready == 0 {
                self.sleep_until(slot::DATA, slot::READER_WAITS, || self.written() != read);
                continue;
            }
            let count = (ready as usize).min(len - got).min(PIECE);
            self.each_part(read, count, |at, _, len| {
                self.region.read(at, len, &mut *take);
            });
            self.region
                .counter(slot::READ)
                .store(read + count as u64, Ordering::SeqCst);
            self.wake(slot::ROOM, slot::WRITER_WAITS);
            got += count;
        }
    }

    /// Calls `part(position in the ring, offset in the run, length)` for the one or two
    /// contiguous pieces of the `count` bytes at stream position `from`.
    fn each_part(&self, from: u64, count: usize, mut part: impl FnMut(usize, usize, usize)) {
        let capacity = self.capacity();
        let at = (from % capacity) as usize;
        let first = count.min(capacity as usize - at);
        part(at, 0, first);
        if count > first {
            part(0, first, count - first);
        }
    }

    /// Sleeps on futex word `word` until `ready`, saying so in flag `waits` first so that
    /// the other side wakes it; a change it missed makes the futex return at once.
    fn sleep_until(&self, word: usize, waits: usize, ready: impl Fn() -> bool) {
        let word = self.region.word(word);
        let waits = self.region.word(waits);
        let seen = word.load(Ordering::SeqCst);
        waits.store(1, Ordering::SeqCst);
        if !ready() {
            let _ = futex::wait(word, futex::Flags::empty(), seen, None);
        }
        waits.store(0, Ordering::SeqCst);
    }

    /// Bumps futex word `word` and wakes the other side if flag `waits` says it sleeps.
    fn wake(&self, word: usize, waits: usize) {
        let word: &AtomicU32 = self.region.word(word);
        word.fetch_add(1, Ordering::SeqCst);
        if self.region.word(waits).load(Ordering::SeqCst) == 1 {
            let _ = futex::wake(word, futex::Flags::empty(), 1);
        }
    }
}

/// Two rings, one each way.
pub struct Rings {
    pub outgoing: Ring,
    pub incoming: Ring,
}

impl Channel for Rings {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.outgoing.push(bytes);
        Ok(())
    }

    fn receive(&mut self, len: usize, take: &mut dyn FnMut(&[u8])) -> io::Result<()> {
        self.incoming.pull(len, take);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A byte of the test stream at position `at`.
    fn byte(at: usize) -> u8 {
        (at % 251) as u8
    }

    #[test]
    fn a_ring_smaller_than_the_payload_delivers_it_whole_and_in_order_across_threads() {
        let file = tempfile::tempfile().unwrap();
        let writer = Ring::new(SharedRegion::create(&file, 1000).unwrap());
        let reader = Ring::new(SharedRegion::open(&file).unwrap());
        let payload: Vec<u8> = (0..100_000).map(byte).collect();
        let received = std::thread::scope(|scope| {
            scope.spawn(|| {
                for piece in payload.chunks(777) {
                    writer.push(piece);
                }
            });
            let mut received = Vec::new();
            reader.pull(payload.len(), &mut |piece| {
                received.extend_from_slice(piece)
            });
            received
        });
        assert_eq!(received, payload);
    }
}
