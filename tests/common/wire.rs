//! The dashboard's state driven through the real SDK client against the
//! simulator on loopback: effects run for real, in order, and their answers
//! go back through `update` as the runtime does.
#![allow(dead_code)]

use std::collections::VecDeque;

use chrono::Duration;

use cbdash::app::{update, Command, Effect, Msg, Resource, Settings, State};
use cbdash::aws::{connect, CodeBuild, ConnectOptions};
use cbdash::sim::{Scenario, SimConfig, SimHandle};

pub struct Wire {
    pub sim: SimHandle,
    pub api: CodeBuild,
    pub state: State,
    /// A preset file of this test's own.
    pub presets: cbdash::presets::PresetStore,
}

impl Wire {
    /// A frozen-clock simulator and a dashboard watching it (`projects`
    /// empty: every build), with the SDK making one attempt per call so each
    /// injected fault reaches the dashboard.
    pub async fn start(scenario: Scenario, projects: &[&str]) -> Wire {
        let settings = Settings {
            context: "test".into(),
            projects: projects.iter().map(|p| p.to_string()).collect(),
            ..Settings::default()
        };
        Wire::start_with(scenario, settings).await
    }

    /// Like `start`, with the dashboard's settings given.
    pub async fn start_with(scenario: Scenario, settings: Settings) -> Wire {
        let sim = SimHandle::start(SimConfig {
            seed: 7,
            speed: 0.0,
            port: 0,
            scenario,
        })
        .await
        .expect("simulator starts");
        let options = ConnectOptions {
            max_attempts: 1,
            ..ConnectOptions::for_simulator(sim.endpoint_url())
        };
        let api = connect(&options).await;
        let dir = std::env::temp_dir().join(format!(
            "cbdash-wire-{}-{}",
            std::process::id(),
            sim.addr().port()
        ));
        let presets = cbdash::presets::PresetStore::at(dir.join("presets.json"));
        let mut state = State::new(settings, sim.now());
        update(
            &mut state,
            Msg::Resize {
                width: 160,
                height: 45,
            },
        );
        Wire {
            sim,
            api,
            state,
            presets,
        }
    }

    /// Feeds a message and runs every effect it leads to, to the end.
    pub async fn send(&mut self, msg: Msg) -> Vec<Effect> {
        let effects = update(&mut self.state, msg);
        self.run(effects.clone()).await;
        effects
    }

    pub async fn run(&mut self, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            let msg = match effect {
                Effect::List(request) => {
                    let (project, token) = (request.project.as_deref(), request.next_token.clone());
                    let result = match request.resource {
                        Resource::Builds => self.api.list_builds(project, token).await,
                        Resource::Batches => self.api.list_batches(project, token).await,
                    };
                    Msg::Listed { request, result }
                }
                Effect::FetchBatches { purpose, ids } => {
                    let result = self.api.batch_get_batches(ids).await;
                    Msg::BatchesFetched { purpose, result }
                }
                Effect::Fetch { purpose, ids } => {
                    let result = self.api.batch_get_builds(ids).await;
                    Msg::Fetched { purpose, result }
                }
                Effect::Presets(op) => {
                    cbdash::runtime::presets_io::execute(Some(&self.presets), *op)
                }
                Effect::ReadLog {
                    build,
                    group,
                    stream,
                    next_token,
                } => Msg::LogPage {
                    build,
                    result: self.api.log_events(&group, &stream, next_token).await,
                },
                Effect::ListProjects => Msg::Projects(self.api.list_projects().await),
                Effect::Send(command) => {
                    let result = send(&self.api, &command).await;
                    Msg::Sent(Box::new(cbdash::app::Sent { command, result }))
                }
                _ => continue,
            };
            queue.extend(update(&mut self.state, msg));
        }
    }

    /// Moves the simulated clock and lets a due poll cycle run.
    pub async fn advance(&mut self, secs: i64) {
        self.sim.advance(secs as f64);
        self.state.now = self.sim.now();
        self.send(Msg::Tick(self.sim.now())).await;
    }

    /// Runs one poll cycle now, whatever the schedule says.
    pub async fn cycle(&mut self) {
        let due = self.state.poller.next_at.unwrap_or(self.state.now);
        let wait_ms = (due - self.state.now).num_milliseconds().max(0);
        let wait = (wait_ms + 999) / 1000;
        self.advance(wait).await;
    }

    /// Operations the simulator received since the last call.
    pub fn take_calls(&self) -> Vec<String> {
        let calls = self
            .sim
            .requests()
            .into_iter()
            .map(|r| r.operation)
            .collect();
        self.sim.clear_requests();
        calls
    }

    pub fn now_plus(&self, secs: i64) -> chrono::DateTime<chrono::Utc> {
        self.state.now + Duration::seconds(secs)
    }
}

/// Runs a command as the runtime does.
pub async fn send(
    api: &CodeBuild,
    command: &Command,
) -> Result<cbdash::aws::Started, cbdash::domain::ApiError> {
    use cbdash::aws::Started;
    match command {
        Command::StopBuild { id } => api.stop_build(id).await.map(Started::Build),
        Command::StopBatch { id } => api.stop_batch(id).await.map(Started::Batch),
        Command::RetryBuild { id, token } => api.retry_build(id, token).await.map(Started::Build),
        Command::RetryBatch {
            id,
            token,
            retry_type,
        } => api
            .retry_batch(id, token, retry_type)
            .await
            .map(Started::Batch),
        Command::Start(request) => api.start(request).await,
    }
}

impl Wire {
    /// Requests that change the account, as the simulator received them.
    pub fn mutations(&self) -> Vec<cbdash::sim::RecordedRequest> {
        self.sim
            .requests()
            .into_iter()
            .filter(|r| {
                [
                    "StartBuild",
                    "StartBuildBatch",
                    "StopBuild",
                    "StopBuildBatch",
                    "RetryBuild",
                    "RetryBuildBatch",
                ]
                .contains(&r.operation.as_str())
            })
            .collect()
    }

    /// Selects the row of build or batch `id`.
    pub fn select(&mut self, row: cbdash::app::Row) {
        let rows = self.state.visible_rows();
        assert!(self.state.list.select_row(&row, rows), "{row:?} is listed");
    }
}
