use std::process::{self, Stdio};
use std::sync::Arc;

use tokio::sync::{mpsc, OnceCell};

use crate::app::{Command, Effect, ListRequest, Msg, Purpose, Resource, Sent};
use crate::aws::{connect, CodeBuild, ConnectOptions, Started};
use crate::presets::PresetStore;

/// Runs the effects that leave the process: API calls and the browser.
/// Each runs in its own task and answers with a message, so the loop never
/// waits on the network.
#[derive(Clone)]
pub struct Executor {
    options: Arc<ConnectOptions>,
    client: Arc<OnceCell<CodeBuild>>,
    presets: Option<Arc<PresetStore>>,
    tx: mpsc::UnboundedSender<Msg>,
}

impl Executor {
    pub fn new(
        options: ConnectOptions,
        presets: Option<PresetStore>,
        tx: mpsc::UnboundedSender<Msg>,
    ) -> Executor {
        Executor {
            options: Arc::new(options),
            client: Arc::new(OnceCell::new()),
            presets: presets.map(Arc::new),
            tx,
        }
    }

    /// Resolving configuration may take a while (SSO, IMDS): the first call
    /// waits for it, in its task, while the UI keeps drawing.
    async fn client(&self) -> &CodeBuild {
        self.client.get_or_init(|| connect(&self.options)).await
    }

    pub fn spawn(&self, effect: Effect) {
        match effect {
            Effect::List(request) => {
                let this = self.clone();
                tokio::spawn(async move { this.list(request).await });
            }
            Effect::Fetch { purpose, ids } => {
                let this = self.clone();
                tokio::spawn(async move { this.fetch(purpose, ids).await });
            }
            Effect::FetchBatches { purpose, ids } => {
                let this = self.clone();
                tokio::spawn(async move { this.fetch_batches(purpose, ids).await });
            }
            Effect::Presets(op) => {
                let (store, tx) = (self.presets.clone(), self.tx.clone());
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(super::presets_io::execute(store.as_deref(), *op));
                });
            }
            Effect::ReadLog {
                build,
                group,
                stream,
                next_token,
            } => {
                let this = self.clone();
                tokio::spawn(async move {
                    let api = this.client().await;
                    let result = api.log_events(&group, &stream, next_token).await;
                    let _ = this.tx.send(Msg::LogPage { build, result });
                });
            }
            Effect::ListProjects => {
                let this = self.clone();
                tokio::spawn(async move {
                    let result = this.client().await.list_projects().await;
                    let _ = this.tx.send(Msg::Projects(result));
                });
            }
            Effect::Send(command) => {
                let this = self.clone();
                tokio::spawn(async move { this.send(command).await });
            }
            Effect::OpenUrl(url) => self.open(url),
            // The loop handles these: they need the terminal.
            Effect::Copy(_) | Effect::Quit => {}
        }
    }

    async fn list(&self, request: ListRequest) {
        let api = self.client().await;
        let (project, token) = (request.project.as_deref(), request.next_token.clone());
        let result = match request.resource {
            Resource::Builds => api.list_builds(project, token).await,
            Resource::Batches => api.list_batches(project, token).await,
        };
        let _ = self.tx.send(Msg::Listed { request, result });
    }

    async fn fetch(&self, purpose: Purpose, ids: Vec<String>) {
        let api = self.client().await;
        let result = api.batch_get_builds(ids).await;
        let _ = self.tx.send(Msg::Fetched { purpose, result });
    }

    async fn fetch_batches(&self, purpose: Purpose, ids: Vec<String>) {
        let api = self.client().await;
        let result = api.batch_get_batches(ids).await;
        let _ = self.tx.send(Msg::BatchesFetched { purpose, result });
    }

    async fn send(&self, command: Command) {
        let api = self.client().await;
        let result = match &command {
            Command::StopBuild { id } => api.stop_build(id).await.map(Started::Build),
            Command::StopBatch { id } => api.stop_batch(id).await.map(Started::Batch),
            Command::RetryBuild { id, token } => {
                api.retry_build(id, token).await.map(Started::Build)
            }
            Command::RetryBatch {
                id,
                token,
                retry_type,
            } => api
                .retry_batch(id, token, retry_type)
                .await
                .map(Started::Batch),
            Command::Start(request) => api.start(request).await,
        };
        let _ = self.tx.send(Msg::Sent(Box::new(Sent { command, result })));
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
