//! How the dashboard ends on a signal or a closed terminal, and the codes
//! it exits with.

use std::io;

use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::Signals;

/// A closed terminal ends the program as SIGHUP does: 128 + 1.
pub const HUNG_UP: i32 = 128 + SIGHUP;

/// Listens for SIGINT, SIGQUIT, SIGTERM and SIGHUP on a thread of its own,
/// so a signal is acted on at once even while the event loop is busy or
/// stuck writing: the terminal is restored and the process exits with
/// 128 + the signal's number, as shells report a program ended by it.
pub fn end_on_signals() -> io::Result<()> {
    let mut signals = Signals::new([SIGINT, SIGQUIT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let code = 128 + signal;
                // The restore writes to the terminal, which may have stopped
                // reading (a stalled connection): it has a moment, then the
                // process ends regardless.
                std::thread::spawn(move || super::terminal::restore_and_exit(code));
                std::thread::sleep(RESTORE_GRACE);
                super::terminal::exit_unwritten(code);
            }
        })?;
    Ok(())
}

/// How long the restore may take before the process ends without it.
const RESTORE_GRACE: std::time::Duration = std::time::Duration::from_millis(300);
