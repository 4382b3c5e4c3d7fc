//! A terminal as the dashboard meets it: ratatui's crossterm backend writes
//! its real bytes, and a small emulator places them the way xterm, VTE and
//! tmux do, one code point at a time, each as wide as ratatui measures it
//! alone (wcwidth's widths, from unicode-width), wrapping at the right margin; a character after a ZWJ joins the
//! cell before (an emoji ZWJ sequence), as tmux and modern terminals draw.

use ratatui::backend::CrosstermBackend;
use ratatui::buffer::CellWidth;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use cbdash::app::State;

/// The bytes the backend writes, kept where the emulator reads them.
#[derive(Clone, Default)]
struct Wire(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Wire {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct Vt {
    terminal: Terminal<CrosstermBackend<Wire>>,
    wire: Wire,
    /// What the emulated screen shows, one string per cell.
    pub screen: Vec<Vec<String>>,
    cursor: (usize, usize),
    /// The last character printed was a ZWJ.
    joining: bool,
}

impl Vt {
    pub fn new(width: u16, height: u16) -> Vt {
        let wire = Wire::default();
        let terminal = Terminal::with_options(
            CrosstermBackend::new(wire.clone()),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
            },
        )
        .expect("terminal on a Vec");
        Vt {
            terminal,
            wire,
            screen: vec![vec![" ".to_string(); usize::from(width)]; usize::from(height)],
            cursor: (0, 0),
            joining: false,
        }
    }

    /// Draws a frame (only what changed, as on a real terminal) and plays
    /// its bytes; returns ratatui's own idea of the frame.
    pub fn draw(&mut self, state: &State) -> ratatui::buffer::Buffer {
        let frame = self
            .terminal
            .draw(|f| cbdash::ui::draw(f, state))
            .expect("draw")
            .buffer
            .clone();
        let bytes = std::mem::take(&mut *self.wire.0.borrow_mut());
        let text = String::from_utf8(bytes).expect("the backend writes UTF-8");
        self.play(&text);
        frame
    }

    fn play(&mut self, text: &str) {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                self.escape(&mut chars);
                continue;
            }
            assert!(!c.is_control(), "{c:?} reached the terminal");
            self.print(c);
        }
    }

    /// CSI sequences: only the cursor position matters here.
    fn escape(&mut self, chars: &mut std::iter::Peekable<std::str::Chars>) {
        assert_eq!(chars.next(), Some('['), "only CSI sequences are expected");
        let mut params = String::new();
        for c in chars.by_ref() {
            if ('\x40'..='\x7e').contains(&c) {
                if c == 'H' {
                    let mut n = params
                        .split(';')
                        .map(|p| p.parse::<usize>().unwrap_or(1).max(1) - 1);
                    let row = n.next().unwrap_or(0);
                    let col = n.next().unwrap_or(0);
                    self.cursor = (col, row);
                    self.joining = false;
                }
                return;
            }
            params.push(c);
        }
    }

    fn print(&mut self, c: char) {
        let mut buf = [0u8; 4];
        let alone: &str = c.encode_utf8(&mut buf);
        let width = if self.joining {
            0
        } else {
            usize::from(alone.cell_width())
        };
        self.joining = c == '\u{200d}';
        let cols = self.screen[0].len();
        let (mut x, mut y) = self.cursor;
        if width == 0 {
            // Combines with the cell before, as terminals do.
            if x > 0 {
                self.screen[y][(x - 1).min(cols - 1)].push(c);
            }
            return;
        }
        if x + width > cols {
            // Autowrap: the line went past the margin.
            (x, y) = (0, (y + 1).min(self.screen.len() - 1));
        }
        self.screen[y][x] = c.to_string();
        for hidden in x + 1..(x + width).min(cols) {
            self.screen[y][hidden] = String::new();
        }
        self.cursor = (x + width, y);
    }
}
