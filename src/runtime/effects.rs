use std::process::{self, Stdio};
use std::sync::Arc;

use tokio::sync::{mpsc, OnceCell};

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
        Executor {
            options: Arc::new(options),
            clients: Arc::new(clients),
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
