//! Text in both teaching languages, as simulations, measurements and views all carry it:
//! a diagram's caption, a figure's label, a measurement's note.

use serde::Serialize;

/// The same text in English and in Korean.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Words {
    pub en: String,
    pub ko: String,
}

impl Words {
    pub fn new(en: impl Into<String>, ko: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            ko: ko.into(),
        }
    }
}
