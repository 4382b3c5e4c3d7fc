//! The program's own model of CodeBuild: what the panes show, free of SDK types.

mod answers;
mod arn;
mod batch;
mod build;
pub mod choices;
pub mod compare;
mod error;
mod launch;
pub mod metrics;
mod report;
mod run;
pub mod sizing;
mod status;

pub use answers::{Fetched, FetchedBatches, ListPage, LogEvent, LogPage, Started};
pub use arn::arn_place;
pub use batch::{BuildBatch, BuildGroup, BuildSummary};
pub use build::{phase_type, Build, BuildId, Link, LogLinks, Phase, PhaseContext, PHASE_TYPES};
pub use error::{ApiError, ErrorKind};
pub use launch::{BatchConfig, EnvVar, Overrides, StartRequest};
pub use report::{
    CasePage, Coverage, CoveragePage, FileCoverage, Report, ReportKind, TestCase, Totals,
    TrendField,
};
pub use run::Run;
pub use status::Status;
