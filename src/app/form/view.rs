//! Texts the drawing shows, decided here so the drawing only styles them.

use super::{EnvPart, Field, Form, Item, Kind, Problem, Stage};

const KEYS: &str =
    "Tab next · Space toggle · ←/→ choose · Ctrl-U clear · Ctrl-S review · Esc cancel";

/// Lines of a long buildspec shown at once; the rest is summarised.
const BUILDSPEC_LINES: usize = 6;

impl Item {
    /// The screen row an item is drawn on: a variable's sub-fields share one.
    pub(crate) fn row(self) -> Item {
        match self {
            Item::Env(i, _) => Item::Env(i, EnvPart::Name),
            other => other,
        }
    }
}

impl Form {
    /// Keys for the focused row first, so they survive a narrow screen.
    pub(crate) fn key_hint(&self) -> String {
        let context = match self.focused() {
            Item::EnvHeader => "Enter/+ add · ",
            Item::Env(..) => "Ctrl-D delete · ",
            Item::Advanced => "Enter show/hide · ",
            Item::Field(f) if f.kind() == Kind::Multiline => "Enter newline · ",
            Item::Field(_) => "",
        };
        format!("{context}{KEYS}")
    }

    /// Errors may be scrolled out of view, so their count is said up top.
    pub(crate) fn problem_summary(&self, problems: &[Problem]) -> Option<String> {
        let n = problems.len();
        if n == 0 || self.stage != Stage::Editing {
            return None;
        }
        let noun = if n == 1 { "problem" } else { "problems" };
        Some(format!(
            "{n} {noun}: fix the fields marked ✘ (nothing was sent)"
        ))
    }

    pub(crate) fn env_summary(&self, focused: bool) -> String {
        let mut text = match self.env.len() {
            0 => "(none)".to_string(),
            n => n.to_string(),
        };
        if focused {
            text.push_str(" · Enter or + adds one");
        }
        text
    }

    /// (label, hint) of the collapsible header.
    pub(crate) fn advanced_summary(&self) -> (&'static str, &'static str) {
        if self.advanced_open {
            ("▾ advanced", "Enter hides")
        } else {
            (
                "▸ advanced",
                "source, role, keys, cache, retries · Enter shows",
            )
        }
    }

    /// The batch fields get a heading of their own, above the first one.
    pub(crate) fn starts_section(&self, item: Item) -> Option<&'static str> {
        (item == Item::Field(Field::CombineArtifacts)).then_some("batch")
    }
}

/// The messages to show beside `row`.
pub(crate) fn errors_on(problems: &[Problem], row: Item) -> Vec<&str> {
    problems
        .iter()
        .filter(|p| p.item.row() == row)
        .map(|p| p.message.as_str())
        .collect()
}

/// A long buildspec shows its first lines, or its last ones (where typing
/// happens) while focused; `note` says how many are out of sight and
/// `note_first` whether it goes above the lines.
pub(crate) struct Window<'a> {
    pub lines: Vec<&'a str>,
    pub note: Option<String>,
    pub note_first: bool,
}

pub(crate) fn buildspec_window(text: &str, focused: bool) -> Window<'_> {
    // The cursor sits after a trailing newline; otherwise it is no line.
    let text = if focused {
        text
    } else {
        text.trim_end_matches('\n')
    };
    let all: Vec<&str> = text.split('\n').collect();
    let hidden = all.len().saturating_sub(BUILDSPEC_LINES);
    let skip = if focused { hidden } else { 0 };
    let note = match (hidden, focused) {
        (0, _) => None,
        (n, true) => Some(format!("… {n} lines above")),
        (n, false) => Some(format!("… {n} more lines")),
    };
    Window {
        lines: all.into_iter().skip(skip).take(BUILDSPEC_LINES).collect(),
        note,
        note_first: focused,
    }
}
