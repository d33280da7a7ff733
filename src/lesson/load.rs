//! Reading a lesson: bytes to a validated [`Lesson`], or every problem at its line and column.
//!
//! Three passes, each reporting what the one before cannot see: TOML syntax, the shape of the
//! data (unknown keys, wrong types, missing keys), then the meaning (format version, missing
//! text, counts out of range).

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, LoadError, Positions};
use super::limits;
use super::model::{FORMAT_VERSION, Lesson};
use super::validate::{self, PathSegment};

/// Reads and validates the lesson at `path`; errors name the path as given.
pub fn load(path: &Path) -> Result<Lesson, LoadError> {
    let name = path.display().to_string();
    let bytes = read_bounded(path).map_err(|e| LoadError::whole_file(&name, e))?;
    parse(&bytes, &name)
}

/// Reads at most one byte more than the limit, so that a huge file is refused without
/// being read whole.
fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open the file: {e}"))?;
    let mut bytes = Vec::new();
    file.take(limits::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    Ok(bytes)
}

/// Validates a lesson held in memory; `file` names it in the diagnostics.
pub fn parse(bytes: &[u8], file: &str) -> Result<Lesson, LoadError> {
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(LoadError::whole_file(
            file,
            format!(
                "the file is larger than the {} KiB limit for a lesson",
                limits::MAX_FILE_BYTES / 1024
            ),
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
            let positions = Positions::new(file, &valid);
            return Err(single(positions.at(
                valid.len()..valid.len(),
                "the file is not UTF-8 text (save it as UTF-8)",
            )));
        }
    };
    if text.trim().is_empty() {
        return Err(LoadError::whole_file(
            file,
            "the file is empty; a lesson needs `format`, `title` and at least one `[[steps]]`",
        ));
    }
    let positions = Positions::new(file, text);

    let document = DeTable::parse_recoverable(text);
    if !document.1.is_empty() {
        return Err(LoadError {
            diagnostics: document
                .1
                .iter()
                .map(|e| toml_error(&positions, e))
                .collect(),
        });
    }
    if let Some((span, message)) = check_format_version(&document.0) {
        return Err(single(positions.at(span, message)));
    }

    let lesson: Lesson = toml::from_str(text).map_err(|e| single(toml_error(&positions, &e)))?;

    let problems = validate::lesson(&lesson);
    if problems.is_empty() {
        return Ok(lesson);
    }
    Err(LoadError {
        diagnostics: problems
            .into_iter()
            .map(|p| positions.at(span_of(&document.0, &p.path), p.message))
            .collect(),
    })
}

fn single(diagnostic: Diagnostic) -> LoadError {
    LoadError {
        diagnostics: vec![diagnostic],
    }
}

fn toml_error(positions: &Positions<'_>, error: &toml::de::Error) -> Diagnostic {
    // toml's messages can span lines with a caret drawing; the first line is the message.
    let message = error
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .trim();
    positions.at(error.span().unwrap_or(0..0), message.to_owned())
}

use toml::Spanned;

/// Checks the version first, because it decides how the rest is read. A wrong type is left
/// to the shape pass, which reports it with serde's message.
fn check_format_version(document: &Spanned<DeTable<'_>>) -> Option<(Range<usize>, String)> {
    let (_, value) = document
        .get_ref()
        .iter()
        .find(|(key, _)| key.get_ref() == "format")?;
    let DeValue::Integer(number) = value.get_ref() else {
        return None;
    };
    let found = i64::from_str_radix(number.as_str(), number.radix()).ok();
    (found != Some(i64::from(FORMAT_VERSION))).then(|| {
        (
            value.span(),
            format!(
                "unsupported lesson format version {number}; this ProcLab reads version \
                 {FORMAT_VERSION}"
            ),
        )
    })
}

/// The source span of the value at `path`, or of its deepest ancestor present in the file
/// (a missing key is reported where its table is).
fn span_of(document: &Spanned<DeTable<'_>>, path: &[PathSegment]) -> Range<usize> {
    let mut span = document.span();
    let mut table = Some(document.get_ref());
    let mut array: Option<&[Spanned<DeValue<'_>>]> = None;
    for segment in path {
        let next = match (segment, table, array) {
            (PathSegment::Key(key), Some(t), _) => {
                t.iter().find(|(k, _)| k.get_ref() == *key).map(|(_, v)| v)
            }
            (PathSegment::Index(i), _, Some(a)) => a.get(*i),
            _ => None,
        };
        let Some(value) = next else { break };
        span = value.span();
        table = None;
        array = None;
        match value.get_ref() {
            DeValue::Table(t) => table = Some(t),
            DeValue::Array(a) => array = Some(a),
            _ => {}
        }
    }
    span
}
