//! The one way a box is drawn over the screen.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::widgets::Clear;
use ratatui::Frame;

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
