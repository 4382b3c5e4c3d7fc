//! The one way a box is drawn over the screen.

use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Clear;
use ratatui::Frame;

use super::theme::{self, Theme};

/// A cleared box centred in `area`: `height` tall, at most `max_width`
/// wide.
pub fn centred(frame: &mut Frame, area: Rect, height: Constraint, max_width: u16) -> Rect {
    let [popup] = Layout::vertical([height]).flex(Flex::Center).areas(area);
    let [popup] = Layout::horizontal([Constraint::Max(max_width)])
        .flex(Flex::Center)
        .areas(popup);
    frame.render_widget(Clear, popup);
    popup
}

/// A focused pane over `area` titled `title`, with the keys it takes in
/// `hint` at its foot; the area inside it.
pub fn pane(frame: &mut Frame, area: Rect, title: &str, hint: &str, theme: Theme) -> Rect {
    let block = theme
        .block()
        .border_style(theme::border(true))
        .title(theme.text(title))
        .title_bottom(Line::from(theme.text(hint)).alignment(Alignment::Right));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}
