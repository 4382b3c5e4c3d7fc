//! What opens over the panes: help, the contexts, a question, the project
//! picker, the form (with its preset menu), a build's log. One at a time,
//! by construction. Types only: the handlers that open and drive them take
//! the whole state.

mod compare;
mod confirm;
mod coverage;
mod log_view;
mod tests;

use super::form::Form;
use crate::presets::Preset;

pub use compare::{CompareStatus, CompareView};
pub use confirm::{Confirm, ConfirmKind, RETRY_TYPES};
pub use coverage::{CoverageOrder, CoverageView, COVERAGE_PAGE, FILE_LIMIT};
pub use log_view::{LogView, Source, Status, SEARCH_LIMIT};
pub use tests::{Pass, TestsView, CASE_LIMIT, CASE_PAGE, KEYWORD_LIMIT};

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

/// What is open over the panes, if anything. Keys go to it first.
#[derive(Debug, Default)]
pub enum Overlay {
    #[default]
    None,
    /// The keys; any key closes it.
    Help,
    /// The accounts and regions, failing ones first.
    Contexts,
    /// A stop or retry waiting for y / n.
    Confirm(Confirm),
    Picker(Picker),
    /// The start / relaunch form, and the preset menu open over it.
    Form {
        form: Box<Form>,
        menu: Option<PresetMenu>,
    },
    /// A build compared with its project's last success, in place of the panes.
    Compare(Box<CompareView>),
    /// The test cases of a build's reports, in place of the panes.
    Tests(Box<TestsView>),
    /// The files of a build's coverage reports, in place of the panes.
    Coverage(Box<CoverageView>),
    /// The projects board, in place of the panes: the row under the cursor.
    Board {
        cursor: usize,
    },
    /// A build's log in place of the panes, with help over it or not.
    LogView {
        view: Box<LogView>,
        help: bool,
    },
}

impl Overlay {
    /// The form, no preset menu over it yet.
    pub fn new_form(form: Form) -> Overlay {
        Overlay::Form {
            form: Box::new(form),
            menu: None,
        }
    }

    /// A log, no help over it yet.
    pub fn new_log_view(view: LogView) -> Overlay {
        Overlay::LogView {
            view: Box::new(view),
            help: false,
        }
    }

    /// Help is shown, over the panes or over a log.
    pub fn help_shown(&self) -> bool {
        matches!(self, Overlay::Help | Overlay::LogView { help: true, .. })
    }

    /// Closes help and the contexts; a log under help stays open.
    pub fn close_help(&mut self) {
        match self {
            Overlay::Help | Overlay::Contexts => *self = Overlay::None,
            Overlay::LogView { help, .. } => *help = false,
            _ => {}
        }
    }

    pub fn confirm(&self) -> Option<&Confirm> {
        match self {
            Overlay::Confirm(confirm) => Some(confirm),
            _ => None,
        }
    }

    pub fn confirm_mut(&mut self) -> Option<&mut Confirm> {
        match self {
            Overlay::Confirm(confirm) => Some(confirm),
            _ => None,
        }
    }

    /// The open question, closed.
    pub fn take_confirm(&mut self) -> Option<Confirm> {
        match std::mem::take(self) {
            Overlay::Confirm(confirm) => Some(confirm),
            other => {
                *self = other;
                None
            }
        }
    }

    pub fn picker(&self) -> Option<&Picker> {
        match self {
            Overlay::Picker(picker) => Some(picker),
            _ => None,
        }
    }

    pub fn picker_mut(&mut self) -> Option<&mut Picker> {
        match self {
            Overlay::Picker(picker) => Some(picker),
            _ => None,
        }
    }

    pub fn form(&self) -> Option<&Form> {
        match self {
            Overlay::Form { form, .. } => Some(form),
            _ => None,
        }
    }

    pub fn form_mut(&mut self) -> Option<&mut Form> {
        match self {
            Overlay::Form { form, .. } => Some(form),
            _ => None,
        }
    }

    pub fn preset_menu(&self) -> Option<&PresetMenu> {
        match self {
            Overlay::Form { menu, .. } => menu.as_ref(),
            _ => None,
        }
    }

    pub fn compare(&self) -> Option<&CompareView> {
        match self {
            Overlay::Compare(view) => Some(view),
            _ => None,
        }
    }

    pub fn compare_mut(&mut self) -> Option<&mut CompareView> {
        match self {
            Overlay::Compare(view) => Some(view),
            _ => None,
        }
    }

    pub fn coverage(&self) -> Option<&CoverageView> {
        match self {
            Overlay::Coverage(view) => Some(view),
            _ => None,
        }
    }

    pub fn coverage_mut(&mut self) -> Option<&mut CoverageView> {
        match self {
            Overlay::Coverage(view) => Some(view),
            _ => None,
        }
    }

    pub fn tests(&self) -> Option<&TestsView> {
        match self {
            Overlay::Tests(view) => Some(view),
            _ => None,
        }
    }

    pub fn tests_mut(&mut self) -> Option<&mut TestsView> {
        match self {
            Overlay::Tests(view) => Some(view),
            _ => None,
        }
    }

    pub fn log_view(&self) -> Option<&LogView> {
        match self {
            Overlay::LogView { view, .. } => Some(view),
            _ => None,
        }
    }

    pub fn log_view_mut(&mut self) -> Option<&mut LogView> {
        match self {
            Overlay::LogView { view, .. } => Some(view),
            _ => None,
        }
    }
}

/// Appends `new` to a view's list up to `limit` items; true when the list
/// is full, so that no more pages are asked for.
pub fn append_capped<T>(list: &mut Vec<T>, new: impl IntoIterator<Item = T>, limit: usize) -> bool {
    let room = limit.saturating_sub(list.len());
    list.extend(new.into_iter().take(room));
    list.len() >= limit
}
