//! Where a value on a picture comes from. A simulated value that looks real (an address, a
//! register, a page number) is followed by [`SIM_MARK`] on the picture itself, and the legend
//! says what the mark means; a value read from this machine is written with [`real_hex`] and
//! drawn unmarked, beside words that say where it came from. Every piece of scene text passes
//! through [`mark_simulated`] on its way to the screen, so no painter can forget.

use std::borrow::Cow;

use crate::lesson::Language;

/// Follows every simulated hexadecimal value on a picture.
pub const SIM_MARK: char = '*';

/// Put before a value read from this machine, so that it is drawn without the mark. It never
/// reaches the screen.
const REAL: char = '\u{2060}';

/// A real address or id, as a painter writes it: drawn as `0x…`, without the mark.
pub fn real_hex(value: usize) -> String {
    format!("{REAL}{value:#x}")
}

/// What the mark means, for the legend under every diagram.
pub fn legend(lang: Language) -> &'static str {
    match lang {
        Language::En => "* simulated value: not read from this machine",
        Language::Ko => "* 시뮬레이션 값: 이 컴퓨터에서 읽은 값이 아님",
    }
}

/// `text` as drawn: every hexadecimal number (`0x` and at least one hex digit, not inside a
/// word) followed by [`SIM_MARK`] unless it already is, or unless it was written with
/// [`real_hex`].
pub fn mark_simulated(text: &str) -> Cow<'_, str> {
    if !text.contains("0x") && !text.contains(REAL) {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let real = chars[i] == REAL;
        if real {
            i += 1;
        }
        let starts_hex = chars.get(i) == Some(&'0')
            && chars.get(i + 1) == Some(&'x')
            && chars.get(i + 2).is_some_and(char::is_ascii_hexdigit)
            && (i == 0 || !chars[i - 1].is_alphanumeric() || real);
        if !starts_hex {
            if let Some(&c) = chars.get(i) {
                out.push(c);
            }
            i += 1;
            continue;
        }
        let end = (i + 2..chars.len())
            .find(|&j| !chars[j].is_ascii_hexdigit())
            .unwrap_or(chars.len());
        out.extend(&chars[i..end]);
        if !real && chars.get(end) != Some(&SIM_MARK) {
            out.push(SIM_MARK);
        }
        i = end;
    }
    Cow::Owned(out)
}

/// Every hexadecimal number in drawn `text` that lacks the mark (for tests of painters).
pub fn unmarked_hex(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 2 < chars.len() {
        let starts = chars[i] == '0'
            && chars[i + 1] == 'x'
            && chars[i + 2].is_ascii_hexdigit()
            && (i == 0 || !chars[i - 1].is_alphanumeric());
        if !starts {
            i += 1;
            continue;
        }
        let end = (i + 2..chars.len())
            .find(|&j| !chars[j].is_ascii_hexdigit())
            .unwrap_or(chars.len());
        if chars.get(end) != Some(&SIM_MARK) {
            found.push(chars[i..end].iter().collect());
        }
        i = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulated_hex_is_marked_once_and_real_hex_is_not() {
        assert_eq!(mark_simulated("CR3 0x1a2000 · P"), "CR3 0x1a2000* · P");
        assert_eq!(mark_simulated("0x11 » 0x52*"), "0x11* » 0x52*");
        assert_eq!(mark_simulated("no numbers"), "no numbers");
        assert_eq!(mark_simulated("word0x12 stays"), "word0x12 stays");
        let real = format!("real heap {} = 3", real_hex(0x7ffd));
        assert_eq!(mark_simulated(&real), "real heap 0x7ffd = 3");
        assert!(unmarked_hex(&mark_simulated("PC 0x10040 SP 0x7fe00")).is_empty());
        assert_eq!(unmarked_hex("PC 0x10040 SP 0x7fe00*"), ["0x10040"]);
    }
}
