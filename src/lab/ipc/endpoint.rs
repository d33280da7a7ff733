//! Setting up both ends of each IPC method: the parent makes what the child needs (named
//! pipes, queues, shared files, a listening socket), starts the child with where to find it,
//! and both open their [`Channel`]. Everything made here is removed when the measurement of
//! that method ends.

use std::fs::{File, OpenOptions};
use std::io;
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::channel::{Channel, Queues, Ring, Rings, Stream};
use super::{CHILD_ROLE, FromPeer, Method, Setup};
use crate::lab::child::RawChild;
use crate::lab::primitives::MessageQueue;
use crate::lab::shared_memory::SharedRegion;

/// Bytes of each shared ring, one per direction.
const RING_BYTES: usize = 1 << 20;

/// How long the parent waits for the child to connect.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the child finds its end of the method. "Down" carries bytes from the parent to the
/// child, "up" from the child to the parent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Endpoint {
    Fifos {
        down: PathBuf,
        up: PathBuf,
    },
    Queues {
        down: String,
        up: String,
        message_size: usize,
    },
    Rings {
        down: PathBuf,
        up: PathBuf,
    },
    Unix(PathBuf),
    Tcp(u16),
}

/// The parent's end, ready: its channel, the child at the other end, and what must live as
/// long as they do (the directory of named pipes and files).
pub struct Opened {
    pub channel: Box<dyn Channel>,
    pub child: RawChild,
    pub _keep: tempfile::TempDir,
}

/// Makes `method`'s endpoint, starts the child with the set-up `setup` makes of it, and waits
/// until both ends are open.
pub(super) fn open(
    method: Method,
    worker_exe: &Path,
    setup: impl FnOnce(Endpoint) -> Setup,
) -> io::Result<Opened> {
    let dir = tempfile::Builder::new().prefix("proclab-ipc").tempdir()?;
    let start = |endpoint: Endpoint| -> io::Result<RawChild> {
        let mut child = RawChild::spawn(worker_exe, CHILD_ROLE)?;
        child.send(&setup(endpoint))?;
        Ok(child)
    };
    let (channel, mut child): (Box<dyn Channel>, RawChild) = match method {
        Method::Pipe => {
            let (down, up) = (dir.path().join("down"), dir.path().join("up"));
            make_fifo(&down)?;
            make_fifo(&up)?;
            // Opened for reading and writing, so that opening never waits for the child.
            let channel = Stream::new(read_write(&up)?, read_write(&down)?);
            let child = start(Endpoint::Fifos { down, up })?;
            (Box::new(channel), child)
        }
        Method::MessageQueue => {
            let name = format!("/proclab-{}", std::process::id());
            let (down, up) = (format!("{name}-down"), format!("{name}-up"));
            let (depth, message_size) = queue_limits();
            let channel = Queues::new(
                MessageQueue::create(&down, depth, message_size)?,
                MessageQueue::create(&up, depth, message_size)?,
            );
            let child = start(Endpoint::Queues {
                down,
                up,
                message_size,
            })?;
            (Box::new(channel), child)
        }
        Method::SharedMemory | Method::MappedFile => {
            let place = if method == Method::SharedMemory {
                shared_memory_dir()
            } else {
                dir.path().to_owned()
            };
            let down = tempfile::Builder::new()
                .prefix("proclab-ring")
                .tempfile_in(&place)?;
            let up = tempfile::Builder::new()
                .prefix("proclab-ring")
                .tempfile_in(&place)?;
            let channel = Rings {
                outgoing: Ring::new(SharedRegion::create(down.as_file(), RING_BYTES)?),
                incoming: Ring::new(SharedRegion::create(up.as_file(), RING_BYTES)?),
            };
            let child = start(Endpoint::Rings {
                down: down.path().to_owned(),
                up: up.path().to_owned(),
            })?;
            // The child opens both files before it says ready, below; the names may go then.
            let mut child = child;
            expect_ready(&mut child)?;
            return Ok(Opened {
                channel: Box::new(channel),
                child,
                _keep: dir,
            });
        }
        Method::UnixSocket => {
            let path = dir.path().join("socket");
            let listener = UnixListener::bind(&path)?;
            let child = start(Endpoint::Unix(path))?;
            let stream = accept_soon(|| listener.accept().map(|(s, _)| s), &listener)?;
            (Box::new(Stream::new(stream.try_clone()?, stream)), child)
        }
        Method::Tcp => {
            let listener = TcpListener::bind("127.0.0.1:0")?;
            let child = start(Endpoint::Tcp(listener.local_addr()?.port()))?;
            let stream = accept_soon(|| listener.accept().map(|(s, _)| s), &listener)?;
            stream.set_nodelay(true)?;
            (Box::new(Stream::new(stream.try_clone()?, stream)), child)
        }
    };
    expect_ready(&mut child)?;
    Ok(Opened {
        channel,
        child,
        _keep: dir,
    })
}

fn expect_ready(child: &mut RawChild) -> io::Result<()> {
    match child.receive::<FromPeer>()? {
        FromPeer::Ready => Ok(()),
        FromPeer::Done { .. } => Err(io::Error::other("the IPC child answered out of turn")),
    }
}

/// The child's end of `endpoint`.
pub(super) fn connect(endpoint: &Endpoint) -> io::Result<Box<dyn Channel>> {
    Ok(match endpoint {
        Endpoint::Fifos { down, up } => {
            let reader = File::open(down)?;
            let writer = OpenOptions::new().write(true).open(up)?;
            Box::new(Stream::new(reader, writer))
        }
        Endpoint::Queues {
            down,
            up,
            message_size,
        } => Box::new(Queues::new(
            MessageQueue::open(up, *message_size)?,
            MessageQueue::open(down, *message_size)?,
        )),
        Endpoint::Rings { down, up } => Box::new(Rings {
            outgoing: Ring::new(SharedRegion::open(&read_write(up)?)?),
            incoming: Ring::new(SharedRegion::open(&read_write(down)?)?),
        }),
        Endpoint::Unix(path) => {
            let stream = UnixStream::connect(path)?;
            Box::new(Stream::new(stream.try_clone()?, stream))
        }
        Endpoint::Tcp(port) => {
            let stream = TcpStream::connect(("127.0.0.1", *port))?;
            stream.set_nodelay(true)?;
            Box::new(Stream::new(stream.try_clone()?, stream))
        }
    })
}

fn read_write(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).write(true).open(path)
}

fn make_fifo(path: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, FileType, Mode, mknodat};
    Ok(mknodat(
        CWD,
        path,
        FileType::Fifo,
        Mode::from_raw_mode(0o600),
        0,
    )?)
}

/// Where POSIX shared memory lives (what `shm_open` uses), or the temporary directory where
/// there is none.
fn shared_memory_dir() -> PathBuf {
    let shm = PathBuf::from("/dev/shm");
    if shm.is_dir() {
        shm
    } else {
        std::env::temp_dir()
    }
}

/// The queue depth and message size an unprivileged process may ask for: the kernel's limits
/// (`/proc/sys/fs/mqueue`), at most 10 messages of 8 KiB.
fn queue_limits() -> (usize, usize) {
    let read = |name: &str, default: usize| {
        std::fs::read_to_string(format!("/proc/sys/fs/mqueue/{name}"))
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(default)
    };
    (
        read("msg_max", 10).min(10),
        read("msgsize_max", 8192).min(8192),
    )
}

/// Accepts one connection, waiting at most [`CONNECT_TIMEOUT`] for a child that may have
/// failed to start.
fn accept_soon<S: ConnectedStream>(
    accept: impl Fn() -> io::Result<S>,
    listener: &impl NonBlocking,
) -> io::Result<S> {
    listener.set_nonblocking(true)?;
    let deadline = Instant::now() + CONNECT_TIMEOUT;
    loop {
        match accept() {
            Ok(stream) => {
                stream.set_blocking()?;
                return Ok(stream);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(e) => return Err(e),
        }
    }
}

/// A listener that can stop blocking.
trait NonBlocking {
    fn set_nonblocking(&self, on: bool) -> io::Result<()>;
}

impl NonBlocking for TcpListener {
    fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        TcpListener::set_nonblocking(self, on)
    }
}

impl NonBlocking for UnixListener {
    fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        UnixListener::set_nonblocking(self, on)
    }
}

/// An accepted stream, which must block again after a non-blocking accept.
trait ConnectedStream {
    fn set_blocking(&self) -> io::Result<()>;
}

impl ConnectedStream for TcpStream {
    fn set_blocking(&self) -> io::Result<()> {
        self.set_nonblocking(false)
    }
}

impl ConnectedStream for UnixStream {
    fn set_blocking(&self) -> io::Result<()> {
        self.set_nonblocking(false)
    }
}
