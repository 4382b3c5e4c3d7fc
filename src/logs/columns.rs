//! Display columns of a line's text, for slicing it to the visible part.
//! Work is bounded by the columns asked for, and all-ASCII text (the usual
//! log line) is sliced by byte offset without walking it at all.

use ratatui::text::Span;

/// Terminal columns a character takes (0 for combining marks, 2 for wide).
pub fn char_width(c: char) -> usize {
    if (' '..='~').contains(&c) {
        return 1;
    }
    let mut buf = [0u8; 4];
    Span::raw(&*c.encode_utf8(&mut buf)).width()
}

/// Where the text at display column `cols` starts: a byte offset, and the
/// columns of padding needed when a wide character straddles that column
/// (it is skipped, and the view shows a blank in its place).
pub fn skip_columns(text: &str, ascii: bool, cols: usize) -> (usize, usize) {
    if ascii {
        return (cols.min(text.len()), 0);
    }
    let mut col = 0;
    for (i, c) in text.char_indices() {
        if col >= cols {
            return (i, col - cols);
        }
        col += char_width(c);
    }
    (text.len(), 0)
}

/// The end (byte offset) of the longest piece from `start` that fits in
/// `width` columns. May equal `start` when the next character is wider than
/// `width`.
pub fn row_end(text: &str, ascii: bool, start: usize, width: usize) -> usize {
    let start = start.min(text.len());
    if ascii {
        return start.saturating_add(width).min(text.len());
    }
    let Some(rest) = text.get(start..) else {
        return start;
    };
    let mut col = 0;
    for (i, c) in rest.char_indices() {
        col += char_width(c);
        if col > width {
            return start + i;
        }
    }
    text.len()
}

/// The byte ranges of the rows the text takes when wrapped at `width`
/// columns, from row `skip`, at most `limit` of them. Empty text is one
/// empty row.
pub fn wrapped(
    text: &str,
    ascii: bool,
    width: usize,
    skip: usize,
    limit: usize,
) -> Vec<(usize, usize)> {
    let mut rows = Vec::new();
    let mut start = 0;
    let mut row = 0;
    while rows.len() < limit {
        let end = next_row(text, ascii, start, width);
        if row >= skip {
            rows.push((start, end));
        }
        row += 1;
        if end >= text.len() {
            break;
        }
        start = end;
    }
    rows
}

/// How many rows the text takes when wrapped at `width` columns.
pub fn row_count(text: &str, ascii: bool, width: usize) -> usize {
    if ascii || width == 0 {
        return text.len().div_ceil(width.max(1)).max(1);
    }
    let mut rows = 1;
    let mut start = 0;
    loop {
        let end = next_row(text, ascii, start, width);
        if end >= text.len() {
            return rows;
        }
        rows += 1;
        start = end;
    }
}

/// A row's end that always moves forward: a character wider than the whole
/// row gets a row of its own rather than stalling the wrap.
fn next_row(text: &str, ascii: bool, start: usize, width: usize) -> usize {
    let end = row_end(text, ascii, start, width);
    if end > start || start >= text.len() {
        return end;
    }
    let step = text
        .get(start..)
        .and_then(|rest| rest.chars().next())
        .map_or(1, char::len_utf8);
    (start + step).min(text.len())
}
