//! ListBuildBatches, ListBuildBatchesForProject and BatchGetBuildBatches.

use serde_json::{json, Value};

use super::builds::{checked_ids, named_project};
use super::paging::{in_order, page_json, paginate_filtered, PAGE_SIZE};
use super::projects::SORT_ORDER;
use crate::batch::{batch_json, status_at};
use crate::input::{ApiError, Input, Violations};
use crate::state::SimState;

const STATUSES: &[&str] = &[
    "SUCCEEDED",
    "FAILED",
    "FAULT",
    "TIMED_OUT",
    "IN_PROGRESS",
    "STOPPED",
];

/// Batch ids, newest first unless ASCENDING, optionally for one project
/// and with one buildBatchStatus.
fn listing(
    state: &SimState,
    input: &Input,
    operation: &str,
    project: Option<&str>,
) -> Result<Value, ApiError> {
    let sort_order = input.string("sortOrder")?;
    let token = input.string("nextToken")?;
    let max_results = input.integer("maxResults")?;
    let status = match input.object("filter")? {
        Some(filter) => filter.string("status")?,
        None => None,
    };
    let mut v = Violations::default();
    v.one_of("sortOrder", sort_order, SORT_ORDER);
    v.one_of("filter.status", status, STATUSES);
    if let Some(n) = max_results {
        v.range("maxResults", n, 1, Some(100));
    }
    v.finish()?;
    let sort_order = sort_order.unwrap_or("DESCENDING");
    let size = max_results.map_or(PAGE_SIZE, |n| n as usize);

    let book = &state.batches;
    let ids = book
        .order
        .iter()
        .map(|&i| &book.list[i])
        .filter(|b| project.is_none_or(|p| b.project == p))
        .map(|b| b.id())
        .collect();
    let ids = in_order(ids, sort_order);
    let now = state.now();
    let keep = |id: &str| {
        status.is_none_or(|wanted| {
            book.index_of(id)
                .is_some_and(|i| status_at(&book.list[i], &state.builds, now).name() == wanted)
        })
    };
    let scope = [
        operation,
        sort_order,
        status.unwrap_or_default(),
        project.unwrap_or_default(),
    ];
    let (page, next) = paginate_filtered(&ids, token, &scope, size, keep)?;
    Ok(page_json("ids", page, next))
}

pub(crate) fn list_build_batches(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    listing(state, input, "ListBuildBatches", None)
}

pub(crate) fn list_build_batches_for_project(
    state: &SimState,
    input: &Input,
) -> Result<Value, ApiError> {
    let name = named_project(state, input)?;
    listing(state, input, "ListBuildBatchesForProject", Some(&name))
}

pub(crate) fn batch_get_build_batches(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    let ids = checked_ids(input, 0)?;
    let now = state.now();
    let book = &state.batches;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for id in ids {
        match book.index_of(id) {
            Some(i) => found.push(batch_json(&state.place, &book.list[i], &state.builds, now)),
            None => missing.push(id),
        }
    }
    Ok(json!({"buildBatches": found, "buildBatchesNotFound": missing}))
}
