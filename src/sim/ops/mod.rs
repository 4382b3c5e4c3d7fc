//! The CodeBuild operations the simulator answers.

mod builds;
mod overrides;
mod paging;
mod projects;
mod shape;
mod start;
mod stop_retry;

use serde_json::{Map, Value};

use super::input::{ApiError, Input};
use super::state::SimState;

pub(crate) const OPERATIONS: &[&str] = &[
    "ListProjects",
    "BatchGetProjects",
    "ListBuilds",
    "ListBuildsForProject",
    "BatchGetBuilds",
    "StartBuild",
    "StopBuild",
    "RetryBuild",
];

/// Runs one operation against the state, first bringing it up to sim now.
pub(crate) fn dispatch(
    state: &mut SimState,
    operation: &str,
    body: &Map<String, Value>,
) -> Result<Value, ApiError> {
    state.catch_up();
    let input = Input::root(body);
    match operation {
        "ListProjects" => projects::list_projects(&input),
        "BatchGetProjects" => projects::batch_get_projects(state, &input),
        "ListBuilds" => builds::list_builds(state, &input),
        "ListBuildsForProject" => builds::list_builds_for_project(state, &input),
        "BatchGetBuilds" => builds::batch_get_builds(state, &input),
        "StartBuild" => start::start_build(state, &input),
        "StopBuild" => stop_retry::stop_build(state, &input),
        "RetryBuild" => stop_retry::retry_build(state, &input),
        other => Err(ApiError::unknown_operation(other)),
    }
}
