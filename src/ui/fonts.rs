//! Finding and loading a Korean font from the system.
//!
//! egui's own fonts have no Hangul. ProcLab ships no third-party font files, so it looks for
//! one the system has (Nanum or Noto CJK on Linux, Apple SD Gothic Neo on macOS, Malgun Gothic
//! on Windows) and adds it as a fallback for every text family.

use std::path::{Path, PathBuf};

use egui::{FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};

/// Files tried first, in order: the usual places of the usual fonts.
const KNOWN_FILES: &[&str] = &[
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansKR-Regular.ttf",
    "/System/Library/Fonts/AppleSDGothicNeo.ttc",
    "C:\\Windows\\Fonts\\malgun.ttf",
];

/// Folders searched when none of the known files exists.
const FONT_FOLDERS: &[&str] = &["/usr/share/fonts", "/usr/local/share/fonts"];

/// File names (lower case) of fonts known to cover Hangul.
const KOREAN_NAME_HINTS: &[&str] = &["nanumgothic", "notosanscjk", "notosanskr", "malgun"];

/// Where a Korean font was found, or why none could be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KoreanFont {
    Loaded(PathBuf),
    Missing,
}

impl KoreanFont {
    pub fn is_loaded(&self) -> bool {
        matches!(self, KoreanFont::Loaded(_))
    }
}

/// The first Korean font file on this system, if any.
pub fn find_korean_font() -> Option<PathBuf> {
    let known = KNOWN_FILES.iter().map(PathBuf::from).find(|p| p.is_file());
    known.or_else(|| {
        let mut folders: Vec<PathBuf> = FONT_FOLDERS.iter().map(PathBuf::from).collect();
        if let Some(home) = std::env::var_os("HOME") {
            folders.push(Path::new(&home).join(".local/share/fonts"));
        }
        folders.iter().find_map(|folder| search_folder(folder, 4))
    })
}

fn search_folder(folder: &Path, depth: usize) -> Option<PathBuf> {
    let entries = std::fs::read_dir(folder).ok()?;
    let mut subfolders = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            subfolders.push(path);
        } else if is_korean_font_name(&path) {
            return Some(path);
        }
    }
    if depth == 0 {
        return None;
    }
    subfolders.sort();
    subfolders
        .iter()
        .find_map(|sub| search_folder(sub, depth - 1))
}

fn is_korean_font_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let is_font = [".ttf", ".otf", ".ttc"].iter().any(|e| name.ends_with(e));
    let regular = !name.contains("bold") && !name.contains("light");
    is_font && regular && KOREAN_NAME_HINTS.iter().any(|h| name.contains(h))
}

/// Adds the Korean font at `path` (from [`find_korean_font`]) to `ctx` as a fallback for
/// all text.
pub fn install_korean_font(ctx: &egui::Context, path: Option<PathBuf>) -> KoreanFont {
    let Some(path) = path else {
        return KoreanFont::Missing;
    };
    let Ok(bytes) = std::fs::read(&path) else {
        return KoreanFont::Missing;
    };
    let fallback = |family| InsertFontFamily {
        family,
        priority: FontPriority::Lowest,
    };
    ctx.add_font(FontInsert::new(
        "korean-system-font",
        FontData::from_owned(bytes),
        vec![
            fallback(FontFamily::Proportional),
            fallback(FontFamily::Monospace),
        ],
    ));
    KoreanFont::Loaded(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_korean_font_files_by_name() {
        assert!(is_korean_font_name(Path::new("/x/NanumGothic.ttf")));
        assert!(is_korean_font_name(Path::new("/x/NotoSansCJK-Regular.ttc")));
        assert!(!is_korean_font_name(Path::new("/x/NanumGothicBold.ttf")));
        assert!(!is_korean_font_name(Path::new("/x/DejaVuSans.ttf")));
        assert!(!is_korean_font_name(Path::new("/x/NanumGothic.txt")));
    }
}
