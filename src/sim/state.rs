//! Everything the simulator knows, behind one lock.

use std::collections::{HashMap, VecDeque};

use serde_json::Value;

use super::batch::{self, BatchBook, DemoArrivals};
use super::build::{Build, Settings};
use super::catalog;
use super::clock::{to_datetime, SimClock};
use super::plan_gen::plan_for_outcome;
use super::rng::{stream, Rng};
use super::scenario::{self, Arrivals};
use super::{BuildSpec, Fault, RecordedRequest, Scenario, SimConfig};

/// An idempotency token in use.
#[derive(Clone, Debug)]
pub(crate) struct TokenUse {
    pub params: Value,
    /// The build or batch the call created.
    pub id: String,
    pub at: i64,
}

pub(crate) struct SimState {
    pub clock: SimClock,
    /// Sim time when the simulator started; projects date from before it.
    pub started_at: i64,
    pub builds: Vec<Build>,
    by_id: HashMap<String, usize>,
    /// Indices into `builds`, oldest start first.
    pub order: Vec<usize>,
    last_number: HashMap<String, u64>,
    /// Keyed by (operation, token).
    pub tokens: HashMap<(String, String), TokenUse>,
    pub arrivals: Arrivals,
    pub api_rng: Rng,
    pub fixture_rng: Rng,
    request_rng: Rng,
    faults: VecDeque<(Fault, u32)>,
    pub requests: Vec<RecordedRequest>,
    pub batches: BatchBook,
}

impl SimState {
    pub fn new(cfg: &SimConfig) -> Self {
        let clock = SimClock::new(cfg.speed);
        let now = clock.now_ms();
        let mut state = SimState {
            clock,
            started_at: now,
            builds: Vec::new(),
            by_id: HashMap::new(),
            order: Vec::new(),
            last_number: HashMap::new(),
            tokens: HashMap::new(),
            arrivals: Arrivals::disabled(now, Rng::for_stream(cfg.seed, stream::ARRIVALS)),
            api_rng: Rng::for_stream(cfg.seed, stream::API),
            fixture_rng: Rng::for_stream(cfg.seed, stream::FIXTURES),
            request_rng: Rng::for_stream(cfg.seed, stream::REQUEST_IDS),
            faults: VecDeque::new(),
            requests: Vec::new(),
            batches: BatchBook::new(DemoArrivals::disabled(now, cfg.seed)),
        };
        if cfg.scenario == Scenario::Demo {
            scenario::populate_demo(&mut state, cfg.seed);
            batch::populate_demo(&mut state, cfg.seed);
        }
        state
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Stores a build, giving it the project's next build number.
    pub fn insert(&mut self, mut build: Build) -> String {
        let number = self.last_number.entry(build.project.clone()).or_insert(0);
        *number += 1;
        build.number = *number;
        let id = build.id();
        let idx = self.builds.len();
        let start = build.start;
        if build.completed_at() > self.arrivals.processed {
            self.arrivals.active.push(idx);
        }
        self.builds.push(build);
        self.by_id.insert(id.clone(), idx);
        let builds = &self.builds;
        let pos = self.order.partition_point(|&i| builds[i].start <= start);
        self.order.insert(pos, idx);
        id
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn get(&self, id: &str) -> Option<&Build> {
        self.index_of(id).map(|i| &self.builds[i])
    }

    /// Builds of `project` running at `t` (only unfinished ones can be).
    pub fn running_in_project(&self, project: &str, t: i64) -> usize {
        self.arrivals
            .active
            .iter()
            .map(|&i| &self.builds[i])
            .filter(|b| b.project == project && b.is_running_at(t))
            .count()
    }

    /// Brings batches, arrivals and completions up to the current sim time.
    pub fn catch_up(&mut self) {
        let now = self.now();
        batch::catch_up(self, now);
        scenario::catch_up_to(self, now);
    }

    pub fn advance(&mut self, secs: f64) {
        self.clock.advance(secs);
        self.catch_up();
    }

    /// A fully planned build; panics on an unknown project because that is
    /// a mistake in the calling test.
    pub fn add_fixture(&mut self, spec: BuildSpec) -> String {
        self.catch_up();
        let def = catalog::find(&spec.project)
            .unwrap_or_else(|| panic!("BuildSpec names unknown project {:?}", spec.project));
        let start = self.now() - (spec.started_secs_ago.max(0.0) * 1000.0).round() as i64;
        let mut settings = Settings::for_project(def);
        if let Some(minutes) = spec.timeout_minutes {
            settings.timeout_minutes = minutes;
        }
        let source_version = spec
            .source_version
            .unwrap_or_else(|| "refs/heads/main".to_string());
        let rng = &mut self.fixture_rng;
        let mut plan = plan_for_outcome(
            rng,
            def,
            &settings,
            &spec.outcome,
            spec.phase_secs.as_deref(),
            &source_version,
        );
        plan.output = spec.output;
        let build = Build {
            uuid: rng.uuid(),
            project: def.name.to_string(),
            number: 0,
            start,
            plan,
            stop_at: None,
            settings,
            source_version: Some(source_version),
            resolved_source_version: rng.hex(40),
            initiator: spec.initiator.unwrap_or_else(|| "alice".to_string()),
            batch_arn: None,
        };
        self.insert(build)
    }

    pub fn inject(&mut self, fault: Fault, count: u32) {
        if count > 0 {
            self.faults.push_back((fault, count));
        }
    }

    pub fn clear_faults(&mut self) {
        self.faults.clear();
    }

    pub fn take_fault(&mut self) -> Option<Fault> {
        let (fault, left) = self.faults.front_mut()?;
        let fault = fault.clone();
        *left -= 1;
        if *left == 0 {
            self.faults.pop_front();
        }
        Some(fault)
    }

    pub fn record(&mut self, operation: String, body: Value, status: u16) {
        let at = to_datetime(self.now());
        self.requests.push(RecordedRequest {
            operation,
            body,
            status,
            at,
        });
    }

    pub fn request_id(&mut self) -> String {
        self.request_rng.uuid()
    }
}
