//! The recovery copy: while a lesson has unsaved edits, a copy of it is kept in ProcLab's
//! data folder, written on a thread of its own a moment after the last edit. A clean save,
//! a discard or a normal quit removes it; if ProcLab is killed or crashes, the copy is still
//! there at the next start and the app offers it back.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossbeam_channel::{Receiver, Sender};
use serde::{Deserialize, Serialize};

use crate::lesson::{self, Lesson};

use super::settings::LessonSource;

/// How long after the last edit the copy is written: typing does not write at every key.
pub const WRITE_DELAY: Duration = Duration::from_millis(1500);

/// The file the copy is kept in, inside the recovery folder.
const FILE_NAME: &str = "recovery.json";

/// What a recovery copy holds: the lesson as TOML (the format the user's file has), where it
/// came from, the step that was shown and when it was kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryCopy {
    pub source: LessonSource,
    pub step: usize,
    /// Seconds since the Unix epoch.
    pub kept_at: u64,
    pub lesson_toml: String,
}

/// A copy found at start, read and parsed once, as the app offers it back.
#[derive(Debug)]
pub struct RecoveryOffer {
    pub source: LessonSource,
    pub step: usize,
    /// The lesson the copy holds, parsed and validated as any lesson file is.
    pub lesson: Result<Lesson, lesson::LoadError>,
    /// When it was kept, in local time.
    pub kept_at: String,
}

impl RecoveryCopy {
    /// The copy as an offer: its lesson parsed and its time written out, once.
    pub fn into_offer(self) -> RecoveryOffer {
        let kept = chrono::DateTime::from_timestamp(self.kept_at as i64, 0).unwrap_or_default();
        RecoveryOffer {
            lesson: lesson::parse(self.lesson_toml.as_bytes(), FILE_NAME),
            kept_at: kept
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            source: self.source,
            step: self.step,
        }
    }
}

/// Reads the copy left in `folder`, if any and readable.
pub fn find(folder: &Path) -> Option<RecoveryCopy> {
    let text = std::fs::read(folder.join(FILE_NAME)).ok()?;
    serde_json::from_slice(&text).ok()
}

enum Job {
    /// Serialise and write: TOML of a whole lesson takes milliseconds, which are the
    /// writer's, not the window's.
    Write {
        lesson: Box<Lesson>,
        source: LessonSource,
        step: usize,
        kept_at: u64,
    },
    Remove,
}

/// Keeps the recovery copy in step with the open lesson; all disk work happens on its own
/// thread, so the window never waits for the disk.
pub struct Recovery {
    folder: Option<PathBuf>,
    jobs: Option<Sender<Job>>,
    writer: Option<std::thread::JoinHandle<()>>,
    /// The revision last written (or removed), so that nothing is written twice.
    written: Option<u64>,
    /// The revision waiting to be written, and since when.
    pending: Option<(u64, Instant)>,
}

impl Recovery {
    /// Keeps copies in `folder`; with `None` (no data folder on this system), keeps none.
    pub fn new(folder: Option<PathBuf>) -> Self {
        let started = folder.clone().and_then(|folder| {
            let (send, receive) = crossbeam_channel::unbounded();
            let writer = std::thread::Builder::new()
                .name("recovery-copy".into())
                .spawn(move || write_jobs(&folder, &receive))
                .ok()?;
            Some((send, writer))
        });
        let (jobs, writer) = started.unzip();
        Self {
            folder,
            jobs,
            writer,
            written: None,
            pending: None,
        }
    }

    /// The copy left in the folder by a run that did not end normally, if any.
    pub fn found(&self) -> Option<RecoveryOffer> {
        find(self.folder.as_deref()?).map(RecoveryCopy::into_offer)
    }

    /// At a normal end: lets the writer finish, then removes the copy, so that nothing is
    /// offered next time. A run that is killed never gets here, and its copy stays.
    pub fn finish(&mut self) {
        self.jobs = None;
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
        if let Some(folder) = &self.folder {
            let _ = std::fs::remove_file(folder.join(FILE_NAME));
        }
    }

    /// Called every frame with the open lesson: schedules a copy of unsaved edits, or the
    /// removal of the copy once there are none. Returns how long until it wants to be called
    /// again, if it is waiting.
    pub fn keep(
        &mut self,
        lesson: &Lesson,
        source: &LessonSource,
        step: usize,
        revision: Option<u64>,
    ) -> Option<Duration> {
        let Some(revision) = revision else {
            self.remove();
            return None;
        };
        if self.written == Some(revision) {
            return None;
        }
        let since = match self.pending {
            Some((pending, since)) if pending == revision => since,
            _ => {
                self.pending = Some((revision, Instant::now()));
                return Some(WRITE_DELAY);
            }
        };
        let waited = since.elapsed();
        if waited < WRITE_DELAY {
            return Some(WRITE_DELAY - waited);
        }
        self.write(lesson, source, step);
        self.written = Some(revision);
        self.pending = None;
        None
    }

    fn write(&self, lesson: &Lesson, source: &LessonSource, step: usize) {
        let kept_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.send(Job::Write {
            lesson: Box::new(lesson.clone()),
            source: source.clone(),
            step,
            kept_at,
        });
    }

    /// Removes the copy (the edits were saved or thrown away).
    pub fn remove(&mut self) {
        if self.written.is_some() || self.pending.is_some() {
            self.send(Job::Remove);
        }
        self.written = None;
        self.pending = None;
    }

    /// Removes whatever copy is on disk, known to this run or left by another.
    pub fn discard_found(&mut self) {
        self.send(Job::Remove);
    }

    fn send(&self, job: Job) {
        if let Some(jobs) = &self.jobs {
            // The writer only stops when this sender is dropped.
            let _ = jobs.send(job);
        }
    }
}

/// The writer thread: the newest job wins, and each write replaces the file whole.
fn write_jobs(folder: &Path, jobs: &Receiver<Job>) {
    while let Ok(mut job) = jobs.recv() {
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        let path = folder.join(FILE_NAME);
        match job {
            Job::Write {
                lesson,
                source,
                step,
                kept_at,
            } => {
                let Ok(lesson_toml) = lesson::to_toml(&lesson) else {
                    continue;
                };
                let copy = RecoveryCopy {
                    source,
                    step,
                    kept_at,
                    lesson_toml,
                };
                let _ = write_atomically(folder, &path, &copy);
            }
            Job::Remove => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

fn write_atomically(folder: &Path, path: &Path, copy: &RecoveryCopy) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    let mut file = tempfile::NamedTempFile::new_in(folder)?;
    serde_json::to_writer(&mut file, copy)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
