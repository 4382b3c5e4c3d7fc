//! The real binary in a pseudo-terminal, as a user's terminal runs it: what
//! it writes to the terminal, the mode it leaves the terminal in, and how
//! it ends.

use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What a terminal is sent to set a mode, and what gives it back, in the
/// form crossterm writes them.
pub const MODES: [(&str, &[u8], &[u8]); 8] = [
    ("alternate screen", b"\x1b[?1049h", b"\x1b[?1049l"),
    ("hidden cursor", b"\x1b[?25l", b"\x1b[?25h"),
    ("mouse clicks", b"\x1b[?1000h", b"\x1b[?1000l"),
    ("mouse drags", b"\x1b[?1002h", b"\x1b[?1002l"),
    ("mouse motion", b"\x1b[?1003h", b"\x1b[?1003l"),
    ("urxvt mouse", b"\x1b[?1015h", b"\x1b[?1015l"),
    ("SGR mouse", b"\x1b[?1006h", b"\x1b[?1006l"),
    ("bracketed paste", b"\x1b[?2004h", b"\x1b[?2004l"),
];

/// A child whose stdin and stdout are the slave side of a pty (its
/// controlling terminal, in a session of its own); stderr is a pipe, so
/// what it says survives a closed terminal.
pub struct Pty {
    master: Option<OwnedFd>,
    /// Kept open here so the terminal, and its modes, outlive the child.
    slave: Option<OwnedFd>,
    child: Child,
    output: Arc<Mutex<Vec<u8>>>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
}

/// How the child ended and what it left behind.
pub struct Ended {
    pub status: ExitStatus,
    /// Everything it wrote to the terminal.
    pub output: Vec<u8>,
    pub stderr: String,
    /// The terminal's mode after the child's exit, while it is still open.
    pub termios: Option<libc::termios>,
    pub took: Duration,
}

fn check(ret: libc::c_int, what: &str) {
    assert!(ret >= 0, "{what}: {}", std::io::Error::last_os_error());
}

fn cloexec(fd: RawFd) {
    check(
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) },
        "fcntl",
    );
}

/// The terminal's mode, read through `fd` (either side of the pty).
pub fn termios(fd: RawFd) -> libc::termios {
    let mut t = unsafe { std::mem::zeroed::<libc::termios>() };
    check(unsafe { libc::tcgetattr(fd, &mut t) }, "tcgetattr");
    t
}

/// Line editing and echo on: the mode a shell expects to find.
pub fn cooked(t: &libc::termios) -> bool {
    t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
}

impl Pty {
    /// Starts `command` in a fresh `cols` x `rows` pty.
    pub fn spawn(command: Command, cols: u16, rows: u16) -> Pty {
        Pty::start(command, cols, rows, false)
    }

    /// Like `spawn`, with stderr on the pty too, as a shell starts it: what
    /// the child says there is lost with the terminal.
    pub fn spawn_all_on_pty(command: Command, cols: u16, rows: u16) -> Pty {
        Pty::start(command, cols, rows, true)
    }

    fn start(mut command: Command, cols: u16, rows: u16, stderr_on_pty: bool) -> Pty {
        let (mut master, mut slave) = (-1, -1);
        let size = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        check(
            unsafe {
                libc::openpty(
                    &mut master,
                    &mut slave,
                    std::ptr::null_mut(),
                    std::ptr::null(),
                    &size,
                )
            },
            "openpty",
        );
        cloexec(master);
        cloexec(slave);
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let stdio = || Stdio::from(slave.try_clone().expect("dup the pty"));
        let stderr = if stderr_on_pty {
            stdio()
        } else {
            Stdio::piped()
        };
        command.stdin(stdio()).stdout(stdio()).stderr(stderr);
        unsafe {
            command.pre_exec(|| {
                // A session of its own, with the pty (already its stdin) as
                // the controlling terminal: a hang-up reaches it.
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("cbdash runs");
        // The child's copies are in the child now.
        drop(command);
        let output = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let (fd, output, stop) = (master.as_raw_fd(), output.clone(), stop.clone());
            std::thread::spawn(move || drain(fd, &output, &stop))
        };
        Pty {
            master: Some(master),
            slave: Some(slave),
            child,
            output,
            stop,
            reader: Some(reader),
        }
    }

    /// The terminal's mode now, as the child has set it.
    pub fn termios_now(&self) -> libc::termios {
        termios(
            self.slave
                .as_ref()
                .expect("the terminal is open")
                .as_raw_fd(),
        )
    }

    pub fn pid(&self) -> libc::pid_t {
        self.child.id() as libc::pid_t
    }

    /// Everything written to the terminal so far.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().map(|o| o.clone()).unwrap_or_default()
    }

    /// Waits until the terminal has received every one of `needles`.
    pub fn wait_for(&self, needles: &[&[u8]], within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let out = self.output();
            if needles.iter().all(|n| find_last(&out, n).is_some()) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the terminal did not receive {needles:?} within {within:?}; it got {:?}",
                String::from_utf8_lossy(&out)
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types `bytes` at the terminal.
    pub fn type_in(&self, bytes: &[u8]) {
        let fd = self
            .master
            .as_ref()
            .expect("the terminal is open")
            .as_raw_fd();
        let mut rest = bytes;
        while !rest.is_empty() {
            let n = unsafe { libc::write(fd, rest.as_ptr().cast(), rest.len()) };
            check(n as libc::c_int, "write to the pty");
            rest = &rest[n as usize..];
        }
    }

    pub fn signal(&self, signal: libc::c_int) {
        check(unsafe { libc::kill(self.pid(), signal) }, "kill");
    }

    /// Closes the terminal under the child, as closing its window does.
    pub fn close(&mut self) {
        self.stall();
        self.master = None;
        self.slave = None;
    }

    /// The terminal stops reading what the child writes, as a stalled
    /// connection does: once its buffer is full, every write waits.
    pub fn stall(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }

    /// Waits for the child's exit (killing it, and failing, after `within`),
    /// then reads what is left.
    pub fn wait(mut self, within: Duration) -> Ended {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            if start.elapsed() > within {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "cbdash did not exit within {within:?}; the terminal got {:?}",
                    String::from_utf8_lossy(&self.output())
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let took = start.elapsed();
        let termios = self.slave.as_ref().map(|s| termios(s.as_raw_fd()));
        // With the last slave closed, the reader reads what is left, then
        // the end.
        self.slave = None;
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        Ended {
            status,
            output: self.output(),
            stderr,
            termios,
            took,
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // A failed test leaves no process behind.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.stall();
    }
}

/// Reads the master side into `output` until the pty is closed or `stop`.
fn drain(fd: RawFd, output: &Mutex<Vec<u8>>, stop: &AtomicBool) {
    let mut buf = [0u8; 65536];
    while !stop.load(Ordering::Relaxed) {
        let mut poll = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ready = unsafe { libc::poll(&mut poll, 1, 20) };
        if ready == 0 {
            continue;
        }
        if ready < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            // EIO: every slave is closed and nothing is left to read.
            return;
        }
        if let Ok(mut out) = output.lock() {
            out.extend_from_slice(&buf[..n as usize]);
        }
    }
}

/// Where the last `needle` in `haystack` starts.
pub fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The modes the terminal was left in: each mode set and not given back
/// after its last setting, by name. Empty when every mode is restored.
pub fn modes_left_on(output: &[u8]) -> Vec<&'static str> {
    MODES
        .iter()
        .filter(|(_, set, reset)| match find_last(output, set) {
            Some(at) => find_last(output, reset).is_none_or(|back| back < at),
            None => false,
        })
        .map(|(name, _, _)| *name)
        .collect()
}

/// The modes set at least once: the program did enter the terminal.
pub fn modes_set(output: &[u8]) -> Vec<&'static str> {
    MODES
        .iter()
        .filter(|(_, set, _)| find_last(output, set).is_some())
        .map(|(name, _, _)| *name)
        .collect()
}
