//! The one place that starts a child process: this same program in its hidden worker mode,
//! talking over its standard input and output, tied to the parent's life, and always reaped.
//!
//! Both directions speak one protocol: one JSON value per line, typed at each end
//! ([`ChildProcess::spawn`] and [`ChildProcess::send`] on the parent's side, [`to_parent`] and
//! [`from_parent`] on the child's).
//!
//! A child must never outlive ProcLab. Three things see to it: the child asks the kernel to
//! kill it when its parent dies (Linux's parent-death signal, set first thing in worker mode),
//! it checks that its parent is still the one that started it, and it exits when its standard
//! input closes, which happens however the parent ends.

use std::io::{self, BufRead, BufReader, Write};

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
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
    /// What the child wrote to its standard error, when it was captured.
    said: Option<(Arc<Mutex<String>>, JoinHandle<()>)>,
}

/// Most of a child's standard error kept: its last words, not a log.
const SAID_LIMIT: usize = 4096;

impl ChildProcess {
    /// Starts `exe worker <role> --parent <our pid>`; each message the child sends is passed
    /// to `on_message` on a reader thread (a line that is not a message of type `M` is
    /// skipped: it cannot come from a ProcLab child).
    pub fn spawn<M: DeserializeOwned>(
        exe: &Path,
        role: &str,
        on_message: impl FnMut(M) + Send + 'static,
    ) -> io::Result<Self> {
        Self::spawn_with(exe, role, false, on_message)
    }

    /// As [`ChildProcess::spawn`], keeping what the child writes to its standard error (a
    /// crashing child's last words) for [`ChildProcess::said`] instead of passing it on.
    pub fn spawn_capturing<M: DeserializeOwned>(
        exe: &Path,
        role: &str,
        on_message: impl FnMut(M) + Send + 'static,
    ) -> io::Result<Self> {
        Self::spawn_with(exe, role, true, on_message)
    }

    fn spawn_with<M: DeserializeOwned>(
        exe: &Path,
        role: &str,
        capture: bool,
        mut on_message: impl FnMut(M) + Send + 'static,
    ) -> io::Result<Self> {
        let stderr = match capture {
            true => Stdio::piped(),
            false => Stdio::inherit(),
        };
        let mut child = worker_command(exe, role)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()?;
        let pid = child.id();
        let stdout = child.stdout.take();
        let reader = stdout.map(|stdout| {
            std::thread::Builder::new()
                .name(format!("child-{pid}-out"))
                .spawn(move || {
                    for line in BufReader::new(stdout).lines() {
                        let Ok(line) = line else { break };
                        if let Ok(message) = serde_json::from_str(&line) {
                            on_message(message);
                        }
                    }
                })
        });
        let said = child.stderr.take().map(|stderr| {
            let text = Arc::new(Mutex::new(String::new()));
            let kept = Arc::clone(&text);
            let reading = std::thread::Builder::new()
                .name(format!("child-{pid}-err"))
                .spawn(move || keep_last_words(stderr, &kept));
            reading.map(|handle| (text, handle))
        });
        let (reader, said) = match (reader.transpose(), said.transpose()) {
            (Ok(reader), Ok(said)) => (reader, said),
            (Err(e), _) | (_, Err(e)) => {
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
            said,
        })
    }

    /// As [`ChildProcess::stop`], with what a capturing child wrote to its standard error
    /// (empty for one that was not captured).
    pub fn stop_and_listen(mut self, deadline: Instant) -> io::Result<(ExitStatus, String)> {
        let said = self.said.take();
        let status = self.stop(deadline)?;
        let text = said.map_or_else(String::new, |(text, reading)| {
            let _ = reading.join();
            text.lock().map(|t| t.clone()).unwrap_or_default()
        });
        Ok((status, text))
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Sends one message to the child; a child that has gone is not an error here (its exit
    /// shows in its state).
    pub fn send<T: Serialize>(&mut self, message: &T) {
        if let Some(stdin) = &mut self.stdin
            && write_message(stdin, message).is_err()
        {
            self.stdin = None;
        }
    }

    /// The child's exit status if it has already ended (it is then reaped); never waits.
    pub fn exit_status(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Kills the child by the handle we hold, without reaping it yet (a traced child's
    /// threads must be collected first).
    pub fn kill(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
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

/// A child in worker mode whose standard input and output the experiment uses itself: one
/// JSON line of set-up each way, then the two pipes carry the experiment's own bytes (the
/// ping-pong of a context-switch measurement, say). Killed and reaped when dropped.
pub struct RawChild {
    child: Child,
    /// The child's standard input: our writing end.
    pub input: ChildStdin,
    /// The child's standard output, buffered once for both the set-up line and the bytes
    /// after it, so that nothing read ahead is lost between the two.
    pub output: BufReader<ChildStdout>,
}

impl RawChild {
    /// Starts `exe worker <role> --parent <our pid>` with both pipes ours.
    pub fn spawn(exe: &Path, role: &str) -> io::Result<Self> {
        let mut child = worker_command(exe, role)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let missing = || io::Error::other("the child has no pipes");
        let input = child.stdin.take().ok_or_else(missing)?;
        let output = BufReader::new(child.stdout.take().ok_or_else(missing)?);
        Ok(Self {
            child,
            input,
            output,
        })
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends one set-up message.
    pub fn send<T: Serialize>(&mut self, message: &T) -> io::Result<()> {
        write_message(&mut self.input, message)
    }

    /// Waits for the child's one line, as type `T`.
    pub fn receive<T: DeserializeOwned>(&mut self) -> io::Result<T> {
        let mut line = String::new();
        if self.output.read_line(&mut line)? == 0 {
            return Err(io::Error::other("the child ended before it answered"));
        }
        serde_json::from_str(&line).map_err(io::Error::other)
    }
}

impl Drop for RawChild {
    /// Killed by the handle we hold (not yet reaped, so its id is still ours) and reaped.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads `stderr` to its end, keeping the first [`SAID_LIMIT`] bytes in `kept`.
fn keep_last_words(stderr: ChildStderr, kept: &Mutex<String>) {
    for line in BufReader::new(stderr).lines() {
        let Ok(line) = line else { break };
        if let Ok(mut text) = kept.lock()
            && text.len() < SAID_LIMIT
        {
            text.push_str(&line);
            text.push('\n');
        }
    }
}

/// Writes `message` as one line of the protocol.
fn write_message<T: Serialize>(out: &mut impl Write, message: &T) -> io::Result<()> {
    let line = serde_json::to_string(message).map_err(io::Error::other)?;
    writeln!(out, "{line}")?;
    out.flush()
}

/// The child's side: sends `message` to the parent.
pub fn to_parent<T: Serialize>(message: &T) -> io::Result<()> {
    write_message(&mut io::stdout().lock(), message)
}

/// The child's side, when its input carries the experiment's own bytes after one set-up line:
/// that line, parsed, and as it came (to pass along a chain). Read through the same buffered
/// `input` the bytes after it will be read from, so that nothing read ahead is lost.
pub fn setup_line<T: DeserializeOwned>(input: &mut impl BufRead) -> io::Result<(T, String)> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Err(io::Error::other("the parent sent no set-up"));
    }
    let setup = serde_json::from_str(&line).map_err(io::Error::other)?;
    Ok((setup, line))
}

/// The child's side: the parent's messages, until its end of the pipe closes (the parent
/// stopped us, or died). A line that is not a message of type `T` is skipped.
pub fn from_parent<T: DeserializeOwned>() -> impl Iterator<Item = T> {
    io::stdin()
        .lines()
        .map_while(Result::ok)
        .filter_map(|line| serde_json::from_str(&line).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_json_value_per_line() {
        let mut out = Vec::new();
        write_message(&mut out, &("write", 42)).unwrap();
        write_message(&mut out, &("report", 0)).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<(String, u64)> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines, [("write".into(), 42), ("report".into(), 0)]);
    }
}
