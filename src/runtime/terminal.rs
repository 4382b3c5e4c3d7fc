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

/// Puts the terminal back as it was. Safe to call more than once, and
/// harmless on a terminal that is gone.
pub fn restore() {
    restore_on(&mut io::stdout().lock());
}

fn restore_on(out: &mut impl Write) {
    let _ = disable_raw_mode();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// Restores the terminal and ends the process with `code`, from any
/// thread: stdout stays locked to the end, so no half-drawn frame follows
/// the restore (the restore's first ESC ends any sequence cut short).
pub fn restore_and_exit(code: i32) -> ! {
    // Line editing first: it needs no room in the terminal's buffer.
    let _ = disable_raw_mode();
    let mut out = io::stdout().lock();
    restore_on(&mut out);
    std::process::exit(code)
}

/// Ends the process with `code` after giving back line editing, writing
/// nothing: for a terminal that has stopped reading, where any write
/// would wait for ever.
pub fn exit_unwritten(code: i32) -> ! {
    let _ = disable_raw_mode();
    std::process::exit(code)
}

/// Whether the terminal has been closed under the program: a hung-up tty
/// no longer answers as a terminal.
pub fn gone() -> bool {
    use std::io::IsTerminal;
    !(io::stdin().is_terminal() && io::stdout().is_terminal())
}

/// What a panic exits with, as Rust's own runtime does.
pub const CRASHED: i32 = 101;

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        // A panic may quote what it was working on: a variable's value,
        // say. The report keeps where it happened, never quoted text.
        crash_report(&crate::presets::redact_quoted(&info.to_string()));
        previous(info);
        // A panic in any task ends the program: the dashboard cannot go on
        // drawing on a terminal given back.
        std::process::exit(CRASHED);
    }));
}

/// Keeps the panic message where it survives the closed terminal.
fn crash_report(message: &str) {
    let Some(dirs) = directories::ProjectDirs::from("", "", "cbdash") else {
        return;
    };
    if let Ok(path) = write_crash_report(dirs.data_local_dir(), message) {
        // stderr may be gone with the terminal: never panic over it.
        let _ = writeln!(
            io::stderr(),
            "cbdash crashed; the report was saved to {}",
            path.display()
        );
    }
}

/// Appends `message` to crash.log in `dir`. The report may hold what the
/// program showed: the file is 0600 and the directory 0700, whatever the
/// umask or the modes they had before.
fn write_crash_report(dir: &std::path::Path, message: &str) -> io::Result<std::path::PathBuf> {
    use std::fs::Permissions;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    std::fs::set_permissions(dir, Permissions::from_mode(0o700))?;
    let path = dir.join("crash.log");
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&path)?;
    f.set_permissions(Permissions::from_mode(0o600))?;
    writeln!(f, "{} {message}", chrono::Utc::now().to_rfc3339())?;
    Ok(path)
}

/// Rings the bell and asks the terminal for a desktop notification, in the
/// two common dialects (OSC 9: iTerm2, kitty, WezTerm; OSC 777: VTE, foot).
pub fn notify(out: &mut impl Write, title: &str, body: &str) -> io::Result<()> {
    let clean = |s: &str| crate::text::inert(s).replace(';', ",");
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
    fn the_crash_report_is_for_its_owner_only_whatever_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| {
            std::fs::metadata(p)
                .map(|m| m.permissions().mode() & 0o777)
                .ok()
        };
        let root = std::env::temp_dir().join(format!("cbdash-crash-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let fresh = root.join("state").join("cbdash");
        // A permissive umask for the first report; restored at once.
        let umask = unsafe { libc::umask(0) };
        let path = write_crash_report(&fresh, "first");
        unsafe { libc::umask(umask) };
        let path = path.expect("a report in a fresh directory");
        assert_eq!(mode(&fresh), Some(0o700));
        assert_eq!(mode(&path), Some(0o600));
        // A directory and a file left readable by everyone are tightened.
        let old = root.join("old");
        std::fs::create_dir_all(&old).expect("dir");
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let log = old.join("crash.log");
        std::fs::write(&log, "earlier\n").expect("write");
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        write_crash_report(&old, "second").expect("a report in an old directory");
        assert_eq!(mode(&old), Some(0o700));
        assert_eq!(mode(&log), Some(0o600));
        let text = std::fs::read_to_string(&log).expect("read");
        assert!(
            text.starts_with("earlier\n") && text.trim_end().ends_with(" second"),
            "{text}"
        );
        let _ = std::fs::remove_dir_all(&root);
    }

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
