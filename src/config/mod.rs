//! The optional `config.toml`: defaults for flags, runaway thresholds,
//! contexts to poll side by side and keymap overrides.
//!
//! The file is validated as a whole before anything in it is used, so a typo
//! stops the program with a precise message instead of silently running with
//! half of the intended settings.

mod error;
mod key;
mod resolve;
mod schema;
mod value;

use std::io;
use std::path::{Path, PathBuf};

pub use error::ConfigError;
pub use key::KeySpec;
pub use resolve::Sources;

/// The key actions that `[keys]` may rebind.
pub const ACTIONS: &[&str] = &[
    "up",
    "down",
    "top",
    "bottom",
    "page_up",
    "page_down",
    "next_pane",
    "prev_pane",
    "expand",
    "collapse",
    "details",
    "back",
    "filter",
    "refresh",
    "open",
    "copy",
    "stop",
    "retry",
    "start",
    "projects",
    "logs",
    "help",
    "quit",
    "watch",
    "runaways",
    "sort",
    "fold",
];

/// Settings from the file. `None` and empty lists mean "not set": the
/// command line or the built-in default decides.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    pub poll_secs: Option<u64>,
    pub read_only: bool,
    pub mask_plaintext: bool,
    /// Watched projects; empty means all.
    pub projects: Vec<String>,
    pub log_lines: Option<usize>,
    pub max_response_mb: Option<u64>,
    pub ascii: bool,
    pub columns: Option<Vec<Column>>,
    pub notify_projects: Vec<String>,
    pub runaway: Runaway,
    pub contexts: Vec<ContextConfig>,
    /// Overrides in file order: (action from [`ACTIONS`], key).
    pub keys: Vec<(String, KeySpec)>,
}

/// When a running build is flagged as a runaway.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Runaway {
    /// Past this factor times the project's p90 duration.
    pub p90_factor: f64,
    /// Past this fraction of the build's own timeout.
    pub timeout_fraction: f64,
    /// In one phase this many times its usual p90.
    pub phase_factor: f64,
    /// Completed builds needed before durations are trusted.
    pub min_history: usize,
    /// A running build under this CPU % for `idle_minutes` looks hung.
    pub idle_cpu_percent: f64,
    pub idle_minutes: i64,
}

impl Default for Runaway {
    fn default() -> Self {
        Runaway {
            p90_factor: 1.5,
            timeout_fraction: 0.8,
            phase_factor: 3.0,
            min_history: 5,
            idle_cpu_percent: 2.0,
            idle_minutes: 15,
        }
    }
}

/// One account/region to poll.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextConfig {
    /// Given in the file, or derived from profile and region.
    pub name: String,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

/// A column of the build list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Status,
    Project,
    Number,
    Phase,
    Source,
    Initiator,
    Started,
    Duration,
}

impl Column {
    /// Every column, in the default order.
    pub const ALL: [Column; 8] = [
        Column::Status,
        Column::Project,
        Column::Number,
        Column::Phase,
        Column::Source,
        Column::Initiator,
        Column::Started,
        Column::Duration,
    ];

    /// The name used in the config file.
    pub const fn name(self) -> &'static str {
        match self {
            Column::Status => "status",
            Column::Project => "project",
            Column::Number => "number",
            Column::Phase => "phase",
            Column::Source => "source",
            Column::Initiator => "initiator",
            Column::Started => "started",
            Column::Duration => "duration",
        }
    }

    pub fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// `<config dir>/cbdash/config.toml`, if the platform has a config dir.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "cbdash").map(|d| d.config_dir().join("config.toml"))
}

/// Missing file → `Ok(Config::default())`. Any problem → `Err`, and nothing
/// of the file is used.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(ConfigError::io(path, &e)),
    };
    match std::str::from_utf8(&bytes) {
        Ok(text) => parse(text, path),
        Err(e) => Err(ConfigError::not_utf8(path, &bytes, e.valid_up_to())),
    }
}

/// Parses and validates `text`; `path` only labels errors.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    schema::read(text, path)
}
