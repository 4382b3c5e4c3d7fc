//! CloudWatch metrics for builds: the per-build resource metrics CodeBuild
//! publishes in `AWS/CodeBuild` (CPU, memory, storage) and its project-
//! and account-level build counts and durations (`project`), served
//! through ListMetrics and GetMetricData on the same endpoint as CodeBuild.
//!
//! Like a build's log, its metrics are a pure function of the build and
//! the sim clock (`series`): one raw sample a minute of its container's
//! life, none in the future. CloudWatch's model lists rpcv2Cbor, awsJson1.0
//! and awsQuery; the first two are served. CloudWatch is query-compatible:
//! every error also names its awsQuery code in `x-amzn-query-error`.

mod errors;
mod get_data;
mod list;
mod names;
mod project;
mod query;
mod series;
mod stats;

pub(crate) use errors::query_error;

use serde_json::{Map, Value};

use super::input::ApiError;
use super::state::SimState;

/// awsJson1.0's target prefix, and rpcv2Cbor's service name.
pub(crate) const SERVICE: &str = "GraniteServiceVersion20100801";
pub(crate) const TARGET_PREFIX: &str = "GraniteServiceVersion20100801.";
/// The absolute shape ID of the service, `#` written as `.`.
pub(crate) const QUALIFIED_SERVICE: &str = "com.amazonaws.cloudwatch.GraniteServiceVersion20100801";
pub(crate) const OPERATIONS: &[&str] = &["GetMetricData", "ListMetrics"];
pub(crate) const JSON_CONTENT_TYPE: &str = "application/x-amz-json-1.0";

/// Runs one CloudWatch operation.
pub(crate) fn dispatch(
    state: &mut SimState,
    operation: &str,
    body: &Map<String, Value>,
) -> Result<Value, ApiError> {
    match operation {
        "ListMetrics" => list::list_metrics(state, body),
        "GetMetricData" => get_data::get_metric_data(state, body),
        other => Err(ApiError::unknown_operation(other)),
    }
}

/// The regions where CodeBuild publishes resource metrics; elsewhere
/// CloudWatch answers, but has none of them.
const METRICS_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

fn publishes_metrics(state: &SimState) -> bool {
    METRICS_REGIONS.contains(&state.place.region.as_str())
}
