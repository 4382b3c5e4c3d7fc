//! The CodeBuild operations the simulator answers.

mod batch_list;
mod batch_start;
mod batch_stop_retry;
mod builds;
mod delete_builds;
mod manage_projects;
mod overrides;
mod paging;
mod project_shape;
mod projects;
mod report_groups;
mod reports;
mod shape;
mod start;
mod stop_retry;
mod test_cases;
mod trend;

use serde_json::{Map, Value};

pub(crate) use overrides::merge_env_vars;

use super::input::{ApiError, Input};
use super::state::SimState;

pub(crate) const OPERATIONS: &[&str] = &[
    "ListProjects",
    "BatchGetProjects",
    "CreateProject",
    "UpdateProject",
    "DeleteProject",
    "ListBuilds",
    "ListBuildsForProject",
    "BatchGetBuilds",
    "BatchDeleteBuilds",
    "StartBuild",
    "StopBuild",
    "RetryBuild",
    "StartBuildBatch",
    "StopBuildBatch",
    "RetryBuildBatch",
    "ListBuildBatches",
    "ListBuildBatchesForProject",
    "BatchGetBuildBatches",
    "BatchGetReports",
    "DescribeTestCases",
    "DescribeCodeCoverages",
    "GetReportGroupTrend",
    "ListReportGroups",
    "BatchGetReportGroups",
    "ListReports",
    "ListReportsForReportGroup",
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
        "ListProjects" => projects::list_projects(state, &input),
        "BatchGetProjects" => projects::batch_get_projects(state, &input),
        "CreateProject" => manage_projects::create_project(state, &input),
        "UpdateProject" => manage_projects::update_project(state, &input),
        "DeleteProject" => manage_projects::delete_project(state, &input),
        "ListBuilds" => builds::list_builds(state, &input),
        "ListBuildsForProject" => builds::list_builds_for_project(state, &input),
        "BatchGetBuilds" => builds::batch_get_builds(state, &input),
        "BatchDeleteBuilds" => delete_builds::batch_delete_builds(state, &input),
        "StartBuild" => start::start_build(state, &input),
        "StopBuild" => stop_retry::stop_build(state, &input),
        "RetryBuild" => stop_retry::retry_build(state, &input),
        "StartBuildBatch" => batch_start::start_build_batch(state, &input),
        "StopBuildBatch" => batch_stop_retry::stop_build_batch(state, &input),
        "RetryBuildBatch" => batch_stop_retry::retry_build_batch(state, &input),
        "ListBuildBatches" => batch_list::list_build_batches(state, &input),
        "ListBuildBatchesForProject" => batch_list::list_build_batches_for_project(state, &input),
        "BatchGetBuildBatches" => batch_list::batch_get_build_batches(state, &input),
        "BatchGetReports" => reports::batch_get_reports(state, &input),
        "DescribeTestCases" => test_cases::describe_test_cases(state, &input),
        "DescribeCodeCoverages" => test_cases::describe_code_coverages(state, &input),
        "GetReportGroupTrend" => trend::get_report_group_trend(state, &input),
        "ListReportGroups" => report_groups::list_report_groups(state, &input),
        "BatchGetReportGroups" => report_groups::batch_get_report_groups(state, &input),
        "ListReports" => report_groups::list_reports(state, &input),
        "ListReportsForReportGroup" => report_groups::list_reports_for_report_group(state, &input),
        other => Err(ApiError::unknown_operation(other)),
    }
}
