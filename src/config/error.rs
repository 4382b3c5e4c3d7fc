use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Why the config file was rejected. Shown as
/// `<path>:<line>:<column>: <key>: <message>`, each part only when known.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based.
    pub line: Option<usize>,
    /// 1-based, in characters.
    pub column: Option<usize>,
    /// Dotted path of the offending key, e.g. `runaway.p90_factor`.
    pub key: Option<String>,
    pub message: String,
}

impl ConfigError {
    /// An error at byte offset `span.start` of `text`.
    pub(super) fn at(
        path: &Path,
        text: &str,
        span: Range<usize>,
        key: Option<String>,
        message: String,
    ) -> Self {
        let (line, column) = position(text, span.start);
        ConfigError {
            path: path.to_path_buf(),
            line: Some(line),
            column: Some(column),
            key,
            message,
        }
    }

    pub(super) fn io(path: &Path, e: &io::Error) -> Self {
        ConfigError {
            path: path.to_path_buf(),
            line: None,
            column: None,
            key: None,
            message: format!("cannot read the file: {e}"),
        }
    }

    pub(super) fn not_utf8(path: &Path, bytes: &[u8], valid_up_to: usize) -> Self {
        let valid = bytes
            .get(..valid_up_to)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("");
        let (line, column) = position(valid, valid.len());
        ConfigError {
            path: path.to_path_buf(),
            line: Some(line),
            column: Some(column),
            key: None,
            message: "the file is not valid UTF-8".into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(key) = &self.key {
            write!(f, ": {key}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// 1-based line and character column of a byte offset; offsets past the end
/// or inside a character are pulled back rather than trusted.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The candidate a misspelt `word` most likely meant, if any is close.
pub(super) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    let len = word.chars().count();
    // Long garbage is not a typo, and edit distance is quadratic.
    if len > 64 {
        return None;
    }
    let limit = (len / 3).max(1);
    candidates
        .iter()
        .map(|c| (distance(&word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance by characters, counting a swap of neighbours as one edit
/// (optimal string alignment), since swaps are the commonest typo.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Text from the file, made safe and short enough to echo in a message.
pub(super) fn quoted(s: &str) -> String {
    const MAX: usize = 40;
    let mut out: String = s.chars().take(MAX).collect::<String>();
    if s.chars().nth(MAX).is_some() {
        out.push('…');
    }
    format!("\"{}\"", out.escape_debug())
}
