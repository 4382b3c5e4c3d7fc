//! One raw log line to display text plus style runs.
//!
//! Build scripts print for a terminal, so their lines carry escape sequences.
//! Colours (SGR) become styles; everything else that would act on the
//! terminal (cursor movement, screen clears, title and clipboard writes,
//! device strings, C1 controls) is removed and leaves one visible [`MARKER`],
//! so nothing reaches the terminal raw and the reader still sees that
//! something was there. The parser is a single pass over the characters.

use std::mem;

use ratatui::style::{Color, Style};

use super::columns::char_width;
use super::sgr;

/// Shown where an escape sequence or another invisible control was removed.
pub const MARKER: char = '␛';
/// The look of markers, caret notation and the "more characters" note.
pub const MARKER_STYLE: Style = Style::new().fg(Color::DarkGray);

/// Parameter bytes kept for a CSI; past this it is not a real sequence.
const CSI_MAX: usize = 256;
/// Characters an OSC/DCS/SOS/PM/APC string may swallow: past this the string
/// is taken as ended, so a missing terminator cannot hide the rest of a line.
const STRING_MAX: usize = 4096;
const TAB_STOP: usize = 8;

/// A styled byte range of [`Parsed::text`]. Runs are sorted, disjoint and
/// non-empty; text outside every run has the default style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub start: usize,
    pub end: usize,
    pub style: Style,
}

/// A line as shown: no control characters, at most the character limit
/// given to [`parse`] plus a note saying how many more there were.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub text: String,
    pub runs: Vec<Run>,
}

/// Parses one line (without its `\n`), keeping at most `max_chars`
/// characters of display text.
///
/// A carriage return starts the line over, as on a terminal: what follows
/// the last one is shown, or the text before it when nothing follows (for
/// `"\r 10%\r 20%"` that is `" 20%"`; for `"done\r"`, `"done"`).
pub fn parse(raw: &str, max_chars: usize) -> Parsed {
    if raw.len() <= max_chars && !raw.chars().any(|c| c.is_control() || is_hidden(c)) {
        return Parsed {
            text: raw.to_string(),
            runs: Vec::new(),
        };
    }
    let mut p = Parser {
        max: max_chars,
        style: Style::default(),
        mode: Mode::Ground,
        params: String::new(),
        cur: Segment::default(),
        prev: Segment::default(),
    };
    for c in raw.chars() {
        p.feed(c);
    }
    p.finish()
}

/// Characters that are not `char::is_control` yet reorder or hide text
/// (bidi overrides, zero-width marks), plus the C1 controls. C1 controls are
/// not read as sequence introducers: in logs they mostly come from text
/// decoded with the wrong charset, and would swallow real text.
fn is_hidden(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ground,
    /// After ESC.
    Esc,
    /// ESC and intermediate bytes (`ESC ( B`), this many so far.
    Intermediate(usize),
    /// `ESC [` and its parameters, kept in `Parser::params`.
    Csi,
    /// OSC, DCS, SOS, PM or APC string: its length, and whether its last
    /// character was ESC (the first half of the ST terminator).
    Str {
        len: usize,
        esc: bool,
    },
}

/// The text since the last carriage return.
#[derive(Default)]
struct Segment {
    text: String,
    runs: Vec<Run>,
    chars: usize,
    /// Display column, for tab stops.
    col: usize,
    /// Characters past the limit, counted but not kept.
    cut: usize,
}

impl Segment {
    fn push(&mut self, c: char, style: Style, max: usize) {
        if self.chars >= max {
            self.cut = self.cut.saturating_add(1);
            return;
        }
        self.chars += 1;
        self.col += char_width(c);
        self.push_unbounded(c, style);
    }

    fn push_unbounded(&mut self, c: char, style: Style) {
        let start = self.text.len();
        self.text.push(c);
        if style == Style::default() {
            return;
        }
        match self.runs.last_mut() {
            Some(run) if run.end == start && run.style == style => run.end = self.text.len(),
            _ => self.runs.push(Run {
                start,
                end: self.text.len(),
                style,
            }),
        }
    }

    fn is_empty(&self) -> bool {
        self.chars == 0 && self.cut == 0
    }

    fn clear(&mut self) {
        self.text.clear();
        self.runs.clear();
        self.chars = 0;
        self.col = 0;
        self.cut = 0;
    }
}

struct Parser {
    max: usize,
    /// The SGR state; it survives carriage returns, as on a terminal.
    style: Style,
    mode: Mode,
    params: String,
    cur: Segment,
    prev: Segment,
}

impl Parser {
    fn feed(&mut self, c: char) {
        match self.mode {
            Mode::Ground => self.ground(c),
            Mode::Esc => {
                self.mode = Mode::Ground;
                match c {
                    '[' => {
                        self.params.clear();
                        self.mode = Mode::Csi;
                    }
                    ']' | 'P' | 'X' | '^' | '_' => self.mode = Mode::Str { len: 0, esc: false },
                    ' '..='/' => self.mode = Mode::Intermediate(1),
                    '0'..='~' => self.marker(),
                    // A lone ESC: mark it and read `c` as text.
                    _ => {
                        self.marker();
                        self.ground(c);
                    }
                }
            }
            Mode::Intermediate(n) => match c {
                ' '..='/' if n < CSI_MAX => self.mode = Mode::Intermediate(n + 1),
                '0'..='~' => self.end_sequence(),
                _ => self.abort(c),
            },
            Mode::Csi => match c {
                ' '..='?' if self.params.len() < CSI_MAX => self.params.push(c),
                'm' if sgr::is_sgr(&self.params) => {
                    self.mode = Mode::Ground;
                    sgr::apply(&mut self.style, &self.params);
                }
                '@'..='~' => self.end_sequence(),
                _ => self.abort(c),
            },
            Mode::Str { esc: true, .. } => {
                self.end_sequence();
                // ESC \ is the terminator; ESC anything else ends the string
                // and starts a new sequence.
                if c != '\\' {
                    self.mode = Mode::Esc;
                    self.feed(c);
                }
            }
            Mode::Str { len, esc: false } => match c {
                '\x07' | '\u{9c}' => self.end_sequence(),
                '\x1b' => self.mode = Mode::Str { len, esc: true },
                _ if len >= STRING_MAX => self.abort(c),
                _ => {
                    self.mode = Mode::Str {
                        len: len + 1,
                        esc: false,
                    }
                }
            },
        }
    }

    fn ground(&mut self, c: char) {
        match c {
            '\x1b' => self.mode = Mode::Esc,
            '\t' => {
                for _ in 0..TAB_STOP - self.cur.col % TAB_STOP {
                    self.cur.push(' ', Style::default(), self.max);
                }
            }
            '\r' => {
                // Keep the last non-empty segment in case nothing follows.
                if !self.cur.is_empty() {
                    mem::swap(&mut self.cur, &mut self.prev);
                }
                self.cur.clear();
            }
            '\0'..='\x1f' | '\x7f' => {
                let shown = char::from(c as u8 ^ 0x40);
                self.cur.push('^', MARKER_STYLE, self.max);
                self.cur.push(shown, MARKER_STYLE, self.max);
            }
            c if is_hidden(c) => self.marker(),
            c => self.cur.push(c, self.style, self.max),
        }
    }

    fn marker(&mut self) {
        self.cur.push(MARKER, MARKER_STYLE, self.max);
    }

    fn end_sequence(&mut self) {
        self.mode = Mode::Ground;
        self.marker();
    }

    /// A sequence broken by `c`: mark what was dropped, then read `c` as if
    /// no sequence had started.
    fn abort(&mut self, c: char) {
        self.end_sequence();
        self.ground(c);
    }

    fn finish(mut self) -> Parsed {
        if self.mode != Mode::Ground {
            self.end_sequence();
        }
        let mut seg = if self.cur.is_empty() {
            self.prev
        } else {
            self.cur
        };
        if seg.cut > 0 {
            let note = format!("… {} more characters", seg.cut);
            for c in note.chars() {
                seg.push_unbounded(c, MARKER_STYLE);
            }
        }
        Parsed {
            text: seg.text,
            runs: seg.runs,
        }
    }
}
