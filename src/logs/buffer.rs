//! The lines of one log, parsed once on arrival and kept up to a cap so a
//! long build cannot grow memory without bound.

use std::collections::VecDeque;
use std::mem::size_of;

use ratatui::style::Style;

use super::ansi::{parse, Run};

/// Lines kept when no cap is given.
pub const DEFAULT_CAP: usize = 50_000;
/// Characters kept of one line; the rest is replaced by a note saying how
/// many there were (a minified bundle or a base64 blob can be megabytes).
pub const MAX_LINE_CHARS: usize = 16_384;

/// One line as shown: display text free of control characters, its style
/// runs, and the time of the event it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    timestamp_ms: i64,
    text: Box<str>,
    runs: Box<[Run]>,
    ascii: bool,
}

impl LogLine {
    /// Parses a raw line (without its `\n`), keeping at most `max_chars`
    /// characters of it.
    pub fn new(timestamp_ms: i64, raw: &str, max_chars: usize) -> LogLine {
        let parsed = parse(raw, max_chars);
        LogLine {
            timestamp_ms,
            ascii: parsed.text.is_ascii(),
            text: parsed.text.into_boxed_str(),
            runs: parsed.runs.into_boxed_slice(),
        }
    }

    /// Milliseconds since the Unix epoch, as the log service reports it.
    pub fn timestamp_ms(&self) -> i64 {
        self.timestamp_ms
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Sorted, disjoint byte ranges of [`LogLine::text`] with their style;
    /// the rest of the text has the default style.
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// All ASCII: display columns are byte offsets.
    pub fn is_ascii(&self) -> bool {
        self.ascii
    }

    /// The style of the text at byte offset `at`.
    pub fn style_at(&self, at: usize) -> Style {
        let i = self.runs.partition_point(|r| r.end <= at);
        match self.runs.get(i) {
            Some(r) if r.start <= at => r.style,
            _ => Style::default(),
        }
    }

    /// Heap bytes held by this line.
    fn heap_bytes(&self) -> usize {
        self.text.len() + self.runs.len() * size_of::<Run>()
    }
}

/// The newest lines of a log, oldest first. When full, each new line drops
/// the oldest one, so indices shift down by [`LogBuffer::dropped`]'s growth.
#[derive(Debug, Clone)]
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    cap: usize,
    dropped: usize,
    heap: usize,
}

impl Default for LogBuffer {
    fn default() -> Self {
        LogBuffer::new(DEFAULT_CAP)
    }
}

impl LogBuffer {
    /// An empty buffer keeping at most `cap` lines (at least one).
    pub fn new(cap: usize) -> LogBuffer {
        LogBuffer {
            lines: VecDeque::new(),
            cap: cap.max(1),
            dropped: 0,
            heap: 0,
        }
    }

    /// Adds one log event: each `\n`-separated line becomes a line, and a
    /// trailing newline does not make an empty one.
    pub fn push_event(&mut self, timestamp_ms: i64, message: &str) {
        let message = message.strip_suffix('\n').unwrap_or(message);
        for raw in message.split('\n') {
            self.push(LogLine::new(timestamp_ms, raw, MAX_LINE_CHARS));
        }
    }

    fn push(&mut self, line: LogLine) {
        if self.lines.len() >= self.cap {
            if let Some(old) = self.lines.pop_front() {
                self.heap -= old.heap_bytes();
                self.dropped = self.dropped.saturating_add(1);
            }
        }
        self.heap += line.heap_bytes();
        self.lines.push_back(line);
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn cap(&self) -> usize {
        self.cap
    }

    /// Older lines dropped to stay within the cap.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// The `i`-th kept line, 0 being the oldest kept.
    pub fn get(&self, i: usize) -> Option<&LogLine> {
        self.lines.get(i)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &LogLine> + ExactSizeIterator {
        self.lines.iter()
    }

    /// Approximate memory held: the lines' text and runs plus the slots of
    /// the line queue.
    pub fn bytes(&self) -> usize {
        size_of::<Self>() + self.heap + self.lines.capacity() * size_of::<LogLine>()
    }

    /// Forgets every line (and the dropped count), keeping the cap.
    pub fn clear(&mut self) {
        *self = LogBuffer::new(self.cap);
    }
}
