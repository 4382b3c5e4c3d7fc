use std::io::{self, Stdout, Write};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Raw mode, alternate screen, mouse capture and bracketed paste (a paste
/// arrives as one event, not as keys); a panic restores the
/// terminal before the panic message is printed.
pub fn enter() -> io::Result<Term> {
    install_panic_hook();
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    if let Err(e) = execute!(
        stdout,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide
    ) {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(stdout))
}

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        // A panic may quote what it was working on: a variable's value,
        // say. The report keeps where it happened, never quoted text.
        crash_report(&crate::presets::redact_quoted(&info.to_string()));
        previous(info);
    }));
}

/// Keeps the panic message where it survives the closed terminal.
fn crash_report(message: &str) {
    let Some(dirs) = directories::ProjectDirs::from("", "", "cbdash") else {
        return;
    };
    let dir = dirs.data_local_dir();
    let path = dir.join("crash.log");
    // The report may hold what the program showed: for its owner only.
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let written = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .and_then(|_| {
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .mode(0o600)
                .open(&path)?;
            writeln!(f, "{} {message}", chrono::Utc::now().to_rfc3339())
        });
    if written.is_ok() {
        // stderr may be gone with the terminal: never panic over it.
        let _ = writeln!(
            io::stderr(),
            "cbdash crashed; the report was saved to {}",
            path.display()
        );
    }
}

/// Rings the bell and asks the terminal for a desktop notification, in the
/// two common dialects (OSC 9: iTerm2, kitty, WezTerm; OSC 777: VTE, foot).
pub fn notify(out: &mut impl Write, title: &str, body: &str) -> io::Result<()> {
    let clean = |s: &str| crate::ui::format::inert(s).replace(';', ",");
    let (title, body) = (clean(title), clean(body));
    write!(
        out,
        "\x07\x1b]9;{title}: {body}\x07\x1b]777;notify;{title};{body}\x07"
    )?;
    out.flush()
}

/// Writes an OSC 52 clipboard request: the terminal (even over SSH) sets
/// the clipboard to `text`.
pub fn copy_to_clipboard(out: &mut impl Write, text: &str) -> io::Result<()> {
    write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()))?;
    out.flush()
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_base64_of_the_text() {
        assert_eq!(base64(b"hi"), "aGk=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b"a"), "YQ==");
        let mut out = Vec::new();
        copy_to_clipboard(&mut out, "https://x").expect("write to a Vec");
        assert_eq!(out, b"\x1b]52;c;aHR0cHM6Ly94\x07");
    }
}
