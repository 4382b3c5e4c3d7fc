//! What "inert" means to a test, from the same Unicode properties the
//! sanitiser reads.

use icu_properties::props::{DefaultIgnorableCodePoint, ExtendedPictographic, GeneralCategory};
use icu_properties::{CodePointMapData, CodePointSetData};

/// A field written by whoever can push a branch: a title change, a screen
/// clear, a clipboard write, bidirectional overrides, zero-width and filler
/// characters, a tag and separators; and an emoji ZWJ sequence that is
/// shown as it is.
pub const HOSTILE: &str = "main\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\
    \u{202e}gpj.exe\u{2066}\u{200b}\u{2060}\u{feff}\u{ad}\u{3164}\u{115f}\u{e0041}\u{fe0f}\
    \u{2028}\u{2029}\u{85}x\u{1f468}\u{200d}\u{1f4bb}";

/// Panics, naming `what`, when `text` holds a control (Cc, but the line
/// feeds that end its lines), a format character (Cf), a line or paragraph
/// separator (Zl, Zp) or a default-ignorable code point other than a ZWJ
/// between two pictographs.
pub fn assert_visible(what: &str, text: &str) {
    let category = CodePointMapData::<GeneralCategory>::new();
    let ignorable = CodePointSetData::new::<DefaultIgnorableCodePoint>();
    let pictograph = CodePointSetData::new::<ExtendedPictographic>();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            continue;
        }
        let in_emoji = c == '\u{200d}'
            && i > 0
            && pictograph.contains(chars[i - 1])
            && chars.get(i + 1).is_some_and(|n| pictograph.contains(*n));
        let hidden = matches!(
            category.get(c),
            GeneralCategory::Control
                | GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        ) || ignorable.contains(c);
        assert!(!hidden || in_emoji, "{what}: {c:?} at {i} in {text:?}");
    }
}
