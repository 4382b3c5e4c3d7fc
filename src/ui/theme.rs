use ratatui::style::{Color, Modifier, Style};

use crate::domain::Status;

/// Symbol and colour for a status; unknown values get a neutral look.
pub fn status_mark(status: &Status) -> (&'static str, Color) {
    match status {
        Status::InProgress => ("●", Color::Cyan),
        Status::Succeeded => ("✔", Color::Green),
        Status::Failed => ("✘", Color::Red),
        Status::Fault => ("!", Color::Magenta),
        Status::TimedOut => ("◷", Color::Red),
        Status::Stopped => ("■", Color::DarkGray),
        Status::Other(_) => ("?", Color::Yellow),
    }
}

pub fn status_style(status: &Status) -> Style {
    Style::default().fg(status_mark(status).1)
}

pub fn border(focused: bool) -> Style {
    if focused {
        Style::default().fg(Color::Cyan)
    } else {
        Style::default().fg(Color::DarkGray)
    }
}

pub fn selected_row(focused: bool) -> Style {
    if focused {
        Style::default()
            .bg(Color::Blue)
            .fg(Color::White)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::default().bg(Color::DarkGray)
    }
}

pub fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn title() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

pub fn warning() -> Style {
    Style::default().fg(Color::Yellow)
}

/// A runaway build: the thing to notice on the screen.
pub fn runaway() -> Style {
    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn error() -> Style {
    Style::default().fg(Color::Red)
}
