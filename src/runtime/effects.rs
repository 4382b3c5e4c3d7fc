use std::process::{self, Stdio};
use std::sync::Arc;

use tokio::sync::{mpsc, OnceCell, Semaphore};

use crate::app::{Effect, Msg};
use crate::aws::{connect, CodeBuild, ConnectOptions};
use crate::presets::PresetStore;

/// Runs the effects that leave the process: API calls and the browser.
/// Each runs in its own task and answers with a message, so the loop never
/// waits on the network.
#[derive(Clone)]
pub struct Executor {
    /// One connection per account and region watched.
    options: Arc<Vec<ConnectOptions>>,
    clients: Arc<Vec<OnceCell<CodeBuild>>>,
    /// Requests each account and region may start, so that the program
    /// never causes throttling by itself.
    limits: Arc<Vec<RateLimit>>,
    /// Requests in flight across every account and region.
    in_flight: Arc<Semaphore>,
    presets: Option<Arc<PresetStore>>,
    tx: mpsc::UnboundedSender<Msg>,
}

impl Executor {
    pub fn new(
        options: Vec<ConnectOptions>,
        presets: Option<PresetStore>,
        tx: mpsc::UnboundedSender<Msg>,
    ) -> Executor {
        let clients = options.iter().map(|_| OnceCell::new()).collect();
        let limits = options.iter().map(|_| RateLimit::default()).collect();
        Executor {
            options: Arc::new(options),
            clients: Arc::new(clients),
            limits: Arc::new(limits),
            in_flight: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
            presets: presets.map(Arc::new),
            tx,
        }
    }

    /// Resolving configuration may take a while (SSO, IMDS): the first call
    /// waits for it, in its task, while the UI keeps drawing.
    async fn client(&self, context: u16) -> Option<&CodeBuild> {
        let i = usize::from(context);
        let (cell, options) = (self.clients.get(i)?, self.options.get(i)?);
        Some(cell.get_or_init(|| connect(options)).await)
    }

    pub fn spawn(&self, effect: Effect) {
        match effect {
            Effect::OpenUrl(url) => self.open(url),
            // The loop handles these: they need the terminal.
            Effect::Copy(_) | Effect::Notify { .. } | Effect::Quit => {}
            // File I/O: off the async workers.
            Effect::Presets(op) => {
                let (store, tx) = (self.presets.clone(), self.tx.clone());
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(super::presets_io::execute(store.as_deref(), *op));
                });
            }
            effect => {
                let this = self.clone();
                tokio::spawn(async move { this.run(effect).await });
            }
        }
    }

    async fn run(&self, effect: Effect) {
        let (context, effect) = super::execute::split(effect);
        let Some(api) = self.client(context).await else {
            return;
        };
        if let Some(limit) = self.limits.get(usize::from(context)) {
            limit.wait().await;
        }
        // Closed only when the executor is gone: then nothing is sent.
        let Ok(_permit) = self.in_flight.acquire().await else {
            return;
        };
        if let Some(msg) = super::execute::execute_one(api, self.presets.as_deref(), effect).await {
            let _ = self.tx.send(super::execute::from(context, msg));
        }
    }

    fn open(&self, url: String) {
        let tx = self.tx.clone();
        std::thread::spawn(move || {
            let opener = if cfg!(target_os = "macos") {
                "open"
            } else {
                "xdg-open"
            };
            let outcome = process::Command::new(opener)
                .arg(&url)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let error = match outcome {
                Ok(status) if status.success() => return,
                Ok(status) => format!("{opener} exited with {status}"),
                Err(e) => format!("{opener}: {e}"),
            };
            let _ = tx.send(Msg::OpenFailed { url, error });
        });
    }
}

/// Requests in flight at once, across every account and region.
pub const MAX_IN_FLIGHT: usize = 16;
/// Requests per second one account and region may start, and how many may
/// start at once after a quiet spell.
pub const RATE_PER_SEC: f64 = 15.0;
pub const RATE_BURST: f64 = 30.0;

/// A token bucket: requests beyond the burst wait their turn, in order.
pub struct RateLimit {
    bucket: std::sync::Mutex<(f64, tokio::time::Instant)>,
}

impl Default for RateLimit {
    fn default() -> RateLimit {
        RateLimit {
            bucket: std::sync::Mutex::new((RATE_BURST, tokio::time::Instant::now())),
        }
    }
}

impl RateLimit {
    /// Takes a token, waiting for one if none is left.
    pub async fn wait(&self) {
        let wait = {
            let mut bucket = self
                .bucket
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let now = tokio::time::Instant::now();
            let (tokens, last) = *bucket;
            let refilled = (tokens + (now - last).as_secs_f64() * RATE_PER_SEC).min(RATE_BURST);
            // Going below zero reserves the next slot for this request.
            *bucket = (refilled - 1.0, now);
            (refilled < 1.0).then(|| (1.0 - refilled) / RATE_PER_SEC)
        };
        if let Some(secs) = wait {
            tokio::time::sleep(std::time::Duration::from_secs_f64(secs)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_passes_then_requests_wait_their_turn_at_the_rate() {
        let limit = RateLimit::default();
        let start = tokio::time::Instant::now();
        for _ in 0..RATE_BURST as usize {
            limit.wait().await;
        }
        assert_eq!(
            start.elapsed(),
            std::time::Duration::ZERO,
            "the burst is free"
        );
        for _ in 0..45 {
            limit.wait().await;
        }
        let secs = start.elapsed().as_secs_f64();
        assert!((2.9..3.1).contains(&secs), "45 more at 15/s took {secs}s");
    }
}
