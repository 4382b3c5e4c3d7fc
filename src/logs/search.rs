//! Finding text in a log, and the line that explains a failed build.

use super::buffer::LogBuffer;

/// Matches kept per search; a one-letter query over a full buffer of long
/// lines would otherwise take gigabytes.
pub const MAX_MATCHES: usize = 100_000;

/// A match of a search. `line` indexes the buffer ([`LogBuffer::get`]);
/// `start..end` is a byte range of that line's display text
/// ([`super::LogLine::text`]), always on character boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Match {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

/// Every case-insensitive occurrence of `query` in the display text, in
/// order (by line, then offset), not overlapping, at most [`MAX_MATCHES`].
/// An empty query matches nothing.
pub fn matches(buffer: &LogBuffer, query: &str) -> Vec<Match> {
    let needle: String = query.chars().map(fold).collect();
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    // Scratch space reused across lines: the folded text, and for non-ASCII
    // lines the original offset of every folded byte.
    let mut folded = String::new();
    let mut offsets: Vec<usize> = Vec::new();
    for (line, l) in buffer.iter().enumerate() {
        let text = l.text();
        folded.clear();
        offsets.clear();
        if l.is_ascii() {
            folded.push_str(text);
            folded.make_ascii_lowercase();
        } else {
            for (i, c) in text.char_indices() {
                let f = fold(c);
                offsets.extend(std::iter::repeat_n(i, f.len_utf8()));
                folded.push(f);
            }
            offsets.push(text.len());
        }
        let original = |at: usize| {
            if offsets.is_empty() {
                Some(at)
            } else {
                offsets.get(at).copied()
            }
        };
        for (at, m) in folded.match_indices(needle.as_str()) {
            if let (Some(start), Some(end)) = (original(at), original(at + m.len())) {
                found.push(Match { line, start, end });
            }
            if found.len() >= MAX_MATCHES {
                return found;
            }
        }
    }
    found
}

/// Lower case, one character for one, so offsets map back to the original
/// text; characters whose lower case is longer are compared as they are.
fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The match after `current`, wrapping to the first; the first when there is
/// no current one. `None` when there are no matches.
pub fn next_match(matches: &[Match], current: Option<usize>) -> Option<usize> {
    let n = matches.len();
    match current {
        _ if n == 0 => None,
        Some(c) if c < n => Some((c + 1) % n),
        _ => Some(0),
    }
}

/// The match before `current`, wrapping to the last; the last when there is
/// no current one.
pub fn prev_match(matches: &[Match], current: Option<usize>) -> Option<usize> {
    let n = matches.len();
    match current {
        _ if n == 0 => None,
        Some(c) if c < n => Some((c + n - 1) % n),
        _ => Some(n - 1),
    }
}

/// The first match on `line` or after it, wrapping to the first match: where
/// a new search lands from the lines in view.
pub fn match_from(matches: &[Match], line: usize) -> Option<usize> {
    if matches.is_empty() {
        return None;
    }
    let i = matches.partition_point(|m| m.line < line);
    Some(if i < matches.len() { i } else { 0 })
}

const COMMAND_FAILED: &str = "Command did not exit successfully";

/// The line that best explains a failed build, in this order:
///
/// 1. with `failed_phase`: the last `[Container] … Command did not exit
///    successfully …` line of that phase (after the previous
///    `Phase complete:` line and before `Phase complete: <PHASE> State:
///    FAILED`), else that `Phase complete` line itself;
/// 2. the first `[Container] … Command did not exit successfully …` line;
/// 3. the first `Phase complete: … State: FAILED` line;
/// 4. the first line containing `exit status`;
/// 5. the first line containing `error`.
///
/// All comparisons ignore ASCII case.
pub fn first_failure(buffer: &LogBuffer, failed_phase: Option<&str>) -> Option<usize> {
    let text = |i: usize| buffer.get(i).map_or("", |l| l.text());
    let first = |pred: &dyn Fn(&str) -> bool| (0..buffer.len()).find(|&i| pred(text(i)));
    let command_failed = |t: &str| has(t, "[Container]") && has(t, COMMAND_FAILED);
    if let Some(phase) = failed_phase.filter(|p| !p.is_empty()) {
        let complete = format!("Phase complete: {phase} State: FAILED");
        if let Some(end) = first(&|t| has(t, &complete)) {
            let command = (0..end)
                .rev()
                .take_while(|&i| !has(text(i), "Phase complete:"))
                .find(|&i| command_failed(text(i)));
            return Some(command.unwrap_or(end));
        }
    }
    first(&command_failed)
        .or_else(|| first(&|t| has(t, "Phase complete:") && has(t, "State: FAILED")))
        .or_else(|| first(&|t| has(t, "exit status")))
        .or_else(|| first(&|t| has(t, "error")))
}

/// Whether `hay` contains `needle`, ignoring ASCII case.
fn has(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    needle.is_empty()
        || hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}
