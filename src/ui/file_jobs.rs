//! Opening and saving lesson files off the UI thread.
//!
//! File dialogs block until the user answers and disks can be slow, so each job runs on a
//! short-lived thread and reports back over a channel, waking the UI with a repaint. The
//! dialogs sit behind [`FileDialogs`] so tests can answer them without a desktop.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};

use crate::lesson::{self, Lesson, LoadError};

/// The questions ProcLab asks the user about files.
pub trait FileDialogs: Send + Sync {
    /// A lesson file to open, or `None` when the user cancels.
    fn pick_lesson_to_open(&self) -> Option<PathBuf>;
    /// Where to save a lesson, or `None` when the user cancels.
    fn pick_save_path(&self, suggested_name: &str) -> Option<PathBuf>;
    /// Where to export a measurement as `extension` (csv, json), or `None` when the user
    /// cancels.
    fn pick_export_path(&self, suggested_name: &str, extension: &str) -> Option<PathBuf> {
        let _ = (suggested_name, extension);
        None
    }
}

/// The operating system's file dialogs.
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn pick_lesson_to_open(&self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("ProcLab lesson", &["toml"])
            .pick_file()
    }

    fn pick_save_path(&self, suggested_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("ProcLab lesson", &["toml"])
            .set_file_name(suggested_name)
            .save_file()
    }

    fn pick_export_path(&self, suggested_name: &str, extension: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(extension.to_uppercase(), &[extension])
            .set_file_name(suggested_name)
            .save_file()
    }
}

/// What a finished job reports.
#[derive(Debug)]
pub enum FileEvent {
    Opened {
        path: PathBuf,
        result: Result<Lesson, LoadError>,
    },
    Saved {
        path: PathBuf,
        /// The document that was saved.
        document: u64,
        /// The document's edit count when the save started.
        edit_count: u64,
        result: Result<(), String>,
    },
    /// A measurement was written to a file (or could not be).
    Exported {
        path: PathBuf,
        result: Result<(), String>,
    },
    /// The user closed a dialog without choosing.
    Cancelled,
    /// The job stopped with a panic (a bug); nothing was opened or saved.
    Crashed(JobKind),
}

/// What a save needs: a copy of the lesson and which document, at which edit, it is.
pub struct SaveRequest {
    pub lesson: Lesson,
    pub document: u64,
    pub edit_count: u64,
    pub suggested_name: String,
}

/// Runs file jobs one at a time and hands their results back to the UI.
pub struct FileJobs {
    dialogs: Arc<dyn FileDialogs>,
    sender: Sender<FileEvent>,
    receiver: Receiver<FileEvent>,
    busy: Option<JobKind>,
    repaint: Option<egui::Context>,
}

/// What the running job is doing, for the status bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Opening,
    Saving,
    Exporting,
}

impl FileJobs {
    pub fn new(dialogs: Arc<dyn FileDialogs>) -> Self {
        let (sender, receiver) = crossbeam_channel::unbounded();
        Self {
            dialogs,
            sender,
            receiver,
            busy: None,
            repaint: None,
        }
    }

    /// Jobs will request a repaint of `ctx` when they finish.
    pub fn set_repaint_context(&mut self, ctx: &egui::Context) {
        self.repaint = Some(ctx.clone());
    }

    /// The job under way, if any.
    pub fn busy(&self) -> Option<JobKind> {
        self.busy
    }

    /// Opens `path`, or asks for one first when `None`. Returns false when another job runs.
    pub fn open(&mut self, path: Option<PathBuf>) -> bool {
        self.start(JobKind::Opening, move |dialogs| {
            let Some(path) = path.or_else(|| dialogs.pick_lesson_to_open()) else {
                return FileEvent::Cancelled;
            };
            let result = lesson::load(&path);
            FileEvent::Opened { path, result }
        })
    }

    /// Saves a copy of `lesson` to `path`, or asks where first when `None`.
    /// Returns false when another job runs.
    pub fn save(&mut self, path: Option<PathBuf>, request: SaveRequest) -> bool {
        let SaveRequest {
            lesson,
            document,
            edit_count,
            suggested_name,
        } = request;
        self.start(JobKind::Saving, move |dialogs| {
            let Some(path) = path.or_else(|| dialogs.pick_save_path(&suggested_name)) else {
                return FileEvent::Cancelled;
            };
            let result = lesson::save(&path, &lesson).map_err(|e| e.to_string());
            FileEvent::Saved {
                path,
                document,
                edit_count,
                result,
            }
        })
    }

    /// Writes `contents` where the user chooses, suggesting `suggested_name`. Returns false
    /// when another job runs.
    pub fn export(
        &mut self,
        suggested_name: String,
        extension: &'static str,
        contents: String,
    ) -> bool {
        self.start(JobKind::Exporting, move |dialogs| {
            let Some(path) = dialogs.pick_export_path(&suggested_name, extension) else {
                return FileEvent::Cancelled;
            };
            let result = std::fs::write(&path, contents).map_err(|e| e.to_string());
            FileEvent::Exported { path, result }
        })
    }

    /// Encodes `image` as PNG and writes it where the user chooses. Returns false when
    /// another job runs.
    pub fn export_png(&mut self, suggested_name: String, image: Arc<egui::ColorImage>) -> bool {
        self.start(JobKind::Exporting, move |dialogs| {
            let Some(path) = dialogs.pick_export_path(&suggested_name, "png") else {
                return FileEvent::Cancelled;
            };
            let result = png_bytes(&image)
                .and_then(|bytes| std::fs::write(&path, bytes).map_err(|e| e.to_string()));
            FileEvent::Exported { path, result }
        })
    }

    fn start(
        &mut self,
        kind: JobKind,
        job: impl FnOnce(&dyn FileDialogs) -> FileEvent + Send + 'static,
    ) -> bool {
        if self.busy.is_some() {
            return false;
        }
        let dialogs = Arc::clone(&self.dialogs);
        let sender = self.sender.clone();
        let repaint = self.repaint.clone();
        let spawned = std::thread::Builder::new()
            .name("proclab-file-job".into())
            .spawn(move || {
                // A panic must still report, or the app would wait for this job forever.
                let event =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(
                        || job(dialogs.as_ref()),
                    ))
                    .unwrap_or(FileEvent::Crashed(kind));
                // The receiver lives as long as the app; if it is gone the app is closing.
                let _ = sender.send(event);
                if let Some(ctx) = repaint {
                    ctx.request_repaint();
                }
            });
        if spawned.is_ok() {
            self.busy = Some(kind);
        }
        spawned.is_ok()
    }

    /// The results of jobs that finished since the last call.
    pub fn finished(&mut self) -> Vec<FileEvent> {
        let events: Vec<FileEvent> = self.receiver.try_iter().collect();
        if !events.is_empty() {
            self.busy = None;
        }
        events
    }
}

/// `image` as the bytes of a PNG file.
pub fn png_bytes(image: &egui::ColorImage) -> Result<Vec<u8>, String> {
    let [width, height] = image.size;
    let rgba: Vec<u8> = image.pixels.iter().flat_map(|p| p.to_array()).collect();
    let buffer = image::RgbaImage::from_raw(width as u32, height as u32, rgba)
        .ok_or_else(|| "the picture's size does not match its pixels".to_owned())?;
    let mut bytes = std::io::Cursor::new(Vec::new());
    buffer
        .write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(bytes.into_inner())
}

/// A file name to suggest when saving a lesson that has none yet.
pub fn suggested_file_name(title: &str, current: Option<&Path>) -> String {
    if let Some(name) = current.and_then(Path::file_name) {
        return name.to_string_lossy().into_owned();
    }
    let slug: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .to_lowercase();
    if slug.is_empty() {
        "lesson.toml".into()
    } else {
        format!("{slug}.toml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggested_names_are_tidy() {
        assert_eq!(
            suggested_file_name("Threads: share & keep!", None),
            "threads-share-keep.toml"
        );
        assert_eq!(suggested_file_name("???", None), "lesson.toml");
        assert_eq!(
            suggested_file_name("x", Some(Path::new("/a/b.toml"))),
            "b.toml"
        );
    }

    #[test]
    fn a_view_is_written_as_a_png_that_decodes_to_the_same_pixels() {
        let mut image = egui::ColorImage::filled([3, 2], egui::Color32::WHITE);
        image.pixels[4] = egui::Color32::from_rgb(200, 10, 30);
        let bytes = png_bytes(&image).unwrap();
        let decoded = image::load_from_memory(&bytes).unwrap().to_rgba8();
        assert_eq!(decoded.dimensions(), (3, 2));
        assert_eq!(decoded.get_pixel(1, 1).0, [200, 10, 30, 255]);
        assert_eq!(decoded.get_pixel(0, 0).0, [255, 255, 255, 255]);
    }
}
