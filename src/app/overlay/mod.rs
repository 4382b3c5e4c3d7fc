//! What opens over the panes: a question, the project picker, the preset
//! menu over the form, a build's log. Types only: the handlers that open
//! and drive them take the whole state.

mod confirm;
mod log_view;

use crate::presets::Preset;

pub use confirm::{Confirm, ConfirmKind, RETRY_TYPES};
pub use log_view::{LogView, Source, Status, SEARCH_LIMIT};

/// The project list, to start a new build of any project.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Picker {
    /// None while ListProjects runs.
    pub names: Option<Vec<String>>,
    pub cursor: usize,
    pub error: Option<String>,
}

/// Saving or loading a preset, over the form.
#[derive(Debug, Clone, PartialEq)]
pub enum PresetMenu {
    /// Typing the name to save the form under.
    Naming(String),
    Loading,
    /// Saved presets of the form's project, the last used one first.
    Pick {
        items: Vec<Preset>,
        cursor: usize,
    },
}
