//! The one sanitiser: text from the network, a log, a file or the user made
//! safe for a terminal, by Unicode's own properties rather than a list.

use std::borrow::Cow;

use icu_properties::props::{
    CanonicalCombiningClass, DefaultIgnorableCodePoint, Emoji, EmojiModifier, ExtendedPictographic,
    GeneralCategory, JoiningType,
};
use icu_properties::{CodePointMapData, CodePointSetData};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const ZWNJ: char = '\u{200c}';
const ZWJ: char = '\u{200d}';
const VS16: char = '\u{fe0f}';
/// Where a character cannot be shown as itself.
const PLACEHOLDER: char = '\u{fffd}';
/// The base Unicode's charts draw a lone combining mark on.
const DOTTED_CIRCLE: char = '\u{25cc}';

/// Makes text safe to draw: every character either takes the cells ratatui
/// measures for it (with unicode-width) on every terminal, or goes.
///
/// - Controls (Cc) act on the terminal: tab, line feed and carriage return
///   become a space, every other one the placeholder `�`; so do line and
///   paragraph separators (Zl, Zp), which end a line, as a space.
/// - Unassigned code points (Cn) have no width a terminal agrees on: `�`.
/// - Format characters (Cf) and Default_Ignorable_Code_Point (zero-width
///   spaces, bidirectional controls, soft hyphens, Hangul fillers,
///   variation selectors, tags) draw nothing or a width the terminal need
///   not share: removed. Kept where they do work and the width crate agrees:
///   ZWJ between pictographs (emoji ZWJ sequences), ZWJ and ZWNJ where
///   IDNA's CONTEXTJ rule (RFC 5892) allows them (after a virama; ZWNJ
///   between joining letters, as Persian writes), and VS16 after an emoji
///   that unicode-width then measures two cells wide.
/// - Combining marks and every other character stay; text that starts with
///   a character of no width (a mark with nothing to combine with) gets a
///   dotted circle under it, or it would draw nothing and shift the line.
///
/// One pass, each character looked at a bounded number of times; the text
/// is borrowed when nothing changes.
pub fn inert(text: &str) -> Cow<'_, str> {
    if text.bytes().all(|b| matches!(b, b' '..=b'~')) {
        return Cow::Borrowed(text);
    }
    let mut out = Output::new(text);
    let mut context = Context::default();
    for (at, c) in text.char_indices() {
        let rest = &text[at + c.len_utf8()..];
        match verdict(c, &context, rest) {
            Verdict::Keep => {
                if context.first && c.width() == Some(0) {
                    out.put(at, DOTTED_CIRCLE);
                }
                out.keep(c);
                context.kept(c);
            }
            Verdict::Replace(shown) => {
                out.put(at, shown);
                context.kept(shown);
            }
            Verdict::Remove => out.remove(at),
        }
    }
    out.finish()
}

enum Verdict {
    Keep,
    Replace(char),
    Remove,
}

fn verdict(c: char, context: &Context, rest: &str) -> Verdict {
    let category = CodePointMapData::<GeneralCategory>::new().get(c);
    match category {
        GeneralCategory::Control => {
            return Verdict::Replace(match c {
                '\t' | '\n' | '\r' => ' ',
                _ => PLACEHOLDER,
            })
        }
        GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator => {
            return Verdict::Replace(' ')
        }
        _ => {}
    }
    let ignorable = CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c);
    if ignorable || category == GeneralCategory::Format {
        return if joins(c, context, rest) {
            Verdict::Keep
        } else {
            Verdict::Remove
        };
    }
    if category == GeneralCategory::Unassigned {
        return Verdict::Replace(PLACEHOLDER);
    }
    Verdict::Keep
}

/// The ignorable characters that do work where they stand.
fn joins(c: char, context: &Context, rest: &str) -> bool {
    match c {
        ZWJ if context.pictograph => rest
            .chars()
            .next()
            .is_some_and(|n| CodePointSetData::new::<ExtendedPictographic>().contains(n)),
        ZWJ => context.after_virama,
        // RFC 5892 A.1: a virama before, or (L|D) T* ZWNJ T* (R|D). The look
        // ahead stops at the first non-transparent character, so before the
        // next ZWNJ: every character is looked at once more at most.
        ZWNJ => {
            context.after_virama
                || (context.joins_left
                    && rest
                        .chars()
                        .map(joining_type)
                        .find(|t| *t != JoiningType::Transparent)
                        .is_some_and(|t| {
                            matches!(t, JoiningType::RightJoining | JoiningType::DualJoining)
                        }))
        }
        VS16 => context.emoji.is_some_and(presented_wide),
        _ => false,
    }
}

/// True when unicode-width measures `base` + VS16 as the two cells of an
/// emoji presentation sequence.
fn presented_wide(base: char) -> bool {
    let mut buf = [0u8; 8];
    let len = base.encode_utf8(&mut buf).len();
    VS16.encode_utf8(&mut buf[len..]);
    let pair = std::str::from_utf8(&buf[..len + VS16.len_utf8()]).unwrap_or_default();
    pair.width() == 2
}

fn joining_type(c: char) -> JoiningType {
    CodePointMapData::<JoiningType>::new().get(c)
}

/// What the characters kept so far mean for the next one.
struct Context {
    /// Nothing is kept yet.
    first: bool,
    /// The last kept character is a virama.
    after_virama: bool,
    /// The last kept non-transparent character joins to its left side.
    joins_left: bool,
    /// Inside an emoji: a pictograph, maybe with modifiers or VS16.
    pictograph: bool,
    /// The last kept character, when it is an emoji.
    emoji: Option<char>,
}

impl Default for Context {
    fn default() -> Context {
        Context {
            first: true,
            after_virama: false,
            joins_left: false,
            pictograph: false,
            emoji: None,
        }
    }
}

impl Context {
    fn kept(&mut self, c: char) {
        self.first = false;
        self.after_virama = CodePointMapData::<CanonicalCombiningClass>::new().get(c)
            == CanonicalCombiningClass::Virama;
        let joining = joining_type(c);
        if joining != JoiningType::Transparent {
            self.joins_left =
                matches!(joining, JoiningType::LeftJoining | JoiningType::DualJoining);
        }
        let modifier = c == VS16 || CodePointSetData::new::<EmojiModifier>().contains(c);
        self.pictograph = CodePointSetData::new::<ExtendedPictographic>().contains(c)
            || (self.pictograph && modifier);
        self.emoji = CodePointSetData::new::<Emoji>().contains(c).then_some(c);
    }
}

/// The text, copied only from the first change on.
struct Output<'a> {
    text: &'a str,
    changed: Option<String>,
}

impl<'a> Output<'a> {
    fn new(text: &'a str) -> Output<'a> {
        Output {
            text,
            changed: None,
        }
    }

    fn copy(&mut self, at: usize) -> &mut String {
        self.changed.get_or_insert_with(|| {
            let mut s = String::with_capacity(self.text.len() + 3);
            s.push_str(&self.text[..at]);
            s
        })
    }

    fn keep(&mut self, c: char) {
        if let Some(s) = &mut self.changed {
            s.push(c);
        }
    }

    /// `c` in place of, or before, what stands at `at`.
    fn put(&mut self, at: usize, c: char) {
        self.copy(at).push(c);
    }

    fn remove(&mut self, at: usize) {
        self.copy(at);
    }

    fn finish(self) -> Cow<'a, str> {
        match self.changed {
            Some(s) => Cow::Owned(s),
            None => Cow::Borrowed(self.text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(s: &str) -> String {
        inert(s).into_owned()
    }

    #[test]
    fn controls_become_visible_and_line_breaks_spaces() {
        assert_eq!(shown("a\tb\nc\rd"), "a b c d");
        assert_eq!(shown("x\x1b]0;t\x07y"), "x�]0;t�y");
        assert_eq!(shown("\u{9b}31m"), "�31m");
        assert_eq!(shown("a\u{2028}b\u{2029}c"), "a b c");
        assert_eq!(shown("a\u{378}b"), "a�b", "unassigned");
    }

    #[test]
    fn ignorable_and_format_characters_go() {
        for hidden in [
            "\u{200b}",
            "\u{200e}",
            "\u{202e}",
            "\u{2066}",
            "\u{2060}",
            "\u{feff}",
            "\u{ad}",
            "\u{115f}",
            "\u{1160}",
            "\u{3164}",
            "\u{ffa0}",
            "\u{34f}",
            "\u{fe00}",
            "\u{e0041}",
            "\u{180e}",
            "\u{61c}",
            "\u{600}",
        ] {
            assert_eq!(shown(&format!("ma{hidden}in")), "main", "{hidden:?}");
        }
    }

    #[test]
    fn what_renders_the_same_everywhere_stays() {
        let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
        let rainbow = "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}";
        let coder = "\u{1f469}\u{1f3fd}\u{200d}\u{1f4bb}";
        // Devanagari KSSA with an explicit half form; Persian "mi-" prefix.
        let indic = "\u{915}\u{94d}\u{200d}\u{937}";
        let persian = "\u{645}\u{6cc}\u{200c}\u{62e}\u{648}\u{627}\u{647}\u{645}";
        for kept in [
            family,
            rainbow,
            coder,
            indic,
            persian,
            "e\u{301}",
            "\u{2764}\u{fe0f}",
            "日本",
            "\u{e000}",
        ] {
            assert!(matches!(inert(kept), Cow::Borrowed(_)), "{kept:?}");
        }
        // The width crate ratatui measures with agrees on the sequences.
        assert_eq!(family.width(), 2);
        assert_eq!(rainbow.width(), 2);
        assert_eq!(indic.width(), "\u{915}\u{94d}\u{937}".width());
        // Joiners elsewhere hide a difference: "main" and "ma‍in".
        assert_eq!(shown("ma\u{200d}in"), "main");
        assert_eq!(shown("ma\u{200c}in"), "main");
        assert_eq!(shown("\u{1f468}\u{200d}x"), "\u{1f468}x");
        assert_eq!(shown("a\u{fe0f}"), "a");
    }

    #[test]
    fn a_mark_with_nothing_to_combine_with_gets_a_base() {
        assert_eq!(shown("\u{301}x"), "\u{25cc}\u{301}x");
        assert_eq!(shown("\u{200b}\u{301}"), "\u{25cc}\u{301}");
        assert_eq!(shown("\u{1161}"), "\u{25cc}\u{1161}");
        assert!(shown("\u{301}").width() > 0);
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(inert("plain"), Cow::Borrowed(_)));
        assert!(matches!(inert("café ünïcode"), Cow::Borrowed(_)));
        assert!(matches!(inert(""), Cow::Borrowed(_)));
    }

    #[test]
    fn a_joiner_needs_joining_letters_on_both_sides() {
        // Many ZWNJs, each before transparent marks and another ZWNJ.
        let hostile = format!("\u{628}{}", "\u{200c}\u{64b}".repeat(50_000));
        let out = inert(&hostile);
        assert!(out.len() <= hostile.len());
        assert!(!out.contains(ZWNJ));
    }
}
