//! The operating system's own primitives, called directly so that their cost can be measured
//! without Rust's wrappers: `pthread_create` of an empty thread, `fork` alone, `fork` then
//! `exec`, `posix_spawn`, POSIX message queues (which the standard library does not
//! offer), and the crash demo's invalid memory access. With [`super::shared_memory`] it is one of the two places ProcLab uses `unsafe`,
//! because these are C functions whose rules (what a forked child of a threaded process may
//! do, which buffers a call may write) the compiler cannot check.
#![allow(unsafe_code)]

use std::ffi::{CString, c_char, c_void};
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

/// A program and its arguments, prepared as C strings before any fork: a child forked from a
/// threaded process may only call async-signal-safe functions, so it must not allocate.
pub struct ExecTarget {
    path: CString,
    /// Owns the strings `argv` points into.
    _args: Vec<CString>,
    /// Null-terminated, as `execve` and `posix_spawn` take it.
    argv: Vec<*const c_char>,
    /// An empty, null-terminated environment: the child needs none, and every way of
    /// starting it gets the same one.
    envp: [*const c_char; 1],
}

impl ExecTarget {
    /// `program` with `args`; an error if either holds a NUL byte.
    pub fn new(program: &Path, args: &[&str]) -> io::Result<Self> {
        let c = |text: &str| CString::new(text).map_err(io::Error::other);
        let path = c(&program.to_string_lossy())?;
        let mut strings = vec![path.clone()];
        for arg in args {
            strings.push(c(arg)?);
        }
        let mut argv: Vec<*const c_char> = strings.iter().map(|s| s.as_ptr()).collect();
        argv.push(std::ptr::null());
        Ok(Self {
            path,
            _args: strings,
            argv,
            envp: [std::ptr::null()],
        })
    }
}

extern "C" fn empty_thread(_: *mut c_void) -> *mut c_void {
    std::ptr::null_mut()
}

/// `pthread_create` of a thread that returns at once, with default attributes, and
/// `pthread_join`.
pub fn time_pthread() -> io::Result<Duration> {
    let start = Instant::now();
    let mut thread: libc::pthread_t = 0;
    // SAFETY: `thread` is a valid place for the new thread's id; null attributes mean the
    // defaults; `empty_thread` has the C signature pthread_create expects and touches nothing.
    let created = unsafe {
        libc::pthread_create(
            &mut thread,
            std::ptr::null(),
            empty_thread,
            std::ptr::null_mut(),
        )
    };
    if created != 0 {
        return Err(io::Error::from_raw_os_error(created));
    }
    // SAFETY: `thread` was created above, is joinable and is joined exactly once.
    let joined = unsafe { libc::pthread_join(thread, std::ptr::null_mut()) };
    if joined != 0 {
        return Err(io::Error::from_raw_os_error(joined));
    }
    Ok(start.elapsed())
}

/// `fork` of this process, whose child exits at once, and the wait for it.
pub fn time_fork() -> io::Result<Duration> {
    let start = Instant::now();
    // SAFETY: the child calls only `_exit`, which is async-signal-safe, so the state other
    // threads left behind (locks held at the fork) cannot matter to it.
    let pid = unsafe { libc::fork() };
    match pid {
        -1 => Err(io::Error::last_os_error()),
        // SAFETY: see above; `_exit` skips every handler the parent registered.
        0 => unsafe { libc::_exit(0) },
        child => wait_for(child).map(|()| start.elapsed()),
    }
}

/// `fork`, then `execve` of `target` in the child, and the wait for it.
pub fn time_fork_exec(target: &ExecTarget) -> io::Result<Duration> {
    let start = Instant::now();
    // SAFETY: between fork and exec the child calls only `execve` and `_exit`, both
    // async-signal-safe, with pointers prepared before the fork.
    let pid = unsafe { libc::fork() };
    match pid {
        -1 => Err(io::Error::last_os_error()),
        0 => unsafe {
            // SAFETY: the strings and both arrays are null-terminated and live in `target`,
            // which the forked child's copy of memory still holds.
            libc::execve(
                target.path.as_ptr(),
                target.argv.as_ptr(),
                target.envp.as_ptr(),
            );
            libc::_exit(127)
        },
        child => wait_for(child).map(|()| start.elapsed()),
    }
}

/// `posix_spawn` of `target` with default attributes, and the wait for it.
pub fn time_posix_spawn(target: &ExecTarget) -> io::Result<Duration> {
    let start = Instant::now();
    let mut pid: libc::pid_t = 0;
    // SAFETY: `pid` is a valid place for the child's id; null file actions and attributes
    // mean the defaults; the path, argv and envp are null-terminated and outlive the call.
    let spawned = unsafe {
        libc::posix_spawn(
            &mut pid,
            target.path.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            target.argv.as_ptr().cast(),
            target.envp.as_ptr().cast(),
        )
    };
    if spawned != 0 {
        return Err(io::Error::from_raw_os_error(spawned));
    }
    wait_for(pid).map(|()| start.elapsed())
}

/// Reaps `child`, which this process started; an error unless it exited with status 0.
fn wait_for(child: libc::pid_t) -> io::Result<()> {
    let mut status = 0;
    loop {
        // SAFETY: `child` is our own unreaped child and `status` a valid place for its status.
        let reaped = unsafe { libc::waitpid(child, &mut status, 0) };
        if reaped == child {
            break;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "the child ended with status {status:#x}"
        )))
    }
}

/// One end of a POSIX message queue (`mq_open`), closed when dropped; the end that created
/// it also removes its name.
pub struct MessageQueue {
    queue: libc::mqd_t,
    name: CString,
    created: bool,
    /// The largest message the queue takes.
    pub message_size: usize,
}

impl MessageQueue {
    /// Creates the queue `name` (which starts with `/`), holding up to `depth` messages of
    /// up to `message_size` bytes; a queue left by an earlier run under that name is replaced.
    pub fn create(name: &str, depth: usize, message_size: usize) -> io::Result<Self> {
        let name = CString::new(name).map_err(io::Error::other)?;
        // SAFETY: `name` is a valid C string; removing a queue that does not exist only fails.
        unsafe { libc::mq_unlink(name.as_ptr()) };
        // SAFETY: an all-zero mq_attr is valid; the fields the kernel reads are set below.
        let mut attributes: libc::mq_attr = unsafe { std::mem::zeroed() };
        attributes.mq_maxmsg = depth as _;
        attributes.mq_msgsize = message_size as _;
        let flags = libc::O_CREAT | libc::O_EXCL | libc::O_RDWR;
        // SAFETY: `name` is a valid C string; with O_CREAT, mq_open reads a mode and a pointer
        // to a valid mq_attr, both given.
        let queue =
            unsafe { libc::mq_open(name.as_ptr(), flags, 0o600 as libc::mode_t, &attributes) };
        Self::opened(queue, name, true, message_size)
    }

    /// Opens the queue `name` another process created with `message_size`.
    pub fn open(name: &str, message_size: usize) -> io::Result<Self> {
        let name = CString::new(name).map_err(io::Error::other)?;
        // SAFETY: `name` is a valid C string; without O_CREAT no further argument is read.
        let queue = unsafe { libc::mq_open(name.as_ptr(), libc::O_RDWR) };
        Self::opened(queue, name, false, message_size)
    }

    fn opened(
        queue: libc::mqd_t,
        name: CString,
        created: bool,
        message_size: usize,
    ) -> io::Result<Self> {
        if queue == -1 {
            return Err(io::Error::last_os_error());
        }
        Ok(Self {
            queue,
            name,
            created,
            message_size,
        })
    }

    /// Sends `message` (at most [`MessageQueue::message_size`] bytes), waiting while the
    /// queue is full.
    pub fn send(&self, message: &[u8]) -> io::Result<()> {
        loop {
            // SAFETY: the pointer and length describe `message`, which the call only reads.
            let sent =
                unsafe { libc::mq_send(self.queue, message.as_ptr().cast(), message.len(), 0) };
            if sent == 0 {
                return Ok(());
            }
            let error = io::Error::last_os_error();
            if error.kind() != io::ErrorKind::Interrupted {
                return Err(error);
            }
        }
    }

    /// Waits for the next message and copies it into `buffer` (at least
    /// [`MessageQueue::message_size`] long); its length.
    pub fn receive(&self, buffer: &mut [u8]) -> io::Result<usize> {
        if buffer.len() < self.message_size {
            return Err(io::Error::other("the buffer is smaller than a message"));
        }
        loop {
            // SAFETY: the pointer and length describe `buffer`, which outlives the call; the
            // kernel writes at most `buffer.len()` bytes; a null priority is allowed.
            let received = unsafe {
                libc::mq_receive(
                    self.queue,
                    buffer.as_mut_ptr().cast(),
                    buffer.len(),
                    std::ptr::null_mut(),
                )
            };
            if received >= 0 {
                return Ok(received as usize);
            }
            let error = io::Error::last_os_error();
            if error.kind() != io::ErrorKind::Interrupted {
                return Err(error);
            }
        }
    }
}

impl Drop for MessageQueue {
    fn drop(&mut self) {
        // SAFETY: `queue` is open and closed exactly once, here; `name` is a valid C string.
        unsafe {
            libc::mq_close(self.queue);
            if self.created {
                libc::mq_unlink(self.name.as_ptr());
            }
        }
    }
}

// SAFETY: a message queue descriptor is a file descriptor; the kernel serialises its use.
unsafe impl Send for MessageQueue {}

/// A hardware counter of the calling thread's data-TLB read misses in user space
/// (`perf_event_open`), where the kernel offers it to an unprivileged process.
pub struct TlbMissCounter {
    fd: std::os::fd::OwnedFd,
}

impl TlbMissCounter {
    /// Opens the counter, or says why the kernel refuses it (common in virtual machines,
    /// which often pass no TLB events through, and under a strict `perf_event_paranoid`).
    pub fn open() -> io::Result<Self> {
        // The first 64 bytes of perf_event_attr (PERF_ATTR_SIZE_VER0), as eight words:
        // type and size; config; sample period; sample type; read format; flag bits;
        // wake-up events and breakpoint type; config1.
        const HW_CACHE: u64 = 3;
        const DTLB_READ_MISS: u64 = 3 | (1 << 16);
        const EXCLUDE_KERNEL_AND_HYPERVISOR: u64 = (1 << 5) | (1 << 6);
        let attr: [u64; 8] = [
            HW_CACHE | (64 << 32),
            DTLB_READ_MISS,
            0,
            0,
            0,
            EXCLUDE_KERNEL_AND_HYPERVISOR,
            0,
            0,
        ];
        // SAFETY: `attr` is a valid perf_event_attr of the size it states, read by the
        // kernel only during the call; pid 0 and cpu -1 mean this thread on any CPU.
        let fd = unsafe { libc::syscall(libc::SYS_perf_event_open, attr.as_ptr(), 0, -1, -1, 0) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: the kernel just returned this descriptor to us; nothing else owns it.
        let fd =
            unsafe { <std::os::fd::OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(fd as i32) };
        Ok(Self { fd })
    }

    /// Misses counted so far.
    pub fn read(&self) -> io::Result<u64> {
        let mut count = [0u8; 8];
        rustix::io::read(&self.fd, &mut count)?;
        Ok(u64::from_ne_bytes(count))
    }
}

/// Reads a page mapped with no access at all, which the CPU refuses: the kernel sends this
/// process SIGSEGV. For the crash demo's child only; it never returns.
pub fn read_forbidden_page() -> io::Result<u8> {
    // SAFETY: an anonymous private mapping of one page, no file; the result is checked.
    let page = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            4096,
            libc::PROT_NONE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if page == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: deliberately not safe: the page is mapped but may not be read, so this read
    // faults and the kernel ends the process before it completes. Volatile, so that the
    // compiler keeps it.
    Ok(unsafe { std::ptr::read_volatile(page.cast::<u8>()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_primitive_starts_and_reaps_a_real_task() {
        let truth = ExecTarget::new(Path::new("/bin/true"), &[]).unwrap();
        assert!(time_pthread().unwrap() > Duration::ZERO);
        assert!(time_fork().unwrap() > Duration::ZERO);
        assert!(time_fork_exec(&truth).unwrap() > Duration::ZERO);
        assert!(time_posix_spawn(&truth).unwrap() > Duration::ZERO);
    }

    #[test]
    fn a_message_sent_through_a_queue_arrives_whole() {
        let name = format!("/proclab-test-{}", std::process::id());
        let ours = MessageQueue::create(&name, 4, 128).unwrap();
        let theirs = MessageQueue::open(&name, 128).unwrap();
        ours.send(b"switch").unwrap();
        let mut buffer = [0u8; 128];
        let length = theirs.receive(&mut buffer).unwrap();
        assert_eq!(&buffer[..length], b"switch");
        assert!(MessageQueue::create(&name, 4, 1 << 30).is_err());
    }

    #[test]
    fn a_failing_child_is_an_error_not_a_figure() {
        let falsity = ExecTarget::new(Path::new("/bin/false"), &[]).unwrap();
        assert!(time_fork_exec(&falsity).is_err());
        assert!(time_posix_spawn(&falsity).is_err());
        let missing = ExecTarget::new(Path::new("/nonexistent/program"), &[]).unwrap();
        assert!(time_fork_exec(&missing).is_err());
    }
}
