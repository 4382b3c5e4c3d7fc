//! A build's log: raw lines from the log stream, made inert and styled once
//! on arrival, kept in a bounded buffer and searched. Pure: no I/O.

pub mod ansi;
pub mod buffer;
pub mod columns;
pub mod search;
mod sgr;

pub use ansi::{parse, Parsed, Run, MARKER, MARKER_STYLE};
pub use buffer::{LogBuffer, LogLine, DEFAULT_CAP, MAX_LINE_CHARS};
pub use search::{first_failure, match_from, matches, next_match, prev_match, Match, MAX_MATCHES};
