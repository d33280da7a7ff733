//! Writing a lesson: to TOML text, and to disk atomically.
//!
//! A save writes a temporary file beside the target, flushes it to disk and only then
//! renames it over the target, so a crash or a full disk leaves either the old file or the
//! new one, never half of either.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::load::parse;
use super::model::Lesson;

/// Why a lesson could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("cannot write the lesson as TOML: {0}")]
    Serialize(#[from] toml::ser::Error),
    #[error("the saved text would not load again ({0}); nothing was written")]
    WouldNotReload(String),
    #[error("{path}: cannot {action}: {source}")]
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
}

/// The lesson as the TOML text `save` writes.
pub fn to_toml(lesson: &Lesson) -> Result<String, SaveError> {
    let text = toml::to_string_pretty(lesson)?;
    // Never write a file this program cannot read back.
    parse(text.as_bytes(), "(saved lesson)")
        .map_err(|e| SaveError::WouldNotReload(e.to_string()))?;
    Ok(text)
}

/// Saves `lesson` to `path` atomically.
pub fn save(path: &Path, lesson: &Lesson) -> Result<(), SaveError> {
    StagedSave::write(path, lesson)?.commit()
}

/// A save written to a temporary file beside its target but not yet renamed over it.
/// Dropping it without [`StagedSave::commit`] removes the temporary file and leaves the
/// target as it was.
pub struct StagedSave {
    temp: NamedTempFile,
    target: PathBuf,
}

impl StagedSave {
    /// Writes the lesson to a temporary file in the target's folder and flushes it to disk.
    pub fn write(path: &Path, lesson: &Lesson) -> Result<Self, SaveError> {
        let text = to_toml(lesson)?;
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let io = |action| move |source| io_error(path, action, source);
        let mut temp = tempfile::Builder::new()
            .prefix(".proclab-save-")
            .suffix(".tmp")
            .tempfile_in(folder)
            .map_err(io("create a temporary file beside it"))?;
        temp.write_all(text.as_bytes())
            .map_err(io("write the temporary file"))?;
        // Keep the permissions the user gave the file they are replacing.
        if let Ok(metadata) = std::fs::metadata(path) {
            temp.as_file()
                .set_permissions(metadata.permissions())
                .map_err(io("copy the file's permissions"))?;
        }
        temp.as_file()
            .sync_all()
            .map_err(io("flush the temporary file"))?;
        Ok(Self {
            temp,
            target: path.to_owned(),
        })
    }

    /// The temporary file holding the new text.
    pub fn temp_path(&self) -> &Path {
        self.temp.path()
    }

    /// Renames the temporary file over the target.
    pub fn commit(self) -> Result<(), SaveError> {
        let target = self.target;
        self.temp
            .persist(&target)
            .map_err(|e| io_error(&target, "replace the file", e.error))?;
        sync_parent_folder(&target);
        Ok(())
    }
}

fn io_error(path: &Path, action: &'static str, source: std::io::Error) -> SaveError {
    SaveError::Io {
        path: path.to_owned(),
        action,
        source,
    }
}

/// Makes the rename itself durable. Best effort: the save has already succeeded, and some
/// systems cannot open a folder for syncing.
fn sync_parent_folder(path: &Path) {
    #[cfg(unix)]
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(handle) = std::fs::File::open(folder)
    {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}
