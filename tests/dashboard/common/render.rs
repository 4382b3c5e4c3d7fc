use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;

use cbdash::app::State;

/// Draws one frame of `state` at `width` x `height` and returns it as text,
/// one line per terminal row.
pub fn screen(state: &State, width: u16, height: u16) -> String {
    let buffer = cells(state, width, height);
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Draws one frame of `state` and returns its cells, styles included.
pub fn cells(state: &State, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| cbdash::ui::draw(f, state)).expect("draw");
    terminal.backend().buffer().clone()
}
