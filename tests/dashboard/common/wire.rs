//! The dashboard's state driven through the real SDK client against the
//! simulator on loopback: effects run for real, in order, and their answers
//! go back through `update` as the runtime does.
#![allow(dead_code)]

use chrono::Duration;

use cbdash::app::{update, Command, Effect, Msg, Settings, State};
use cbdash::aws::{connect, CodeBuild, ConnectOptions};
use cbdash::runtime::execute::settle;
use cbdash_sim::{Scenario, SimConfig, SimHandle};

pub struct Wire {
    pub sim: SimHandle,
    pub api: CodeBuild,
    /// Accounts and regions after the first: their simulators and clients.
    pub others: Vec<(SimHandle, CodeBuild)>,
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
            others: Vec::new(),
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
        let apis: Vec<CodeBuild> = std::iter::once(self.api.clone())
            .chain(self.others.iter().map(|(_, api)| api.clone()))
            .collect();
        settle(&mut self.state, &apis, Some(&self.presets), effects).await;
    }

    /// Moves the simulated clock and lets a due poll cycle run.
    pub async fn advance(&mut self, secs: i64) {
        self.sim.advance(secs as f64);
        self.state.now = self.sim.now();
        self.send(Msg::Tick(self.sim.now())).await;
    }

    /// Moves the clock until every context's next poll is due, and runs it.
    pub async fn cycle(&mut self) {
        let now = self.state.now;
        let due = self
            .state
            .pollers()
            .map(|(_, p)| p.next_at.unwrap_or(now))
            .max()
            .unwrap_or(now);
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
) -> Result<cbdash::domain::Started, cbdash::domain::ApiError> {
    let effect = Effect::Send(command.clone());
    match cbdash::runtime::execute::execute_one(api, None, effect).await {
        Some(Msg::Sent(sent)) => sent.result,
        other => panic!("a command answers with Sent: {other:?}"),
    }
}

impl Wire {
    /// Requests that change the account, as the simulator received them.
    pub fn mutations(&self) -> Vec<cbdash_sim::RecordedRequest> {
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

impl Wire {
    /// A dashboard watching `regions` simulated regions side by side (seeds
    /// 7, 8, …), each its own account and region.
    pub async fn regions(regions: &[&str]) -> Wire {
        let settings = Settings {
            context: "test".into(),
            context_names: regions.iter().map(|r| r.to_string()).collect(),
            ..Settings::default()
        };
        let mut w = Wire::start_with(Scenario::Demo, settings).await;
        for (i, _) in regions.iter().enumerate().skip(1) {
            let sim = SimHandle::start(SimConfig {
                seed: 7 + i as u64,
                speed: 0.0,
                port: 0,
                scenario: Scenario::Demo,
            })
            .await
            .expect("simulator starts");
            let options = ConnectOptions {
                max_attempts: 1,
                ..ConnectOptions::for_simulator(sim.endpoint_url())
            };
            let api = connect(&options).await;
            w.others.push((sim, api));
        }
        w
    }
}

impl Wire {
    /// One simulator, a context per account (each signing with a key of
    /// that account), all in us-east-1.
    pub async fn accounts(accounts: &[&str]) -> Wire {
        let settings = Settings {
            context: "test".into(),
            context_names: accounts.iter().map(|a| format!("acct-{a}")).collect(),
            ..Settings::default()
        };
        let mut w = Wire::start_with(Scenario::Quiet, settings).await;
        let connect_as = |account: &str| ConnectOptions {
            max_attempts: 1,
            static_key: Some(format!("AKIA{account}TEST")),
            ..ConnectOptions::for_simulator(w.sim.endpoint_url())
        };
        let mut apis = Vec::new();
        for account in accounts {
            apis.push(connect(&connect_as(account)).await);
        }
        let mut apis = apis.into_iter();
        if let Some(first) = apis.next() {
            w.api = first;
        }
        let sim = w.sim.clone();
        w.others = apis.map(|api| (sim.clone(), api)).collect();
        w
    }
}

/// What the service itself says, read with the SDK: every build ID of the
/// account (all ListBuilds pages) and those BatchGetBuilds says run.
pub struct ServiceCounts {
    pub builds: Vec<String>,
    pub running: std::collections::HashSet<String>,
}

pub async fn service_counts(sim: &SimHandle) -> ServiceCounts {
    let client = super::sdk::client(sim);
    let builds = super::sdk::all_build_ids(&client, None).await;
    let running = super::sdk::get_builds(&client, &builds)
        .await
        .iter()
        .filter(|b| !b.build_complete())
        .map(|b| b.id().unwrap_or_default().to_string())
        .collect();
    ServiceCounts { builds, running }
}

impl Wire {
    /// Cycles until discovery and every burst are read (at most `max`).
    pub async fn settle_discovery(&mut self, max: usize) -> usize {
        let mut cycles = 0;
        loop {
            self.cycle().await;
            cycles += 1;
            let p = &self.state.poller;
            let open = p.discovering().is_some() || p.reading_burst();
            if !open || cycles >= max {
                return cycles;
            }
        }
    }

    /// The dashboard's running builds, and the service's, side by side.
    pub async fn running_counts(&self) -> (usize, usize) {
        let service = service_counts(&self.sim).await;
        (self.state.store.running_count(), service.running.len())
    }
}

impl Wire {
    /// Like `start`, with the dashboard's one context in `region` (the
    /// simulator's world of that region, same account).
    pub async fn start_in(scenario: Scenario, region: &str) -> Wire {
        let mut w = Wire::start(scenario, &[]).await;
        let options = ConnectOptions {
            max_attempts: 1,
            region: Some(region.to_string()),
            ..ConnectOptions::for_simulator(w.sim.endpoint_url())
        };
        w.api = connect(&options).await;
        w
    }

    /// The account the simulator's default key signs for.
    pub fn account(&self) -> String {
        "123456789012".to_string()
    }
}
