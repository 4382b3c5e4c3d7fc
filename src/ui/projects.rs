use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::popup;
use super::theme::{self, Theme};
use crate::app::overlay::Picker;
use crate::text::inert;

/// The project list: Enter or `s` opens the form for a new build.
pub fn draw(frame: &mut Frame, area: Rect, picker: &Picker, theme: Theme) {
    let popup = popup::centred(frame, area, Constraint::Percentage(70), 60);
    let block = theme
        .block()
        .border_style(theme::border(true))
        .title(" Projects · Enter new build · Esc close ");
    let height = popup.height.saturating_sub(2) as usize;
    let lines: Vec<Line> = match (&picker.names, &picker.error) {
        (_, Some(e)) => vec![Line::styled(
            format!("Cannot list projects: {}", inert(e)),
            theme::error(),
        )],
        (None, None) => vec![Line::styled("loading…", theme::dim())],
        (Some(names), None) if names.is_empty() => {
            vec![Line::styled(
                "No projects in this account and region.",
                theme::dim(),
            )]
        }
        (Some(names), None) => {
            let offset = picker.cursor.saturating_sub(height.saturating_sub(1));
            names
                .iter()
                .enumerate()
                .skip(offset)
                .take(height)
                .map(|(i, n)| {
                    let line = Line::raw(format!(" {}", inert(n)));
                    if i == picker.cursor {
                        line.style(theme::selected_row(true))
                    } else {
                        line
                    }
                })
                .collect()
        }
    };
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
