//! The one place that starts a child process: this same program in its hidden worker mode,
//! talking over its standard input and output, tied to the parent's life, and always reaped.
//!
//! A child must never outlive ProcLab. Three things see to it: the child asks the kernel to
//! kill it when its parent dies (Linux's parent-death signal, set first thing in worker mode),
//! it checks that its parent is still the one that started it, and it exits when its standard
//! input closes, which happens however the parent ends.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The command that runs `exe` in worker mode as `role`, a child of this process. Every child
/// ProcLab starts is made from this.
pub fn worker_command(exe: &Path, role: &str) -> Command {
    let mut command = Command::new(exe);
    command.args(["worker", role, "--parent", &std::process::id().to_string()]);
    command
}

/// A running child process in worker mode.
pub struct ChildProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    reader: Option<JoinHandle<()>>,
    pid: u32,
}

impl ChildProcess {
    /// Starts `exe worker <role> --parent <our pid>`; each line the child prints is passed to
    /// `on_line` on a reader thread.
    pub fn spawn(
        exe: &Path,
        role: &str,
        mut on_line: impl FnMut(String) + Send + 'static,
    ) -> io::Result<Self> {
        let mut child = worker_command(exe, role)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let pid = child.id();
        let stdout = child.stdout.take();
        let reader = stdout.map(|stdout| {
            std::thread::Builder::new()
                .name(format!("child-{pid}-out"))
                .spawn(move || {
                    for line in BufReader::new(stdout).lines() {
                        match line {
                            Ok(line) => on_line(line),
                            Err(_) => break,
                        }
                    }
                })
        });
        let reader = match reader.transpose() {
            Ok(reader) => reader,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        };
        Ok(Self {
            stdin: child.stdin.take(),
            child,
            reader,
            pid,
        })
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Sends one line to the child; a child that has gone is not an error here (its exit
    /// shows in its state).
    pub fn send_line(&mut self, line: &str) {
        if let Some(stdin) = &mut self.stdin
            && writeln!(stdin, "{line}")
                .and_then(|()| stdin.flush())
                .is_err()
        {
            self.stdin = None;
        }
    }

    /// The child's exit status if it has already ended (it is then reaped); never waits.
    pub fn exit_status(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Closes the child's input, which asks it to finish.
    pub fn request_stop(&mut self) {
        self.stdin = None;
    }

    /// Waits until `deadline` for the child to finish, then kills it, and reaps it either way.
    pub fn stop(mut self, deadline: Instant) -> io::Result<ExitStatus> {
        self.request_stop();
        let status = loop {
            if let Some(status) = self.child.try_wait()? {
                break status;
            }
            if Instant::now() >= deadline {
                // Kill by the handle we hold: the child is not reaped yet, so its id cannot
                // have been reused by another process.
                let _ = self.child.kill();
                break self.child.wait()?;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        Ok(status)
    }
}

impl Drop for ChildProcess {
    /// A child dropped without [`ChildProcess::stop`] is killed and reaped, never orphaned.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}
