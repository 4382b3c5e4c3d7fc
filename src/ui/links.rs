use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme::{self, Theme};
use crate::app::State;
use crate::text::inert;

/// Log links and identifiers of the selected build, two lines each.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    let block = Theme::of(&state.settings)
        .block()
        .border_style(theme::border(focused))
        .title(Span::styled(" Log links ", theme::title()));
    let links = state.detail_links();
    let mut lines = Vec::with_capacity(links.len() * 2 + 1);
    if links.is_empty() {
        let text = if state.list.selected().is_some() {
            "No log links for this selection."
        } else {
            ""
        };
        lines.push(Line::styled(text, theme::dim()));
    }
    for (i, link) in links.iter().enumerate() {
        let selected = focused && i == state.link_cursor;
        let label_style = if selected {
            theme::selected_row(true)
        } else {
            theme::title()
        };
        let hint = match (selected, link.is_url) {
            (true, true) => "  o open · y copy",
            (true, false) => "  y copy",
            _ => "",
        };
        lines.push(Line::from(vec![
            Span::styled(link.label, label_style),
            Span::styled(hint, theme::dim()),
        ]));
        let room = area.width.saturating_sub(4) as usize;
        lines.push(Line::styled(
            format!("  {}", clip(&inert(&link.value), room)),
            theme::dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// Cuts `text` to `room` characters, marking the cut with an ellipsis.
fn clip(text: &str, room: usize) -> String {
    if text.chars().count() <= room {
        return text.to_string();
    }
    let mut out: String = text.chars().take(room.saturating_sub(1)).collect();
    out.push('…');
    out
}
