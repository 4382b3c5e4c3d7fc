//! CloudWatch Logs for builds. A build whose project logs to CloudWatch gets
//! a stream when its container starts (the start of DOWNLOAD_SOURCE), named
//! as the build's `logs` says.
//!
//! Like the build's JSON, its log is a pure function of the build: `script`
//! lays out every line the build writes, from the plan and the timeline, and
//! a line is visible once sim now reaches its timestamp. Lines before a stop
//! do not depend on the stop, so what a reader has seen never changes.

mod get_events;
mod hostile;
mod script;
mod tools;

pub(crate) use script::hash;

use serde_json::{Map, Value};

use super::build::Build;
use super::catalog::{LogsDest, Place};
use super::phase::Phase;
use super::render::str_field;
use super::state::SimState;

use super::input::ApiError;

pub(crate) const TARGET_PREFIX: &str = "Logs_20140328.";
pub(crate) const OPERATIONS: &[&str] = &["GetLogEvents"];

/// Runs one CloudWatch Logs operation.
pub(crate) fn dispatch(
    state: &mut SimState,
    operation: &str,
    body: &Map<String, Value>,
) -> Result<Value, ApiError> {
    match operation {
        "GetLogEvents" => get_events::get_log_events(state, body),
        other => Err(ApiError::unknown_operation(other)),
    }
}

/// One log event: when it was written and ingested (epoch milliseconds)
/// and the line as written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Event {
    pub timestamp: i64,
    pub ingestion: i64,
    pub message: String,
}

/// Where the build's CloudWatch log goes: (group, stream); None when its
/// CloudWatch logs are disabled.
pub(crate) fn target(build: &Build) -> Option<(String, String)> {
    let empty = Map::new();
    let cw = build
        .settings
        .logs_config
        .get("cloudWatchLogs")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    if str_field(cw, "status") == Some("DISABLED") {
        return None;
    }
    let group =
        str_field(cw, "groupName").map_or_else(|| default_group(&build.project), String::from);
    let stream = match str_field(cw, "streamName") {
        Some(prefix) => format!("{prefix}/{}", build.uuid),
        None => build.uuid.clone(),
    };
    Some((group, stream))
}

fn default_group(project: &str) -> String {
    format!("/aws/codebuild/{project}")
}

pub(crate) fn stream_arn(place: &Place, group: &str, stream: &str) -> String {
    place.arn("logs", &format!("log-group:{group}:log-stream:{stream}"))
}

/// When the build's stream is created; None if it never is (CloudWatch
/// logs disabled, or the build ended before its container started).
pub(crate) fn stream_created_at(build: &Build) -> Option<i64> {
    target(build)?;
    build
        .timeline()
        .spans
        .iter()
        .find(|s| s.phase == Phase::DownloadSource)
        .map(|s| s.start)
}

/// Every event of the build's stream visible at `now`, oldest first.
pub(crate) fn events_at(build: &Build, now: i64) -> Vec<Event> {
    if stream_created_at(build).is_none_or(|created| now < created) {
        return Vec::new();
    }
    script::script(build)
        .into_iter()
        .take_while(|line| line.timestamp <= now)
        .collect()
}

/// Whether the log group exists at `now`: the group of every project that
/// logs to CloudWatch does, and so does any group a build has written to.
fn group_exists(state: &SimState, group: &str, now: i64) -> bool {
    let project_group = state.catalog.projects().iter().any(|p| {
        matches!(p.logs, LogsDest::CloudWatch | LogsDest::CloudWatchAndS3)
            && default_group(p.name) == group
    }) || state
        .projects
        .iter()
        .any(|p| p.logs_to_cloudwatch() && default_group(&p.name) == group);
    project_group
        || state.builds.iter().any(|b| {
            target(b).is_some_and(|(g, _)| g == group)
                && stream_created_at(b).is_some_and(|t| t <= now)
        })
}

/// Why a stream cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Missing {
    Group,
    Stream,
}

/// The build writing to `group`/`stream`, if that stream exists at `now`.
pub(crate) fn find_stream<'a>(
    state: &'a SimState,
    group: &str,
    stream: &str,
    now: i64,
) -> Result<&'a Build, Missing> {
    // Streams end in the build's uuid, which narrows the search at once.
    let uuid = stream.rsplit('/').next().unwrap_or(stream);
    let found = state.builds.iter().find(|b| {
        b.uuid == uuid
            && target(b).is_some_and(|(g, s)| g == group && s == stream)
            && stream_created_at(b).is_some_and(|t| t <= now)
    });
    match found {
        Some(build) => Ok(build),
        None if group_exists(state, group, now) => Err(Missing::Stream),
        None => Err(Missing::Group),
    }
}
