//! Named StartBuild / StartBuildBatch form contents per project, and the
//! overrides last used to start a build, kept in one JSON file.
//!
//! Presets may hold plaintext environment values (none when masking is on),
//! so the file is private to the user, nothing here logs, and errors never
//! quote values from the file.
//! A file this program cannot read is never overwritten.

mod atomic;
mod error;
mod format;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{BatchConfig, Overrides};
use format::Document;

pub use error::{IoOp, NameProblem, PresetError, MAX_NAME_CHARS};
pub use format::redact_quoted;

/// The launch form as saved: `batch` set means StartBuildBatch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preset {
    pub name: String,
    pub overrides: Overrides,
    pub batch: Option<BatchConfig>,
    #[serde(with = "format::rfc3339")]
    pub saved_at: DateTime<Utc>,
    /// PLAINTEXT variables saved without their value (masking was on):
    /// the value is asked again, or taken from the build relaunched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<String>,
}

impl Preset {
    /// The preset with every PLAINTEXT value left out, names and types
    /// kept. References (PARAMETER_STORE, SECRETS_MANAGER) name a secret
    /// without holding it, so they stay.
    pub fn withholding_plaintext(mut self) -> Preset {
        for var in &mut self.overrides.env_vars {
            if !var.is_reference() && !var.value.is_empty() {
                var.value.clear();
                self.withheld.push(var.name.clone());
            }
        }
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresetStore {
    path: PathBuf,
}

impl PresetStore {
    /// `presets.json` in the per-user data directory of cbdash; `None` when
    /// the platform has no home directory.
    pub fn default_location() -> Option<PresetStore> {
        directories::ProjectDirs::from("", "", "cbdash")
            .map(|dirs| PresetStore::at(dirs.data_dir().join("presets.json")))
    }

    pub fn at(path: impl Into<PathBuf>) -> PresetStore {
        PresetStore { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Presets of `project`, sorted by name ignoring case. A missing file is
    /// no presets.
    pub fn presets(&self, project: &str) -> Result<Vec<Preset>, PresetError> {
        let mut doc = self.load()?;
        let mut presets = doc
            .projects
            .remove(project)
            .map(|entry| entry.presets)
            .unwrap_or_default();
        sort(&mut presets);
        Ok(presets)
    }

    /// Saves a named preset, replacing any of the same name. The name is
    /// stored trimmed.
    pub fn save(&self, project: &str, mut preset: Preset) -> Result<(), PresetError> {
        preset.name = valid_name(&preset.name)?.to_owned();
        let mut doc = self.load()?;
        let presets = &mut doc.projects.entry(project.to_owned()).or_default().presets;
        presets.retain(|p| p.name != preset.name);
        presets.push(preset);
        sort(presets);
        self.store(&doc)
    }

    /// Removes a preset; `false` (and nothing written) when there was none.
    pub fn delete(&self, project: &str, name: &str) -> Result<bool, PresetError> {
        let name = name.trim();
        let mut doc = self.load()?;
        let Some(entry) = doc.projects.get_mut(project) else {
            return Ok(false);
        };
        let before = entry.presets.len();
        entry.presets.retain(|p| p.name != name);
        if entry.presets.len() == before {
            return Ok(false);
        }
        if entry.is_empty() {
            doc.projects.remove(project);
        }
        self.store(&doc)?;
        Ok(true)
    }

    /// The overrides last used to start a build of `project`.
    pub fn last_used(&self, project: &str) -> Result<Option<Preset>, PresetError> {
        let mut doc = self.load()?;
        Ok(doc.projects.remove(project).and_then(|entry| entry.last))
    }

    /// Records the overrides a build of `project` was just started with. The
    /// name is kept as given: it only says which preset, if any, was loaded.
    pub fn remember_last(&self, project: &str, preset: Preset) -> Result<(), PresetError> {
        let mut doc = self.load()?;
        doc.projects.entry(project.to_owned()).or_default().last = Some(preset);
        self.store(&doc)
    }

    fn load(&self) -> Result<Document, PresetError> {
        match fs::read(&self.path) {
            Ok(bytes) => format::parse(&self.path, &bytes),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(Document::default()),
            Err(source) => Err(self.io_error(IoOp::Read, source)),
        }
    }

    fn store(&self, doc: &Document) -> Result<(), PresetError> {
        format::render(doc)
            .map_err(io::Error::from)
            .and_then(|bytes| atomic::write(&self.path, &bytes))
            .map_err(|source| self.io_error(IoOp::Write, source))
    }

    fn io_error(&self, op: IoOp, source: io::Error) -> PresetError {
        PresetError::Io {
            path: self.path.clone(),
            op,
            source,
        }
    }
}

fn valid_name(name: &str) -> Result<&str, PresetError> {
    let name = name.trim();
    let chars = name.chars().count();
    let problem = if name.is_empty() {
        NameProblem::Empty
    } else if chars > MAX_NAME_CHARS {
        NameProblem::TooLong { chars }
    } else if name.chars().any(char::is_control) {
        NameProblem::ControlCharacter
    } else {
        return Ok(name);
    };
    Err(PresetError::InvalidName(problem))
}

fn sort(presets: &mut [Preset]) {
    presets.sort_by_cached_key(|p| (p.name.to_lowercase(), p.name.clone()));
}
