//! Batch builds. A batch runs each of its groups as a build of its own: an
//! ordinary simulator build (listed, fetched and stopped like any other)
//! that points back at the batch through `buildBatchArn`.
//!
//! As with builds, a batch's JSON is a pure function of its plan (one
//! planned build per group), the sim clock and its stop time: `run`
//! derives when every group starts and how the batch ends, and `schedule`
//! stores each group's build once its start time has come.

mod demo;
mod fixture;
mod render;
mod run;
mod schedule;
mod spec;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

pub(crate) use demo::{populate as populate_demo, DemoArrivals};
pub(crate) use fixture::add as add_fixture;
pub(crate) use render::{batch_json, status_at};
pub(crate) use run::is_complete_at;
pub(crate) use schedule::{catch_up, new_batch, retry, stop, NewBatch};
pub(crate) use spec::drafts_for;

use super::build::Settings;
use super::catalog::{strip_arn, Place, ProjectDef};
use super::clock::MINUTE;
use super::timeline::Plan;
use super::Outcome;

/// One run of a batch: the first, or the latest retry.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Run {
    /// Epoch milliseconds of the SUBMITTED phase.
    pub start: i64,
    /// Milliseconds of SUBMITTED, DOWNLOAD_BATCHSPEC and COMBINE_ARTIFACTS.
    pub durations: [i64; 3],
    pub stop_at: Option<i64>,
}

/// How a group's builds are planned.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Recipe {
    /// Catalog groups: BUILD lasts `build_secs` and fails with
    /// `fail_chance` running `command`; `first_fails` forces the first
    /// run's outcome (the demo's scripted history).
    Random {
        build_secs: (f64, f64),
        fail_chance: f64,
        command: String,
        first_fails: Option<bool>,
    },
    /// Test fixtures: the first run ends with `outcome`; a retry succeeds,
    /// so a test can watch a retry repair a batch.
    Fixed {
        outcome: Outcome,
        phase_secs: Option<Vec<(String, f64)>>,
    },
}

/// A group's next build, planned when its run starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Planned {
    pub plan: Plan,
    pub uuid: String,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Group {
    pub identifier: String,
    pub depends_on: Vec<String>,
    pub ignore_failure: bool,
    /// Shared with the group's builds.
    pub settings: Arc<Settings>,
    pub recipe: Recipe,
    /// Every build the group has run, oldest first (indices into the
    /// simulator's builds).
    pub builds: Vec<usize>,
    /// The build the group counts on; None until its build in this run starts.
    pub current: Option<usize>,
    /// The build this run will start for the group; None when the group is
    /// not part of the run or its build has started.
    pub next: Option<Planned>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Batch {
    pub uuid: String,
    pub project: String,
    /// How its groups' builds play out (see [`crate::build::Build::profile`]).
    pub profile: &'static ProjectDef,
    pub number: u64,
    /// Start of the first run; orders batches in listings.
    pub created: i64,
    pub settings: Arc<Settings>,
    /// The ProjectBuildBatchConfig in effect, in its JSON shape.
    pub config: Map<String, Value>,
    pub source_version: Option<String>,
    pub resolved_source_version: String,
    pub initiator: String,
    pub groups: Vec<Group>,
    /// Why the batchspec is rejected in DOWNLOAD_BATCHSPEC, if it is.
    pub spec_error: Option<String>,
    pub run: Run,
}

const ARN_PREFIX: &str = "build-batch/";

impl Batch {
    pub fn id(&self) -> String {
        format!("{}:{}", self.project, self.uuid)
    }

    pub fn arn(&self, place: &Place) -> String {
        place.arn("codebuild", &format!("{ARN_PREFIX}{}", self.id()))
    }

    fn restriction(&self, key: &str) -> Option<&Value> {
        self.config.get("restrictions").and_then(|r| r.get(key))
    }

    pub fn max_builds(&self) -> Option<i64> {
        self.restriction("maximumBuildsAllowed")
            .and_then(Value::as_i64)
    }

    pub fn compute_types_allowed(&self) -> Option<Vec<&str>> {
        let list = self.restriction("computeTypesAllowed")?.as_array()?;
        Some(list.iter().filter_map(Value::as_str).collect())
    }

    pub fn combine_artifacts(&self) -> bool {
        self.config
            .get("combineArtifacts")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// The batch timeout; 480 minutes when the configuration sets none.
    pub fn timeout_ms(&self) -> i64 {
        let minutes = self.config.get("timeoutInMins").and_then(Value::as_i64);
        minutes.unwrap_or(480) * MINUTE
    }

    /// When this run is cut short: its stop, or else its timeout.
    pub fn cutoff(&self) -> i64 {
        let deadline = self.run.start + self.timeout_ms();
        self.run.stop_at.map_or(deadline, |stop| stop.min(deadline))
    }

    pub fn group_index(&self, identifier: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.identifier == identifier)
    }
}

/// Accepts a batch id or a batch ARN.
pub(crate) fn id_from(id_or_arn: &str) -> &str {
    strip_arn(id_or_arn, ARN_PREFIX)
}

/// Every batch, plus what drives the demo's batches.
pub(crate) struct BatchBook {
    pub list: Vec<Batch>,
    by_id: HashMap<String, usize>,
    /// Indices into `list`, oldest first.
    pub order: Vec<usize>,
    last_number: HashMap<String, u64>,
    /// Batches whose current run may not have completed yet.
    pub live: Vec<usize>,
    pub demo: DemoArrivals,
}

impl BatchBook {
    pub fn new(demo: DemoArrivals) -> Self {
        BatchBook {
            list: Vec::new(),
            by_id: HashMap::new(),
            order: Vec::new(),
            last_number: HashMap::new(),
            live: Vec::new(),
            demo,
        }
    }

    /// Stores a batch, giving it the project's next batch number.
    pub fn insert(&mut self, mut batch: Batch) -> usize {
        let number = self.last_number.entry(batch.project.clone()).or_insert(0);
        *number += 1;
        batch.number = *number;
        let idx = self.list.len();
        self.by_id.insert(batch.id(), idx);
        let created = batch.created;
        self.list.push(batch);
        let list = &self.list;
        let pos = self.order.partition_point(|&i| list[i].created <= created);
        self.order.insert(pos, idx);
        self.live.push(idx);
        idx
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id_from(id)).copied()
    }

    /// Brings a retried batch back under the scheduler's watch.
    pub fn revive(&mut self, idx: usize) {
        if !self.live.contains(&idx) {
            self.live.push(idx);
        }
    }
}
