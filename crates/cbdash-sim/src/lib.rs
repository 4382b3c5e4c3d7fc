//! A CodeBuild simulator that speaks the real wire protocols (awsJson1.1 and
//! Smithy RPC v2 CBOR) on loopback, so the dashboard, the AWS CLI and the AWS
//! SDK can all be pointed at it with `--endpoint-url`.
//!
//! Every build carries a plan (phase durations and an outcome); its JSON is a
//! pure function of that plan, the sim clock and an optional stop time, which
//! keeps a seed fully reproducible. Batch builds (`batch`) follow the same
//! rule and run each of their groups as such a build, and so do the builds'
//! CloudWatch Logs streams (`logs`) and their CloudWatch resource metrics
//! (`metrics`), served on the same endpoint.

mod batch;
mod batch_projects;
mod build;
mod catalog;
mod cbor;
mod clock;
mod compute;
mod control;
mod faults;
mod handle;
mod input;
mod logs;
mod metrics;
mod ops;
mod phase;
mod plan_gen;
mod project;
mod registry;
mod render;
mod reports;
mod rng;
mod rpcv2;
mod scenario;
mod server;
mod state;
mod sts;
mod timeline;
mod wire;
mod world;

use std::time::Duration;

pub use handle::{serve_until_ctrl_c, SimHandle};
pub use world::SimWorld;

/// How the simulator is started.
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    /// Seed of every random choice: the same seed gives the same scenario.
    pub seed: u64,
    /// Sim seconds per real second; 0.0 freezes the clock (it then moves only
    /// through [`SimHandle::advance`]).
    pub speed: f64,
    /// Loopback port to bind; 0 picks a free one.
    pub port: u16,
    pub scenario: Scenario,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 42,
            speed: 1.0,
            port: 0,
            scenario: Scenario::Demo,
        }
    }
}

/// Which world the simulator starts with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scenario {
    /// A week of history, a few running builds and new builds arriving.
    #[default]
    Demo,
    /// The demo's projects, but no builds and no arrivals.
    Quiet,
    /// No projects and no builds: a blank account, for CreateProject and
    /// the builds of the projects made with it.
    Empty,
    /// A busy account: 300 projects, about 5,000 builds in the last 36
    /// hours, 150-180 running at any moment, a burst of 120 builds every
    /// ten minutes and a few builds running for hours.
    Busy,
    /// Busy, sized for benchmarks: `builds_36h` builds over the last 36
    /// hours with about `running` of them running at any moment.
    Scale { builds_36h: u32, running: u32 },
}

/// A failure to answer with instead of the normal response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// 400 ThrottlingException "Rate exceeded".
    Throttle,
    /// 500 InternalFailure.
    ServerError,
    /// 400 AccessDeniedException naming the operation.
    AccessDenied,
    /// 400 ExpiredTokenException.
    ExpiredToken,
    /// Answer normally after this delay.
    Delay(Duration),
    /// Close the connection without answering.
    Reset,
    /// 200 with a body that is not JSON.
    Malformed,
    /// Answer this exact status and body.
    RawBody { status: u16, body: String },
    /// 200 with a chunked body that never ends.
    EndlessBody,
}

/// Which requests an injected fault applies to; `None` matches any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FaultScope {
    /// Operation name, e.g. "ListBuildBatches" or "GetLogEvents".
    pub operation: Option<String>,
    /// Only requests whose `projectName` names this project.
    pub project: Option<String>,
}

impl FaultScope {
    /// Only requests of `operation`.
    pub fn operation(operation: &str) -> Self {
        FaultScope {
            operation: Some(operation.to_string()),
            project: None,
        }
    }
}

/// One CodeBuild or CloudWatch Logs request as the simulator saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedRequest {
    /// Operation name, e.g. "BatchGetBuilds" or "GetLogEvents" (the raw
    /// target header when it names neither service).
    pub operation: String,
    /// Parsed request body, or Null when it was not JSON.
    pub body: serde_json::Value,
    /// HTTP status answered; 0 when the connection was reset.
    pub status: u16,
    /// Sim time at which the request was answered.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// How a planned build ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Outcome {
    #[default]
    Succeed,
    /// `phase` is one of DOWNLOAD_SOURCE, INSTALL, PRE_BUILD, BUILD,
    /// POST_BUILD or UPLOAD_ARTIFACTS; `command` shows up in the failure
    /// context of command phases.
    FailIn { phase: String, command: String },
    /// Runs until the build timeout stops it.
    TimeOut,
    /// PROVISIONING faults because the image cannot be pulled.
    Fault,
    /// BUILD runs out of memory: its memory climbs to the compute type's
    /// limit and the kernel kills the command, which fails with exit
    /// status 137 (`command` as in `FailIn`; empty picks one of the
    /// project's build commands).
    OutOfMemory { command: String },
}

/// A build whose whole life is planned up front (a test fixture).
#[derive(Clone, Debug, PartialEq)]
pub struct BuildSpec {
    /// Must name an existing project.
    pub project: String,
    /// Start relative to sim now; 0 starts it now.
    pub started_secs_ago: f64,
    pub outcome: Outcome,
    /// Explicit seconds per phase (e.g. `("BUILD", 120.0)`); phases left out
    /// get seeded realistic durations.
    pub phase_secs: Option<Vec<(String, f64)>>,
    pub source_version: Option<String>,
    pub initiator: Option<String>,
    pub timeout_minutes: Option<u32>,
    /// Exactly the lines BUILD writes to the build's log, spread over the
    /// phase, instead of generated command output. They are printed by the
    /// phase's last command (the failing one when BUILD fails); any escape
    /// sequences are kept as they are.
    pub output: Option<Vec<String>>,
    /// (seconds after BUILD starts, for how long) the build sits idle, as a
    /// hung build does: CPU under 2 %, flat memory, no disk; then its CPU
    /// goes back to its usual band. A build that times out goes idle on its
    /// own some minutes into BUILD unless this says otherwise.
    pub idle: Option<(f64, f64)>,
}

impl Default for BuildSpec {
    fn default() -> Self {
        BuildSpec {
            project: "web-frontend".to_string(),
            started_secs_ago: 0.0,
            outcome: Outcome::Succeed,
            phase_secs: None,
            source_version: None,
            initiator: None,
            timeout_minutes: None,
            output: None,
            idle: None,
        }
    }
}

/// A batch build whose groups are fully planned (a test fixture). It runs
/// as a build graph: a group starts once every group it depends on has
/// SUCCEEDED, or ended otherwise with `ignore_failure` set; without
/// `depends_on` anywhere it is a build list, every group starting at once.
///
/// The groups replace the project's batchspec; the batch keeps the
/// project's batch configuration (timeout, combineArtifacts, restrictions).
/// An unknown dependency, a cycle, or an empty or repeated identifier fails
/// the batch in DOWNLOAD_BATCHSPEC with a CLIENT_ERROR context naming the
/// problem, as the service does when it reads the batchspec.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchSpec {
    /// Must name an existing project; any project will do.
    pub project: String,
    /// Start relative to sim now; 0 starts it now.
    pub started_secs_ago: f64,
    pub groups: Vec<GroupSpec>,
}

impl Default for BatchSpec {
    fn default() -> Self {
        BatchSpec {
            project: "monorepo-ci".to_string(),
            started_secs_ago: 0.0,
            groups: Vec::new(),
        }
    }
}

/// One group of a [`BatchSpec`], run as a build of the batch's project.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupSpec {
    pub identifier: String,
    pub depends_on: Vec<String>,
    pub ignore_failure: bool,
    /// How the group's build ends in the batch's first run; a retry of the
    /// group succeeds.
    pub outcome: Outcome,
    /// As in [`BuildSpec::phase_secs`].
    pub phase_secs: Option<Vec<(String, f64)>>,
}
