use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::popup;
use super::theme::{self, Theme};
use crate::app::keymap::{labels_with, Binding, Override, BINDINGS};

/// Every key, generated from the key table so help never drifts from
/// behaviour; in two columns when one would not fit.
pub fn draw(frame: &mut Frame, area: Rect, overrides: &[Override], theme: Theme) {
    let footer = Line::styled(
        "Mouse: click selects, wheel scrolls. Any key closes this help.",
        theme::dim(),
    );
    let two_columns = BINDINGS.len() as u16 + 4 > area.height && area.width >= 110;
    let (width, rows) = if two_columns {
        (150, BINDINGS.len().div_ceil(2))
    } else {
        (84, BINDINGS.len())
    };
    // The blank line above the footer goes first when the keys would not fit.
    let gap = u16::from(rows as u16 + 4 <= area.height);
    let height = (rows as u16 + 3 + gap).min(area.height);
    let popup = popup::centred(frame, area, Constraint::Length(height), width);
    let block = theme.block().title(" Keys ");
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [body, foot] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(1 + gap)]).areas(inner);
    if two_columns {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(body);
        let (a, b) = BINDINGS.split_at(rows);
        frame.render_widget(Paragraph::new(lines(a, overrides)), left);
        frame.render_widget(Paragraph::new(lines(b, overrides)), right);
    } else {
        frame.render_widget(Paragraph::new(lines(BINDINGS, overrides)), body);
    }
    let foot_lines = if gap == 1 {
        vec![Line::raw(""), footer]
    } else {
        vec![footer]
    };
    frame.render_widget(Paragraph::new(foot_lines), foot);
}

fn lines(bindings: &[Binding], overrides: &[Override]) -> Vec<Line<'static>> {
    bindings
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(
                    format!("{:>14}  ", labels_with(b, overrides).join(" / ")),
                    theme::title(),
                ),
                Span::raw(b.help),
            ])
        })
        .collect()
}
