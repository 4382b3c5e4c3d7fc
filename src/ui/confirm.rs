use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::popup;
use super::theme::{self, Theme};
use crate::app::overlay::{Confirm, ConfirmKind, RETRY_TYPES};
use crate::text::inert;

/// The y / n question before anything changes, naming its target exactly.
pub fn draw(frame: &mut Frame, area: Rect, confirm: &Confirm, theme: Theme) {
    let mut lines: Vec<Line> = confirm
        .lines
        .iter()
        .map(|l| Line::raw(inert(l).into_owned()))
        .collect();
    if let ConfirmKind::RetryBatch { retry_type, .. } = &confirm.kind {
        lines.push(Line::raw(""));
        let mut spans = vec![Span::raw("retry   ")];
        for (i, t) in RETRY_TYPES.iter().enumerate() {
            let style = if i == *retry_type {
                theme::selected_row(true)
            } else {
                theme::dim()
            };
            spans.push(Span::styled(format!(" {t} "), style));
            spans.push(Span::raw(" "));
        }
        lines.push(Line::from(spans));
        lines.push(Line::styled("← → choose what to retry", theme::dim()));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(
            " y ",
            Style::default()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
        ),
        Span::raw(" yes   "),
        Span::styled(" n ", theme::selected_row(false)),
        Span::raw(" / Esc  no"),
    ]));
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = popup::centred(frame, area, Constraint::Length(height), 90);
    let block = theme
        .block()
        .border_style(theme::warning())
        .title(Span::styled(format!(" {} ", confirm.title), theme::title()));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
}
