//! Everything the simulator knows, behind one lock.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::batch::{self, BatchBook, DemoArrivals};
use super::build::{Build, Settings};
use super::catalog::{Catalog, Place, ProjectDef};
use super::clock::{to_datetime, SimClock};
use super::faults::Injected;
use super::plan_gen::plan_for_outcome;
use super::registry::Registry;
use super::rng::{stream, Rng};
use super::scenario::{self, busy, Active, Arrivals};
use super::{BuildSpec, Fault, FaultScope, RecordedRequest, Scenario, SimConfig};

/// An idempotency token in use.
#[derive(Clone, Debug)]
pub(crate) struct TokenUse {
    pub params: Value,
    /// The build or batch the call created.
    pub id: String,
    pub at: i64,
}

/// One world: the builds of one (account, region).
pub(crate) struct SimState {
    pub place: Place,
    pub catalog: &'static Catalog,
    /// The projects made through CreateProject.
    pub projects: Registry,
    pub clock: Arc<SimClock>,
    /// Sim time when the simulator started; projects date from before it.
    pub started_at: i64,
    pub builds: Vec<Build>,
    by_id: HashMap<String, usize>,
    /// Builds deleted through BatchDeleteBuilds, by id. They keep their
    /// slot in `builds` (their batch and log stream still refer to them)
    /// but leave every index and listing.
    deleted: HashMap<String, usize>,
    /// Indices into `builds`, oldest start first.
    pub order: Vec<usize>,
    /// Each build's position in `order`, so a page token finds its place
    /// without a scan.
    order_pos: Vec<usize>,
    /// `order` split by project.
    by_project: HashMap<String, Vec<usize>>,
    /// Each build's position in its project's list.
    project_pos: Vec<usize>,
    last_number: HashMap<String, u64>,
    /// Keyed by (operation, token).
    pub tokens: HashMap<(String, String), TokenUse>,
    pub arrivals: Arrivals,
    pub api_rng: Rng,
    pub fixture_rng: Rng,
    request_rng: Rng,
    faults: Vec<Injected>,
    pub requests: Vec<RecordedRequest>,
    pub batches: BatchBook,
    /// A project's settings as arriving builds run with them, shared by
    /// those builds; keyed by project and whether busy traffic stretched
    /// their timeout.
    arrival_settings: HashMap<(&'static str, bool), Arc<Settings>>,
}

impl SimState {
    /// The world at `place`; `seed` is the world's own (see
    /// [`world_seed`]).
    pub fn new(cfg: &SimConfig, place: Place, seed: u64, clock: Arc<SimClock>) -> Self {
        let now = clock.now_ms();
        let mut cfg = cfg.clone();
        cfg.seed = seed;
        let cfg = &cfg;
        let mut state = SimState {
            place,
            catalog: Catalog::for_scenario(cfg.scenario),
            projects: Registry::default(),
            clock,
            started_at: now,
            builds: Vec::new(),
            by_id: HashMap::new(),
            deleted: HashMap::new(),
            order: Vec::new(),
            order_pos: Vec::new(),
            by_project: HashMap::new(),
            project_pos: Vec::new(),
            last_number: HashMap::new(),
            tokens: HashMap::new(),
            arrivals: Arrivals::disabled(now, Rng::for_stream(cfg.seed, stream::ARRIVALS)),
            api_rng: Rng::for_stream(cfg.seed, stream::API),
            fixture_rng: Rng::for_stream(cfg.seed, stream::FIXTURES),
            request_rng: Rng::for_stream(cfg.seed, stream::REQUEST_IDS),
            faults: Vec::new(),
            requests: Vec::new(),
            batches: BatchBook::new(DemoArrivals::disabled(now, cfg.seed)),
            arrival_settings: HashMap::new(),
        };
        match cfg.scenario {
            Scenario::Demo => {
                scenario::populate_demo(&mut state, cfg.seed);
                batch::populate_demo(&mut state, cfg.seed);
            }
            Scenario::Quiet | Scenario::Empty => {}
            Scenario::Busy => busy::populate(&mut state, cfg.seed, &busy::BUSY),
            Scenario::Scale {
                builds_36h,
                running,
            } => {
                let shape = busy::Shape::scaled(builds_36h, running);
                busy::populate(&mut state, cfg.seed, &shape);
            }
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
        let done = build.completed_at();
        if done > self.arrivals.processed {
            let limited = self.concurrent_build_limit(&build.project).is_some();
            self.arrivals.track(Active::new(idx, &build, done, limited));
        }
        let project = build.project.clone();
        self.builds.push(build);
        self.by_id.insert(id.clone(), idx);
        let builds = &self.builds;
        insert_by_start(builds, &mut self.order, &mut self.order_pos, idx);
        let list = self.by_project.entry(project).or_default();
        insert_by_start(builds, list, &mut self.project_pos, idx);
        id
    }

    /// The builds ListBuilds (or, for `project`, ListBuildsForProject)
    /// lists, oldest start first.
    pub fn listed(&self, project: Option<&str>) -> &[usize] {
        match project {
            None => &self.order,
            Some(p) => self.by_project.get(p).map_or(&[], Vec::as_slice),
        }
    }

    /// Where build `idx` sits in [`SimState::listed`] for `project`: its
    /// position, or for a deleted build the position of the first build
    /// listed after where it was (the list is ordered by start, then index).
    pub fn listed_slot(&self, project: Option<&str>, idx: usize) -> Slot {
        if !self.deleted.contains_key(&self.builds[idx].id()) {
            return Slot::At(match project {
                None => self.order_pos[idx],
                Some(_) => self.project_pos[idx],
            });
        }
        let key = |i: usize| (self.builds[i].start, i);
        let list = self.listed(project);
        Slot::Before(list.partition_point(|&i| key(i) < key(idx)))
    }

    /// A build's index, deleted builds included (page tokens may name one).
    pub fn index_of_any(&self, id: &str) -> Option<usize> {
        self.index_of(id).or_else(|| self.deleted.get(id).copied())
    }

    /// Removes a build from the indices and listings; it keeps its slot.
    pub fn delete_build(&mut self, idx: usize) {
        let id = self.builds[idx].id();
        if self.by_id.remove(&id).is_none() {
            return;
        }
        self.deleted.insert(id, idx);
        let pos = self.order_pos[idx];
        remove_at(&mut self.order, &mut self.order_pos, pos);
        let project = self.builds[idx].project.clone();
        let pos = self.project_pos[idx];
        if let Some(list) = self.by_project.get_mut(&project) {
            remove_at(list, &mut self.project_pos, pos);
        }
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
            .map(|a| &self.builds[a.idx])
            .filter(|b| b.project == project && b.is_running_at(t))
            .count()
    }

    /// Ids of the builds running at `t`, newest start first.
    pub fn running_ids(&self, t: i64) -> Vec<String> {
        let mut running: Vec<&Build> = self
            .arrivals
            .active
            .iter()
            .map(|a| &self.builds[a.idx])
            .filter(|b| b.is_running_at(t))
            .collect();
        running.sort_by_key(|b| std::cmp::Reverse(b.start));
        running.iter().map(|b| b.id()).collect()
    }

    /// Brings batches, arrivals and completions up to the current sim time.
    pub fn catch_up(&mut self) {
        let now = self.now();
        batch::catch_up(self, now);
        scenario::catch_up_to(self, now);
    }

    /// The settings builds of `def` arrive with, timeouts multiplied by
    /// `scale` when given.
    pub fn arrival_settings(
        &mut self,
        def: &'static ProjectDef,
        scale: Option<f64>,
    ) -> Arc<Settings> {
        let place = &self.place;
        let cached = self
            .arrival_settings
            .entry((def.name, scale.is_some()))
            .or_insert_with(|| {
                let mut settings = Settings::for_project(def, place);
                if let Some(scale) = scale {
                    busy::stretch_timeout(&mut settings, scale);
                }
                Arc::new(settings)
            });
        Arc::clone(cached)
    }

    /// After a stop moved builds' completions: the arrival process must
    /// see the new times.
    pub fn stopped(&mut self) {
        let SimState {
            arrivals, builds, ..
        } = self;
        arrivals.refresh(builds);
    }

    pub fn advance(&mut self, secs: f64) {
        self.clock.advance(secs);
        self.catch_up();
    }

    /// A fully planned build; panics on an unknown project because that is
    /// a mistake in the calling test.
    // A fixture naming what does not exist is a mistake in its caller.
    #[allow(clippy::panic)]
    pub fn add_fixture(&mut self, spec: BuildSpec) -> String {
        self.catch_up();
        let project = self
            .project(&spec.project)
            .unwrap_or_else(|| panic!("BuildSpec names unknown project {:?}", spec.project));
        let def = project.profile;
        let start = self.now() - (spec.started_secs_ago.max(0.0) * 1000.0).round() as i64;
        let mut settings = project.settings;
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
        if let Some((after, secs)) = spec.idle {
            let ms = |s: f64| (s.max(0.0) * 1000.0).round() as i64;
            plan.idle = Some((ms(after), ms(secs)));
        }
        let build = Build {
            uuid: rng.uuid(),
            project: project.name,
            profile: def,
            number: 0,
            start,
            plan,
            stop_at: None,
            settings: Arc::new(settings),
            source_version: Some(source_version),
            resolved_source_version: rng.hex(40),
            initiator: spec.initiator.unwrap_or_else(|| "alice".to_string()),
            batch_arn: None,
        };
        self.insert(build)
    }

    pub fn inject(&mut self, fault: Fault, scope: FaultScope, count: u32) {
        if count > 0 {
            self.faults.push(Injected {
                fault,
                scope,
                left: count,
            });
        }
    }

    pub fn clear_faults(&mut self) {
        self.faults.clear();
    }

    /// The fault for this request: the earliest injected one whose scope
    /// matches, used up after its count (never with `u32::MAX`).
    pub fn take_fault(&mut self, operation: &str, body: &Value) -> Option<Fault> {
        let pos = self
            .faults
            .iter()
            .position(|f| f.scope.matches(operation, body))?;
        let injected = &mut self.faults[pos];
        let fault = injected.fault.clone();
        if injected.left != u32::MAX {
            injected.left -= 1;
            if injected.left == 0 {
                self.faults.remove(pos);
            }
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

/// Where a build sits in a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    At(usize),
    /// Deleted: the builds from this position on were listed after it.
    Before(usize),
}

/// Removes the entry at `pos` of `list`, moving the later ones up.
fn remove_at(list: &mut Vec<usize>, positions: &mut [usize], pos: usize) {
    if pos >= list.len() {
        return;
    }
    list.remove(pos);
    for (p, &i) in list.iter().enumerate().skip(pos) {
        positions[i] = p;
    }
}

/// Inserts build `idx` (the newest index) into `list` by start time and
/// records every position that moved in `positions` (by build index).
fn insert_by_start(
    builds: &[Build],
    list: &mut Vec<usize>,
    positions: &mut Vec<usize>,
    idx: usize,
) {
    let start = builds[idx].start;
    let pos = list.partition_point(|&i| builds[i].start <= start);
    list.insert(pos, idx);
    positions.push(pos);
    // A build in the past (a fixture) moves every later one.
    for (p, &i) in list.iter().enumerate().skip(pos + 1) {
        positions[i] = p;
    }
}

/// The seed of the world at `place`: the base seed itself for the default
/// world, so it is the same world as before worlds existed.
pub(crate) fn world_seed(base: u64, place: &Place) -> u64 {
    if *place == Place::default() {
        return base;
    }
    let key = format!("{base}/{}/{}", place.account, place.region);
    key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
