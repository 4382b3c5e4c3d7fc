use std::fmt;
use std::io;
use std::path::PathBuf;

/// Longest preset name, in characters, so names fit a list pane.
pub const MAX_NAME_CHARS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoOp {
    Read,
    Write,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    TooLong { chars: usize },
    ControlCharacter,
}

#[derive(Debug)]
pub enum PresetError {
    Io {
        path: PathBuf,
        op: IoOp,
        source: io::Error,
    },
    /// Not JSON, or JSON of the wrong shape. `message` never quotes string
    /// values from the file, which may be secrets.
    Corrupt {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// Written by a newer program; rewriting it would lose what it added.
    UnsupportedVersion {
        path: PathBuf,
        found: u64,
    },
    InvalidName(NameProblem),
}

impl fmt::Display for PresetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PresetError::Io {
                path,
                op: IoOp::Read,
                source,
            } => write!(
                f,
                "could not read the presets file {}: {source}",
                path.display()
            ),
            PresetError::Io {
                path,
                op: IoOp::Write,
                source,
            } => write!(
                f,
                "could not save presets to {}: {source}; the existing file was left untouched",
                path.display()
            ),
            PresetError::Corrupt {
                path,
                line,
                column,
                message,
            } => write!(
                f,
                "the presets file {} is damaged at line {line}, column {column} ({message}); \
                 it was left untouched",
                path.display()
            ),
            PresetError::UnsupportedVersion { path, found } => write!(
                f,
                "the presets file {} has version {found}, newer than this cbdash understands \
                 (version {}); it was left untouched",
                path.display(),
                super::format::VERSION
            ),
            PresetError::InvalidName(NameProblem::Empty) => {
                f.write_str("a preset needs a name that is not blank")
            }
            PresetError::InvalidName(NameProblem::TooLong { chars }) => write!(
                f,
                "the preset name is {chars} characters long; at most {MAX_NAME_CHARS} are allowed"
            ),
            PresetError::InvalidName(NameProblem::ControlCharacter) => {
                f.write_str("a preset name cannot contain control characters such as newlines")
            }
        }
    }
}

impl std::error::Error for PresetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PresetError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
