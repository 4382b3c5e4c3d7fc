//! The resources part of the details, styled: sparklines in colour, the
//! phase ruler and notes dim, the out-of-memory verdict loud.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use super::theme::{self, Theme};
use crate::app::keymap::{labels_with, Action, BINDINGS};
use crate::app::resource_lines::ResourceLine;
use crate::app::State;
use crate::domain::metrics::short_size;
use crate::domain::sizing::Verdict;

/// The label column, as wide as the app laid it out.
const LABEL: usize = 6;

pub fn line(l: &ResourceLine, state: &State) -> Line<'static> {
    let theme = Theme::of(&state.settings);
    match l {
        ResourceLine::Header(text) => Line::styled(theme.text(text), theme::title()),
        ResourceLine::Spark {
            label,
            bars,
            figures,
        } => Line::from(vec![
            Span::styled(format!("{label:<LABEL$}"), theme::dim()),
            Span::styled(bars.clone(), Style::default().fg(colour(label))),
            Span::raw(format!(" {}", theme.text(figures))),
        ]),
        ResourceLine::Ruler(marks) => {
            Line::styled(format!("{:<LABEL$}{marks}", "phase"), theme::dim())
        }
        ResourceLine::Figures(text) => Line::raw(theme.text(text)),
        ResourceLine::Note(text) => Line::styled(theme.text(text), theme::dim()),
        ResourceLine::Hint(v) => Line::styled(
            theme.text(&format!("hint: {}", v.describe())),
            theme::warning(),
        ),
    }
}

/// The out-of-memory verdict, with the key that relaunches one size up.
pub fn verdict(v: &Verdict, state: &State) -> Line<'static> {
    let theme = Theme::of(&state.settings);
    let mut text = format!("⚠ {}", v.describe());
    match (v.relaunch_on(), key(state)) {
        (Some(next), Some(key)) => {
            text.push_str(&format!(" · {key} relaunches it on {}", short_size(next)))
        }
        (Some(next), None) => text.push_str(&format!(": relaunch on {next}?")),
        (None, _) => {}
    }
    Line::styled(
        theme.text(&text),
        theme::error().add_modifier(Modifier::BOLD),
    )
}

fn key(state: &State) -> Option<String> {
    BINDINGS
        .iter()
        .find(|b| b.action == Action::Upsize)
        .and_then(|b| labels_with(b, &state.settings.keys).into_iter().next())
}

fn colour(label: &str) -> Color {
    match label {
        "cpu" => Color::Cyan,
        "mem" => Color::Magenta,
        _ => Color::Blue,
    }
}
