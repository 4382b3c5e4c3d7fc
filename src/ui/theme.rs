use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use ratatui::widgets::{Block, Borders};

use crate::app::Settings;
use crate::domain::Status;

/// How the screen is drawn, from the settings: ASCII-only symbols and
/// borders for terminals without Unicode, or Unicode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Theme {
    pub ascii: bool,
}

const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    pub fn of(settings: &Settings) -> Theme {
        Theme {
            ascii: settings.ascii,
        }
    }

    /// `unicode`, or `plain` on an ASCII-only terminal.
    pub fn sym(self, unicode: &'static str, plain: &'static str) -> &'static str {
        if self.ascii {
            plain
        } else {
            unicode
        }
    }

    /// `text` made inert, and plain ASCII on an ASCII-only terminal: the
    /// punctuation the views write is spelled out.
    pub fn text(self, text: &str) -> String {
        let text = crate::text::inert(text);
        if !self.ascii {
            return text.into_owned();
        }
        text.replace('—', "-")
            .replace('…', "...")
            .replace('•', "*")
            .replace('→', "->")
            .replace('·', "-")
            .replace(['“', '”'], "\"")
            .replace('▏', "_")
    }

    /// A bordered pane, drawn in ASCII when asked to.
    pub fn block(self) -> Block<'static> {
        let block = Block::default().borders(Borders::ALL);
        if self.ascii {
            block.border_set(ASCII_BORDER)
        } else {
            block
        }
    }

    /// Symbol and colour for a status; unknown values get a neutral look.
    pub fn status_mark(self, status: &Status) -> (&'static str, Color) {
        if self.ascii {
            return (
                match status {
                    Status::InProgress => "*",
                    Status::Succeeded => "+",
                    Status::Failed => "x",
                    Status::Fault => "!",
                    Status::TimedOut => "T",
                    Status::Stopped => "#",
                    Status::Other(_) => "?",
                },
                status_mark_unicode(status).1,
            );
        }
        status_mark_unicode(status)
    }
}

fn status_mark_unicode(status: &Status) -> (&'static str, Color) {
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

/// A status's colour, the same in ASCII as in Unicode.
pub fn status_style(status: &Status) -> Style {
    Style::default().fg(status_mark_unicode(status).1)
}

/// The focused pane's border is bold as well as cyan, so that it still
/// stands out without colour (NO_COLOR).
pub fn border(focused: bool) -> Style {
    if focused {
        Style::default()
            .fg(Color::Cyan)
            .add_modifier(Modifier::BOLD)
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

/// Takes every colour off a drawn frame, for NO_COLOR. A cell that stood
/// out by its background (the selected row, a highlight) is reversed instead,
/// so it stays visible; symbols and bold already tell states apart.
pub fn drop_colours(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        if cell.bg != Color::Reset {
            cell.modifier.insert(Modifier::REVERSED);
        }
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
        cell.underline_color = Color::Reset;
    }
}

/// The program's own narrow punctuation, spelled in ASCII.
const PLAIN: &[(&str, &str)] = &[
    ("·", "-"),
    ("…", "."),
    ("⚠", "!"),
    ("—", "-"),
    ("→", ">"),
    ("›", ">"),
    ("▏", "_"),
    ("•", "*"),
    ("▾", "v"),
    ("▸", ">"),
    ("✔", "+"),
    ("✘", "x"),
];

/// ASCII mode's last pass over a frame: whatever drew the program's own
/// punctuation (separators, ellipses, warnings), it reaches the terminal
/// in ASCII. One cell for one cell, so nothing moves.
pub fn plain_symbols(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        if let Some((_, plain)) = PLAIN.iter().find(|(unicode, _)| cell.symbol() == *unicode) {
            cell.set_symbol(plain);
        }
    }
}
